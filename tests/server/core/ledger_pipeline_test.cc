// The committer's pipeline (committer.h): a group is applied while the
// group before it is still being committed, on top of that group's writes;
// when that commit fails, the later group is applied again on what storage
// really holds. Storage here is real LevelDB behind a wrapper that can hold
// a commit until the test releases it, and fail it.
#include <chrono>
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
#include "tests/server/core/gated_storage.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using testing::Call;
using testing::GatedStorage;
using testing::TestDir;

const Principal kAlice{"users/alice"};

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
  ASSERT_TRUE(storage_->WaitUntilLookedUp("b"));
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
  ASSERT_TRUE(storage_->WaitUntilLookedUp("b"));
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
