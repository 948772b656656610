// Durability of the Ledger's acknowledgements, with LevelDB on a
// fault-injecting Env: what `done` reported as written survives a power cut;
// what failed to sync is not there after restart.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/fault_injection_env.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using storage::FaultInjectionEnv;
using testing::Call;
using testing::Latch;
using testing::LedgerHarness;
using testing::TestDir;

const Principal kAlice{"users/alice"};

v1::CreateClaimRequest ClaimRequest(int i) {
  v1::CreateClaimRequest req;
  req.mutable_claim()->set_text(absl::StrCat("Durable claim number ", i));
  req.set_request_id(absl::StrCat("create-", i));
  return req;
}

v1::AddAppearanceRequest AppearanceRequest(const std::string& claim, int i) {
  v1::AddAppearanceRequest req;
  req.set_claim(claim);
  req.mutable_appearance()->set_url(absl::StrCat("https://example.com/", i));
  req.set_request_id(absl::StrCat("appearance-", i));
  return req;
}

class LedgerDurabilityTest : public ::testing::Test {
 protected:
  FaultInjectionEnv env_;
  LedgerHarness harness_{TestDir(), &env_};
};

TEST_F(LedgerDurabilityTest, AcknowledgedWritesSurviveAPowerCut) {
  ASSERT_TRUE(harness_.Open().ok());
  // Concurrent writes, so that commits carry groups of requests.
  constexpr int kClaims = 60;
  std::vector<absl::StatusOr<v1::Claim>> created(kClaims,
                                                 absl::UnknownError(""));
  Latch pending(kClaims);
  for (int i = 0; i < kClaims; ++i) {
    harness_.ledger().CreateClaim(kAlice, ClaimRequest(i),
                                  [&, i](absl::StatusOr<v1::Claim> result) {
                                    created[i] = std::move(result);
                                    pending.CountDown();
                                  });
  }
  pending.Wait();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(created[i % kClaims].ok()) << created[i % kClaims].status();
    ASSERT_TRUE(Call(harness_.ledger(), &Ledger::AddAppearance, kAlice,
                     AppearanceRequest(created[i % kClaims]->name(), i))
                    .ok());
  }
  const uint64_t acknowledged = harness_.ledger().LastSequence();
  EXPECT_EQ(acknowledged, static_cast<uint64_t>(kClaims + 40));

  harness_.Close();
  ASSERT_TRUE(env_.DropUnsyncedData().ok());
  ASSERT_TRUE(harness_.Open().ok());

  Ledger& ledger = harness_.ledger();
  EXPECT_EQ(ledger.LastSequence(), acknowledged);
  absl::StatusOr<Ledger::Changes> changes =
      ledger.ReadChanges(v1::WatchClaimsRequest(), 0, 1000);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->events.size(), acknowledged);
  for (int i = 0; i < kClaims; ++i) {
    v1::GetClaimRequest get;
    get.set_name(created[i]->name());
    absl::StatusOr<v1::Claim> claim = ledger.GetClaim(get);
    ASSERT_TRUE(claim.ok()) << claim.status();
    EXPECT_EQ(claim->text(), created[i]->text());
  }
  // Idempotency records survived too: a retry writes nothing.
  absl::StatusOr<v1::Claim> retry =
      Call(ledger, &Ledger::CreateClaim, kAlice, ClaimRequest(7));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), created[7]->name());
  EXPECT_EQ(ledger.LastSequence(), acknowledged);
}

TEST_F(LedgerDurabilityTest, FailedSyncFailsTheRequestAndLeavesNoTrace) {
  ASSERT_TRUE(harness_.Open().ok());
  absl::StatusOr<v1::Claim> kept =
      Call(harness_.ledger(), &Ledger::CreateClaim, kAlice, ClaimRequest(1));
  ASSERT_TRUE(kept.ok()) << kept.status();
  const uint64_t acknowledged = harness_.ledger().LastSequence();

  env_.Inject(FaultInjectionEnv::Fault::kSync);
  absl::StatusOr<v1::Claim> lost =
      Call(harness_.ledger(), &Ledger::CreateClaim, kAlice, ClaimRequest(2));
  EXPECT_FALSE(lost.ok());
  EXPECT_GT(env_.injected_failures(), 0);
  EXPECT_EQ(harness_.ledger().LastSequence(), acknowledged);
  env_.ClearAll();
  // The storage refuses writes until reopened; the error says so.
  absl::StatusOr<v1::Claim> refused =
      Call(harness_.ledger(), &Ledger::CreateClaim, kAlice, ClaimRequest(3));
  EXPECT_FALSE(refused.ok());

  harness_.Close();
  ASSERT_TRUE(env_.DropUnsyncedData().ok());
  ASSERT_TRUE(harness_.Open().ok());
  Ledger& ledger = harness_.ledger();
  EXPECT_EQ(ledger.LastSequence(), acknowledged);
  v1::ListClaimsRequest list;
  absl::StatusOr<v1::ListClaimsResponse> claims = ledger.ListClaims(list);
  ASSERT_TRUE(claims.ok()) << claims.status();
  ASSERT_EQ(claims->claims_size(), 1);
  EXPECT_EQ(claims->claims(0).name(), kept->name());

  // The failed request left no idempotency record: its retry now succeeds
  // and takes the next sequence.
  absl::StatusOr<v1::Claim> retried =
      Call(ledger, &Ledger::CreateClaim, kAlice, ClaimRequest(2));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(ledger.LastSequence(), acknowledged + 1);
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
