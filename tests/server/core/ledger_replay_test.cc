// Retries of claim mutations (ledger_replay.h): the idempotency record keeps
// which claim at which revision, not a copy of it; a retry is answered with
// the same claim as the first call, rebuilt from the events, and after a
// redaction the rebuilt answer no longer carries the removed payload.
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/leveldb_storage.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Call;
using testing::LedgerHarness;
using testing::Parse;
using testing::TestDir;

const Principal kAlice{"users/alice"};
constexpr char kSecretUrl[] = "https://example.com/leaked-draft";

class LedgerReplayTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(harness_.Open().ok()); }
  Ledger& ledger() { return harness_.ledger(); }

  template <typename Request, typename Response>
  Response Must(void (Ledger::*method)(const Principal&, const Request&,
                                       Done<Response>),
                const std::string& text) {
    absl::StatusOr<Response> result =
        Call(ledger(), method, kAlice, Parse<Request>(text));
    EXPECT_TRUE(result.ok()) << result.status() << "\n" << text;
    return result.ok() ? *result : Response();
  }
  // Calls again with the same request: must answer exactly as before and
  // write nothing.
  template <typename Request, typename Response>
  void ExpectRetryAnswersLike(void (Ledger::*method)(const Principal&,
                                                     const Request&,
                                                     Done<Response>),
                              const std::string& text, const Response& first) {
    const uint64_t sequence = ledger().LastSequence();
    absl::StatusOr<Response> again =
        Call(ledger(), method, kAlice, Parse<Request>(text));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->SerializeAsString(), first.SerializeAsString())
        << "first:\n" << first.DebugString() << "retry:\n"
        << again->DebugString();
    EXPECT_EQ(ledger().LastSequence(), sequence);
  }

  std::string path_ = TestDir();
  LedgerHarness harness_{path_};
};

TEST_F(LedgerReplayTest, EveryClaimMutationRetriesToTheSameAnswer) {
  Must(&Ledger::CreateSource, R"pb(
    source_id: "russia"
    source { display_name: "Russia" kind: SOURCE_KIND_GOVERNMENT }
    request_id: "src-russia")pb");
  const std::string create = R"pb(
    claim_id: "troops"
    claim {
      text: "Over 10,000 North Korean soldiers were sent to Russia."
      figures {
        figure_id: "troops"
        label: "soldiers"
        lower_bound: 10000
        unit: "soldiers"
        qualifier: FIGURE_QUALIFIER_OVER
      }
    }
    request_id: "create")pb";
  const v1::Claim created = Must(&Ledger::CreateClaim, create);
  const std::string appear = R"pb(
    claim: "claims/troops"
    appearance { url: "https://example.com/story" }
    request_id: "appear")pb";
  const v1::Claim appeared = Must(&Ledger::AddAppearance, appear);
  const std::string stance = R"pb(
    claim: "claims/troops"
    stance { party: "sources/russia" position: STANCE_POSITION_DENIED }
    request_id: "stance")pb";
  const v1::Claim stanced = Must(&Ledger::RecordStance, stance);
  const std::string revise = R"pb(
    claim: "claims/troops"
    figure {
      figure_id: "troops"
      label: "soldiers"
      lower_bound: 11000
      unit: "soldiers"
      qualifier: FIGURE_QUALIFIER_OVER
    }
    request_id: "revise")pb";
  const v1::Claim revised = Must(&Ledger::ReviseFigure, revise);
  ASSERT_EQ(revised.revision(), 4);

  // Later requests changed the claim; each retry still answers with the
  // claim as its own request left it.
  ExpectRetryAnswersLike(&Ledger::CreateClaim, create, created);
  ExpectRetryAnswersLike(&Ledger::AddAppearance, appear, appeared);
  ExpectRetryAnswersLike(&Ledger::RecordStance, stance, stanced);
  ExpectRetryAnswersLike(&Ledger::ReviseFigure, revise, revised);

  // And after a restart, from storage alone.
  harness_.Close();
  ASSERT_TRUE(harness_.Open().ok());
  ExpectRetryAnswersLike(&Ledger::RecordStance, stance, stanced);
}

TEST_F(LedgerReplayTest, RecordsHoldAReferenceNotACopy) {
  Must(&Ledger::CreateClaim, R"pb(
    claim_id: "troops"
    claim { text: "Over 10,000 North Korean soldiers were sent to Russia." }
    request_id: "create")pb");
  harness_.Close();
  storage::LevelDbOptions options;
  options.path = path_;
  absl::StatusOr<std::unique_ptr<storage::Storage>> storage =
      storage::OpenLevelDbStorage(options);
  ASSERT_TRUE(storage.ok()) << storage.status();
  absl::StatusOr<storage::RequestRecord> record =
      (*storage)->ReadRequest("create");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->response_claim(), "claims/troops");
  EXPECT_EQ(record->response_revision(), 1);
  EXPECT_TRUE(record->response().empty());
}

TEST_F(LedgerReplayTest, RetryAfterRedactionDoesNotBringThePayloadBack) {
  Must(&Ledger::CreateClaim, R"pb(
    claim_id: "troops"
    claim { text: "Over 10,000 North Korean soldiers were sent to Russia." }
    request_id: "create")pb");
  const std::string appear = absl::StrCat(R"pb(
    claim: "claims/troops"
    appearance { url: ")pb", kSecretUrl, R"pb(" }
    request_id: "appear")pb");
  const v1::Claim appeared = Must(&Ledger::AddAppearance, appear);
  ASSERT_THAT(appeared.DebugString(), HasSubstr(kSecretUrl));
  Must(&Ledger::RedactEvent, R"pb(
    name: "claims/troops/events/2"
    reason: "published by mistake"
    request_id: "redact")pb");

  absl::StatusOr<v1::Claim> again = Call(ledger(), &Ledger::AddAppearance,
                                         kAlice, Parse<v1::AddAppearanceRequest>(appear));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision(), 2);
  EXPECT_THAT(again->DebugString(), Not(HasSubstr(kSecretUrl)));
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
