// The committer's pipeline (committer.h): a group is applied while the
// group before it is still being committed, on top of that group's writes;
// when that commit fails, the later group is applied again on what storage
// really holds. Storage here is real LevelDB behind a wrapper that can hold
// a commit until the test releases it, and fail it.
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/leveldb_storage.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using testing::Call;
using testing::TestDir;

const Principal kAlice{"users/alice"};
constexpr auto kWait = std::chrono::seconds(20);

// Real storage whose Commit can be held at the gate and made to fail.
class GatedStorage : public storage::Storage {
 public:
  explicit GatedStorage(std::unique_ptr<storage::Storage> real)
      : real_(std::move(real)) {}

  // The next Commit blocks until Release(); it then fails with `failure`
  // when that is not OK.
  void HoldNextCommit() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_next_ = true;
  }
  // Waits until a held Commit has arrived. False on timeout.
  bool WaitUntilHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, kWait, [this] { return held_; });
  }
  void Release(absl::Status failure) {
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = std::move(failure);
    held_ = false;
    changed_.notify_all();
  }
  // Waits until ReadRequest(request_id) was called: the committer is
  // applying that request. False on timeout.
  bool WaitUntilRequestLookedUp(const std::string& request_id) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, kWait, [&] {
      return looked_up_.count(request_id) > 0;
    });
  }
  int commits() {
    std::lock_guard<std::mutex> lock(mu_);
    return commits_;
  }

  absl::Status Commit(const storage::WriteSet& writes) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++commits_;
      if (hold_next_) {
        hold_next_ = false;
        held_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return !held_; });
        if (!failure_.ok()) return std::exchange(failure_, absl::OkStatus());
      }
    }
    return real_->Commit(writes);
  }
  absl::StatusOr<storage::RequestRecord> ReadRequest(
      absl::string_view request_id) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      looked_up_.insert(std::string(request_id));
      changed_.notify_all();
    }
    return real_->ReadRequest(request_id);
  }
  uint64_t LastSequence() const override { return real_->LastSequence(); }
  absl::StatusOr<v1::Claim> ReadClaim(absl::string_view id) override {
    return real_->ReadClaim(id);
  }
  absl::StatusOr<v1::Source> ReadSource(absl::string_view id) override {
    return real_->ReadSource(id);
  }
  absl::StatusOr<std::vector<v1::Event>> ReadEvents(absl::string_view id,
                                                    int64_t from,
                                                    int limit) override {
    return real_->ReadEvents(id, from, limit);
  }
  absl::StatusOr<std::vector<storage::EventRef>> ReadLog(uint64_t after,
                                                         int limit) override {
    return real_->ReadLog(after, limit);
  }
  absl::StatusOr<std::vector<std::string>> ScanClaims(
      std::optional<storage::ClaimIndex> index, absl::string_view value,
      absl::string_view after, int limit) override {
    return real_->ScanClaims(index, value, after, limit);
  }
  absl::StatusOr<std::vector<v1::Source>> ScanSources(absl::string_view after,
                                                      int limit) override {
    return real_->ScanSources(after, limit);
  }
  storage::StorageStats Stats() override { return real_->Stats(); }

 private:
  const std::unique_ptr<storage::Storage> real_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool hold_next_ = false;
  bool held_ = false;
  absl::Status failure_;
  int commits_ = 0;
  std::set<std::string> looked_up_;
};

v1::CreateClaimRequest CreateX(const std::string& request_id) {
  v1::CreateClaimRequest req;
  req.set_claim_id("x");
  req.mutable_claim()->set_text("Over 10,000 soldiers were sent");
  req.set_request_id(request_id);
  return req;
}

v1::AddAppearanceRequest AppearOnX(const std::string& request_id) {
  v1::AddAppearanceRequest req;
  req.set_claim("claims/x");
  req.mutable_appearance()->set_url("https://example.com/story");
  req.set_request_id(request_id);
  return req;
}

// Starts a mutation; the future holds its answer.
template <typename Request, typename Response>
std::future<absl::StatusOr<Response>> Start(
    Ledger& ledger,
    void (Ledger::*method)(const Principal&, const Request&, Done<Response>),
    const Request& req) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<Response>>>();
  std::future<absl::StatusOr<Response>> answer = promise->get_future();
  (ledger.*method)(kAlice, req, [promise](absl::StatusOr<Response> result) {
    promise->set_value(std::move(result));
  });
  return answer;
}

class LedgerPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::LevelDbOptions options;
    options.path = TestDir();
    absl::StatusOr<std::unique_ptr<storage::Storage>> real =
        storage::OpenLevelDbStorage(options);
    ASSERT_TRUE(real.ok()) << real.status();
    auto gated = std::make_unique<GatedStorage>(*std::move(real));
    storage_ = gated.get();
    LedgerOptions ledger_options;
    ledger_options.storage = std::move(gated);
    ledger_options.data_dir = options.path;
    ledger_options.version = "test";
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(std::move(ledger_options));
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = *std::move(ledger);
  }

  // Starts CreateX("a") and waits until its commit is held.
  std::future<absl::StatusOr<v1::Claim>> StartHeldCreate() {
    storage_->HoldNextCommit();
    auto created = Start(*ledger_, &Ledger::CreateClaim, CreateX("a"));
    EXPECT_TRUE(storage_->WaitUntilHeld());
    return created;
  }

  GatedStorage* storage_ = nullptr;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerPipelineTest, NextGroupIsAppliedOnTopOfTheCommitInFlight) {
  auto created = StartHeldCreate();
  auto appeared = Start(*ledger_, &Ledger::AddAppearance, AppearOnX("b"));
  // "b" is being applied while "a" is not in storage yet: it must see the
  // claim through the in-flight group, not get NOT_FOUND.
  ASSERT_TRUE(storage_->WaitUntilRequestLookedUp("b"));
  EXPECT_EQ(created.wait_for(std::chrono::milliseconds(50)),
            std::future_status::timeout)
      << "answered before its commit returned";
  storage_->Release(absl::OkStatus());

  absl::StatusOr<v1::Claim> first = created.get();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->revision(), 1);
  absl::StatusOr<v1::Claim> second = appeared.get();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(second->appearances_size(), 1);
  EXPECT_EQ(storage_->commits(), 2);
  EXPECT_EQ(storage_->LastSequence(), 2u);

  v1::GetClaimRequest get;
  get.set_name("claims/x");
  absl::StatusOr<v1::Claim> stored = ledger_->GetClaim(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->revision(), 2);
}

