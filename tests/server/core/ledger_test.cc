// End-to-end tests of the Ledger over real LevelDB: the BRIEF §2 scenario,
// time travel, idempotency, optimistic concurrency, pagination, indexes,
// claim lineage, redaction, the change feed, and gapless sequences.
#include "server/core/ledger.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/limits.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using ::testing::AllOf;
using testing::At;
using testing::Call;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Latch;
using testing::LedgerHarness;
using ::testing::MatchesRegex;
using testing::Parse;
using testing::Proto;
using ::testing::SizeIs;
using ::testing::StartsWith;
using testing::TestDir;
using ::testing::UnorderedElementsAreArray;

// From corpus/nk-weapons-test-russia-ties.txt (The Straits Times,
// 2025-03-21).
constexpr char kArticleUrl[] =
    "https://www.straitstimes.com/asia/east-asia/"
    "north-korea-tests-new-weapons-amid-strengthening-ties-with-russia";
constexpr char kQuote[] =
    "Intelligence reports have noted that over 10,000 North Korean soldiers "
    "were dispatched to Russia to support its military operations, as "
    "confirmed by South Korea\u2019s spy agency.";

const Principal kAlice{"users/alice"};
const Principal kBob{"users/bob"};

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P(StatusIs, code, "") {
  *result_listener << StatusOf(arg);
  return StatusOf(arg).code() == code;
}
MATCHER_P2(StatusIs, code, message_part, "") {
  *result_listener << StatusOf(arg);
  return StatusOf(arg).code() == code &&
         absl::StrContains(StatusOf(arg).message(), message_part);
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(harness_.Open().ok()); }

  Ledger& ledger() { return harness_.ledger(); }
  testing::FakeClock& clock() { return harness_.clock(); }

  std::string NextRequestId() { return absl::StrCat("req-", ++request_ids_); }

  v1::Source MustCreateSource(const std::string& text) {
    auto req = Parse<v1::CreateSourceRequest>(text);
    if (req.request_id().empty()) req.set_request_id(NextRequestId());
    absl::StatusOr<v1::Source> source =
        Call(ledger(), &Ledger::CreateSource, kAlice, req);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.value_or(v1::Source());
  }

  // The four sources of the running example.
  void CreateExampleSources() {
    MustCreateSource(R"pb(
      source_id: "nis"
      source {
        display_name: "National Intelligence Service"
        kind: SOURCE_KIND_AGENCY
        aliases: "NIS"
        aliases: "South Korea's spy agency"
        country: "KR"
      })pb");
    MustCreateSource(
        R"pb(
          source_id: "straitstimes"
          source {
            display_name: "straitstimes.com"
            kind: SOURCE_KIND_NEWS_OUTLET
          })pb");
    const v1::Source north_korea =
        MustCreateSource(R"pb(source {
                                display_name: "North Korea"
                                kind: SOURCE_KIND_GOVERNMENT
                              })pb");
    EXPECT_EQ(north_korea.name(), "sources/north-korea");
    const v1::Source russia =
        MustCreateSource(R"pb(source {
                                display_name: "Russia"
                                kind: SOURCE_KIND_GOVERNMENT
                              })pb");
    EXPECT_EQ(russia.name(), "sources/russia");
  }

  // The claim of BRIEF §2, as first logged.
  v1::CreateClaimRequest ExampleClaimRequest() {
    auto req = Parse<v1::CreateClaimRequest>(R"pb(
      claim {
        text: "North Korea has sent troops to Russia to support its war against Ukraine."
        parts {
          subject: "North Korea"
          predicate: "sent troops to"
          object: "Russia"
        }
        topics: "north-korea"
        topics: "russia"
        language: "en"
        figures {
          figure_id: "troops"
          label: "North Korean soldiers sent to Russia"
          lower_bound: 10000
          unit: "soldiers"
          qualifier: FIGURE_QUALIFIER_OVER
          valid_time { start_time { seconds: 1727740800 } }  # 2024-10-01
        }
        attributions {
          hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
          hops {
            source: "sources/straitstimes"
            verb: ATTRIBUTION_VERB_REPORTED
            appearance {
              outlet: "straitstimes.com"
              outlet_source: "sources/straitstimes"
              publish_time { seconds: 1742515200 }  # 2025-03-21
            }
          }
        }
        stances {
          party: "sources/north-korea"
          position: STANCE_POSITION_NOT_CONFIRMED
        }
        stances {
          party: "sources/russia"
          position: STANCE_POSITION_NOT_CONFIRMED
        }
      }
      context {
        note: "logged from the Straits Times article"
        asserted_time { seconds: 1742428800 }              # 2025-03-20
        valid_time { start_time { seconds: 1727740800 } }  # 2024-10-01
      })pb");
    v1::Appearance* appearance = req.mutable_claim()
                                     ->mutable_attributions(0)
                                     ->mutable_hops(1)
                                     ->mutable_appearance();
    appearance->set_url(kArticleUrl);
    appearance->set_quote(kQuote);
    *req.mutable_claim()->add_appearances() = *appearance;
    req.set_request_id(NextRequestId());
    return req;
  }

  v1::Claim MustCreateClaim(v1::CreateClaimRequest req) {
    if (req.request_id().empty()) req.set_request_id(NextRequestId());
    absl::StatusOr<v1::Claim> claim =
        Call(ledger(), &Ledger::CreateClaim, kAlice, req);
    EXPECT_TRUE(claim.ok()) << claim.status();
    return claim.value_or(v1::Claim());
  }

  // A minimal claim with `text`.
  v1::Claim MustCreateText(const std::string& text,
                           const std::string& claim_id = "") {
    v1::CreateClaimRequest req;
    req.mutable_claim()->set_text(text);
    req.set_claim_id(claim_id);
    return MustCreateClaim(req);
  }

  absl::StatusOr<v1::Claim> RecordStance(const std::string& claim,
                                         const std::string& party,
                                         v1::StancePosition position,
                                         const std::string& etag = "") {
    v1::RecordStanceRequest req;
    req.set_claim(claim);
    req.mutable_stance()->set_party(party);
    req.mutable_stance()->set_position(position);
    req.set_etag(etag);
    req.set_request_id(NextRequestId());
    return Call(ledger(), &Ledger::RecordStance, kAlice, req);
  }

  absl::StatusOr<v1::Claim> GetClaim(const std::string& name) {
    v1::GetClaimRequest req;
    req.set_name(name);
    return ledger().GetClaim(req);
  }

  absl::StatusOr<v1::Claim> GetClaimAsOf(const std::string& name,
                                         absl::Time as_of) {
    v1::GetClaimRequest req;
    req.set_name(name);
    *req.mutable_as_of() = Proto(as_of);
    return ledger().GetClaim(req);
  }

  LedgerHarness harness_{TestDir()};
  std::atomic<int> request_ids_{0};
};

const v1::FieldChange* FindChange(const v1::Event& event,
                                  const std::string& path) {
  for (const v1::FieldChange& change : event.changes()) {
    if (change.path() == path) return &change;
  }
  return nullptr;
}

std::vector<std::string> Names(const v1::ListClaimsResponse& response) {
  std::vector<std::string> names;
  for (const v1::Claim& claim : response.claims())
    names.push_back(claim.name());
  return names;
}

// ---- BRIEF §2, end to end.

