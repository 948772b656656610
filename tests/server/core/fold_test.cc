#include "server/core/fold.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace core {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kDay0 = 1742515200;  // 2025-03-21T00:00:00Z

template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

// Builds one claim's history: each Add() makes the next event, with gapless
// revisions, an hour apart in recorded time.
class History {
 public:
  explicit History(std::string claim_id) : claim_id_(std::move(claim_id)) {}

  // `payload` is text format of the Event's payload fields, e.g.
  // "stance_recorded { party: ... }"; the kind is taken from the payload.
  v1::Event& Add(v1::EventKind kind, const std::string& payload,
                 const std::string& author = "users/alice") {
    v1::Event event = Parse<v1::Event>(payload);
    const int64_t revision = static_cast<int64_t>(events_.size()) + 1;
    event.set_name(absl::StrCat("claims/", claim_id_, "/events/", revision));
    event.set_revision(revision);
    event.set_kind(kind);
    event.set_author(author);
    event.mutable_recorded_time()->set_seconds(kDay0 + 3600 * revision);
    events_.push_back(event);
    return events_.back();
  }

  const std::vector<v1::Event>& events() const { return events_; }

  v1::Claim FoldOrDie() const {
    absl::StatusOr<v1::Claim> claim = Fold(events_);
    EXPECT_TRUE(claim.ok()) << claim.status();
    return claim.ok() ? *claim : v1::Claim();
  }

 private:
  std::string claim_id_;
  std::vector<v1::Event> events_;
};

// The running example of BRIEF §2.
constexpr char kRunningExample[] = R"pb(
  claim_created {
    claim {
      text: "North Korea has sent troops to Russia to support its war against Ukraine."
      parts { subject: "North Korea" predicate: "sent troops to" object: "Russia" }
      topics: "north-korea"
      topics: "russia"
      topics: "north-korea"
      language: "en"
      figures {
        figure_id: "troops"
        label: "North Korean soldiers sent to Russia"
        lower_bound: 10000
        unit: "soldiers"
        qualifier: FIGURE_QUALIFIER_OVER
      }
      attributions {
        hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
        hops {
          source: "sources/straitstimes"
          verb: ATTRIBUTION_VERB_REPORTED
          appearance { url: "https://www.straitstimes.com/asia/nk" }
        }
      }
      stances {
        party: "sources/north-korea"
        position: STANCE_POSITION_NOT_CONFIRMED
      }
      stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED }
      appearances {
        url: "https://www.straitstimes.com/asia/nk"
        outlet: "straitstimes.com"
      }
      # Output-only fields are not taken from the payload.
      state: CLAIM_STATE_CONFIRMED
      verdict { rating: VERDICT_RATING_TRUE }
    }
  }
)pb";

std::string PartyName(const std::string& party) {
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"sources/north-korea", "North Korea"},
      {"sources/russia", "Russia"},
      {"sources/ukraine", "Ukraine"},
      {"sources/nis", "National Intelligence Service"},
  };
  auto it = kNames->find(party);
  return it == kNames->end() ? "" : it->second;
}

History RunningExample() {
  History history("nk-troops");
  history.Add(v1::EVENT_KIND_CLAIM_CREATED, kRunningExample, "users/checker");
  return history;
}

std::string Stance(const std::string& party, const std::string& position) {
  return absl::StrCat("stance_recorded { party: \"", party,
                      "\" position: ", position, " }");
}

TEST(FoldTest, NoEventsIsAnEmptyClaim) {
  absl::StatusOr<v1::Claim> claim = Fold({});
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->revision(), 0);
  EXPECT_TRUE(claim->name().empty());
}

