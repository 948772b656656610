// ClaimReview JSON-LD: export, import, the round trip between them, and
// per-item errors of malformed feeds.
#include <map>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/interchange/interchange.h"
#include "server/core/interchange/rating_table.h"
#include "server/core/report/selection.h"
#include "server/core/validation.h"
#include "tests/server/core/report/audit_dataset.h"

namespace claimtrail {
namespace interchange {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_data::AppendEvent;
using testing_data::AuditDataset;

// The dataset with two verdicts.
report::AuditInput DatasetWithVerdicts() {
  report::AuditInput input = AuditDataset();
  AppendEvent(&input, "nk-troops", R"pb(verdict_recorded {
      rating: VERDICT_RATING_TRUE
      explanation: "Both governments confirmed the deployment in April 2025."
      review_url: "https://factcheck.example/nk-troops" })pb",
              "2025-05-02T00:00:00Z");
  AppendEvent(&input, "claim-b", R"pb(verdict_recorded {
      rating: VERDICT_RATING_MIXED rating_text: "Half true" })pb",
              "2025-05-03T00:00:00Z");
  return input;
}

v1::ExportResponse ExportReviews(const report::AuditInput& input) {
  v1::ExportRequest req;
  req.set_format(v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD);
  req.set_review_publisher("Claimtrail Fact Check");
  absl::StatusOr<v1::ExportResponse> response = Export(input, req);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::ExportResponse();
}

