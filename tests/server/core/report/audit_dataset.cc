#include "tests/server/core/report/audit_dataset.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/core/fold.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace testing_data {
namespace {

v1::EventKind KindOf(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kClaimCreated: return v1::EVENT_KIND_CLAIM_CREATED;
    case v1::Event::kClaimUpdated: return v1::EVENT_KIND_CLAIM_UPDATED;
    case v1::Event::kAttributionAdded: return v1::EVENT_KIND_ATTRIBUTION_ADDED;
    case v1::Event::kFigureRevised: return v1::EVENT_KIND_FIGURE_REVISED;
    case v1::Event::kStanceRecorded: return v1::EVENT_KIND_STANCE_RECORDED;
    case v1::Event::kVerdictRecorded: return v1::EVENT_KIND_VERDICT_RECORDED;
    case v1::Event::kAppearanceAdded: return v1::EVENT_KIND_APPEARANCE_ADDED;
    case v1::Event::kRelationAdded: return v1::EVENT_KIND_RELATION_ADDED;
    case v1::Event::kMerged: return v1::EVENT_KIND_MERGED;
    case v1::Event::kRetracted: return v1::EVENT_KIND_RETRACTED;
    case v1::Event::kRedactedEvent: return v1::EVENT_KIND_REDACTED;
    default: return v1::EVENT_KIND_UNSPECIFIED;
  }
}

v1::Source Source(const std::string& text) {
  v1::Source source;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &source))
      << text;
  return source;
}

}  // namespace

absl::Time At(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error))
      << rfc3339 << ": " << error;
  return time;
}

google::protobuf::Timestamp Ts(const std::string& rfc3339) {
  return ToProtoTime(At(rfc3339));
}

HistoryBuilder::HistoryBuilder(std::string claim_id)
    : claim_id_(std::move(claim_id)) {}

HistoryBuilder& HistoryBuilder::Add(const std::string& payload,
                                    const std::string& recorded,
                                    const std::string& asserted) {
  v1::Event event;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(payload, &event))
      << payload;
  const int64_t revision = static_cast<int64_t>(events_.size()) + 1;
  event.set_name(absl::StrCat("claims/", claim_id_, "/events/", revision));
  event.set_revision(revision);
  event.set_kind(KindOf(event));
  event.set_author("users/checker");
  event.set_request_id(absl::StrCat("req-", claim_id_, "-", revision));
  *event.mutable_recorded_time() = Ts(recorded);
  if (!asserted.empty()) *event.mutable_asserted_time() = Ts(asserted);
  events_.push_back(std::move(event));
  return *this;
}