TEST(FoldTest, RunningExampleIsUnconfirmedByBothStates) {
  const v1::Claim claim = RunningExample().FoldOrDie();
  EXPECT_EQ(claim.name(), "claims/nk-troops");
  EXPECT_EQ(claim.revision(), 1);
  EXPECT_EQ(claim.text(),
            "North Korea has sent troops to Russia to support its war against "
            "Ukraine.");
  EXPECT_EQ(claim.parts().subject(), "North Korea");
  EXPECT_THAT(claim.topics(), ElementsAre("north-korea", "russia"));
  EXPECT_EQ(claim.language(), "en");
  EXPECT_EQ(claim.creator(), "users/checker");
  EXPECT_EQ(claim.create_time().seconds(), kDay0 + 3600);
  EXPECT_EQ(claim.update_time().seconds(), kDay0 + 3600);

  ASSERT_EQ(claim.figures_size(), 1);
  EXPECT_EQ(claim.figures(0).revision(), 1);
  EXPECT_EQ(claim.figures(0).lower_bound(), 10000);
  EXPECT_FALSE(claim.figures(0).has_upper_bound());
  EXPECT_EQ(claim.figures(0).record_time().seconds(), kDay0 + 3600);

  ASSERT_EQ(claim.attributions_size(), 1);
  EXPECT_EQ(claim.attributions(0).attribution_id(), "a1");
  EXPECT_EQ(claim.attributions(0).hops(0).source(), "sources/nis");
  EXPECT_EQ(claim.attributions(0).hops(1).source(), "sources/straitstimes");
  EXPECT_EQ(claim.attributions(0).record_time().seconds(), kDay0 + 3600);

  ASSERT_EQ(claim.stances_size(), 2);
  EXPECT_EQ(claim.stances(0).record_time().seconds(), kDay0 + 3600);
  ASSERT_EQ(claim.appearances_size(), 1);

  EXPECT_FALSE(claim.has_verdict());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_TRUE(claim.state_summary().empty());  // The Ledger fills it.
  EXPECT_EQ(StateSummary(claim, PartyName),
            "unconfirmed by North Korea and Russia");
  EXPECT_FALSE(claim.etag().empty());
}

TEST(FoldTest, RunningExampleConfirmedOneStateAtATime) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_STANCE_RECORDED,
              Stance("sources/russia", "STANCE_POSITION_CONFIRMED"));
  v1::Claim claim = history.FoldOrDie();
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  EXPECT_EQ(StateSummary(claim, PartyName),
            "confirmed by Russia; not confirmed by North Korea");
  // A party keeps the place of its first stance.
  ASSERT_EQ(claim.stances_size(), 2);
  EXPECT_EQ(claim.stances(0).party(), "sources/north-korea");
  EXPECT_EQ(claim.stances(1).party(), "sources/russia");
  EXPECT_EQ(claim.stances(1).position(), v1::STANCE_POSITION_CONFIRMED);
  EXPECT_EQ(claim.stances(1).record_time().seconds(), kDay0 + 2 * 3600);

  history.Add(v1::EVENT_KIND_STANCE_RECORDED,
              Stance("sources/north-korea", "STANCE_POSITION_CONFIRMED"));
  claim = history.FoldOrDie();
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(StateSummary(claim, PartyName),
            "confirmed by North Korea and Russia");
  EXPECT_EQ(claim.revision(), 3);
  EXPECT_EQ(claim.update_time().seconds(), kDay0 + 3 * 3600);
  EXPECT_EQ(claim.create_time().seconds(), kDay0 + 3600);
}

TEST(FoldTest, ClaimUpdatedChangesOnlyMaskedFields) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_CLAIM_UPDATED, R"pb(
    claim_updated {
      claim { text: "New text." topics: "dprk" topics: "dprk" language: "ko" }
      update_mask_paths: "text"
      update_mask_paths: "topics"
      update_mask_paths: "parts"
    }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  EXPECT_EQ(claim.text(), "New text.");
  EXPECT_THAT(claim.topics(), ElementsAre("dprk"));
  EXPECT_FALSE(claim.has_parts());   // In the mask, absent: cleared.
  EXPECT_EQ(claim.language(), "en");  // Not in the mask.
}

TEST(FoldTest, AttributionsKeepAssignedIdsAndNumberTheRest) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_ATTRIBUTION_ADDED, R"pb(
    attribution_added {
      attribution_id: "a1"
      hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED }
      figure_id: "troops"
    }
  )pb");
  history.Add(v1::EVENT_KIND_ATTRIBUTION_ADDED, R"pb(
    attribution_added {
      attribution_id: "a7"
      hops { source: "sources/ap" verb: ATTRIBUTION_VERB_REPORTED }
    }
  )pb");
  history.Add(v1::EVENT_KIND_ATTRIBUTION_ADDED, R"pb(
    attribution_added {
      hops { source: "sources/afp" verb: ATTRIBUTION_VERB_REPORTED }
    }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  ASSERT_EQ(claim.attributions_size(), 4);
  // "a1" is taken by the running example's chain: the next free number.
  EXPECT_EQ(claim.attributions(1).attribution_id(), "a2");
  EXPECT_EQ(claim.attributions(1).figure_id(), "troops");
  EXPECT_EQ(claim.attributions(1).record_time().seconds(), kDay0 + 2 * 3600);
  // An id assigned at write time survives refolds (redactions of earlier
  // attributions cannot renumber it).
  EXPECT_EQ(claim.attributions(2).attribution_id(), "a7");
  EXPECT_EQ(claim.attributions(3).attribution_id(), "a8");
}