TEST_F(LedgerPipelineTest, WhenTheCommitInFlightFailsTheNextGroupIsReapplied) {
  auto created = StartHeldCreate();
  auto appeared = Start(*ledger_, &Ledger::AddAppearance, AppearOnX("b"));
  ASSERT_TRUE(storage_->WaitUntilRequestLookedUp("b"));
  storage_->Release(absl::UnavailableError("injected: disk went away"));

  absl::StatusOr<v1::Claim> first = created.get();
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable)
      << first.status();
  // Applied again on storage, where claims/x never arrived.
  absl::StatusOr<v1::Claim> second = appeared.get();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kNotFound)
      << second.status();
  EXPECT_EQ(storage_->LastSequence(), 0u);
  v1::GetClaimRequest get;
  get.set_name("claims/x");
  EXPECT_EQ(ledger_->GetClaim(get).status().code(),
            absl::StatusCode::kNotFound);

  // Both retried with their request ids: written once each, in order.
  absl::StatusOr<v1::Claim> retried =
      Call(*ledger_, &Ledger::CreateClaim, kAlice, CreateX("a"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  absl::StatusOr<v1::Claim> appended =
      Call(*ledger_, &Ledger::AddAppearance, kAlice, AppearOnX("b"));
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(appended->revision(), 2);
  EXPECT_EQ(storage_->LastSequence(), 2u);
}

TEST_F(LedgerPipelineTest, RetryOfTheRequestInFlightGetsItsAnswerOnce) {
  auto created = StartHeldCreate();
  auto again = Start(*ledger_, &Ledger::CreateClaim, CreateX("a"));
  // The retry's group holds nothing to write; it waits for the first.
  EXPECT_EQ(again.wait_for(std::chrono::milliseconds(50)),
            std::future_status::timeout);
  storage_->Release(absl::OkStatus());
  absl::StatusOr<v1::Claim> first = created.get();
  absl::StatusOr<v1::Claim> second = again.get();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->etag(), first->etag());
  EXPECT_EQ(storage_->LastSequence(), 1u);
}

TEST_F(LedgerPipelineTest, RetryOfAFailedRequestInFlightIsWrittenAfresh) {
  auto created = StartHeldCreate();
  auto again = Start(*ledger_, &Ledger::CreateClaim, CreateX("a"));
  storage_->Release(absl::UnavailableError("injected: disk went away"));
  EXPECT_EQ(created.get().status().code(), absl::StatusCode::kUnavailable);
  // The retry was a replay of a record that never reached storage; applied
  // again, it creates the claim.
  absl::StatusOr<v1::Claim> second = again.get();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 1);
  EXPECT_EQ(storage_->LastSequence(), 1u);
}

// Many writers on few claims: every acknowledged write is in storage, with
// gapless sequences and revisions (the pipeline never reorders or loses).
TEST_F(LedgerPipelineTest, ConcurrentWritersAcrossManyGroups) {
  constexpr int kClaims = 4;
  constexpr int kPerClaim = 60;
  for (int c = 0; c < kClaims; ++c) {
    v1::CreateClaimRequest req = CreateX(absl::StrCat("create-", c));
    req.set_claim_id(absl::StrCat("c", c));
    ASSERT_TRUE(Call(*ledger_, &Ledger::CreateClaim, kAlice, req).ok());
  }
  std::vector<std::future<absl::StatusOr<v1::Claim>>> answers;
  for (int i = 0; i < kPerClaim; ++i) {
    for (int c = 0; c < kClaims; ++c) {
      v1::AddAppearanceRequest req;
      req.set_claim(absl::StrCat("claims/c", c));
      req.mutable_appearance()->set_url(
          absl::StrCat("https://example.com/", c, "/", i));
      req.set_request_id(absl::StrCat("appear-", c, "-", i));
      answers.push_back(Start(*ledger_, &Ledger::AddAppearance, req));
    }
  }
  for (auto& answer : answers) {
    absl::StatusOr<v1::Claim> result = answer.get();
    ASSERT_TRUE(result.ok()) << result.status();
  }
  EXPECT_EQ(storage_->LastSequence(),
            static_cast<uint64_t>(kClaims * (kPerClaim + 1)));
  for (int c = 0; c < kClaims; ++c) {
    v1::GetClaimRequest get;
    get.set_name(absl::StrCat("claims/c", c));
    absl::StatusOr<v1::Claim> stored = ledger_->GetClaim(get);
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->revision(), kPerClaim + 1);
    EXPECT_EQ(stored->appearances_size(), kPerClaim);
  }
  EXPECT_GT(storage_->commits(), 1);
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