report::AuditInput AuditDataset() {
  report::AuditInput input;
  input.now = At("2025-06-01T00:00:00Z");
  input.sources = {
      Source(R"pb(name: "sources/south-korea" display_name: "South Korea"
                  kind: SOURCE_KIND_GOVERNMENT)pb"),
      Source(R"pb(name: "sources/nis"
                  display_name: "National Intelligence Service"
                  kind: SOURCE_KIND_AGENCY aliases: "NIS"
                  aliases: "South Korea's spy agency"
                  affiliation: "sources/south-korea"
                  reliability: RELIABILITY_GRADE_B country: "KR")pb"),
      Source(R"pb(name: "sources/straitstimes" display_name: "straitstimes.com"
                  kind: SOURCE_KIND_NEWS_OUTLET
                  url: "https://www.straitstimes.com")pb"),
      Source(R"pb(name: "sources/yonhap" display_name: "Yonhap"
                  kind: SOURCE_KIND_WIRE_SERVICE
                  reliability: RELIABILITY_GRADE_A)pb"),
      Source(R"pb(name: "sources/reuters" display_name: "Reuters"
                  kind: SOURCE_KIND_WIRE_SERVICE)pb"),
      Source(R"pb(name: "sources/north-korea" display_name: "North Korea"
                  kind: SOURCE_KIND_GOVERNMENT)pb"),
      Source(R"pb(name: "sources/kcna" display_name: "KCNA"
                  kind: SOURCE_KIND_STATE_MEDIA
                  affiliation: "sources/north-korea")pb"),
      Source(R"pb(name: "sources/russia" display_name: "Russia"
                  kind: SOURCE_KIND_GOVERNMENT)pb"),
      Source(R"pb(name: "sources/ukraine" display_name: "Ukraine"
                  kind: SOURCE_KIND_GOVERNMENT)pb"),
      Source(R"pb(name: "sources/ukraine-gur" display_name: "Ukraine's GUR"
                  kind: SOURCE_KIND_AGENCY affiliation: "sources/ukraine")pb"),
      Source(R"pb(name: "sources/us-officials" display_name: "US officials"
                  kind: SOURCE_KIND_OFFICIAL)pb"),
      Source(R"pb(name: "sources/anonymous-source"
                  display_name: "a person familiar with the matter"
                  kind: SOURCE_KIND_ANONYMOUS)pb"),
  };

  HistoryBuilder nk("nk-troops");
  nk.Add(R"pb(claim_created { claim {
      text: "North Korea has sent troops to Russia to support its war against Ukraine."
      topics: "north-korea" topics: "russia" language: "en"
      figures { figure_id: "troops" label: "North Korean soldiers sent to Russia"
                lower_bound: 10000 unit: "soldiers"
                qualifier: FIGURE_QUALIFIER_OVER }
      attributions {
        hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID credibility: 2 }
        hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED
               appearance { url: "https://www.straitstimes.com/asia/nk-weapons-test-russia-ties" } }
      }
      stances { party: "sources/north-korea" position: STANCE_POSITION_NOT_CONFIRMED }
      stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED }
      appearances { url: "https://www.straitstimes.com/asia/nk-weapons-test-russia-ties"
                    outlet: "straitstimes.com"
                    publish_time { seconds: 1742522400 }
                    title: "North Korea tests weapons amid Russia ties" }
  } })pb",
         "2025-03-21T09:00:00Z", "2025-03-20T00:00:00Z")
      .Add(R"pb(figure_revised { figure_id: "troops"
                 label: "North Korean soldiers sent to Russia"
                 amount: 12000 unit: "soldiers" qualifier: FIGURE_QUALIFIER_ABOUT
                 sources { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
                 sources { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED } })pb",
           "2025-03-31T09:00:00Z")
      .Add(R"pb(stance_recorded { party: "sources/russia"
                 position: STANCE_POSITION_CONFIRMED
                 statement: "Troops of the DPRK took part in freeing Kursk."
                 asserted_time { seconds: 1745654400 } })pb",
           "2025-04-26T12:00:00Z")
      .Add(R"pb(stance_recorded { party: "sources/north-korea"
                 position: STANCE_POSITION_CONFIRMED })pb",
           "2025-04-28T06:00:00Z", "2025-04-28T00:00:00Z");

  HistoryBuilder a("claim-a");
  a.Add(R"pb(claim_created { claim {
      text: "North Korean troops were seen in the Kursk region."
      topics: "north-korea"
      attributions {
        hops { source: "sources/nis" verb: ATTRIBUTION_VERB_BRIEFED }
        hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED } }
      attributions {
        hops { source: "sources/nis" verb: ATTRIBUTION_VERB_BRIEFED }
        hops { source: "sources/reuters" verb: ATTRIBUTION_VERB_REPORTED } }
  } })pb",
        "2025-03-21T10:00:00Z")
      .Add(R"pb(attribution_added {
        hops { source: "sources/nis" verb: ATTRIBUTION_VERB_BRIEFED }
        hops { source: "sources/reuters" verb: ATTRIBUTION_VERB_REPORTED }
        hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_ACCORDING_TO } })pb",
           "2025-03-21T11:00:00Z");

  HistoryBuilder b("claim-b");
  b.Add(R"pb(claim_created { claim {
      text: "North Korean soldiers fought in Kursk."
      topics: "north-korea" topics: "ukraine"
      attributions {
        hops { source: "sources/ukraine-gur" verb: ATTRIBUTION_VERB_SAID credibility: 3 }
        hops { source: "sources/reuters" verb: ATTRIBUTION_VERB_REPORTED } }
      attributions { hops { source: "sources/kcna" verb: ATTRIBUTION_VERB_REPORTED } }
      attributions {
        hops { source: "sources/north-korea" verb: ATTRIBUTION_VERB_SAID }
        hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED } }
  } })pb",
        "2025-03-21T09:00:00Z")
      .Add(R"pb(stance_recorded { party: "sources/ukraine"
                 position: STANCE_POSITION_CONFIRMED })pb",
           "2025-03-22T09:00:00Z")
      .Add(R"pb(stance_recorded { party: "sources/russia"
                 position: STANCE_POSITION_DENIED })pb",
           "2025-03-23T09:00:00Z");

  HistoryBuilder anon("claim-anon");
  anon.Add(R"pb(claim_created { claim {
      text: "North Korea supplied artillery shells to Russia."
      topics: "russia"
      attributions {
        hops { source: "sources/us-officials" verb: ATTRIBUTION_VERB_SAID
               anonymous: true anonymity_reason: "not authorized to speak publicly"
               credibility: 3 }
        hops { source: "sources/reuters" verb: ATTRIBUTION_VERB_REPORTED } }
      attributions {
        hops { source: "sources/anonymous-source" verb: ATTRIBUTION_VERB_LEAKED }
        hops { source: "sources/yonhap" verb: ATTRIBUTION_VERB_REPORTED } }
  } })pb",
           "2025-03-21T12:00:00Z");

  HistoryBuilder retracted("claim-retracted");
  retracted
      .Add(R"pb(claim_created { claim {
      text: "North Korean troops left Russia in March."
      attributions { hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED } }
  } })pb",
           "2025-03-21T13:00:00Z")
      .Add(R"pb(retracted { reason: "The outlet corrected its report." })pb",
           "2025-03-24T09:00:00Z");

  HistoryBuilder late("claim-late");
  late.Add(R"pb(claim_created { claim {
      text: "North Korea will send more troops."
      topics: "other"
      stances { party: "sources/north-korea" position: STANCE_POSITION_NOT_CONFIRMED }
  } })pb",
           "2025-05-10T00:00:00Z");

  for (const HistoryBuilder* history : {&nk, &a, &b, &anon, &retracted, &late}) {
    input.histories.push_back(history->events());
  }
  return input;
}