TEST(FoldTest, MergeTargetGainsCarriedAttributionsAndAppearances) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_MERGED, R"pb(
    merged {
      merged_claim: "claims/dup"
      into_claim: "claims/nk-troops"
      attributions {
        attribution_id: "a2"
        hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED }
      }
      appearances { url: "https://example.org/dup" }
    }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  ASSERT_EQ(claim.attributions_size(), 2);
  EXPECT_EQ(claim.attributions(1).attribution_id(), "a2");
  EXPECT_EQ(claim.appearances(claim.appearances_size() - 1).url(),
            "https://example.org/dup");
  ASSERT_GE(claim.relations_size(), 1);
  EXPECT_EQ(claim.relations(0).type(), v1::RELATION_TYPE_INVERSE);
  EXPECT_EQ(claim.relations(0).target(), "claims/dup");
}

TEST(FoldTest, FigureRevisionsReplaceInPlaceAndNewFiguresAppend) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_FIGURE_REVISED, R"pb(
    figure_revised {
      figure_id: "casualties"
      amount: 3000
      unit: "soldiers"
      qualifier: FIGURE_QUALIFIER_ABOUT
    }
  )pb");
  history.Add(v1::EVENT_KIND_FIGURE_REVISED, R"pb(
    figure_revised {
      figure_id: "troops"
      lower_bound: 11000
      upper_bound: 12000
      unit: "soldiers"
      qualifier: FIGURE_QUALIFIER_BETWEEN
      sources { source: "sources/nis" verb: ATTRIBUTION_VERB_ESTIMATED }
      revision: 99
    }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  ASSERT_EQ(claim.figures_size(), 2);
  const v1::Figure& troops = claim.figures(0);
  EXPECT_EQ(troops.figure_id(), "troops");
  EXPECT_EQ(troops.revision(), 2);
  EXPECT_EQ(troops.lower_bound(), 11000);
  EXPECT_EQ(troops.upper_bound(), 12000);
  EXPECT_EQ(troops.label(), "");  // A revision replaces the whole figure.
  EXPECT_EQ(troops.sources(0).source(), "sources/nis");
  EXPECT_EQ(troops.record_time().seconds(), kDay0 + 3 * 3600);
  EXPECT_EQ(claim.figures(1).figure_id(), "casualties");
  EXPECT_EQ(claim.figures(1).revision(), 1);
}

TEST(FoldTest, VerdictRecordsReviewerAndOverridesStances) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_VERDICT_RECORDED, R"pb(
    verdict_recorded {
      rating: VERDICT_RATING_TRUE
      rating_text: "True"
      reviewer: "users/mallory"
    }
  )pb",
              "users/reviewer");
  const v1::Claim claim = history.FoldOrDie();
  EXPECT_EQ(claim.verdict().rating(), v1::VERDICT_RATING_TRUE);
  EXPECT_EQ(claim.verdict().reviewer(), "users/reviewer");
  EXPECT_EQ(claim.verdict().record_time().seconds(), kDay0 + 2 * 3600);
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(StateSummary(claim, PartyName),
            "verdict: true; unconfirmed by North Korea and Russia");
}

TEST(FoldTest, AppearancesAppendOncePerUrl) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_APPEARANCE_ADDED, R"pb(
    appearance_added { url: "https://en.yna.co.kr/view/1" outlet: "Yonhap" }
  )pb");
  history.Add(v1::EVENT_KIND_APPEARANCE_ADDED, R"pb(
    appearance_added { url: "https://en.yna.co.kr/view/1" outlet: "Other" }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  ASSERT_EQ(claim.appearances_size(), 2);
  EXPECT_EQ(claim.appearances(1).outlet(), "Yonhap");
  EXPECT_EQ(claim.revision(), 3);
}

TEST(FoldTest, RelationsAppendAndRepeatsReplace) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_RELATION_ADDED, R"pb(
    relation_added {
      relation { type: RELATION_TYPE_SUPPORTS target: "claims/other" note: "1" }
    }
  )pb");
  history.Add(v1::EVENT_KIND_RELATION_ADDED, R"pb(
    relation_added {
      relation {
        type: RELATION_TYPE_INVERSE
        inverse_of: RELATION_TYPE_CONTRADICTS
        target: "claims/third"
      }
    }
  )pb");
  history.Add(v1::EVENT_KIND_RELATION_ADDED, R"pb(
    relation_added {
      relation { type: RELATION_TYPE_SUPPORTS target: "claims/other" note: "2" }
    }
  )pb");
  const v1::Claim claim = history.FoldOrDie();
  ASSERT_EQ(claim.relations_size(), 2);
  EXPECT_EQ(claim.relations(0).note(), "2");
  EXPECT_EQ(claim.relations(0).record_time().seconds(), kDay0 + 4 * 3600);
  EXPECT_EQ(claim.relations(1).inverse_of(), v1::RELATION_TYPE_CONTRADICTS);
}

TEST(FoldTest, MergeMarksTheDuplicateAndLinksTheTarget) {
  constexpr char kMerged[] = R"pb(
    merged { merged_claim: "claims/dup" into_claim: "claims/nk-troops" }
  )pb";
  History duplicate("dup");
  duplicate.Add(v1::EVENT_KIND_CLAIM_CREATED,
                R"pb(claim_created { claim { text: "NK troops in Russia" } })pb");
  duplicate.Add(v1::EVENT_KIND_MERGED, kMerged);
  const v1::Claim dup = duplicate.FoldOrDie();
  EXPECT_EQ(dup.merged_into(), "claims/nk-troops");
  ASSERT_EQ(dup.relations_size(), 1);
  EXPECT_EQ(dup.relations(0).type(), v1::RELATION_TYPE_SAME_AS);
  EXPECT_EQ(dup.relations(0).target(), "claims/nk-troops");

  History target = RunningExample();
  target.Add(v1::EVENT_KIND_MERGED, kMerged);
  const v1::Claim into = target.FoldOrDie();
  EXPECT_TRUE(into.merged_into().empty());
  ASSERT_EQ(into.relations_size(), 1);
  EXPECT_EQ(into.relations(0).type(), v1::RELATION_TYPE_INVERSE);
  EXPECT_EQ(into.relations(0).inverse_of(), v1::RELATION_TYPE_SAME_AS);
  EXPECT_EQ(into.relations(0).target(), "claims/dup");

  History bystander("bystander");
  bystander.Add(v1::EVENT_KIND_CLAIM_CREATED,
                R"pb(claim_created { claim { text: "x" } })pb");
  bystander.Add(v1::EVENT_KIND_MERGED, kMerged);
  EXPECT_EQ(Fold(bystander.events()).status().code(),
            absl::StatusCode::kInternal);
}

TEST(FoldTest, RetractionWinsOverEverything) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_VERDICT_RECORDED,
              R"pb(verdict_recorded { rating: VERDICT_RATING_TRUE })pb");
  history.Add(v1::EVENT_KIND_RETRACTED,
              R"pb(retracted { reason: "logged twice by mistake" })pb");
  const v1::Claim claim = history.FoldOrDie();
  EXPECT_EQ(claim.retraction_reason(), "logged twice by mistake");
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_RETRACTED);
  EXPECT_EQ(StateSummary(claim, PartyName),
            "retracted: logged twice by mistake");
}

TEST(FoldTest, RedactedEventsOnlyAdvanceTheRevision) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_STANCE_RECORDED,
              Stance("sources/russia", "STANCE_POSITION_DENIED"));
  history.Add(v1::EVENT_KIND_REDACTED, R"pb(
    redacted_event {
      target_event: "claims/nk-troops/events/2"
      reason: "wrong claim"
    }
  )pb");
  const v1::Claim before_redaction = history.FoldOrDie();
  EXPECT_EQ(before_redaction.state(), v1::CLAIM_STATE_DENIED);

  // What the Ledger stores after the redaction: event 2 without payload.
  std::vector<v1::Event> events = history.events();
  events[1].clear_payload();
  events[1].set_redacted(true);
  absl::StatusOr<v1::Claim> claim = Fold(events);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->revision(), 3);
  EXPECT_EQ(claim->update_time().seconds(), kDay0 + 3 * 3600);
  EXPECT_EQ(claim->state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(claim->stances(1).position(),
            v1::STANCE_POSITION_NOT_CONFIRMED);
  EXPECT_NE(claim->etag(), RunningExample().FoldOrDie().etag());

  // Redacted, the payload is ignored even if still present.
  std::vector<v1::Event> with_payload = history.events();
  with_payload[1].set_redacted(true);
  claim = Fold(with_payload);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->state(), v1::CLAIM_STATE_UNCONFIRMED);
}

TEST(FoldTest, ApplyEventMatchesFold) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_STANCE_RECORDED,
              Stance("sources/russia", "STANCE_POSITION_CONFIRMED"));
  history.Add(v1::EVENT_KIND_APPEARANCE_ADDED,
              R"pb(appearance_added { url: "https://example.com/a" })pb");
  v1::Claim incremental;
  for (const v1::Event& event : history.events()) {
    ASSERT_TRUE(ApplyEvent(event, &incremental).ok());
    // The Ledger may store a summary; the next event must not keep it stale.
    incremental.set_state_summary("stale");
  }
  v1::Claim folded = history.FoldOrDie();
  folded.set_state_summary("stale");
  EXPECT_TRUE(MessageDifferencer::Equals(incremental, folded))
      << incremental.DebugString() << "\n" << folded.DebugString();
}

// ---- Corrupt histories are INTERNAL and leave the claim as it was.

struct CorruptCase {
  std::string name;
  std::function<void(std::vector<v1::Event>*)> corrupt;
  std::string message;
};

TEST(FoldTest, CorruptHistoriesAreInternal) {
  const std::vector<CorruptCase> cases = {
      {"revision gap",
       [](std::vector<v1::Event>* events) { (*events)[1].set_revision(3); },
       "revision 3 cannot follow revision 1"},
      {"revision repeated",
       [](std::vector<v1::Event>* events) { (*events)[1].set_revision(1); },
       "cannot follow"},
      {"created twice",
       [](std::vector<v1::Event>* events) {
         (*events)[1].set_kind(v1::EVENT_KIND_CLAIM_CREATED);
         *(*events)[1].mutable_claim_created() = (*events)[0].claim_created();
       },
       "claim_created on an existing claim"},
      {"first event does not create",
       [](std::vector<v1::Event>* events) {
         (*events)[0].set_kind(v1::EVENT_KIND_STANCE_RECORDED);
         *(*events)[0].mutable_stance_recorded() =
             (*events)[1].stance_recorded();
       },
       "the first event does not create the claim"},
      {"missing payload",
       [](std::vector<v1::Event>* events) { (*events)[1].clear_payload(); },
       "no payload"},
      {"kind does not match payload",
       [](std::vector<v1::Event>* events) {
         (*events)[1].set_kind(v1::EVENT_KIND_RETRACTED);
       },
       "kind does not match"},
      {"creating event redacted",
       [](std::vector<v1::Event>* events) {
         (*events)[0].clear_payload();
         (*events)[0].set_redacted(true);
       },
       "creating event is redacted"},
      {"event of another claim",
       [](std::vector<v1::Event>* events) {
         (*events)[1].set_name("claims/other/events/2");
       },
       "applied to claims/nk-troops"},
      {"malformed event name",
       [](std::vector<v1::Event>* events) { (*events)[1].set_name("bogus"); },
       "malformed event name"},
      {"unknown update path",
       [](std::vector<v1::Event>* events) {
         (*events)[1].set_kind(v1::EVENT_KIND_CLAIM_UPDATED);
         (*events)[1].mutable_claim_updated()->add_update_mask_paths("text");
         (*events)[1].mutable_claim_updated()->add_update_mask_paths("state");
       },
       "unknown update path \"state\""},
  };
  for (const CorruptCase& test : cases) {
    SCOPED_TRACE(test.name);
    History history = RunningExample();
    history.Add(v1::EVENT_KIND_STANCE_RECORDED,
                Stance("sources/russia", "STANCE_POSITION_DENIED"));
    std::vector<v1::Event> events = history.events();
    test.corrupt(&events);
    absl::StatusOr<v1::Claim> claim = Fold(events);
    EXPECT_EQ(claim.status().code(), absl::StatusCode::kInternal);
    EXPECT_THAT(std::string(claim.status().message()),
                HasSubstr(test.message));
  }
}