TEST_F(LedgerTest, RunningExampleEndToEnd) {
  CreateExampleSources();
  clock().Advance(absl::Minutes(5));
  const absl::Time logged = clock().Now();
  const v1::Claim created = MustCreateClaim(ExampleClaimRequest());
  ASSERT_FALSE(created.name().empty());
  EXPECT_EQ(created.state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_THAT(created.state_summary(),
              AllOf(HasSubstr("North Korea"), HasSubstr("Russia")));
  EXPECT_EQ(created.revision(), 1);
  EXPECT_EQ(created.creator(), "users/alice");
  ASSERT_THAT(created.figures(), SizeIs(1));
  EXPECT_EQ(created.figures(0).lower_bound(), 10000);
  EXPECT_EQ(created.figures(0).qualifier(), v1::FIGURE_QUALIFIER_OVER);
  ASSERT_THAT(created.attributions(), SizeIs(1));
  EXPECT_EQ(created.attributions(0).attribution_id(), "a1");
  EXPECT_EQ(created.attributions(0).hops(0).source(), "sources/nis");
  EXPECT_EQ(created.attributions(0).hops(1).appearance().quote(), kQuote);
  EXPECT_FALSE(created.etag().empty());

  clock().Advance(absl::Hours(24));
  absl::StatusOr<v1::Claim> russia =
      RecordStance(created.name(), "sources/russia",
                   v1::STANCE_POSITION_CONFIRMED, created.etag());
  ASSERT_TRUE(russia.ok()) << russia.status();
  EXPECT_EQ(russia->state(), v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  const absl::Time russia_time = clock().Now();

  clock().Advance(absl::Hours(24));
  absl::StatusOr<v1::Claim> both =
      RecordStance(created.name(), "sources/north-korea",
                   v1::STANCE_POSITION_CONFIRMED, russia->etag());
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(both->revision(), 3);

  // Now, and as of the moment it was logged.
  absl::StatusOr<v1::Claim> now = GetClaim(created.name());
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_FALSE(now->state_summary().empty());
  absl::StatusOr<v1::Claim> then = GetClaimAsOf(created.name(), logged);
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_EQ(then->state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(then->revision(), 1);
  EXPECT_EQ(then->etag(), created.etag());

  // The timeline: three events, each with what it changed.
  v1::ListClaimEventsRequest list;
  list.set_parent(created.name());
  absl::StatusOr<v1::ListClaimEventsResponse> events =
      ledger().ListClaimEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->events(), SizeIs(3));
  EXPECT_TRUE(events->next_page_token().empty());
  const v1::Event& first = events->events(0);
  EXPECT_EQ(first.kind(), v1::EVENT_KIND_CLAIM_CREATED);
  EXPECT_EQ(first.name(), absl::StrCat(created.name(), "/events/1"));
  EXPECT_EQ(first.author(), "users/alice");
  EXPECT_EQ(first.note(), "logged from the Straits Times article");
  // Three time axes: valid (late 2024 on), asserted (by the NIS, before the
  // article), recorded (when we logged it).
  EXPECT_EQ(first.valid_time().start_time().seconds(), 1727740800);
  EXPECT_EQ(first.asserted_time().seconds(), 1742428800);
  EXPECT_EQ(first.recorded_time().seconds(), absl::ToUnixSeconds(logged));
  EXPECT_EQ(first.claim_state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_NE(FindChange(first, "state"), nullptr);
  const v1::Event& second = events->events(1);
  EXPECT_EQ(second.kind(), v1::EVENT_KIND_STANCE_RECORDED);
  EXPECT_EQ(second.recorded_time().seconds(), absl::ToUnixSeconds(russia_time));
  const v1::FieldChange* position =
      FindChange(second, "stances[sources/russia].position");
  ASSERT_NE(position, nullptr);
  EXPECT_EQ(position->after(), "confirmed");
  const v1::FieldChange* state = FindChange(second, "state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->after(), "partially confirmed");
  const v1::Event& third = events->events(2);
  EXPECT_NE(FindChange(third, "stances[sources/north-korea].position"),
            nullptr);
  EXPECT_NE(FindChange(third, "state"), nullptr);
  EXPECT_EQ(third.claim_state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_LT(first.sequence(), second.sequence());
  EXPECT_LT(second.sequence(), third.sequence());
}

TEST_F(LedgerTest, AsOfAtSeveralTimes) {
  CreateExampleSources();
  std::vector<absl::Time> times;
  std::vector<v1::ClaimState> states;
  clock().Advance(absl::Minutes(1));
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  times.push_back(clock().Now());
  states.push_back(claim.state());
  const std::vector<std::pair<std::string, v1::StancePosition>> steps = {
      {"sources/russia", v1::STANCE_POSITION_CONFIRMED},
      {"sources/north-korea", v1::STANCE_POSITION_DENIED},
      {"sources/north-korea", v1::STANCE_POSITION_CONFIRMED},
  };
  for (const auto& [party, position] : steps) {
    clock().Advance(absl::Hours(1));
    absl::StatusOr<v1::Claim> after =
        RecordStance(claim.name(), party, position);
    ASSERT_TRUE(after.ok()) << after.status();
    times.push_back(clock().Now());
    states.push_back(after->state());
  }
  EXPECT_EQ(states, (std::vector<v1::ClaimState>{
                        v1::CLAIM_STATE_UNCONFIRMED,
                        v1::CLAIM_STATE_PARTIALLY_CONFIRMED,
                        v1::CLAIM_STATE_DISPUTED, v1::CLAIM_STATE_CONFIRMED}));
  for (size_t i = 0; i < times.size(); ++i) {
    // At the event, and just before the next one.
    for (absl::Time at : {times[i], times[i] + absl::Minutes(59)}) {
      absl::StatusOr<v1::Claim> then = GetClaimAsOf(claim.name(), at);
      ASSERT_TRUE(then.ok()) << then.status();
      EXPECT_EQ(then->state(), states[i]) << "as of step " << i;
      EXPECT_EQ(then->revision(), static_cast<int64_t>(i + 1));
    }
  }
  EXPECT_THAT(GetClaimAsOf(claim.name(), times[0] - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kNotFound, "did not exist at"));

  // DiffClaim between the first and the last moment.
  v1::DiffClaimRequest diff;
  diff.set_name(claim.name());
  *diff.mutable_from_time() = Proto(times[0]);
  *diff.mutable_to_time() = Proto(times[2]);
  absl::StatusOr<v1::DiffClaimResponse> changes = ledger().DiffClaim(diff);
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_EQ(changes->from_claim().state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(changes->to_claim().state(), v1::CLAIM_STATE_DISPUTED);
  std::set<std::string> paths;
  for (const auto& change : changes->changes()) paths.insert(change.path());
  EXPECT_THAT(paths, Contains("state"));
  EXPECT_THAT(paths, Contains("stances[sources/russia].position"));
  EXPECT_THAT(paths, Contains("stances[sources/north-korea].position"));
}

TEST_F(LedgerTest, ValidAtCountsOnlyEventsWhoseValidTimeContainsIt) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  clock().Advance(absl::Hours(1));
  // A revised figure that held in January 2025 only.
  auto revise = Parse<v1::ReviseFigureRequest>(R"pb(
    figure {
      figure_id: "troops"
      lower_bound: 12000
      unit: "soldiers"
      qualifier: FIGURE_QUALIFIER_OVER
    }
    context {
      valid_time {
        start_time { seconds: 1735689600 }  # 2025-01-01
        end_time { seconds: 1738368000 }    # 2025-02-01
      }
    })pb");
  revise.set_claim(claim.name());
  revise.set_request_id(NextRequestId());
  ASSERT_TRUE(Call(ledger(), &Ledger::ReviseFigure, kAlice, revise).ok());
  // A stance without valid time: counts at every valid time.
  ASSERT_TRUE(
      RecordStance(claim.name(), "sources/russia", v1::STANCE_POSITION_DENIED)
          .ok());

  auto figure_at = [&](const std::string& when) -> double {
    v1::GetClaimRequest req;
    req.set_name(claim.name());
    *req.mutable_valid_at() = Proto(At(when));
    absl::StatusOr<v1::Claim> got = ledger().GetClaim(req);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok()) return -1;
    EXPECT_EQ(got->state(), v1::CLAIM_STATE_DENIED) << when;
    return got->figures(0).lower_bound();
  };
  EXPECT_EQ(figure_at("2024-12-01T00:00:00Z"), 10000);
  EXPECT_EQ(figure_at("2025-01-15T00:00:00Z"), 12000);
  EXPECT_EQ(figure_at("2025-02-01T00:00:00Z"), 12000);  // Inclusive end.
  EXPECT_EQ(figure_at("2025-03-01T00:00:00Z"), 10000);
}

TEST_F(LedgerTest, ValidAtKeepsEachFiguresRevisionNumber) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  // A revision of "troops" valid from `start` to `end` (unset when empty).
  auto revise = [&](double lower_bound, const std::string& start,
                    const std::string& end) {
    v1::ReviseFigureRequest req;
    req.set_claim(claim.name());
    v1::Figure* figure = req.mutable_figure();
    figure->set_figure_id("troops");
    figure->set_lower_bound(lower_bound);
    figure->set_unit("soldiers");
    figure->set_qualifier(v1::FIGURE_QUALIFIER_OVER);
    v1::TimeInterval* valid = req.mutable_context()->mutable_valid_time();
    *valid->mutable_start_time() = Proto(At(start));
    if (!end.empty()) *valid->mutable_end_time() = Proto(At(end));
    req.set_request_id(NextRequestId());
    clock().Advance(absl::Hours(1));
    absl::StatusOr<v1::Claim> revised =
        Call(ledger(), &Ledger::ReviseFigure, kAlice, req);
    EXPECT_TRUE(revised.ok()) << revised.status();
  };
  // Revision 2 held in January 2025 only; revision 3 from March 2025 on.
  revise(12000, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z");
  revise(14000, "2025-03-01T00:00:00Z", "");
  absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_THAT(now->figures(), SizeIs(1));
  EXPECT_EQ(now->figures(0).revision(), 3);

  auto figure_at = [&](const std::string& when) -> v1::Figure {
    v1::GetClaimRequest req;
    req.set_name(claim.name());
    *req.mutable_valid_at() = Proto(At(when));
    absl::StatusOr<v1::Claim> got = ledger().GetClaim(req);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok() || got->figures_size() != 1) return v1::Figure();
    return got->figures(0);
  };
  // Each value shows the revision number it has in the history.
  EXPECT_EQ(figure_at("2024-12-01T00:00:00Z").lower_bound(), 10000);
  EXPECT_EQ(figure_at("2024-12-01T00:00:00Z").revision(), 1);
  EXPECT_EQ(figure_at("2025-01-15T00:00:00Z").lower_bound(), 12000);
  EXPECT_EQ(figure_at("2025-01-15T00:00:00Z").revision(), 2);
  EXPECT_EQ(figure_at("2025-02-15T00:00:00Z").lower_bound(), 10000);
  EXPECT_EQ(figure_at("2025-02-15T00:00:00Z").revision(), 1);
  // Revision 2 is not folded here, revision 3 is: still revision 3.
  EXPECT_EQ(figure_at("2025-03-15T00:00:00Z").lower_bound(), 14000);
  EXPECT_EQ(figure_at("2025-03-15T00:00:00Z").revision(), 3);
}

TEST_F(LedgerTest, ValidAtBeforeTheCreatingEventsValidTimeShowsOnlyTheClaim) {
  CreateExampleSources();
  // Created with valid time from 2024-10-01: the figure, attribution,
  // appearance and the two stances were said for that time.
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  ASSERT_EQ(claim.state(), v1::CLAIM_STATE_UNCONFIRMED);
  v1::GetClaimRequest req;
  req.set_name(claim.name());
  *req.mutable_valid_at() = Proto(At("2024-09-01T00:00:00Z"));
  absl::StatusOr<v1::Claim> before = ledger().GetClaim(req);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->name(), claim.name());
  EXPECT_EQ(before->text(), claim.text());
  EXPECT_THAT(before->topics(), ElementsAre("north-korea", "russia"));
  EXPECT_EQ(before->revision(), 1);
  EXPECT_THAT(before->stances(), IsEmpty());
  EXPECT_THAT(before->figures(), IsEmpty());
  EXPECT_THAT(before->attributions(), IsEmpty());
  EXPECT_THAT(before->appearances(), IsEmpty());
  EXPECT_EQ(before->state(), v1::CLAIM_STATE_UNVERIFIED);

  // Within the creating event's valid time, all of it counts.
  *req.mutable_valid_at() = Proto(At("2024-10-01T00:00:00Z"));
  absl::StatusOr<v1::Claim> from = ledger().GetClaim(req);
  ASSERT_TRUE(from.ok()) << from.status();
  EXPECT_THAT(from->stances(), SizeIs(2));
  EXPECT_THAT(from->figures(), SizeIs(1));
  EXPECT_EQ(from->state(), v1::CLAIM_STATE_UNCONFIRMED);
}

// ---- Idempotency.

TEST_F(LedgerTest, RetryReturnsFirstResponseAndWritesNothing) {
  CreateExampleSources();
  v1::CreateClaimRequest req = ExampleClaimRequest();
  req.set_request_id("create-nk-troops");
  absl::StatusOr<v1::Claim> first =
      Call(ledger(), &Ledger::CreateClaim, kAlice, req);
  ASSERT_TRUE(first.ok()) << first.status();
  const uint64_t sequence = ledger().LastSequence();
  absl::StatusOr<v1::ServerInfo> info = ledger().GetServerInfo();
  ASSERT_TRUE(info.ok());

  clock().Advance(absl::Hours(1));
  absl::StatusOr<v1::Claim> retry =
      Call(ledger(), &Ledger::CreateClaim, kAlice, req);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(ledger().LastSequence(), sequence);
  absl::StatusOr<v1::ServerInfo> info_after = ledger().GetServerInfo();
  ASSERT_TRUE(info_after.ok());
  EXPECT_EQ(info_after->claim_count(), info->claim_count());
  EXPECT_EQ(info_after->source_count(), info->source_count());
  EXPECT_EQ(info_after->last_sequence(), info->last_sequence());

  // Same id, different content (or method): refused, nothing written.
  v1::CreateClaimRequest other = req;
  other.mutable_claim()->set_text("Something else entirely.");
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kAlice, other),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "request_id: already used for a different request "
                       "(CreateClaim)"));
  v1::RecordStanceRequest stance;
  stance.set_claim(first->name());
  stance.mutable_stance()->set_party("sources/russia");
  stance.mutable_stance()->set_position(v1::STANCE_POSITION_DENIED);
  stance.set_request_id("create-nk-troops");
  EXPECT_THAT(Call(ledger(), &Ledger::RecordStance, kAlice, stance),
              StatusIs(absl::StatusCode::kInvalidArgument, "(CreateClaim)"));
  // Another principal's request under the same id is another request.
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kBob, req),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ledger().LastSequence(), sequence);
}

TEST_F(LedgerTest, RetriesQueuedTogetherWriteOnce) {
  // Both copies are queued before either is answered, so they usually land
  // in the same commit group: the second must see the first's record there.
  v1::CreateClaimRequest req;
  req.mutable_claim()->set_text("Both copies of this request are one claim.");
  req.set_request_id("same-group");
  const uint64_t before = ledger().LastSequence();
  std::vector<absl::StatusOr<v1::Claim>> results(4, absl::UnknownError(""));
  Latch pending(4);
  for (auto& result : results) {
    ledger().CreateClaim(kAlice, req, [&](absl::StatusOr<v1::Claim> got) {
      result = std::move(got);
      pending.CountDown();
    });
  }
  pending.Wait();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->name(), results[0]->name());
  }
  EXPECT_EQ(ledger().LastSequence(), before + 1);
}

// ---- Optimistic concurrency.

TEST_F(LedgerTest, StaleEtagIsAborted) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  ASSERT_TRUE(RecordStance(claim.name(), "sources/russia",
                           v1::STANCE_POSITION_DENIED, claim.etag())
                  .ok());
  EXPECT_THAT(RecordStance(claim.name(), "sources/russia",
                           v1::STANCE_POSITION_CONFIRMED, claim.etag()),
              StatusIs(absl::StatusCode::kAborted,
                       absl::StrCat("etag: ", claim.name(),
                                    " has changed since it was read "
                                    "(revision 2)")));
  // Another claim's etag is just stale.
  const v1::Claim other = MustCreateText("Another claim.");
  EXPECT_THAT(RecordStance(claim.name(), "sources/russia",
                           v1::STANCE_POSITION_CONFIRMED, other.etag()),
              StatusIs(absl::StatusCode::kAborted));
}

TEST_F(LedgerTest, ConcurrentWritersWithTheSameEtagExactlyOneWins) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  constexpr int kWriters = 8;
  Latch all_read(kWriters);
  std::vector<absl::Status> results(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<v1::Claim> read = GetClaim(claim.name());
      ASSERT_TRUE(read.ok());
      all_read.ArriveAndWait();
      results[i] = RecordStance(claim.name(), "sources/russia",
                                i % 2 ? v1::STANCE_POSITION_CONFIRMED
                                      : v1::STANCE_POSITION_DENIED,
                                read->etag())
                       .status();
    });
  }
  for (std::thread& thread : threads) thread.join();
  int ok = 0;
  for (const absl::Status& status : results) {
    if (status.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
    }
  }
  EXPECT_EQ(ok, 1);
  absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->revision(), 2);
}

TEST_F(LedgerTest, UpdateClaimChecksTheClaimsOwnEtag) {
  const v1::Claim read = MustCreateText("Pyongyang tested a cruise missile.");
  // As an AIP-154 client does: the read claim, changed, sent back with its
  // etag and no request-level one.
  auto update = [&](const std::string& text, const std::string& claim_etag,
                    const std::string& request_etag) {
    v1::UpdateClaimRequest req;
    *req.mutable_claim() = read;
    req.mutable_claim()->set_text(text);
    req.mutable_claim()->set_etag(claim_etag);
    req.mutable_update_mask()->add_paths("text");
    req.set_etag(request_etag);
    req.set_request_id(NextRequestId());
    return Call(ledger(), &Ledger::UpdateClaim, kAlice, req);
  };
  absl::StatusOr<v1::Claim> first =
      update("Pyongyang tested two cruise missiles.", read.etag(), "");
  ASSERT_TRUE(first.ok()) << first.status();
  // The same stale read again: refused, not silently overwritten.
  EXPECT_THAT(update("Pyongyang tested a ballistic missile.", read.etag(), ""),
              StatusIs(absl::StatusCode::kAborted,
                       absl::StrCat("etag: ", read.name(),
                                    " has changed since it was read")));
  // Two different etags: which one was meant is unknown.
  EXPECT_THAT(update("Pyongyang tested a ballistic missile.", first->etag(),
                     read.etag()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "claim.etag: differs from etag"));
  absl::StatusOr<v1::Claim> now = GetClaim(read.name());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->text(), "Pyongyang tested two cruise missiles.");
  EXPECT_EQ(now->revision(), 2);
  // The same etag in both places, or the current one alone, is fine.
  EXPECT_TRUE(update("Pyongyang tested three cruise missiles.", first->etag(),
                     first->etag())
                  .ok());
}

TEST_F(LedgerTest, UpdateSourceChecksTheSourcesOwnEtag) {
  const v1::Source read = MustCreateSource(R"pb(
    source_id: "kcna"
    source {
      display_name: "Korean Central News Agency"
      kind: SOURCE_KIND_STATE_MEDIA
    })pb");
  auto update = [&](const std::string& country, const std::string& source_etag,
                    const std::string& request_etag) {
    v1::UpdateSourceRequest req;
    *req.mutable_source() = read;
    req.mutable_source()->set_country(country);
    req.mutable_source()->set_etag(source_etag);
    req.mutable_update_mask()->add_paths("country");
    req.set_etag(request_etag);
    req.set_request_id(NextRequestId());
    return Call(ledger(), &Ledger::UpdateSource, kAlice, req);
  };
  absl::StatusOr<v1::Source> first = update("KP", read.etag(), "");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(update("RU", read.etag(), ""),
              StatusIs(absl::StatusCode::kAborted, "etag: sources/kcna"));
  EXPECT_THAT(update("RU", first->etag(), read.etag()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "source.etag: differs from etag"));
  v1::GetSourceRequest get;
  get.set_name(read.name());
  absl::StatusOr<v1::Source> now = ledger().GetSource(get);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->country(), "KP");
  EXPECT_TRUE(update("RU", "", first->etag()).ok());
}

TEST_F(LedgerTest, MalformedEtagIsInvalidArgumentNotAborted) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  const v1::Claim other = MustCreateText("Another claim.");
  std::string upper = claim.etag();
  for (char& c : upper) c = absl::ascii_toupper(c);
  ASSERT_NE(upper, claim.etag());  // 16 hex digits with some letters.
  for (const std::string& bad :
       {std::string("not-an-etag"), std::string("123"), upper,
        absl::StrCat("W/\"", claim.etag(), "\""), claim.etag() + "0"}) {
    SCOPED_TRACE(bad);
    const std::string message = "etag: not an etag of claimtrail (";
    EXPECT_THAT(RecordStance(claim.name(), "sources/russia",
                             v1::STANCE_POSITION_DENIED, bad),
                StatusIs(absl::StatusCode::kInvalidArgument, message));

    v1::RetractClaimRequest retract;
    retract.set_claim(claim.name());
    retract.set_reason("withdrawn");
    retract.set_etag(bad);
    retract.set_request_id(NextRequestId());
    EXPECT_THAT(Call(ledger(), &Ledger::RetractClaim, kAlice, retract),
                StatusIs(absl::StatusCode::kInvalidArgument, message));

    v1::MergeClaimsRequest merge;
    merge.set_claim(other.name());
    merge.set_into(claim.name());
    merge.set_etag(bad);
    merge.set_request_id(NextRequestId());
    EXPECT_THAT(Call(ledger(), &Ledger::MergeClaims, kAlice, merge),
                StatusIs(absl::StatusCode::kInvalidArgument, message));

    v1::UpdateClaimRequest update;
    update.mutable_claim()->set_name(claim.name());
    update.mutable_claim()->set_text("New text.");
    update.mutable_update_mask()->add_paths("text");
    update.set_etag(bad);
    update.set_request_id(NextRequestId());
    EXPECT_THAT(Call(ledger(), &Ledger::UpdateClaim, kAlice, update),
                StatusIs(absl::StatusCode::kInvalidArgument, message));
    update.clear_etag();
    update.mutable_claim()->set_etag(bad);
    EXPECT_THAT(Call(ledger(), &Ledger::UpdateClaim, kAlice, update),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "claim.etag: not an etag of claimtrail ("));

    v1::UpdateSourceRequest source;
    source.mutable_source()->set_name("sources/nis");
    source.mutable_source()->set_country("KR");
    source.mutable_update_mask()->add_paths("country");
    source.set_etag(bad);
    source.set_request_id(NextRequestId());
    EXPECT_THAT(Call(ledger(), &Ledger::UpdateSource, kAlice, source),
                StatusIs(absl::StatusCode::kInvalidArgument, message));
  }
  // Well-formed but stale: ABORTED, as before; nothing was written.
  EXPECT_THAT(RecordStance(claim.name(), "sources/russia",
                           v1::STANCE_POSITION_DENIED, other.etag()),
              StatusIs(absl::StatusCode::kAborted, "has changed"));
  absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->revision(), 1);
}

TEST_F(LedgerTest, AddingRpcsKeepAClaimWithinTheCreateLimits) {
  CreateExampleSources();
  constexpr int kMax = 64;  // Claim.figures, attributions, stances, ...
  v1::CreateClaimRequest create;
  create.mutable_claim()->set_text("A claim with every list full.");
  for (int i = 0; i < kMax; ++i) {
    const v1::Source party = MustCreateSource(absl::StrCat(
        "source_id: \"party-", i, "\" source { display_name: \"Party ", i,
        "\" kind: SOURCE_KIND_GOVERNMENT }"));
    v1::Figure* figure = create.mutable_claim()->add_figures();
    figure->set_figure_id(absl::StrCat("f", i));
    figure->set_amount(i);
    figure->set_qualifier(v1::FIGURE_QUALIFIER_EXACT);
    v1::AttributionHop* hop =
        create.mutable_claim()->add_attributions()->add_hops();
    hop->set_source("sources/nis");
    hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
    v1::Stance* stance = create.mutable_claim()->add_stances();
    stance->set_party(party.name());
    stance->set_position(v1::STANCE_POSITION_NOT_CONFIRMED);
    create.mutable_claim()->add_appearances()->set_url(
        absl::StrCat("https://example.org/", i));
  }
  const v1::Claim claim = MustCreateClaim(create);
  ASSERT_EQ(claim.figures_size(), kMax);

  const std::string limit = absl::StrCat("(at most ", kMax, " per claim)");
  auto revise = [&](const std::string& figure_id) {
    v1::ReviseFigureRequest req;
    req.set_claim(claim.name());
    req.mutable_figure()->set_figure_id(figure_id);
    req.mutable_figure()->set_amount(1000);
    req.mutable_figure()->set_qualifier(v1::FIGURE_QUALIFIER_EXACT);
    req.set_request_id(NextRequestId());
    return Call(ledger(), &Ledger::ReviseFigure, kAlice, req);
  };
  EXPECT_THAT(revise("one-more"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("figure.figure_id: ", claim.name(),
                                    " already has 64 figures ", limit)));
  EXPECT_TRUE(revise("f0").ok());  // A revision adds no figure.

  v1::AddAttributionRequest attribution;
  attribution.set_claim(claim.name());
  v1::AttributionHop* hop = attribution.mutable_attribution()->add_hops();
  hop->set_source("sources/straitstimes");
  hop->set_verb(v1::ATTRIBUTION_VERB_REPORTED);
  attribution.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::AddAttribution, kAlice, attribution),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("attribution: ", claim.name(),
                                    " already has 64 attributions ", limit)));

  EXPECT_THAT(
      RecordStance(claim.name(), "sources/russia", v1::STANCE_POSITION_DENIED),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               absl::StrCat("stance.party: ", claim.name(),
                            " already has 64 stances ", limit)));
  // A party with a stance may change it.
  EXPECT_TRUE(
      RecordStance(claim.name(), "sources/party-0", v1::STANCE_POSITION_DENIED)
          .ok());

  v1::AddAppearanceRequest appearance;
  appearance.set_claim(claim.name());
  appearance.mutable_appearance()->set_url("https://example.org/one-more");
  appearance.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::AddAppearance, kAlice, appearance),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("appearance: ", claim.name(),
                                    " already has 64 appearances ", limit)));

  absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->figures_size(), kMax);
  EXPECT_EQ(now->attributions_size(), kMax);
  EXPECT_EQ(now->stances_size(), kMax);
  EXPECT_EQ(now->appearances_size(), kMax);
  EXPECT_EQ(now->revision(), 3);
}

TEST_F(LedgerTest, ServerInfoCountsDataNotYetFlushed) {
  // Far less than a memtable (8 MB): LevelDB has written no table yet.
  absl::StatusOr<v1::ServerInfo> before = ledger().GetServerInfo();
  ASSERT_TRUE(before.ok()) << before.status();
  constexpr int kClaims = 20;
  constexpr int kTextBytes = 2000;
  for (int i = 0; i < kClaims; ++i) {
    MustCreateText(absl::StrCat(i, std::string(kTextBytes, 'x')));
  }
  absl::StatusOr<v1::ServerInfo> after = ledger().GetServerInfo();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(after->approximate_data_bytes(),
            before->approximate_data_bytes() + kClaims * kTextBytes);
  // Nowhere near the preallocated log files' size.
  EXPECT_LT(after->approximate_data_bytes(), 2 << 20);
}

// ---- Pagination.

TEST_F(LedgerTest, ListClaimsPagesStablyWhileClaimsAreInserted) {
  std::set<std::string> existing;
  for (int i = 0; i < 23; ++i) {
    existing.insert(MustCreateText(absl::StrCat("Claim number ", i)).name());
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListClaimsRequest req;
    req.set_page_size(5);
    req.set_page_token(token);
    absl::StatusOr<v1::ListClaimsResponse> page = ledger().ListClaims(req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Claim& claim : page->claims()) {
      EXPECT_TRUE(seen.insert(claim.name()).second)
          << claim.name() << " returned twice";
    }
    token = page->next_page_token();
    // Inserts between pages: server-named (sort last) and client-named
    // ones sorting first and in the middle.
    MustCreateText(absl::StrCat("Inserted during page ", pages));
    MustCreateText("Inserted first", absl::StrCat("a-", pages));
    MustCreateText("Inserted mid", absl::StrCat("c000000000a-", pages));
    ++pages;
  } while (!token.empty() && pages < 100);
  EXPECT_LT(pages, 100);
  for (const std::string& name : existing) {
    EXPECT_TRUE(seen.count(name)) << name << " was skipped";
  }
}

TEST_F(LedgerTest, ServerAssignedIdsSortInCreationOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(MustCreateText(absl::StrCat("Ordered ", i)).name());
  }
  v1::ListClaimsRequest req;
  absl::StatusOr<v1::ListClaimsResponse> all = ledger().ListClaims(req);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Names(*all), created);
}

TEST_F(LedgerTest, SearchPagesStablyWhileClaimsAreInserted) {
  std::set<std::string> existing;
  for (int i = 0; i < 20; ++i) {
    // Half match both query words, half one.
    existing.insert(
        MustCreateText(i % 2 ? absl::StrCat("Troops sent to Russia, report ", i)
                             : absl::StrCat("Troops seen near border ", i))
            .name());
  }
  MustCreateText("Unrelated weather report");
  std::set<std::string> seen;
  std::vector<double> scores;
  std::string token;
  int pages = 0;
  do {
    v1::SearchClaimsRequest req;
    req.set_query("troops russia");
    req.set_page_size(3);
    req.set_page_token(token);
    absl::StatusOr<v1::SearchClaimsResponse> page = ledger().SearchClaims(req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::SearchResult& result : page->results()) {
      EXPECT_TRUE(seen.insert(result.claim().name()).second)
          << result.claim().name() << " returned twice";
      scores.push_back(result.score());
    }
    token = page->next_page_token();
    MustCreateText(absl::StrCat("More troops for Russia ", pages));
    MustCreateText(absl::StrCat("Troops again ", pages));
    ++pages;
  } while (!token.empty() && pages < 100);
  for (const std::string& name : existing) {
    EXPECT_TRUE(seen.count(name)) << name << " was skipped";
  }
  ASSERT_FALSE(scores.empty());
  EXPECT_EQ(scores.front(), 1.0);
  EXPECT_TRUE(std::is_sorted(scores.rbegin(), scores.rend()));
}

TEST_F(LedgerTest, SearchRanksByWordOverlapAndMatchesSourceNames) {
  CreateExampleSources();
  const v1::Claim example = MustCreateClaim(ExampleClaimRequest());
  const v1::Claim partial = MustCreateText("Russia hosts a security summit.");
  MustCreateText("Nothing to see here.");

  v1::SearchClaimsRequest req;
  req.set_query("North Korean troops in Russia");
  absl::StatusOr<v1::SearchClaimsResponse> found = ledger().SearchClaims(req);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->results(), SizeIs(2));
  EXPECT_EQ(found->results(0).claim().name(), example.name());
  EXPECT_EQ(found->results(1).claim().name(), partial.name());
  EXPECT_GT(found->results(0).score(), found->results(1).score());

  // "spy agency" is in an alias of the NIS, which the example cites.
  req.set_query("spy agency");
  found = ledger().SearchClaims(req);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->results(), SizeIs(1));
  EXPECT_EQ(found->results(0).claim().name(), example.name());
  EXPECT_EQ(found->results(0).score(), 1.0);

  // Filters apply to ranked results; without a query, a filtered listing.
  req.set_query("russia");
  req.set_party("sources/russia");
  found = ledger().SearchClaims(req);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->results(), SizeIs(1));
  req.clear_query();
  req.clear_party();
  *req.mutable_created_after() = Proto(clock().Now());
  found = ledger().SearchClaims(req);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->results(), SizeIs(3));
  *req.mutable_created_after() = Proto(clock().Now() + absl::Seconds(1));
  found = ledger().SearchClaims(req);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->results(), IsEmpty());
}

TEST_F(LedgerTest, SearchRefusesAQueryWithNoSearchableWords) {
  MustCreateText("North Korea sent troops to Russia.");
  MustCreateText("Russia hosts a security summit.");
  for (const char* query : {"the", "x", "?", "!!!", "of the", "\xc3\xa9"}) {
    v1::SearchClaimsRequest req;
    req.set_query(query);
    EXPECT_THAT(ledger().SearchClaims(req),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "query: no searchable words"))
        << query;
  }
  // Blank is no query: the filtered listing, every claim.
  v1::SearchClaimsRequest blank;
  blank.set_query("  ");
  absl::StatusOr<v1::SearchClaimsResponse> found = ledger().SearchClaims(blank);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->results(), SizeIs(2));
  // One searchable word among stop words still searches.
  v1::SearchClaimsRequest mixed;
  mixed.set_query("the summit");
  found = ledger().SearchClaims(mixed);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->results(), SizeIs(1));
  EXPECT_EQ(found->results(0).score(), 1.0);
}

TEST_F(LedgerTest, SearchAndSourceQueriesIgnoreCaseInEveryScript) {
  const v1::Claim ru =
      MustCreateText("Северная Корея направила в Россию 10 000 военных.");
  const v1::Claim el = MustCreateText("Η ΕΛΛΆΔΑ δεν επιβεβαίωσε.");
  MustCreateSource(R"pb(
    source_id: "mod-ru"
    source {
      display_name: "Министерство обороны России"
      kind: SOURCE_KIND_GOVERNMENT
      aliases: "Минобороны"
    })pb");
  for (const auto& [query, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"северная корея", ru.name()},
           {"РОССИЮ", ru.name()},
           {"ελλάδα", el.name()}}) {
    v1::SearchClaimsRequest req;
    req.set_query(query);
    absl::StatusOr<v1::SearchClaimsResponse> found = ledger().SearchClaims(req);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_THAT(found->results(), SizeIs(1)) << query;
    EXPECT_EQ(found->results(0).claim().name(), name) << query;
    EXPECT_EQ(found->results(0).score(), 1.0) << query;
  }
  for (const char* query :
       {"минобороны", "МИНИСТЕРСТВО ОБОРОНЫ РОССИИ", "обороны"}) {
    v1::ListSourcesRequest req;
    req.set_query(query);
    absl::StatusOr<v1::ListSourcesResponse> found = ledger().ListSources(req);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_THAT(found->sources(), SizeIs(1)) << query;
    EXPECT_EQ(found->sources(0).name(), "sources/mod-ru") << query;
  }
}

TEST_F(LedgerTest, SourceIdsOfNonLatinNamesAreTransliterated) {
  auto create = [&](const std::string& display_name) {
    v1::CreateSourceRequest req;
    req.mutable_source()->set_display_name(display_name);
    req.mutable_source()->set_kind(v1::SOURCE_KIND_GOVERNMENT);
    req.set_request_id(NextRequestId());
    absl::StatusOr<v1::Source> source =
        Call(ledger(), &Ledger::CreateSource, kAlice, req);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? source->name() : "";
  };
  EXPECT_EQ(create("Министерство обороны России"),
            "sources/ministerstvo-oborony-rossii");
  EXPECT_EQ(create("Ünïcödé Ørg"), "sources/unicode-org");
  const std::string kcna = create("조선중앙통신");
  EXPECT_THAT(kcna, MatchesRegex("sources/[a-z][a-z0-9-]{4,}"));
  EXPECT_NE(kcna, "sources/source");
  // Two names that transliterate alike still get distinct ids.
  EXPECT_NE(create("Россия"), create("Rossiya"));
}

// An appearance of about 6.5 KB (the longest URL, quote and title allowed).
v1::Appearance BigAppearance(int i, int j) {
  v1::Appearance appearance;
  const std::string suffix = absl::StrCat("/", i, "/", j);
  appearance.set_url(absl::StrCat(
      "https://big.example/", std::string(2000 - suffix.size(), 'u'), suffix));
  appearance.set_quote(std::string(4000, 'q'));
  appearance.set_title(std::string(500, 't'));
  return appearance;
}

TEST_F(LedgerTest, StoredRecordsAndPagesStayWithinWhatADefaultClientReceives) {
  CreateExampleSources();
  // A claim whose creating event (payload and changes) would pass the bound.
  v1::CreateClaimRequest huge;
  huge.mutable_claim()->set_text("Huge.");
  for (int a = 0; a < 16; ++a) {
    v1::Attribution* chain = huge.mutable_claim()->add_attributions();
    for (int h = 0; h < 16; ++h) {
      v1::AttributionHop* hop = chain->add_hops();
      hop->set_source("sources/nis");
      hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
      *hop->mutable_appearance() = BigAppearance(a, h);
    }
  }
  huge.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kAlice, huge),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "claim: too large to store"));

  // Claims of ~400 KB each: a page of them stops early, near 2 MiB, and
  // paging still returns every one once.
  std::vector<std::string> created;
  for (int c = 0; c < 7; ++c) {
    v1::CreateClaimRequest req;
    req.mutable_claim()->set_text(absl::StrCat("Large claim ", c, "."));
    for (int j = 0; j < 60; ++j) {
      *req.mutable_claim()->add_appearances() = BigAppearance(c, j);
    }
    created.push_back(MustCreateClaim(req).name());
  }
  std::vector<std::string> listed;
  v1::ListClaimsRequest list;
  list.set_page_size(1000);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListClaimsResponse> page = ledger().ListClaims(list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->ByteSizeLong(), size_t{3} << 20);
    for (const v1::Claim& claim : page->claims())
      listed.push_back(claim.name());
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 20);
  EXPECT_GT(pages, 1);
  std::vector<std::string> large;
  for (const std::string& name : listed) {
    if (std::find(created.begin(), created.end(), name) != created.end()) {
      large.push_back(name);
    }
  }
  EXPECT_THAT(large, UnorderedElementsAreArray(created));
  EXPECT_EQ(large.size(), created.size());

  // A claim grown by later events stops growing at the bound.
  absl::StatusCode last = absl::StatusCode::kOk;
  int added = 0;
  for (int a = 0; a < 40 && last == absl::StatusCode::kOk; ++a) {
    v1::AddAttributionRequest add;
    add.set_claim(created[0]);
    for (int h = 0; h < 4; ++h) {
      v1::AttributionHop* hop = add.mutable_attribution()->add_hops();
      hop->set_source("sources/nis");
      hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
      *hop->mutable_appearance() = BigAppearance(100 + a, h);
    }
    add.set_request_id(NextRequestId());
    absl::StatusOr<v1::Claim> grown =
        Call(ledger(), &Ledger::AddAttribution, kAlice, add);
    last = grown.status().code();
    if (grown.ok()) {
      ++added;
      EXPECT_LE(grown->ByteSizeLong(), kMaxStoredRecordBytes);
    }
  }
  EXPECT_GT(added, 0);
  EXPECT_EQ(last, absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerTest, TamperedOrForeignPageTokensAreRefused) {
  for (int i = 0; i < 4; ++i) MustCreateText(absl::StrCat("Claim ", i));
  v1::ListClaimsRequest req;
  req.set_page_size(2);
  absl::StatusOr<v1::ListClaimsResponse> page = ledger().ListClaims(req);
  ASSERT_TRUE(page.ok());
  const std::string token = page->next_page_token();
  ASSERT_FALSE(token.empty());

  // Every single-character change is caught.
  for (size_t i = 0; i < token.size(); ++i) {
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    req.set_page_token(tampered);
    EXPECT_THAT(ledger().ListClaims(req),
                StatusIs(absl::StatusCode::kInvalidArgument, "page_token: "))
        << "position " << i;
  }
  req.set_page_token("not-a-token");
  EXPECT_THAT(ledger().ListClaims(req),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_token: "));
  // Other filters, other method.
  req.set_page_token(token);
  req.set_topic("elsewhere");
  EXPECT_THAT(ledger().ListClaims(req),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_token: "));
  v1::SearchClaimsRequest search;
  search.set_page_token(token);
  EXPECT_THAT(ledger().SearchClaims(search),
              StatusIs(absl::StatusCode::kInvalidArgument, "page_token: "));
  // A different page size is the same query.
  req.clear_topic();
  req.set_page_size(10);
  absl::StatusOr<v1::ListClaimsResponse> rest = ledger().ListClaims(req);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(rest->claims(), SizeIs(2));
}

// ---- Indexes follow updates.

TEST_F(LedgerTest, ListFiltersFollowStanceAndAttributionChanges) {
  CreateExampleSources();
  const v1::Claim example = MustCreateClaim(ExampleClaimRequest());
  const v1::Claim plain = MustCreateText("A claim nobody has addressed.");
  auto list = [&](const std::string& text) {
    absl::StatusOr<v1::ListClaimsResponse> got =
        ledger().ListClaims(Parse<v1::ListClaimsRequest>(text));
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? Names(*got) : std::vector<std::string>{"error"};
  };
  EXPECT_THAT(list("state: CLAIM_STATE_UNCONFIRMED"),
              ElementsAre(example.name()));
  EXPECT_THAT(list("state: CLAIM_STATE_UNVERIFIED"), ElementsAre(plain.name()));
  EXPECT_THAT(list("party: 'sources/russia'"), ElementsAre(example.name()));
  EXPECT_THAT(list("source: 'sources/nis'"), ElementsAre(example.name()));
  EXPECT_THAT(list("topic: 'russia'"), ElementsAre(example.name()));

  ASSERT_TRUE(RecordStance(plain.name(), "sources/russia",
                           v1::STANCE_POSITION_CONFIRMED)
                  .ok());
  ASSERT_TRUE(RecordStance(example.name(), "sources/russia",
                           v1::STANCE_POSITION_CONFIRMED)
                  .ok());
  ASSERT_TRUE(RecordStance(example.name(), "sources/north-korea",
                           v1::STANCE_POSITION_CONFIRMED)
                  .ok());
  EXPECT_THAT(list("state: CLAIM_STATE_UNCONFIRMED"), IsEmpty());
  EXPECT_THAT(list("state: CLAIM_STATE_UNVERIFIED"), IsEmpty());
  EXPECT_THAT(list("state: CLAIM_STATE_CONFIRMED"),
              ElementsAre(example.name(), plain.name()));
  EXPECT_THAT(list("party: 'sources/russia' state: CLAIM_STATE_CONFIRMED"),
              ElementsAre(example.name(), plain.name()));
  EXPECT_THAT(list("party: 'sources/north-korea'"),
              ElementsAre(example.name()));

  auto attribution = Parse<v1::AddAttributionRequest>(R"pb(
    attribution {
      hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED }
    })pb");
  attribution.set_claim(plain.name());
  attribution.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> attributed =
      Call(ledger(), &Ledger::AddAttribution, kAlice, attribution);
  ASSERT_TRUE(attributed.ok()) << attributed.status();
  EXPECT_EQ(attributed->attributions(0).attribution_id(), "a1");
  EXPECT_THAT(list("source: 'sources/straitstimes'"),
              ElementsAre(example.name(), plain.name()));
  EXPECT_THAT(list("source: 'sources/nis'"), ElementsAre(example.name()));
}

// ---- References and preconditions.

TEST_F(LedgerTest, MissingReferencesAreNotFoundWithTheirField) {
  v1::CreateClaimRequest req = ExampleClaimRequest();  // No sources exist.
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kAlice, req),
              StatusIs(absl::StatusCode::kNotFound,
                       "claim.attributions[0].hops[0].source: sources/nis not "
                       "found"));
  const v1::Claim claim = MustCreateText("Some claim.");
  auto attribution =
      Parse<v1::AddAttributionRequest>(R"pb(
        attribution {
          hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
        })pb");
  attribution.set_claim(claim.name());
  attribution.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::AddAttribution, kAlice, attribution),
              StatusIs(absl::StatusCode::kNotFound,
                       "attribution.hops[0].source: sources/nis not found"));
  EXPECT_THAT(
      RecordStance("claims/nope", "sources/russia", v1::STANCE_POSITION_DENIED),
      StatusIs(absl::StatusCode::kNotFound, "claims/nope not found"));
  EXPECT_THAT(GetClaim("claims/nope"),
              StatusIs(absl::StatusCode::kNotFound, "claims/nope not found"));
  EXPECT_EQ(claim.revision(), 1);
  EXPECT_EQ(ledger().LastSequence(), 1u);  // Failed requests wrote nothing.
}

TEST_F(LedgerTest, ExplicitClaimIdsAreUnique) {
  const v1::Claim claim = MustCreateText("First.", "nk-troops");
  EXPECT_EQ(claim.name(), "claims/nk-troops");
  v1::CreateClaimRequest again;
  again.mutable_claim()->set_text("Second.");
  again.set_claim_id("nk-troops");
  again.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kAlice, again),
              StatusIs(absl::StatusCode::kAlreadyExists, "claims/nk-troops"));
}

// ---- Sources.

TEST_F(LedgerTest, SourceIdsFromDisplayNamesAndLookups) {
  CreateExampleSources();
  const v1::Source first =
      MustCreateSource(R"pb(source {
                              display_name: "National Intelligence Service"
                              kind: SOURCE_KIND_AGENCY
                            })pb");
  EXPECT_EQ(first.name(), "sources/national-intelligence-service");
  const v1::Source second =
      MustCreateSource(R"pb(source {
                              display_name: "National  Intelligence Service!"
                              kind: SOURCE_KIND_AGENCY
                            })pb");
  EXPECT_EQ(second.name(), "sources/national-intelligence-service-2");
  auto clash = Parse<v1::CreateSourceRequest>(
      R"pb(source_id: "nis"
           source { display_name: "x" kind: SOURCE_KIND_OTHER })pb");
  clash.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::CreateSource, kAlice, clash),
              StatusIs(absl::StatusCode::kAlreadyExists, "sources/nis"));

  v1::GetSourceRequest get;
  get.set_name("sources/nis");
  absl::StatusOr<v1::Source> nis = ledger().GetSource(get);
  ASSERT_TRUE(nis.ok()) << nis.status();
  EXPECT_EQ(nis->display_name(), "National Intelligence Service");
  EXPECT_FALSE(nis->etag().empty());

  auto find = [&](const std::string& text) {
    absl::StatusOr<v1::ListSourcesResponse> got =
        ledger().ListSources(Parse<v1::ListSourcesRequest>(text));
    EXPECT_TRUE(got.ok()) << got.status();
    std::vector<std::string> names;
    if (got.ok()) {
      for (const auto& source : got->sources()) names.push_back(source.name());
    }
    return names;
  };
  EXPECT_THAT(find("query: 'nis'"), ElementsAre("sources/nis"));
  EXPECT_THAT(find("query: \"south korea's spy agency\""),
              ElementsAre("sources/nis"));
  EXPECT_THAT(find("query: 'spy agency'"), ElementsAre("sources/nis"));
  EXPECT_THAT(find("query: 'korea'"),
              ElementsAre("sources/nis", "sources/north-korea"));
  EXPECT_THAT(find("kind: SOURCE_KIND_GOVERNMENT"),
              ElementsAre("sources/north-korea", "sources/russia"));
  EXPECT_THAT(find("page_size: 2"), SizeIs(2));

  // Pages of two cover every source once, in id order.
  std::vector<std::string> paged;
  v1::ListSourcesRequest page_req;
  page_req.set_page_size(2);
  do {
    absl::StatusOr<v1::ListSourcesResponse> page =
        ledger().ListSources(page_req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& source : page->sources()) paged.push_back(source.name());
    page_req.set_page_token(page->next_page_token());
  } while (!page_req.page_token().empty());
  EXPECT_THAT(paged, ElementsAre("sources/national-intelligence-service",
                                 "sources/national-intelligence-service-2",
                                 "sources/nis", "sources/north-korea",
                                 "sources/russia", "sources/straitstimes"));
}

TEST_F(LedgerTest, UpdateSourceChecksEtagAndAffiliationCycles) {
  CreateExampleSources();
  const v1::Source kcna = MustCreateSource(R"pb(
    source_id: "kcna"
    source {
      display_name: "Korean Central News Agency"
      kind: SOURCE_KIND_STATE_MEDIA
      affiliation: "sources/north-korea"
    })pb");
  auto update = Parse<v1::UpdateSourceRequest>(R"pb(
    source { name: "sources/north-korea" affiliation: "sources/kcna" }
    update_mask { paths: "affiliation" })pb");
  update.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::UpdateSource, kAlice, update),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "source.affiliation: would create a cycle"));

  auto rename = Parse<v1::UpdateSourceRequest>(R"pb(
    source { name: "sources/kcna" display_name: "KCNA" }
    update_mask { paths: "display_name" })pb");
  rename.set_etag(kcna.etag());
  rename.set_request_id(NextRequestId());
  absl::StatusOr<v1::Source> renamed =
      Call(ledger(), &Ledger::UpdateSource, kAlice, rename);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "KCNA");
  EXPECT_EQ(renamed->affiliation(), "sources/north-korea");
  EXPECT_NE(renamed->etag(), kcna.etag());
  rename.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::UpdateSource, kAlice, rename),
              StatusIs(absl::StatusCode::kAborted, "etag: sources/kcna"));
}

// ---- Lineage, retraction, redaction.

TEST_F(LedgerTest, LinkClaimsRecordsBothSides) {
  const v1::Claim a = MustCreateText("Claim A.");
  const v1::Claim b = MustCreateText("Claim B.");
  auto link = Parse<v1::LinkClaimsRequest>(
      R"pb(relation { type: RELATION_TYPE_SUPPORTS note: "same figures" })pb");
  link.set_claim(a.name());
  link.mutable_relation()->set_target(b.name());
  link.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> linked =
      Call(ledger(), &Ledger::LinkClaims, kAlice, link);
  ASSERT_TRUE(linked.ok()) << linked.status();
  ASSERT_THAT(linked->relations(), SizeIs(1));
  EXPECT_EQ(linked->relations(0).type(), v1::RELATION_TYPE_SUPPORTS);
  EXPECT_EQ(linked->relations(0).target(), b.name());
  absl::StatusOr<v1::Claim> target = GetClaim(b.name());
  ASSERT_TRUE(target.ok());
  ASSERT_THAT(target->relations(), SizeIs(1));
  EXPECT_EQ(target->relations(0).type(), v1::RELATION_TYPE_INVERSE);
  EXPECT_EQ(target->relations(0).inverse_of(), v1::RELATION_TYPE_SUPPORTS);
  EXPECT_EQ(target->relations(0).target(), a.name());

  link.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::LinkClaims, kAlice, link),
              StatusIs(absl::StatusCode::kAlreadyExists));
  link.mutable_relation()->set_target(a.name());
  link.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::LinkClaims, kAlice, link),
              StatusIs(absl::StatusCode::kInvalidArgument, "relation.target"));
  link.mutable_relation()->set_target("claims/missing");
  link.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::LinkClaims, kAlice, link),
              StatusIs(absl::StatusCode::kNotFound,
                       "relation.target: claims/missing not found"));
}

TEST_F(LedgerTest, SymmetricLinksAreRefusedFromTheOtherSide) {
  const v1::Claim a = MustCreateText("Claim A.");
  const v1::Claim b = MustCreateText("Claim B.");
  auto link = [&](const v1::Claim& from, const v1::Claim& to,
                  v1::RelationType type) {
    v1::LinkClaimsRequest req;
    req.set_claim(from.name());
    req.mutable_relation()->set_type(type);
    req.mutable_relation()->set_target(to.name());
    req.set_request_id(NextRequestId());
    return Call(ledger(), &Ledger::LinkClaims, kAlice, req);
  };
  for (v1::RelationType type :
       {v1::RELATION_TYPE_SAME_AS, v1::RELATION_TYPE_VARIANT,
        v1::RELATION_TYPE_CONTRADICTS}) {
    ASSERT_TRUE(link(a, b, type).ok()) << v1::RelationType_Name(type);
    EXPECT_THAT(link(b, a, type),
                StatusIs(absl::StatusCode::kAlreadyExists, "relation: "))
        << v1::RelationType_Name(type);
  }
  // Directional links may go both ways, and the messages speak words.
  ASSERT_TRUE(link(a, b, v1::RELATION_TYPE_SUPPORTS).ok());
  EXPECT_TRUE(link(b, a, v1::RELATION_TYPE_SUPPORTS).ok());
  absl::StatusOr<v1::Claim> again = link(a, b, v1::RELATION_TYPE_SAME_AS);
  ASSERT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()),
              Not(HasSubstr("RELATION_TYPE")));
  absl::StatusOr<v1::Claim> b_now = GetClaim(b.name());
  ASSERT_TRUE(b_now.ok());
  EXPECT_THAT(b_now->relations(), SizeIs(5));
}

TEST_F(LedgerTest, MergeKeepsTheTargetWithinTheLimits) {
  CreateExampleSources();
  auto with_chains = [&](const std::string& text, int first, int count) {
    v1::CreateClaimRequest req;
    req.mutable_claim()->set_text(text);
    for (int i = first; i < first + count; ++i) {
      v1::AttributionHop* hop =
          req.mutable_claim()->add_attributions()->add_hops();
      hop->set_source("sources/nis");
      hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
      hop->set_credibility(1 + i % 6);
      hop->set_anonymous(i >= 6);
      if (i >= 6) hop->set_anonymity_reason(absl::StrCat("reason ", i));
    }
    return MustCreateClaim(req);
  };
  const v1::Claim full = with_chains("Full.", 0, kMaxEntriesPerCreate);
  const v1::Claim same = with_chains("Same chains.", 0, 3);
  const v1::Claim more = with_chains("One more chain.", 70, 1);
  v1::MergeClaimsRequest merge;
  merge.set_into(full.name());
  merge.set_claim(more.name());
  merge.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::MergeClaims, kAlice, merge),
              StatusIs(absl::StatusCode::kFailedPrecondition, "into: merging"));
  // Chains the target already holds take no room.
  merge.set_claim(same.name());
  merge.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> merged =
      Call(ledger(), &Ledger::MergeClaims, kAlice, merge);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->attributions_size(), kMaxEntriesPerCreate);
}

TEST_F(LedgerTest, MergedClaimIsReadOnly) {
  CreateExampleSources();
  const v1::Claim keep = MustCreateClaim(ExampleClaimRequest());
  v1::CreateClaimRequest duplicate_req = ExampleClaimRequest();
  duplicate_req.clear_claim_id();
  duplicate_req.mutable_claim()->set_text("NK troops are in Russia.");
  duplicate_req.mutable_claim()->add_appearances()->set_url(
      "https://example.org/duplicate-report");
  // Besides the example's chains, which the target already has, one more.
  v1::AttributionHop* hop =
      duplicate_req.mutable_claim()->add_attributions()->add_hops();
  hop->set_source("sources/russia");
  hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
  const v1::Claim duplicate = MustCreateClaim(duplicate_req);
  const v1::Claim third = MustCreateText("Third.");
  v1::MergeClaimsRequest merge;
  merge.set_claim(duplicate.name());
  merge.set_into(keep.name());
  merge.set_etag(duplicate.etag());
  merge.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> merged =
      Call(ledger(), &Ledger::MergeClaims, kAlice, merge);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->name(), keep.name());
  EXPECT_EQ(merged->revision(), 2);
  ASSERT_THAT(merged->relations(), SizeIs(1));
  EXPECT_EQ(merged->relations(0).target(), duplicate.name());
  // The target gains the duplicate's sourcing it did not have, with ids of
  // its own (a chain both claims held is one piece of sourcing), and the
  // appearances it did not have.
  ASSERT_EQ(duplicate.attributions_size(), keep.attributions_size() + 1);
  ASSERT_EQ(merged->attributions_size(), keep.attributions_size() + 1);
  const v1::Attribution& gained =
      merged->attributions(keep.attributions_size());
  EXPECT_EQ(gained.attribution_id(),
            absl::StrCat("a", keep.attributions_size() + 1));
  ASSERT_THAT(gained.hops(), SizeIs(1));
  EXPECT_EQ(gained.hops(0).source(), "sources/russia");
  EXPECT_EQ(merged->appearances_size(), keep.appearances_size() + 1);
  EXPECT_EQ(merged->appearances(merged->appearances_size() - 1).url(),
            "https://example.org/duplicate-report");

  absl::StatusOr<v1::Claim> read = GetClaim(duplicate.name());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->merged_into(), keep.name());
  EXPECT_THAT(RecordStance(duplicate.name(), "sources/russia",
                           v1::STANCE_POSITION_DENIED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(duplicate.name(), " was merged into ",
                                    keep.name())));
  // The MERGED event is one side of a two-claim change: not redactable.
  v1::RedactEventRequest redact;
  redact.set_name(absl::StrCat(duplicate.name(), "/events/2"));
  redact.set_reason("undo the merge");
  redact.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::RedactEvent, kAlice, redact),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "link between two claims"));
  // Nor can the merged claim be the target of a new link.
  v1::LinkClaimsRequest link;
  link.set_claim(third.name());
  link.mutable_relation()->set_type(v1::RELATION_TYPE_SUPPORTS);
  link.mutable_relation()->set_target(duplicate.name());
  link.set_request_id(NextRequestId());
  EXPECT_THAT(
      Call(ledger(), &Ledger::LinkClaims, kAlice, link),
      StatusIs(absl::StatusCode::kFailedPrecondition, "relation.target: "));
  merge.set_claim(third.name());
  merge.set_into(duplicate.name());
  merge.clear_etag();
  merge.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::MergeClaims, kAlice, merge),
              StatusIs(absl::StatusCode::kFailedPrecondition, "into: "));
}

TEST_F(LedgerTest, RetractedClaimAcceptsOnlyWhatOthersSay) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  v1::RetractClaimRequest retract;
  retract.set_claim(claim.name());
  retract.set_reason("the outlet withdrew the report");
  retract.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> retracted =
      Call(ledger(), &Ledger::RetractClaim, kAlice, retract);
  ASSERT_TRUE(retracted.ok()) << retracted.status();
  EXPECT_EQ(retracted->state(), v1::CLAIM_STATE_RETRACTED);
  EXPECT_THAT(
      RecordStance(claim.name(), "sources/russia", v1::STANCE_POSITION_DENIED),
      StatusIs(absl::StatusCode::kFailedPrecondition, "retracted"));
  retract.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::RetractClaim, kAlice, retract),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  auto verdict = Parse<v1::RecordVerdictRequest>(
      R"pb(verdict { rating: VERDICT_RATING_UNPROVEN })pb");
  verdict.set_claim(claim.name());
  verdict.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> rated =
      Call(ledger(), &Ledger::RecordVerdict, kBob, verdict);
  ASSERT_TRUE(rated.ok()) << rated.status();
  EXPECT_EQ(rated->verdict().reviewer(), "users/bob");
  EXPECT_EQ(rated->state(), v1::CLAIM_STATE_RETRACTED);
}

TEST_F(LedgerTest, RedactEventRemovesPayloadAndRefolds) {
  const v1::Claim claim = MustCreateText("A claim with a bad appearance.");
  auto appearance =
      Parse<v1::AddAppearanceRequest>(R"pb(appearance {
                                             url: "https://example.com/doxxing"
                                             quote: "private data"
                                           })pb");
  appearance.set_claim(claim.name());
  appearance.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> added =
      Call(ledger(), &Ledger::AddAppearance, kAlice, appearance);
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_THAT(added->appearances(), SizeIs(1));
  appearance.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::AddAppearance, kAlice, appearance),
              StatusIs(absl::StatusCode::kAlreadyExists));

  v1::RedactEventRequest redact;
  redact.set_name(absl::StrCat(claim.name(), "/events/2"));
  redact.set_reason("personal data");
  redact.set_request_id(NextRequestId());
  absl::StatusOr<v1::Event> redacted =
      Call(ledger(), &Ledger::RedactEvent, kAlice, redact);
  ASSERT_TRUE(redacted.ok()) << redacted.status();
  EXPECT_TRUE(redacted->redacted());
  EXPECT_EQ(redacted->payload_case(), v1::Event::PAYLOAD_NOT_SET);
  EXPECT_EQ(redacted->kind(), v1::EVENT_KIND_APPEARANCE_ADDED);

  absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
  ASSERT_TRUE(now.ok());
  EXPECT_THAT(now->appearances(), IsEmpty());
  EXPECT_EQ(now->revision(), 3);
  v1::ListClaimEventsRequest list;
  list.set_parent(claim.name());
  absl::StatusOr<v1::ListClaimEventsResponse> events =
      ledger().ListClaimEvents(list);
  ASSERT_TRUE(events.ok());
  ASSERT_THAT(events->events(), SizeIs(3));
  EXPECT_TRUE(events->events(1).redacted());
  EXPECT_FALSE(events->events(1).has_appearance_added());
  EXPECT_EQ(events->events(2).kind(), v1::EVENT_KIND_REDACTED);
  EXPECT_EQ(events->events(2).redacted_event().target_event(),
            redacted->name());

  redact.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::RedactEvent, kAlice, redact),
              StatusIs(absl::StatusCode::kFailedPrecondition, "already"));
  redact.set_name(absl::StrCat(claim.name(), "/events/1"));
  redact.set_request_id(NextRequestId());
  // Refused by validation already (the revision is in the name).
  EXPECT_THAT(
      Call(ledger(), &Ledger::RedactEvent, kAlice, redact),
      StatusIs(absl::StatusCode::kInvalidArgument, "cannot be redacted"));
  redact.set_name(absl::StrCat(claim.name(), "/events/9"));
  redact.set_request_id(NextRequestId());
  EXPECT_THAT(Call(ledger(), &Ledger::RedactEvent, kAlice, redact),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(LedgerTest, UpdateClaimIsOneEventAndReindexes) {
  const v1::Claim claim = MustCreateText("Pyongyang tested a cruise missile.");
  auto update = Parse<v1::UpdateClaimRequest>(R"pb(
    claim {
      text: "Pyongyang tested an anti-aircraft missile."
      topics: "missiles"
      topics: "missiles"
    }
    update_mask { paths: "text" paths: "topics" }
    context { note: "corrected per KCNA" })pb");
  update.mutable_claim()->set_name(claim.name());
  update.set_etag(claim.etag());
  update.set_request_id(NextRequestId());
  absl::StatusOr<v1::Claim> updated =
      Call(ledger(), &Ledger::UpdateClaim, kAlice, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->text(), "Pyongyang tested an anti-aircraft missile.");
  EXPECT_THAT(updated->topics(), ElementsAre("missiles"));
  EXPECT_EQ(updated->revision(), 2);

  v1::SearchClaimsRequest search;
  search.set_query("anti-aircraft");
  absl::StatusOr<v1::SearchClaimsResponse> found =
      ledger().SearchClaims(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(found->results(), SizeIs(1));
  search.set_query("cruise");
  found = ledger().SearchClaims(search);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->results(), IsEmpty());

  v1::ListClaimEventsRequest list;
  list.set_parent(claim.name());
  absl::StatusOr<v1::ListClaimEventsResponse> events =
      ledger().ListClaimEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(events->events(), SizeIs(2));
  EXPECT_EQ(events->events(1).note(), "corrected per KCNA");
  const v1::FieldChange* text = FindChange(events->events(1), "text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->before(), "Pyongyang tested a cruise missile.");
}

TEST_F(LedgerTest, ListClaimEventsPagesAndFilters) {
  CreateExampleSources();
  const v1::Claim claim = MustCreateClaim(ExampleClaimRequest());
  for (int i = 0; i < 6; ++i) {
    clock().Advance(absl::Minutes(1));
    ASSERT_TRUE(RecordStance(claim.name(), "sources/russia",
                             i % 2 ? v1::STANCE_POSITION_CONFIRMED
                                   : v1::STANCE_POSITION_DENIED)
                    .ok());
  }
  v1::ListClaimEventsRequest req;
  req.set_parent(claim.name());
  req.set_page_size(3);
  req.add_kinds(v1::EVENT_KIND_STANCE_RECORDED);
  std::vector<int64_t> revisions;
  std::string token;
  do {
    req.set_page_token(token);
    absl::StatusOr<v1::ListClaimEventsResponse> page =
        ledger().ListClaimEvents(req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Event& event : page->events()) {
      revisions.push_back(event.revision());
      // Changes are against the full history, not the filtered one.
      EXPECT_NE(FindChange(event, "stances[sources/russia].position"), nullptr);
    }
    token = page->next_page_token();
  } while (!token.empty());
  EXPECT_THAT(revisions, ElementsAre(2, 3, 4, 5, 6, 7));
}

// ---- The change feed and sequences.

TEST_F(LedgerTest, ReadChangesFiltersAndResumes) {
  CreateExampleSources();
  std::mutex mu;
  std::condition_variable changed;
  uint64_t notified = 0;
  const int64_t handle = ledger().AddCommitListener([&](uint64_t sequence) {
    std::lock_guard<std::mutex> lock(mu);
    notified = sequence;
    changed.notify_all();
  });
  const v1::Claim a = MustCreateClaim(ExampleClaimRequest());
  const v1::Claim b = MustCreateText("Unrelated.");
  ASSERT_TRUE(
      RecordStance(a.name(), "sources/russia", v1::STANCE_POSITION_CONFIRMED)
          .ok());
  {
    // Listeners run after the writers' `done`: wait for the last commit's.
    const uint64_t last = ledger().LastSequence();
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(10),
                                 [&] { return notified == last; }));
  }
  ledger().RemoveCommitListener(handle);

  v1::WatchClaimsRequest all;
  absl::StatusOr<Ledger::Changes> changes = ledger().ReadChanges(all, 0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_THAT(changes->events, SizeIs(3));
  EXPECT_EQ(changes->next_cursor, 3u);
  for (uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(changes->events[i].event().sequence(), i + 1);
  }
  // Resume in steps of one.
  changes = ledger().ReadChanges(all, 1, 1);
  ASSERT_TRUE(changes.ok());
  ASSERT_THAT(changes->events, SizeIs(1));
  EXPECT_EQ(changes->events[0].event().sequence(), 2u);
  EXPECT_EQ(changes->next_cursor, 2u);

  v1::WatchClaimsRequest filter;
  filter.set_party("sources/russia");
  filter.add_kinds(v1::EVENT_KIND_STANCE_RECORDED);
  changes = ledger().ReadChanges(filter, 0, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_THAT(changes->events, SizeIs(1));
  EXPECT_EQ(changes->events[0].state(), v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  EXPECT_EQ(changes->next_cursor, 3u);
  filter.Clear();
  filter.set_claim(b.name());
  changes = ledger().ReadChanges(filter, 0, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_THAT(changes->events, SizeIs(1));
  EXPECT_EQ(changes->events[0].event().name(),
            absl::StrCat(b.name(), "/events/1"));
  filter.Clear();
  filter.set_state(v1::CLAIM_STATE_UNVERIFIED);
  changes = ledger().ReadChanges(filter, 0, 100);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->events, SizeIs(1));

  filter.Clear();
  filter.set_source("sources/nobody");
  EXPECT_THAT(ledger().ValidateWatch(filter),
              StatusIs(absl::StatusCode::kNotFound, "sources/nobody"));
  filter.set_source("sources/nis");
  EXPECT_TRUE(ledger().ValidateWatch(filter).ok());
}

TEST_F(LedgerTest, ConcurrentWritersGetGaplessSequences) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 50;
  std::vector<v1::Claim> claims;
  for (int i = 0; i < kThreads; ++i) {
    claims.push_back(MustCreateText(absl::StrCat("Claim of writer ", i)));
  }
  const uint64_t base = ledger().LastSequence();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        v1::AddAppearanceRequest req;
        // Threads share claims so that groups mix writes to one claim.
        req.set_claim(claims[(t + i) % kThreads].name());
        req.mutable_appearance()->set_url(
            absl::StrCat("https://example.com/", t, "/", i));
        req.set_request_id(absl::StrCat("w-", t, "-", i));
        if (!Call(ledger(), &Ledger::AddAppearance, kAlice, req).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const uint64_t total = kThreads * kWritesPerThread;
  EXPECT_EQ(ledger().LastSequence(), base + total);

  std::vector<uint64_t> sequences;
  uint64_t cursor = 0;
  while (true) {
    absl::StatusOr<Ledger::Changes> changes =
        ledger().ReadChanges(v1::WatchClaimsRequest(), cursor, 97);
    ASSERT_TRUE(changes.ok()) << changes.status();
    if (changes->events.empty()) break;
    for (const auto& change : changes->events) {
      sequences.push_back(change.event().sequence());
    }
    cursor = changes->next_cursor;
  }
  ASSERT_EQ(sequences.size(), base + total);
  for (size_t i = 0; i < sequences.size(); ++i) {
    ASSERT_EQ(sequences[i], i + 1);
  }
  // Every claim's history is gapless and complete.
  int64_t events = 0;
  for (const v1::Claim& claim : claims) {
    v1::ListClaimEventsRequest req;
    req.set_parent(claim.name());
    req.set_page_size(1000);
    absl::StatusOr<v1::ListClaimEventsResponse> history =
        ledger().ListClaimEvents(req);
    ASSERT_TRUE(history.ok()) << history.status();
    for (int i = 0; i < history->events_size(); ++i) {
      EXPECT_EQ(history->events(i).revision(), i + 1);
    }
    events += history->events_size();
    absl::StatusOr<v1::Claim> now = GetClaim(claim.name());
    ASSERT_TRUE(now.ok());
    EXPECT_EQ(now->revision(), history->events_size());
    EXPECT_EQ(now->appearances_size(), history->events_size() - 1);
  }
  EXPECT_EQ(events, static_cast<int64_t>(base + total));
}

TEST_F(LedgerTest, RecordedTimeNeverGoesBackwards) {
  const v1::Claim first = MustCreateText("First.");
  clock().Advance(-absl::Hours(1));
  const v1::Claim second = MustCreateText("Second.");
  EXPECT_GE(second.create_time().seconds(), first.create_time().seconds());
}

TEST_F(LedgerTest, InvalidRequestsAreRefusedBeforeQueueing) {
  v1::CreateClaimRequest req;
  req.set_request_id("x");
  EXPECT_THAT(Call(ledger(), &Ledger::CreateClaim, kAlice, req),
              StatusIs(absl::StatusCode::kInvalidArgument, "claim.text"));
  EXPECT_EQ(ledger().LastSequence(), 0u);
}

TEST_F(LedgerTest, ShutdownAnswersEveryQueuedWrite) {
  const v1::Claim claim = MustCreateText("Before shutdown.");
  // Queue a burst and close at once: every queued write is still answered.
  std::atomic<int> answered{0};
  for (int i = 0; i < 20; ++i) {
    v1::CreateClaimRequest req;
    req.mutable_claim()->set_text(absl::StrCat("Burst ", i));
    req.set_request_id(absl::StrCat("burst-", i));
    ledger().CreateClaim(kAlice, req, [&](absl::StatusOr<v1::Claim> result) {
      EXPECT_TRUE(result.ok()) << result.status();
      ++answered;
    });
  }
  harness_.Close();
  EXPECT_EQ(answered.load(), 20);
  ASSERT_TRUE(harness_.Open().ok());
  EXPECT_EQ(ledger().LastSequence(), 21u);
  absl::StatusOr<v1::Claim> read = GetClaim(claim.name());
  ASSERT_TRUE(read.ok()) << read.status();
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