void AppendEvent(report::AuditInput* input, const std::string& claim_id,
                 const std::string& payload, const std::string& recorded,
                 const std::string& asserted) {
  const std::string prefix = absl::StrCat("claims/", claim_id, "/events/");
  for (std::vector<v1::Event>& history : input->histories) {
    if (history.empty() || history[0].name().rfind(prefix, 0) != 0) continue;
    HistoryBuilder builder(claim_id);
    for (size_t i = 0; i < history.size(); ++i) {
      builder.Add("", "2025-01-01T00:00:00Z");  // Placeholders for numbering.
    }
    builder.Add(payload, recorded, asserted);
    history.push_back(builder.events().back());
    return;
  }
  ADD_FAILURE() << "no claim " << claim_id;
}

void CommitDataset(const report::AuditInput& input, storage::Storage& storage) {
  storage::WriteSet writes;
  uint64_t sequence = storage.LastSequence();
  for (const std::vector<v1::Event>& history : input.histories) {
    v1::Claim claim;
    for (v1::Event event : history) {
      ASSERT_TRUE(core::ApplyEvent(event, &claim).ok()) << event.name();
      event.set_sequence(++sequence);
      event.set_claim_state(claim.state());
      writes.events.push_back(std::move(event));
    }
    writes.claims.push_back({std::nullopt, claim});
  }
  writes.sources = input.sources;
  for (const v1::Event& event : writes.events) {
    storage::RequestRecord record;
    record.set_request_id(event.request_id());
    record.set_method("test");
    writes.requests.push_back(record);
  }
  const absl::Status status = storage.Commit(writes);
  ASSERT_TRUE(status.ok()) << status;
}

}  // namespace testing_data
}  // namespace claimtrail