TEST(FoldTest, ApplyEventLeavesTheClaimUnchangedOnError) {
  History history = RunningExample();
  history.Add(v1::EVENT_KIND_CLAIM_UPDATED, R"pb(
    claim_updated {
      claim { text: "changed" }
      update_mask_paths: "text"
      update_mask_paths: "verdict"
    }
  )pb");
  v1::Claim claim = RunningExample().FoldOrDie();
  const v1::Claim before = claim;
  EXPECT_EQ(ApplyEvent(history.events()[1], &claim).code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(MessageDifferencer::Equals(claim, before));
}

// ---- The ClaimState rules (resources.proto, ClaimState), one row each.

struct StateCase {
  std::string name;
  std::vector<std::pair<std::string, v1::StancePosition>> stances;
  v1::VerdictRating verdict;  // UNSPECIFIED: no verdict.
  std::string retraction;
  v1::ClaimState state;
  std::string summary;
};

TEST(DeriveStateTest, FollowsTheDocumentedRules) {
  const std::string nk = "sources/north-korea";
  const std::string ru = "sources/russia";
  const std::string ua = "sources/ukraine";
  using P = v1::StancePosition;
  const std::vector<StateCase> cases = {
      {"1: retracted",
       {{nk, v1::STANCE_POSITION_CONFIRMED}},
       v1::VERDICT_RATING_TRUE,
       "duplicate",
       v1::CLAIM_STATE_RETRACTED,
       "retracted: duplicate"},
      {"2: true verdict",
       {{nk, v1::STANCE_POSITION_DENIED}},
       v1::VERDICT_RATING_TRUE,
       "",
       v1::CLAIM_STATE_CONFIRMED,
       "verdict: true; denied by North Korea"},
      {"2: mostly true verdict",
       {},
       v1::VERDICT_RATING_MOSTLY_TRUE,
       "",
       v1::CLAIM_STATE_CONFIRMED,
       "verdict: mostly true"},
      {"2: false verdict",
       {{nk, v1::STANCE_POSITION_CONFIRMED}},
       v1::VERDICT_RATING_FALSE,
       "",
       v1::CLAIM_STATE_DENIED,
       "verdict: false; confirmed by North Korea"},
      {"2: mostly false verdict",
       {},
       v1::VERDICT_RATING_MOSTLY_FALSE,
       "",
       v1::CLAIM_STATE_DENIED,
       "verdict: mostly false"},
      {"2: mixed verdict",
       {},
       v1::VERDICT_RATING_MIXED,
       "",
       v1::CLAIM_STATE_DISPUTED,
       "verdict: mixed"},
      {"2: misleading verdict",
       {},
       v1::VERDICT_RATING_MISLEADING,
       "",
       v1::CLAIM_STATE_DISPUTED,
       "verdict: misleading"},
      {"2: unproven falls through",
       {{nk, v1::STANCE_POSITION_CONFIRMED}},
       v1::VERDICT_RATING_UNPROVEN,
       "",
       v1::CLAIM_STATE_CONFIRMED,
       "confirmed by North Korea"},
      {"3: no stances",
       {},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_UNVERIFIED,
       "unverified: no party has responded"},
      {"3: unproven and no stances",
       {},
       v1::VERDICT_RATING_UNPROVEN,
       "",
       v1::CLAIM_STATE_UNVERIFIED,
       "unverified: no party has responded"},
      {"4: a party disputes",
       {{nk, v1::STANCE_POSITION_CONFIRMED},
        {ru, v1::STANCE_POSITION_DISPUTED}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_DISPUTED,
       "disputed: confirmed by North Korea, disputed by Russia"},
      {"4: confirmed and denied",
       {{nk, v1::STANCE_POSITION_CONFIRMED},
        {ru, v1::STANCE_POSITION_DENIED},
        {ua, v1::STANCE_POSITION_NO_RESPONSE}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_DISPUTED,
       "disputed: confirmed by North Korea, denied by Russia, not confirmed "
       "by Ukraine"},
      {"5: denied",
       {{nk, v1::STANCE_POSITION_DENIED},
        {ru, v1::STANCE_POSITION_DECLINED_TO_COMMENT}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_DENIED,
       "denied by North Korea; not confirmed by Russia"},
      {"5: all denied",
       {{nk, v1::STANCE_POSITION_DENIED}, {ru, v1::STANCE_POSITION_DENIED}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_DENIED,
       "denied by North Korea and Russia"},
      {"6: all confirmed",
       {{nk, v1::STANCE_POSITION_CONFIRMED},
        {ru, v1::STANCE_POSITION_CONFIRMED},
        {ua, v1::STANCE_POSITION_CONFIRMED}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_CONFIRMED,
       "confirmed by North Korea, Russia and Ukraine"},
      {"6: some confirmed",
       {{nk, v1::STANCE_POSITION_NOT_ADDRESSED},
        {ru, v1::STANCE_POSITION_CONFIRMED}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_PARTIALLY_CONFIRMED,
       "confirmed by Russia; not confirmed by North Korea"},
      {"7: unconfirmed",
       {{nk, v1::STANCE_POSITION_NOT_CONFIRMED},
        {ru, v1::STANCE_POSITION_NO_RESPONSE},
        {ua, v1::STANCE_POSITION_DECLINED_TO_COMMENT}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_UNCONFIRMED,
       "unconfirmed by North Korea, Russia and Ukraine"},
      {"7: one party unconfirmed",
       {{nk, v1::STANCE_POSITION_NOT_CONFIRMED}},
       v1::VERDICT_RATING_UNSPECIFIED,
       "",
       v1::CLAIM_STATE_UNCONFIRMED,
       "unconfirmed by North Korea"},
  };
  for (const StateCase& test : cases) {
    SCOPED_TRACE(test.name);
    v1::Claim claim;
    for (const auto& [party, position] : test.stances) {
      v1::Stance* stance = claim.add_stances();
      stance->set_party(party);
      stance->set_position(static_cast<P>(position));
    }
    if (test.verdict != v1::VERDICT_RATING_UNSPECIFIED) {
      claim.mutable_verdict()->set_rating(test.verdict);
    }
    claim.set_retraction_reason(test.retraction);
    EXPECT_EQ(DeriveState(claim), test.state);
    EXPECT_EQ(StateSummary(claim, PartyName), test.summary);
  }
}

TEST(StateSummaryTest, UnknownPartiesShowTheirResourceName) {
  v1::Claim claim;
  v1::Stance* stance = claim.add_stances();
  stance->set_party("sources/unknown");
  stance->set_position(v1::STANCE_POSITION_DENIED);
  EXPECT_EQ(StateSummary(claim, PartyName), "denied by sources/unknown");
  EXPECT_EQ(StateSummary(claim, nullptr), "denied by sources/unknown");
}

// ---- Etags.

TEST(ClaimEtagTest, ChangesWithEveryEventAndDiffersBetweenClaims) {
  History history = RunningExample();
  std::vector<std::string> etags;
  etags.push_back(history.FoldOrDie().etag());
  history.Add(v1::EVENT_KIND_STANCE_RECORDED,
              Stance("sources/russia", "STANCE_POSITION_CONFIRMED"));
  etags.push_back(history.FoldOrDie().etag());
  history.Add(v1::EVENT_KIND_APPEARANCE_ADDED,
              R"pb(appearance_added { url: "https://example.com/a" })pb");
  etags.push_back(history.FoldOrDie().etag());
  EXPECT_NE(etags[0], etags[1]);
  EXPECT_NE(etags[1], etags[2]);
  EXPECT_NE(etags[0], etags[2]);

  History other("other-claim");
  other.Add(v1::EVENT_KIND_CLAIM_CREATED, kRunningExample);
  EXPECT_NE(other.FoldOrDie().etag(), etags[0]);
}

TEST(ClaimEtagTest, IsStableAcrossProcesses) {
  // A fixed function of name and revision (FNV-1a of "claims/nk-troops#1"),
  // so etags handed out before a restart still match after it.
  EXPECT_EQ(RunningExample().FoldOrDie().etag(), "5025e36716f19410");
  v1::Claim claim;
  claim.set_name("claims/nk-troops");
  claim.set_revision(1);
  EXPECT_EQ(ClaimEtag(claim), "5025e36716f19410");
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
