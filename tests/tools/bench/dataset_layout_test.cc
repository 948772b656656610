// The benchmark dataset, applied to a real Ledger over LevelDB: every
// request is valid, the claims have the shapes the workloads rely on (event
// counts, states, full search pages), and applying it twice writes nothing.
#include "tools/bench/dataset_layout.h"

#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/leveldb_storage.h"

namespace claimtrail {
namespace bench {
namespace {

template <typename T>
absl::StatusOr<T> Wait(
    const std::function<void(core::Done<T>)>& start) {
  absl::Notification done;
  absl::StatusOr<T> out = absl::UnknownError("not answered");
  start([&](absl::StatusOr<T> result) {
    out = std::move(result);
    done.Notify();
  });
  done.WaitForNotification();
  return out;
}

class DatasetLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::LevelDbOptions options;
    options.path = std::string(getenv("TEST_TMPDIR")) + "/" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name();
    absl::StatusOr<std::unique_ptr<storage::Storage>> storage =
        storage::OpenLevelDbStorage(options);
    ASSERT_TRUE(storage.ok()) << storage.status();
    core::LedgerOptions ledger_options;
    ledger_options.storage = *std::move(storage);
    absl::StatusOr<std::unique_ptr<core::Ledger>> ledger =
        core::Ledger::Open(std::move(ledger_options));
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = *std::move(ledger);

    layout_.sources = 3;
    layout_.claims = 150;  // 50 per state: full search pages.
    layout_.events_per_claim = 4;
    layout_.timeline10_claims = 2;
    layout_.timeline100_claims = 1;
    layout_.append_claims = 2;
    layout_.payload_bytes = 200;
  }

  // Applies the whole layout; fails the test on the first error.
  void ApplyLayout() {
    for (const v1::CreateSourceRequest& req : SourceRequests(layout_)) {
      auto result = Wait<v1::Source>([&](core::Done<v1::Source> done) {
        ledger_->CreateSource(who_, req, std::move(done));
      });
      ASSERT_TRUE(result.ok()) << req.source_id() << ": " << result.status();
    }
    std::vector<ClaimPlan> plans;
    for (int i = 0; i < layout_.claims; ++i) plans.push_back(PlainClaimPlan(layout_, i));
    for (int i = 0; i < layout_.timeline10_claims; ++i) {
      plans.push_back(TimelineClaimPlan(layout_, 10, i));
    }
    for (int i = 0; i < layout_.timeline100_claims; ++i) {
      plans.push_back(TimelineClaimPlan(layout_, 100, i));
    }
    for (int i = 0; i < layout_.append_claims; ++i) {
      plans.push_back(AppendClaimPlan(layout_, i));
    }
    for (const ClaimPlan& plan : plans) ApplyPlan(plan);
  }

  void ApplyPlan(const ClaimPlan& plan) {
    auto created = Wait<v1::Claim>([&](core::Done<v1::Claim> done) {
      ledger_->CreateClaim(who_, plan.create, std::move(done));
    });
    ASSERT_TRUE(created.ok()) << plan.create.claim_id() << ": " << created.status();
    for (const FollowUp& follow_up : plan.follow_ups) {
      auto result = Wait<v1::Claim>([&](core::Done<v1::Claim> done) {
        if (const auto* r = std::get_if<v1::RecordStanceRequest>(&follow_up)) {
          ledger_->RecordStance(who_, *r, std::move(done));
        } else if (const auto* f = std::get_if<v1::ReviseFigureRequest>(&follow_up)) {
          ledger_->ReviseFigure(who_, *f, std::move(done));
        } else {
          ledger_->AddAppearance(who_, std::get<v1::AddAppearanceRequest>(follow_up),
                                 std::move(done));
        }
      });
      ASSERT_TRUE(result.ok()) << plan.create.claim_id() << ": " << result.status();
    }
  }

  core::Principal who_{"users/bench"};
  DatasetLayout layout_;
  std::unique_ptr<core::Ledger> ledger_;
};

TEST_F(DatasetLayoutTest, AppliesCleanlyWithTheDocumentedShapes) {
  ApplyLayout();
  EXPECT_EQ(ledger_->LastSequence(), static_cast<uint64_t>(TotalEvents(layout_)));

  for (int i = 0; i < 6; ++i) {
    v1::GetClaimRequest get;
    get.set_name(PlainClaimName(i));
    absl::StatusOr<v1::Claim> claim = ledger_->GetClaim(get);
    ASSERT_TRUE(claim.ok()) << claim.status();
    EXPECT_EQ(claim->state(), PlainClaimState(i)) << get.name();
    EXPECT_EQ(claim->revision(), layout_.events_per_claim) << get.name();
  }
  for (const auto& [name, events] :
       {std::pair<std::string, int>{Timeline10ClaimName(1), 10},
        std::pair<std::string, int>{Timeline100ClaimName(0), 100}}) {
    v1::ListClaimEventsRequest list;
    list.set_parent(name);
    list.set_page_size(events);
    absl::StatusOr<v1::ListClaimEventsResponse> page = ledger_->ListClaimEvents(list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->events_size(), events) << name;
    EXPECT_TRUE(page->next_page_token().empty()) << name;
  }

  // The search workloads expect full pages of 50.
  v1::SearchClaimsRequest by_source;
  by_source.set_source(AttributionSourceName(0));
  by_source.set_page_size(50);
  absl::StatusOr<v1::SearchClaimsResponse> found = ledger_->SearchClaims(by_source);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->results_size(), 50);
  v1::SearchClaimsRequest by_state;
  by_state.set_state(v1::CLAIM_STATE_CONFIRMED);
  by_state.set_page_size(50);
  found = ledger_->SearchClaims(by_state);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->results_size(), 50);
}

TEST_F(DatasetLayoutTest, ApplyingTwiceWritesNothingNew) {
  ApplyLayout();
  const uint64_t sequence = ledger_->LastSequence();
  ApplyLayout();
  EXPECT_EQ(ledger_->LastSequence(), sequence);
}

TEST(DatasetLayoutNamesTest, RequestIdsAreUniqueAndDeterministic) {
  DatasetLayout layout;
  layout.events_per_claim = 7;
  std::set<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    ClaimPlan plan = PlainClaimPlan(layout, i);
    EXPECT_EQ(plan.follow_ups.size(), 6u);
    EXPECT_TRUE(ids.insert(plan.create.request_id()).second);
    EXPECT_EQ(PlainClaimPlan(layout, i).create.SerializeAsString(),
              plan.create.SerializeAsString());
  }
  ClaimPlan t100 = TimelineClaimPlan(layout, 100, 3);
  EXPECT_EQ(t100.follow_ups.size(), 99u);
  EXPECT_EQ(t100.create.claim_id(), "bench-t100-0003");
}

TEST(PayloadTextTest, DeterministicSizedAndLowerCase) {
  const std::string a = PayloadText(7, 1024);
  EXPECT_EQ(a.size(), 1024u);
  EXPECT_EQ(a, PayloadText(7, 1024));
  EXPECT_NE(a, PayloadText(8, 1024));
  for (char c : a) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == ' ') << c;
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail
