// ListClaimEvents from stored changes: every event stores the changes it made
// when it is committed, and a timeline page returns them as stored. These
// tests check that this gives exactly what a fold and diff of the history
// gives (the Ledger still does that for histories written without stored
// changes, and the tests strip the stored changes to get it): for a varied
// history, every page size and filter, redactions (which must rewrite later
// events' changes and leak nothing), histories that mix events with and
// without stored changes, and imports. Real LevelDB in $TEST_TMPDIR.
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/leveldb_storage.h"
#include "tests/server/core/gated_storage.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using testing::At;
using testing::Parse;
using testing::Proto;
using testing::GatedStorage;
using testing::TestDir;

const Principal kAlice{"users/alice"};

// Both messages equal; the differences otherwise.
::testing::AssertionResult SameMessage(const google::protobuf::Message& a,
                                       const google::protobuf::Message& b) {
  google::protobuf::util::MessageDifferencer differencer;
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  if (differencer.Compare(a, b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << differences;
}

// A timeline request and every page it gives.
struct Listing {
  std::string label;
  v1::ListClaimEventsRequest request;
  std::vector<v1::ListClaimEventsResponse> pages;
};

class LedgerTimelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::LevelDbOptions options;
    options.path = TestDir();
    absl::StatusOr<std::unique_ptr<storage::Storage>> opened =
        storage::OpenLevelDbStorage(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    real_ = *std::move(opened);
    auto shared = std::make_unique<GatedStorage>(real_.get());
    shared_ = shared.get();
    LedgerOptions ledger_options;
    ledger_options.storage = std::move(shared);
    ledger_options.clock = [this] { return clock_.Now(); };
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(std::move(ledger_options));
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = *std::move(ledger);
    for (const char* id : {"nis", "kcna", "russia", "north-korea"}) {
      Write(&Ledger::CreateSource,
            Parse<v1::CreateSourceRequest>(absl::StrCat(
                "source_id: '", id, "' source { display_name: '", id,
                "' kind: SOURCE_KIND_GOVERNMENT }")));
    }
  }

  Ledger& ledger() { return *ledger_; }

  std::string NextRequestId() { return absl::StrCat("req-", ++request_ids_); }

  // Applies a mutation one minute after the previous one; fails the test
  // unless it succeeds.
  template <typename Request, typename Response>
  Response Write(void (Ledger::*method)(const Principal&, const Request&,
                                        Done<Response>),
                 Request request) {
    clock_.Advance(absl::Minutes(1));
    if (request.request_id().empty()) request.set_request_id(NextRequestId());
    absl::StatusOr<Response> response =
        testing::Call(ledger(), method, kAlice, request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(Response());
  }

  // The stored events of claim `id`, as storage holds them.
  std::vector<v1::Event> StoredEvents(const std::string& id) {
    absl::StatusOr<std::vector<v1::Event>> events =
        real_->ReadEvents(id, 1, 100000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.value_or(std::vector<v1::Event>());
  }

  // Removes the stored changes of the events of `ids` whose revision
  // `strip` accepts, as a database written before changes were stored: the
  // storage vouches only for events after the last one.
  void StripStoredChanges(
      const std::vector<std::string>& ids,
      const std::function<bool(int64_t revision)>& strip = nullptr) {
    storage::WriteSet writes;
    for (const std::string& id : ids) {
      for (v1::Event& event : StoredEvents(id)) {
        if (event.changes().empty()) continue;
        if (strip && !strip(event.revision())) continue;
        event.clear_changes();
        writes.rewritten_events.push_back(std::move(event));
      }
    }
    ASSERT_TRUE(real_->Commit(writes).ok());
    shared_->SetCompleteChangesFrom(real_->LastSequence() + 1);
  }

  // Every page of `request`, following next_page_token.
  std::vector<v1::ListClaimEventsResponse> AllPages(
      v1::ListClaimEventsRequest request) {
    std::vector<v1::ListClaimEventsResponse> pages;
    for (int i = 0; i < 100; ++i) {
      absl::StatusOr<v1::ListClaimEventsResponse> page =
          ledger().ListClaimEvents(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      pages.push_back(*page);
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    return pages;
  }

  // Lists each of `listings` and compares the pages with those listed
  // before; `what` names the comparison in failures.
  void ExpectSamePages(const std::vector<Listing>& listings,
                       const std::string& what) {
    for (const Listing& listing : listings) {
      SCOPED_TRACE(absl::StrCat(what, ": ", listing.label));
      const std::vector<v1::ListClaimEventsResponse> again =
          AllPages(listing.request);
      ASSERT_EQ(again.size(), listing.pages.size());
      for (size_t i = 0; i < again.size(); ++i) {
        EXPECT_TRUE(SameMessage(again[i], listing.pages[i])) << "page " << i;
      }
    }
  }

  // Timelines of claim `name` under every page size and filter the tests
  // use, each listed now.
  std::vector<Listing> ListEveryWay(const std::string& name,
                                    absl::Time start) {
    std::vector<Listing> listings;
    auto add = [&](const std::string& label,
                   const std::function<void(v1::ListClaimEventsRequest&)>&
                       set) {
      Listing listing;
      listing.label = label;
      listing.request.set_parent(name);
      set(listing.request);
      listing.pages = AllPages(listing.request);
      listings.push_back(std::move(listing));
    };
    for (int size : {0, 1, 2, 3, 5, 13}) {
      add(absl::StrCat("page size ", size),
          [size](v1::ListClaimEventsRequest& r) { r.set_page_size(size); });
    }
    add("stances, by 2", [](v1::ListClaimEventsRequest& r) {
      r.set_page_size(2);
      r.add_kinds(v1::EVENT_KIND_STANCE_RECORDED);
    });
    add("verdicts, relations, retraction, by 1",
        [](v1::ListClaimEventsRequest& r) {
          r.set_page_size(1);
          r.add_kinds(v1::EVENT_KIND_VERDICT_RECORDED);
          r.add_kinds(v1::EVENT_KIND_RELATION_ADDED);
          r.add_kinds(v1::EVENT_KIND_RETRACTED);
        });
    add("recorded after the 4th minute, by 3",
        [start](v1::ListClaimEventsRequest& r) {
          r.set_page_size(3);
          *r.mutable_recorded_after() = Proto(start + absl::Minutes(4));
        });
    add("recorded before the 8th minute, by 2",
        [start](v1::ListClaimEventsRequest& r) {
          r.set_page_size(2);
          *r.mutable_recorded_before() = Proto(start + absl::Minutes(8));
        });
    add("recorded in minutes 3-10, stances and figures, by 2",
        [start](v1::ListClaimEventsRequest& r) {
          r.set_page_size(2);
          r.add_kinds(v1::EVENT_KIND_STANCE_RECORDED);
          r.add_kinds(v1::EVENT_KIND_FIGURE_REVISED);
          *r.mutable_recorded_after() = Proto(start + absl::Minutes(3));
          *r.mutable_recorded_before() = Proto(start + absl::Minutes(10));
        });
    add("recorded after the end", [start](v1::ListClaimEventsRequest& r) {
      *r.mutable_recorded_after() = Proto(start + absl::Hours(24));
    });
    return listings;
  }

  // A history that touches every part of a claim: claims/troops gets a
  // figure, attributions, stances, appearances, verdicts, a relation, a
  // merge, a stance recorded again unchanged (an event that changes
  // nothing a diff reports) and a retraction. Returns the time before it.
  absl::Time WriteVariedHistory() {
    const absl::Time start = clock_.Now();
    Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
            claim_id: "troops"
            claim {
              text: "North Korea has sent troops to Russia."
              topics: "north-korea"
              figures {
                figure_id: "troops"
                label: "soldiers sent"
                lower_bound: 10000
                unit: "soldiers"
                qualifier: FIGURE_QUALIFIER_OVER
              }
              attributions {
                hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
              }
              stances {
                party: "sources/russia"
                position: STANCE_POSITION_NOT_CONFIRMED
              }
              appearances { url: "https://example.org/a" quote: "over 10,000" }
            })pb"));
    Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
            claim_id: "other" claim { text: "North Korea denies it." })pb"));
    Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
            claim_id: "dup"
            claim {
              text: "NK troops are in Russia."
              attributions {
                hops { source: "sources/kcna" verb: ATTRIBUTION_VERB_ALLEGED }
              }
              appearances { url: "https://example.org/dup" }
            })pb"));
    Write(&Ledger::UpdateClaim, Parse<v1::UpdateClaimRequest>(R"pb(
            claim {
              name: "claims/troops"
              text: "North Korea has sent over 10,000 troops to Russia."
              topics: "russia"
            }
            update_mask { paths: "text" paths: "topics" })pb"));
    Write(&Ledger::AddAttribution, Parse<v1::AddAttributionRequest>(R"pb(
            claim: "claims/troops"
            attribution {
              hops { source: "sources/kcna" verb: ATTRIBUTION_VERB_REPORTED }
            })pb"));
    Write(&Ledger::ReviseFigure, Parse<v1::ReviseFigureRequest>(R"pb(
            claim: "claims/troops"
            figure {
              figure_id: "troops"
              amount: 12000
              unit: "soldiers"
              qualifier: FIGURE_QUALIFIER_ABOUT
            })pb"));
    Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
            claim: "claims/troops"
            stance {
              party: "sources/north-korea"
              position: STANCE_POSITION_DENIED
            })pb"));
    Write(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
            claim: "claims/troops"
            verdict {
              rating: VERDICT_RATING_UNPROVEN
              rating_text: "not yet shown"
            })pb"));
    Write(&Ledger::AddAppearance, Parse<v1::AddAppearanceRequest>(R"pb(
            claim: "claims/troops"
            appearance { url: "https://example.org/b" outlet: "example" })pb"));
    Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
            claim: "claims/troops"
            stance {
              party: "sources/russia"
              position: STANCE_POSITION_CONFIRMED
            })pb"));
    Write(&Ledger::LinkClaims, Parse<v1::LinkClaimsRequest>(R"pb(
            claim: "claims/troops"
            relation {
              type: RELATION_TYPE_CONTRADICTS
              target: "claims/other"
            })pb"));
    // Changes nothing a diff reports.
    Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
            claim: "claims/troops"
            stance {
              party: "sources/russia"
              position: STANCE_POSITION_CONFIRMED
            }
            context { note: "confirmed again" })pb"));
    Write(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
            claim: "claims/troops"
            verdict { rating: VERDICT_RATING_TRUE rating_text: "shown" })pb"));
    Write(&Ledger::MergeClaims, Parse<v1::MergeClaimsRequest>(R"pb(
            claim: "claims/dup" into: "claims/troops")pb"));
    Write(&Ledger::RetractClaim, Parse<v1::RetractClaimRequest>(R"pb(
            claim: "claims/troops" reason: "source withdrew it")pb"));
    Write(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
            claim: "claims/troops"
            verdict { rating: VERDICT_RATING_FALSE })pb"));
    return start;
  }

  testing::FakeClock clock_{At("2025-03-21T09:00:00Z")};
  std::unique_ptr<storage::Storage> real_;
  GatedStorage* shared_ = nullptr;
  std::unique_ptr<Ledger> ledger_;  // After real_: destroyed first.
  int request_ids_ = 0;
};

// The revision of claims/troops that changes nothing (WriteVariedHistory).
constexpr int64_t kUnchangedRevision = 10;

TEST_F(LedgerTimelineTest, EveryEventStoresItsChangesWhenCommitted) {
  WriteVariedHistory();
  const std::vector<v1::Event> events = StoredEvents("troops");
  ASSERT_THAT(events, SizeIs(14));
  for (const v1::Event& event : events) {
    SCOPED_TRACE(event.name());
    if (event.revision() == kUnchangedRevision) {
      EXPECT_EQ(event.note(), "confirmed again");
      EXPECT_THAT(event.changes(), IsEmpty());
    } else {
      EXPECT_THAT(event.changes(), Not(IsEmpty()));
    }
  }
  // The other side of the link and of the merge too.
  for (const char* id : {"other", "dup"}) {
    for (const v1::Event& event : StoredEvents(id)) {
      EXPECT_THAT(event.changes(), Not(IsEmpty())) << event.name();
    }
  }
}

TEST_F(LedgerTimelineTest, StoredChangesGiveTheTimelineOfTheFold) {
  const absl::Time start = WriteVariedHistory();
  const std::vector<Listing> stored = ListEveryWay("claims/troops", start);
  ASSERT_THAT(stored[0].pages, SizeIs(1));
  ASSERT_THAT(stored[0].pages[0].events(), SizeIs(14));

  // The same history without stored changes: every page from a fold.
  StripStoredChanges({"troops", "other", "dup"});
  for (const v1::Event& event : StoredEvents("troops")) {
    ASSERT_THAT(event.changes(), IsEmpty());
  }
  ExpectSamePages(stored, "without stored changes");
}

TEST_F(LedgerTimelineTest, APageIsReadFromItsFirstEventOn) {
  WriteVariedHistory();
  v1::ListClaimEventsRequest request;
  request.set_parent("claims/troops");
  request.set_page_size(2);
  absl::StatusOr<v1::ListClaimEventsResponse> page =
      ledger().ListClaimEvents(request);
  ASSERT_TRUE(page.ok()) << page.status();
  request.set_page_token(page->next_page_token());
  page = ledger().ListClaimEvents(request);  // Revisions 3 and 4.
  ASSERT_TRUE(page.ok()) << page.status();
  request.set_page_token(page->next_page_token());

  shared_->ResetEventsRead();
  page = ledger().ListClaimEvents(request);  // Revisions 5 and 6.
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->events(), SizeIs(2));
  EXPECT_EQ(page->events(0).revision(), 5);
  // The page and the event that says a next page exists.
  EXPECT_EQ(shared_->events_read(), 3);

  // A page holding the event that changed nothing is read as stored too:
  // the storage vouches that its empty list is complete.
  request.set_page_size(1);
  request.clear_page_token();
  for (int i = 0; i < kUnchangedRevision - 1; ++i) {
    page = ledger().ListClaimEvents(request);
    ASSERT_TRUE(page.ok()) << page.status();
    request.set_page_token(page->next_page_token());
  }
  // The page of that event alone; how many events it read.
  auto read_unchanged_page = [&]() -> int64_t {
    shared_->ResetEventsRead();
    absl::StatusOr<v1::ListClaimEventsResponse> unchanged =
        ledger().ListClaimEvents(request);
    EXPECT_TRUE(unchanged.ok()) << unchanged.status();
    if (!unchanged.ok()) return -1;
    EXPECT_THAT(unchanged->events(), SizeIs(1));
    if (unchanged->events_size() != 1) return -1;
    EXPECT_EQ(unchanged->events(0).revision(), kUnchangedRevision);
    EXPECT_THAT(unchanged->events(0).changes(), IsEmpty());
    return shared_->events_read();
  };
  // The page and the event that says a next page exists.
  EXPECT_EQ(read_unchanged_page(), 2);

  // In a database written before events stored their changes, the same
  // empty list may mean "not stored": that page is folded (and still right).
  shared_->SetCompleteChangesFrom(real_->LastSequence() + 1);
  EXPECT_GT(read_unchanged_page(), 14);
  // Another page of it, without that event, is still read as stored.
  v1::ListClaimEventsRequest first_page = request;
  first_page.clear_page_token();
  shared_->ResetEventsRead();
  page = ledger().ListClaimEvents(first_page);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(shared_->events_read(), 2);

  // Unknown claims, also with a token of another claim's listing.
  request.set_parent("claims/nope");
  EXPECT_EQ(ledger().ListClaimEvents(request).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "the token belongs to another listing";
  request.clear_page_token();
  EXPECT_EQ(ledger().ListClaimEvents(request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LedgerTimelineTest, HistoriesMixingOldAndNewEventsListTheSame) {
  const absl::Time start = WriteVariedHistory();
  // The first half as written before changes were stored.
  StripStoredChanges({"troops"},
                     [](int64_t revision) { return revision <= 7; });
  const std::vector<Listing> mixed = ListEveryWay("claims/troops", start);

  StripStoredChanges({"troops"});
  ExpectSamePages(mixed, "all without stored changes");

  // Old and new events alike show their changes.
  ASSERT_THAT(mixed[0].pages, SizeIs(1));
  const v1::ListClaimEventsResponse& all = mixed[0].pages[0];
  ASSERT_THAT(all.events(), SizeIs(14));
  EXPECT_THAT(all.events(0).changes(), Not(IsEmpty()));
  EXPECT_THAT(all.events(13).changes(), Not(IsEmpty()));
}

TEST_F(LedgerTimelineTest, WatchedEventsCarryTheChangesOfTheTimeline) {
  WriteVariedHistory();
  v1::ListClaimEventsRequest list;
  list.set_parent("claims/troops");
  absl::StatusOr<v1::ListClaimEventsResponse> timeline =
      ledger().ListClaimEvents(list);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  v1::WatchClaimsRequest watch;
  watch.set_claim("claims/troops");
  absl::StatusOr<Ledger::Changes> changes =
      ledger().ReadChanges(watch, 0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->events.size(),
            static_cast<size_t>(timeline->events_size()));
  for (size_t i = 0; i < changes->events.size(); ++i) {
    EXPECT_TRUE(SameMessage(changes->events[i].event(),
                            timeline->events(static_cast<int>(i))));
  }
}

// Whether the message (an event, a claim) holds `text` anywhere.
MATCHER_P(Mentions, text, "") {
  return absl::StrContains(arg.ShortDebugString(), text);
}

TEST_F(LedgerTimelineTest, RedactionRewritesLaterChangesAndLeaksNothing) {
  const absl::Time start = clock_.Now();
  Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
          claim_id: "r" claim { text: "A claim that gets redacted." })pb"));
  Write(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
          claim: "claims/r"
          verdict {
            rating: VERDICT_RATING_MISLEADING
            rating_text: "SECRET verdict text"
            review_url: "https://secret.example/review"
          })pb"));
  Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
          claim: "claims/r"
          stance {
            party: "sources/russia"
            position: STANCE_POSITION_DENIED
            statement: "SECRET statement"
          })pb"));
  Write(&Ledger::ReviseFigure, Parse<v1::ReviseFigureRequest>(R"pb(
          claim: "claims/r"
          figure {
            figure_id: "f"
            label: "SECRET figure"
            amount: 1
            qualifier: FIGURE_QUALIFIER_EXACT
          })pb"));
  // Revisions 5-7 were diffed against states that held the secrets, which
  // their stored changes quote as "before".
  Write(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
          claim: "claims/r"
          verdict { rating: VERDICT_RATING_FALSE rating_text: "public" })pb"));
  Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
          claim: "claims/r"
          stance {
            party: "sources/russia"
            position: STANCE_POSITION_CONFIRMED
            statement: "public statement"
          })pb"));
  Write(&Ledger::ReviseFigure, Parse<v1::ReviseFigureRequest>(R"pb(
          claim: "claims/r"
          figure {
            figure_id: "f"
            label: "public figure"
            amount: 2
            qualifier: FIGURE_QUALIFIER_EXACT
          })pb"));
  Write(&Ledger::AddAppearance, Parse<v1::AddAppearanceRequest>(R"pb(
          claim: "claims/r" appearance { url: "https://example.org/r" })pb"));
  for (const v1::Event& event : StoredEvents("r")) {
    if (event.revision() >= 5 && event.revision() <= 7) {
      EXPECT_THAT(event, Mentions("SECRET")) << "the test needs a leak to fix";
    }
  }

  for (int revision : {2, 3, 4}) {
    auto redact = Parse<v1::RedactEventRequest>("reason: 'personal data'");
    redact.set_name(absl::StrCat("claims/r/events/", revision));
    const v1::Event redacted = Write(&Ledger::RedactEvent, redact);
    EXPECT_TRUE(redacted.redacted());
    EXPECT_THAT(redacted.changes(), IsEmpty());
    EXPECT_THAT(redacted, Not(Mentions("SECRET")));
  }

  const std::vector<v1::Event> events = StoredEvents("r");
  ASSERT_THAT(events, SizeIs(11));
  for (const v1::Event& event : events) {
    EXPECT_THAT(event, Not(Mentions("SECRET"))) << event.name();
    EXPECT_THAT(event, Not(Mentions("secret.example"))) << event.name();
  }
  for (int revision : {2, 3, 4}) {
    EXPECT_THAT(events[revision - 1].changes(), IsEmpty());
  }
  // The later verdict, stance and figure now show as first ones.
  for (int revision : {5, 6, 7}) {
    const v1::Event& event = events[revision - 1];
    ASSERT_THAT(event.changes(), Not(IsEmpty())) << event.name();
    EXPECT_TRUE(event.changes(0).before().empty()) << event.DebugString();
  }
  absl::StatusOr<v1::Claim> claim = real_->ReadClaim("r");
  ASSERT_TRUE(claim.ok());
  EXPECT_THAT(*claim, Not(Mentions("SECRET")));

  // Served from storage (redactions and redacted events change nothing a
  // diff reports, so their empty lists are complete) ...
  v1::ListClaimEventsRequest request;
  request.set_parent("claims/r");
  request.set_page_size(3);
  request.set_page_token(AllPages(request)[0].next_page_token());
  shared_->ResetEventsRead();
  ASSERT_TRUE(ledger().ListClaimEvents(request).ok());
  EXPECT_EQ(shared_->events_read(), 4);
  // ... and the same as a fold of the redacted history.
  const std::vector<Listing> stored = ListEveryWay("claims/r", start);
  StripStoredChanges({"r"});
  ExpectSamePages(stored, "without stored changes");
}

TEST_F(LedgerTimelineTest, RedactionRewritesTheStatesLaterEventsLeave) {
  Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
    claim_id: "st"
    claim { text: "Air-defence systems were supplied." })pb"));
  Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(R"pb(
    claim: "claims/st"
    stance { party: "sources/north-korea" position: STANCE_POSITION_DENIED }
    context {
      note: "SECRET note"
      evidence { url: "https://secret.example/a" quote: "SECRET quote" }
    })pb"));
  Write(&Ledger::RecordStance, Parse<v1::RecordStanceRequest>(
                                   R"pb(
                                     claim: "claims/st"
                                     stance {
                                       party: "sources/russia"
                                       position: STANCE_POSITION_CONFIRMED
                                     })pb"));
  std::vector<v1::Event> events = StoredEvents("st");
  ASSERT_THAT(events, SizeIs(3));
  ASSERT_EQ(events[1].claim_state(), v1::CLAIM_STATE_DENIED);
  ASSERT_EQ(events[2].claim_state(), v1::CLAIM_STATE_DISPUTED)
      << "the test needs a state that the redaction changes";
  ASSERT_THAT(events[1], Mentions("SECRET"));

  auto redact = Parse<v1::RedactEventRequest>("reason: 'personal data'");
  redact.set_name("claims/st/events/2");
  const v1::Event redacted = Write(&Ledger::RedactEvent, redact);
  EXPECT_THAT(redacted, Not(Mentions("SECRET")));
  EXPECT_THAT(redacted, Not(Mentions("secret.example")));

  absl::StatusOr<v1::Claim> now = real_->ReadClaim("st");
  ASSERT_TRUE(now.ok()) << now.status();
  events = StoredEvents("st");
  ASSERT_THAT(events, SizeIs(4));
  for (const v1::Event& event : events) {
    EXPECT_THAT(event, Not(Mentions("SECRET"))) << event.name();
  }
  // Without the denial, the claim was unconfirmed after revision 2 and
  // partially confirmed after 3; the redaction (4) leaves that state.
  const v1::ClaimState created = events[0].claim_state();
  EXPECT_EQ(events[1].claim_state(), created);
  EXPECT_EQ(events[2].claim_state(), now->state());
  EXPECT_EQ(events[3].claim_state(), now->state());
  EXPECT_NE(now->state(), v1::CLAIM_STATE_DISPUTED);

  // A watch filtered by the old state no longer replays revision 3; one
  // filtered by the new state does.
  v1::WatchClaimsRequest watch;
  watch.set_claim("claims/st");
  watch.set_state(v1::CLAIM_STATE_DISPUTED);
  absl::StatusOr<Ledger::Changes> changes = ledger().ReadChanges(watch, 0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->events, IsEmpty());
  watch.set_state(now->state());
  changes = ledger().ReadChanges(watch, 0, 100);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_THAT(changes->events, SizeIs(2));
  EXPECT_EQ(changes->events[0].event().revision(), 3);
}

TEST_F(LedgerTimelineTest, RedactionInTheGroupThatWroteTheEventsItRewrites) {
  Write(&Ledger::CreateClaim, Parse<v1::CreateClaimRequest>(R"pb(
          claim_id: "g" claim { text: "Grouped." })pb"));
  // Hold one commit, and keep the applier busy with the next group, so that
  // the three requests below queue up and are applied as one group: the
  // redaction rewrites events that are not in storage yet.
  shared_->HoldNextCommit();
  std::vector<std::future<absl::Status>> answers;
  auto submit = [&](auto method, auto request) {
    request.set_request_id(NextRequestId());
    auto promise = std::make_shared<std::promise<absl::Status>>();
    answers.push_back(promise->get_future());
    (ledger().*method)(kAlice, request, [promise](auto response) {
      promise->set_value(response.status());
    });
    return request.request_id();
  };
  submit(&Ledger::AddAppearance, Parse<v1::AddAppearanceRequest>(R"pb(
           claim: "claims/g" appearance { url: "https://example.org/1" })pb"));
  ASSERT_TRUE(shared_->WaitUntilHeld());
  const std::string busy =
      submit(&Ledger::AddAppearance,
             Parse<v1::AddAppearanceRequest>(R"pb(
               claim: "claims/g" appearance { url: "https://example.org/2" })pb"));
  ASSERT_TRUE(shared_->WaitUntilLookedUp(busy));
  submit(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
           claim: "claims/g"
           verdict { rating: VERDICT_RATING_FALSE rating_text: "SECRET" })pb"));
  submit(&Ledger::RecordVerdict, Parse<v1::RecordVerdictRequest>(R"pb(
           claim: "claims/g"
           verdict { rating: VERDICT_RATING_TRUE rating_text: "public" })pb"));
  submit(&Ledger::RedactEvent, Parse<v1::RedactEventRequest>(R"pb(
           name: "claims/g/events/4" reason: "wrong")pb"));
  shared_->Release();
  for (std::future<absl::Status>& answer : answers) {
    const absl::Status status = answer.get();
    EXPECT_TRUE(status.ok()) << status;
  }

  const std::vector<v1::Event> events = StoredEvents("g");
  ASSERT_THAT(events, SizeIs(6));
  EXPECT_TRUE(events[3].redacted());
  for (const v1::Event& event : events) {
    EXPECT_THAT(event, Not(Mentions("SECRET"))) << event.name();
  }
  // Consecutive sequences: the rewritten events stayed where they were.
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), events[i - 1].sequence() + 1);
  }
  const std::vector<Listing> stored = ListEveryWay("claims/g", clock_.Now());
  StripStoredChanges({"g"});
  ExpectSamePages(stored, "without stored changes");
}

TEST_F(LedgerTimelineTest, ImportedClaimsStoreTheirChanges) {
  const std::string csv =
      "text,attributions,verdict\r\n"
      "Imported claim one,nis (said) -> Yonhap (reported),false\r\n"
      "Imported claim two,,\r\n";
  v1::ImportRequest import;
  import.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  import.set_content(csv);
  std::promise<absl::StatusOr<v1::ImportResponse>> promise;
  ledger().Import(kAlice, import, nullptr,
                  [&](absl::StatusOr<v1::ImportResponse> response) {
                    promise.set_value(std::move(response));
                  });
  absl::StatusOr<v1::ImportResponse> imported = promise.get_future().get();
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->claims_created(), 2);
  EXPECT_EQ(imported->verdicts_recorded(), 1);

  v1::ListClaimsRequest list;
  absl::StatusOr<v1::ListClaimsResponse> claims = ledger().ListClaims(list);
  ASSERT_TRUE(claims.ok());
  ASSERT_THAT(claims->claims(), SizeIs(2));
  std::vector<std::string> ids;
  std::vector<Listing> stored;
  for (const v1::Claim& claim : claims->claims()) {
    const std::string id = claim.name().substr(std::string("claims/").size());
    ids.push_back(id);
    for (const v1::Event& event : StoredEvents(id)) {
      EXPECT_THAT(event.changes(), Not(IsEmpty())) << event.name();
    }
    for (Listing& listing : ListEveryWay(claim.name(), clock_.Now())) {
      stored.push_back(std::move(listing));
    }
  }
  StripStoredChanges(ids);
  ExpectSamePages(stored, "without stored changes");
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