ImportPlan Plan(const std::string& content, const ImportOptions& options = {}) {
  v1::ImportRequest req;
  req.set_format(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD);
  req.set_content(content);
  absl::StatusOr<ImportPlan> plan = PlanImport(req, options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : ImportPlan();
}

// Finds the dataset's sources by display name, as the Ledger's ListSources
// query would.
ImportOptions FindDatasetSources(const report::AuditInput& input) {
  auto names = std::make_shared<std::map<std::string, std::string>>();
  for (const v1::Source& source : input.sources) {
    (*names)[absl::AsciiStrToLower(source.display_name())] = source.name();
  }
  ImportOptions options;
  options.find_source =
      [names](absl::string_view name) -> std::optional<std::string> {
    auto it = names->find(absl::AsciiStrToLower(name));
    if (it == names->end()) return std::nullopt;
    return it->second;
  };
  return options;
}

const v1::Claim* FindClaim(const report::AuditInput& input,
                           const std::string& name,
                           v1::Claim* storage) {
  v1::ClaimSelection selection;
  selection.add_claims(name);
  const report::SourceDirectory sources(input.sources);
  absl::StatusOr<std::vector<report::SelectedClaim>> selected =
      report::SelectClaims(input, sources, selection, input.now);
  if (!selected.ok() || selected->size() != 1) return nullptr;
  *storage = (*selected)[0].claim;
  return storage;
}

TEST(ClaimReviewExportTest, FeedHasOneReviewPerVerdict) {
  const v1::ExportResponse response = ExportReviews(DatasetWithVerdicts());
  EXPECT_EQ(response.content_type(), "application/ld+json");
  EXPECT_EQ(response.item_count(), 2);
  EXPECT_EQ(response.skipped_count(), 4);
  const nlohmann::json feed = nlohmann::json::parse(response.content());
  EXPECT_EQ(feed["@context"], "https://schema.org");
  ASSERT_EQ(feed["@graph"].size(), 2);
  const nlohmann::json& b = feed["@graph"][0];
  EXPECT_EQ(b["identifier"], "claims/claim-b");
  EXPECT_EQ(b["reviewRating"]["alternateName"], "Half true");
  EXPECT_EQ(b["reviewRating"]["ratingValue"], 3);
  const nlohmann::json& nk = feed["@graph"][1];
  EXPECT_EQ(nk["@type"], "ClaimReview");
  EXPECT_EQ(nk["claimReviewed"],
            "North Korea has sent troops to Russia to support its war "
            "against Ukraine.");
  EXPECT_EQ(nk["url"], "https://factcheck.example/nk-troops");
  EXPECT_EQ(nk["datePublished"], "2025-05-02T00:00:00Z");
  EXPECT_EQ(nk["author"]["name"], "Claimtrail Fact Check");
  EXPECT_EQ(nk["inLanguage"], "en");
  EXPECT_EQ(nk["reviewRating"]["alternateName"], "True");
  EXPECT_EQ(nk["reviewRating"]["ratingValue"], 5);
  EXPECT_EQ(nk["reviewRating"]["bestRating"], 5);
  const nlohmann::json& item = nk["itemReviewed"];
  EXPECT_EQ(item["@type"], "Claim");
  EXPECT_EQ(item["author"]["@type"], "GovernmentOrganization");
  EXPECT_EQ(item["author"]["name"], "National Intelligence Service");
  EXPECT_EQ(item["datePublished"], "2025-03-21T02:00:00Z");
  EXPECT_EQ(item["appearance"][0]["url"],
            "https://www.straitstimes.com/asia/nk-weapons-test-russia-ties");
  EXPECT_EQ(item["appearance"][0]["publisher"]["name"], "straitstimes.com");
  EXPECT_EQ(item["firstAppearance"], item["appearance"][0]);
}

TEST(ClaimReviewRoundTripTest, ExportThenImportGivesEquivalentRequests) {
  const report::AuditInput input = DatasetWithVerdicts();
  const ImportPlan plan =
      Plan(ExportReviews(input).content(), FindDatasetSources(input));
  EXPECT_EQ(plan.items_read, 2);
  EXPECT_TRUE(plan.errors.empty());
  // Every source is known: nothing to create.
  EXPECT_TRUE(plan.sources.empty());
  ASSERT_EQ(plan.claims.size(), 2);

  for (const PlannedClaim& planned : plan.claims) {
    ASSERT_TRUE(planned.create.has_value());
    ASSERT_TRUE(planned.verdict.has_value());
    EXPECT_TRUE(core::Validate(*planned.create).ok());
    EXPECT_TRUE(core::Validate(*planned.verdict).ok());
    EXPECT_EQ(planned.verdict->claim(), planned.claim);
    EXPECT_EQ(planned.claim,
              absl::StrCat("claims/", planned.create->claim_id()));
  }
  v1::Claim original_storage;
  const v1::Claim* nk = FindClaim(input, "claims/nk-troops", &original_storage);
  ASSERT_NE(nk, nullptr);
  const PlannedClaim& imported = plan.claims[1];
  const v1::Claim& claim = imported.create->claim();
  EXPECT_EQ(claim.text(), nk->text());
  EXPECT_EQ(claim.language(), "en");
  ASSERT_EQ(claim.appearances_size(), 1);
  EXPECT_TRUE(MessageDifferencer::Equals(claim.appearances(0),
                                         nk->appearances(0)));
  ASSERT_EQ(claim.attributions_size(), 1);
  ASSERT_EQ(claim.attributions(0).hops_size(), 1);
  EXPECT_EQ(claim.attributions(0).hops(0).source(), "sources/nis");
  EXPECT_EQ(claim.attributions(0).hops(0).verb(), v1::ATTRIBUTION_VERB_SAID);
  // The verdict comes back as it was (reviewer and time are the Ledger's).
  v1::Verdict expected = nk->verdict();
  expected.clear_reviewer();
  expected.clear_record_time();
  EXPECT_TRUE(MessageDifferencer::Equals(imported.verdict->verdict(), expected))
      << imported.verdict->verdict().DebugString();
  EXPECT_EQ(imported.verdict->context().asserted_time().seconds(),
            testing_data::Ts("2025-05-02T00:00:00Z").seconds());
  EXPECT_THAT(imported.verdict->context().note(),
              HasSubstr("Claimtrail Fact Check"));

  const v1::Verdict& half = plan.claims[0].verdict->verdict();
  EXPECT_EQ(half.rating(), v1::VERDICT_RATING_MIXED);
  EXPECT_EQ(half.rating_text(), "Half true");
}

TEST(ClaimReviewRoundTripTest, ImportingTwiceGivesTheSameRequests) {
  const std::string feed = ExportReviews(DatasetWithVerdicts()).content();
  const ImportPlan first = Plan(feed);
  const ImportPlan second = Plan(feed);
  // Unknown sources are planned with ids from their names.
  ASSERT_EQ(first.sources.size(), 2);
  EXPECT_EQ(first.sources[0].source_id(), "ukraine-s-gur");
  EXPECT_EQ(first.sources[0].source().kind(), v1::SOURCE_KIND_GOVERNMENT);
  EXPECT_EQ(first.sources[1].source_id(), "national-intelligence-service");
  ASSERT_EQ(second.sources.size(), first.sources.size());
  for (size_t i = 0; i < first.sources.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(first.sources[i], second.sources[i]));
    EXPECT_THAT(first.sources[i].request_id(), ::testing::StartsWith("import-"));
    EXPECT_EQ(first.sources[i].request_id().size(), 7 + 32);
  }
  ASSERT_EQ(second.claims.size(), first.claims.size());
  for (size_t i = 0; i < first.claims.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(*first.claims[i].create,
                                           *second.claims[i].create));
    EXPECT_EQ(first.claims[i].verdict->request_id(),
              second.claims[i].verdict->request_id());
  }
  // Different requests get different ids.
  EXPECT_NE(first.claims[0].create->request_id(),
            first.claims[1].create->request_id());
}

TEST(ClaimReviewImportTest, MalformedFeedReportsItemsAndKeepsGoodOnes) {
  const std::string feed = R"json({
    "@context": "https://schema.org",
    "@graph": [
      {"@type": "ClaimReview", "claimReviewed": "Claim one.",
       "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"}},
      {"@type": "ClaimReview",
       "reviewRating": {"@type": "Rating", "alternateName": "False"}},
      {"@type": "Organization", "name": "A publisher, not a review"},
      {"@type": "ClaimReview", "claimReviewed": "Claim three."},
      42,
      {"@type": "ClaimReview", "claimReviewed": "Claim five.",
       "url": "https://review.example/5",
       "itemReviewed": {"@type": "Claim",
         "author": {"@type": "Person", "name": "A. Politician"},
         "appearance": ["https://news.example/a",
                        {"@type": "CreativeWork", "url": "https://news.example/b"}]},
       "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}},
      {"@type": "ClaimReview", "claimReviewed": "Claim six.",
       "itemReviewed": {"appearance": [{"headline": "no url"}]},
       "reviewRating": {"alternateName": "True"}},
      {"@type": "ClaimReview", "claimReviewed": "Claim seven.",
       "datePublished": "yesterday",
       "reviewRating": {"alternateName": "True"}}
    ]})json";
  const ImportPlan plan = Plan(feed);
  EXPECT_EQ(plan.items_read, 7);
  ASSERT_EQ(plan.errors.size(), 5);
  EXPECT_EQ(plan.errors[0].item(), 2);
  EXPECT_EQ(plan.errors[0].field(), "claimReviewed");
  EXPECT_EQ(plan.errors[1].item(), 3);
  EXPECT_EQ(plan.errors[1].field(), "reviewRating");
  EXPECT_EQ(plan.errors[2].item(), 4);
  EXPECT_THAT(plan.errors[2].message(), HasSubstr("not a JSON object"));
  EXPECT_EQ(plan.errors[3].item(), 6);
  EXPECT_EQ(plan.errors[3].field(), "itemReviewed.appearance[0].url");
  EXPECT_EQ(plan.errors[4].item(), 7);
  EXPECT_EQ(plan.errors[4].field(), "datePublished");

  ASSERT_EQ(plan.claims.size(), 2);
  EXPECT_EQ(plan.claims[0].item, 1);
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating(),
            v1::VERDICT_RATING_MOSTLY_TRUE);
  // Our own name for the rating is not kept as the reviewer's words.
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating_text(), "");
  EXPECT_EQ(plan.claims[1].item, 5);
  const v1::Claim& five = plan.claims[1].create->claim();
  EXPECT_EQ(five.appearances_size(), 2);
  EXPECT_EQ(five.attributions(0).hops(0).source(), "sources/a-politician");
  EXPECT_EQ(plan.claims[1].verdict->verdict().rating(),
            v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(plan.claims[1].verdict->verdict().rating_text(), "Pants on Fire");
  ASSERT_EQ(plan.sources.size(), 1);
  EXPECT_EQ(plan.sources[0].source().kind(), v1::SOURCE_KIND_PERSON);
}

TEST(ClaimReviewImportTest, SingleObjectAndArrayAndNumericRating) {
  ImportPlan plan = Plan(R"json({"@type": "ClaimReview",
      "claimReviewed": "Numbers only.",
      "reviewRating": {"ratingValue": "3", "bestRating": 7, "worstRating": 1}})json");
  ASSERT_EQ(plan.claims.size(), 1);
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating(),
            v1::VERDICT_RATING_MOSTLY_FALSE);

  plan = Plan(R"json([
      {"@type": ["ClaimReview"], "claimReviewed": "A",
       "reviewRating": {"alternateName": "Ridiculous"}},
      {"@type": "ClaimReview", "claimReviewed": "A",
       "reviewRating": {"alternateName": "false"}}])json");
  ASSERT_EQ(plan.claims.size(), 2);
  // Not in the table: unproven, with the words kept.
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating(),
            v1::VERDICT_RATING_UNPROVEN);
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating_text(), "Ridiculous");
  // The same claim twice: created once, both verdicts go to it.
  EXPECT_TRUE(plan.claims[0].create.has_value());
  EXPECT_FALSE(plan.claims[1].create.has_value());
  EXPECT_EQ(plan.claims[1].claim, plan.claims[0].claim);
}

TEST(ClaimReviewImportTest, WordsOutsideTheTableAreRatedByTheirValue) {
  const ImportPlan plan = Plan(R"json([
      {"@type": "ClaimReview", "claimReviewed": "Default scale.",
       "reviewRating": {"alternateName": "Faux", "ratingValue": 1}},
      {"@type": "ClaimReview", "claimReviewed": "Own scale.",
       "reviewRating": {"name": "Plutôt vrai", "ratingValue": "8",
                        "worstRating": 0, "bestRating": 10}},
      {"@type": "ClaimReview", "claimReviewed": "Value off the scale.",
       "reviewRating": {"alternateName": "Faux", "ratingValue": 9}},
      {"@type": "ClaimReview", "claimReviewed": "The table wins.",
       "reviewRating": {"alternateName": "False", "ratingValue": 5}}])json");
  EXPECT_TRUE(plan.errors.empty()) << plan.errors[0].message();
  ASSERT_EQ(plan.claims.size(), 4);
  const v1::Verdict& faux = plan.claims[0].verdict->verdict();
  EXPECT_EQ(faux.rating(), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(faux.rating_text(), "Faux");
  const v1::Verdict& own = plan.claims[1].verdict->verdict();
  EXPECT_EQ(own.rating(), v1::VERDICT_RATING_TRUE);
  EXPECT_EQ(own.rating_text(), "Plutôt vrai");
  // A value that is not usable leaves the words unrated, as without one.
  const v1::Verdict& off = plan.claims[2].verdict->verdict();
  EXPECT_EQ(off.rating(), v1::VERDICT_RATING_UNPROVEN);
  EXPECT_EQ(off.rating_text(), "Faux");
  EXPECT_EQ(plan.claims[3].verdict->verdict().rating(),
            v1::VERDICT_RATING_FALSE);
}

TEST(ClaimReviewRoundTripTest, OwnWordsForAFiveStepRatingComeBack) {
  report::AuditInput input = testing_data::AuditDataset();
  AppendEvent(&input, "nk-troops", R"pb(verdict_recorded {
                                          rating: VERDICT_RATING_FALSE
                                          rating_text: "Faux"
                                        })pb",
              "2025-05-02T00:00:00Z");
  const ImportPlan plan = Plan(ExportReviews(input).content());
  ASSERT_EQ(plan.claims.size(), 1);
  const v1::Verdict& verdict = plan.claims[0].verdict->verdict();
  EXPECT_EQ(verdict.rating(), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(verdict.rating_text(), "Faux");
}

TEST(ClaimReviewRoundTripTest, OwnWordsForARatingWithoutAValueComeBack) {
  for (const v1::VerdictRating rating :
       {v1::VERDICT_RATING_MISLEADING, v1::VERDICT_RATING_UNPROVEN,
        v1::VERDICT_RATING_MIXED}) {
    report::AuditInput input = testing_data::AuditDataset();
    v1::Event event;
    event.mutable_verdict_recorded()->set_rating(rating);
    event.mutable_verdict_recorded()->set_rating_text("Engañoso");
    AppendEvent(&input, "nk-troops", event.ShortDebugString(),
                "2025-05-02T00:00:00Z");
    const ImportPlan plan = Plan(ExportReviews(input).content());
    ASSERT_EQ(plan.claims.size(), 1);
    const v1::Verdict& verdict = plan.claims[0].verdict->verdict();
    EXPECT_EQ(verdict.rating(), rating) << v1::VerdictRating_Name(rating);
    EXPECT_EQ(verdict.rating_text(), "Engañoso");
  }
  // A publisher's own words with a table name in `name`: the name rates.
  const ImportPlan plan = Plan(R"json({"@type": "ClaimReview",
      "claimReviewed": "Named.",
      "reviewRating": {"name": "Misleading", "alternateName": "Sesgado"}})json");
  ASSERT_EQ(plan.claims.size(), 1);
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating(),
            v1::VERDICT_RATING_MISLEADING);
  EXPECT_EQ(plan.claims[0].verdict->verdict().rating_text(), "Sesgado");
}

TEST(ClaimReviewImportTest, DateTimesWithoutAZoneAreUtc) {
  const ImportPlan plan = Plan(R"json({"@type": "ClaimReview",
      "claimReviewed": "WordPress dates.",
      "datePublished": "2025-01-10T09:00:00",
      "itemReviewed": {"@type": "Claim",
                       "datePublished": "2025-01-09T18:30:15.250"},
      "reviewRating": {"alternateName": "True"}})json");
  EXPECT_TRUE(plan.errors.empty()) << plan.errors[0].message();
  ASSERT_EQ(plan.claims.size(), 1);
  EXPECT_EQ(plan.claims[0].verdict->context().asserted_time().seconds(),
            testing_data::Ts("2025-01-10T09:00:00Z").seconds());
  const google::protobuf::Timestamp& said =
      plan.claims[0].create->context().asserted_time();
  EXPECT_EQ(said.seconds(), testing_data::Ts("2025-01-09T18:30:15Z").seconds());
  EXPECT_EQ(said.nanos(), 250000000);
  // Still not a date.
  EXPECT_EQ(Plan(R"json({"@type": "ClaimReview", "claimReviewed": "X",
      "datePublished": "2025-01-10 09:00",
      "reviewRating": {"alternateName": "True"}})json")
                .errors.size(),
            1);
}

TEST(ClaimReviewImportTest, ExistingClaimsGetOnlyTheVerdict) {
  ImportOptions options;
  options.find_claim = [](absl::string_view text) -> std::optional<std::string> {
    if (text == "Known claim.") return "claims/known";
    return std::nullopt;
  };
  const ImportPlan plan = Plan(R"json({"@type": "ClaimReview",
      "claimReviewed": "Known claim.",
      "reviewRating": {"alternateName": "True"}})json", options);
  ASSERT_EQ(plan.claims.size(), 1);
  EXPECT_FALSE(plan.claims[0].create.has_value());
  EXPECT_EQ(plan.claims[0].verdict->claim(), "claims/known");
}

TEST(ClaimReviewImportTest, AVerdictAlreadyRecordedIsNotPlannedAgain) {
  ImportOptions options;
  options.find_claim =
      [](absl::string_view text) -> std::optional<std::string> {
    return absl::StrCat("claims/", text.substr(0, 1));
  };
  options.find_verdict =
      [](absl::string_view claim) -> std::optional<v1::Verdict> {
    v1::Verdict recorded;
    recorded.set_rating(v1::VERDICT_RATING_FALSE);
    recorded.set_reviewer("users/editor");  // Not the importer's business.
    if (claim == "claims/a") recorded.set_rating_text("Faux");
    if (claim == "claims/c") return std::nullopt;
    recorded.set_review_url("https://review.example/1");
    return recorded;
  };
  const ImportPlan plan = Plan(R"json([
      {"@type": "ClaimReview", "claimReviewed": "a: the same review",
       "url": "https://review.example/1",
       "reviewRating": {"alternateName": "Faux", "ratingValue": 1}},
      {"@type": "ClaimReview", "claimReviewed": "b: our name for the rating",
       "url": "https://review.example/1",
       "reviewRating": {"alternateName": "False", "ratingValue": 1}},
      {"@type": "ClaimReview", "claimReviewed": "a: another review",
       "url": "https://review.example/2",
       "reviewRating": {"alternateName": "Faux", "ratingValue": 1}},
      {"@type": "ClaimReview", "claimReviewed": "b: another rating",
       "url": "https://review.example/1",
       "reviewRating": {"alternateName": "Mostly false"}},
      {"@type": "ClaimReview", "claimReviewed": "c: no verdict yet",
       "reviewRating": {"alternateName": "False"}}])json",
                               options);
  EXPECT_TRUE(plan.errors.empty());
  ASSERT_EQ(plan.claims.size(), 5);
  EXPECT_FALSE(plan.claims[0].verdict.has_value());
  EXPECT_FALSE(plan.claims[1].verdict.has_value());
  EXPECT_TRUE(plan.claims[2].verdict.has_value());
  EXPECT_TRUE(plan.claims[3].verdict.has_value());
  EXPECT_TRUE(plan.claims[4].verdict.has_value());
}

TEST(ClaimReviewImportTest, SyntaxErrorsNameTheLine) {
  v1::ImportRequest req;
  req.set_format(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD);
  req.set_content("[\n  {\"@type\": \"ClaimReview\",\n   \"claimReviewed\": }\n]");
  absl::StatusOr<ImportPlan> plan = PlanImport(req, {});
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(plan.status().message()),
              ::testing::StartsWith("content: line 3, column"));

  req.set_content("\"just a string\"");
  EXPECT_EQ(PlanImport(req, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  req.set_content("");
  EXPECT_THAT(std::string(PlanImport(req, {}).status().message()),
              ::testing::StartsWith("content: empty"));
  req.set_format(v1::IMPORT_FORMAT_UNSPECIFIED);
  req.set_content("{}");
  EXPECT_THAT(std::string(PlanImport(req, {}).status().message()),
              ::testing::StartsWith("format:"));
}

TEST(RatingTableTest, NamesAndValues) {
  EXPECT_EQ(RatingFromName("True"), v1::VERDICT_RATING_TRUE);
  EXPECT_EQ(RatingFromName("Correct"), v1::VERDICT_RATING_TRUE);
  EXPECT_EQ(RatingFromName("Mostly-True!"), v1::VERDICT_RATING_MOSTLY_TRUE);
  EXPECT_EQ(RatingFromName("half true"), v1::VERDICT_RATING_MIXED);
  EXPECT_EQ(RatingFromName("Mixed"), v1::VERDICT_RATING_MIXED);
  EXPECT_EQ(RatingFromName("Mostly false"), v1::VERDICT_RATING_MOSTLY_FALSE);
  EXPECT_EQ(RatingFromName("PANTS ON FIRE"), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(RatingFromName("Incorrect"), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(RatingFromName("Missing context"), v1::VERDICT_RATING_MISLEADING);
  EXPECT_EQ(RatingFromName("Unverified"), v1::VERDICT_RATING_UNPROVEN);
  EXPECT_EQ(RatingFromName("Satire"), std::nullopt);
  EXPECT_EQ(RatingFromValue(5, 1, 5), v1::VERDICT_RATING_TRUE);
  EXPECT_EQ(RatingFromValue(1, 1, 5), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(RatingFromValue(3, 1, 5), v1::VERDICT_RATING_MIXED);
  EXPECT_EQ(RatingFromValue(6, 1, 5), std::nullopt);
  for (int r = v1::VERDICT_RATING_TRUE; r <= v1::VERDICT_RATING_UNPROVEN; ++r) {
    const auto rating = static_cast<v1::VerdictRating>(r);
    EXPECT_EQ(RatingFromName(CanonicalRatingName(rating)), rating) << r;
  }
}

}  // namespace
}  // namespace interchange
}  // namespace claimtrail
