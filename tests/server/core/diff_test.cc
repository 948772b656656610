#include "server/core/diff.h"

#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/core/render.h"

namespace claimtrail {
namespace core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Claim ParseClaim(const std::string& text) {
  v1::Claim claim;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &claim))
      << text;
  return claim;
}

// A change as one string, for readable expectations: "path: before -> after".
std::vector<std::string> Render(const std::vector<v1::FieldChange>& changes) {
  std::vector<std::string> out;
  for (const v1::FieldChange& change : changes) {
    out.push_back(change.path() + ": " + change.before() + " => " +
                  change.after());
  }
  return out;
}

// The running example of BRIEF §2, as the fold leaves it after creation.
constexpr char kRunningExample[] = R"pb(
  name: "claims/nk-troops"
  text: "North Korea has sent troops to Russia to support its war against Ukraine."
  parts {
    subject: "North Korea"
    period { start_time { seconds: 1727740800 } }
  }
  topics: "north-korea"
  topics: "russia"
  language: "en"
  figures {
    figure_id: "troops"
    lower_bound: 10000
    unit: "soldiers"
    qualifier: FIGURE_QUALIFIER_OVER
    revision: 1
    record_time { seconds: 1742518800 }
  }
  attributions {
    attribution_id: "a1"
    hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
    hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED }
  }
  stances {
    party: "sources/north-korea"
    position: STANCE_POSITION_NOT_CONFIRMED
  }
  stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED }
  state: CLAIM_STATE_UNCONFIRMED
  state_summary: "unconfirmed by North Korea and Russia"
  appearances {
    url: "https://www.straitstimes.com/asia/nk"
    outlet: "straitstimes.com"
    publish_time { seconds: 1742515200 }
  }
  revision: 1
  create_time { seconds: 1742518800 }
  update_time { seconds: 1742518800 }
  creator: "users/checker"
  etag: "5025e36716f19410"
)pb";

TEST(DiffClaimsTest, IdenticalStatesHaveNoChanges) {
  const v1::Claim claim = ParseClaim(kRunningExample);
  EXPECT_THAT(DiffClaims(claim, claim), IsEmpty());
  EXPECT_THAT(DiffClaims(v1::Claim(), v1::Claim()), IsEmpty());
}

TEST(DiffClaimsTest, CreationShowsEveryFieldInClaimOrder) {
  EXPECT_THAT(
      Render(DiffClaims(v1::Claim(), ParseClaim(kRunningExample))),
      ElementsAre(
          "text:  => North Korea has sent troops to Russia to support its war "
          "against Ukraine.",
          "parts.subject:  => North Korea",
          "parts.period.start_time:  => 2024-10-01T00:00:00Z",
          "topics:  => north-korea, russia", "language:  => en",
          "figures[troops]:  => over 10,000 soldiers",
          "attributions[a1]:  => sources/nis (said) -> sources/straitstimes "
          "(reported)",
          "stances[sources/north-korea]:  => not confirmed",
          "stances[sources/russia]:  => not confirmed",
          "state:  => unconfirmed",
          "appearances[https://www.straitstimes.com/asia/nk]:  => "
          "straitstimes.com, 2025-03-21T00:00:00Z, "
          "https://www.straitstimes.com/asia/nk"));
}

TEST(DiffClaimsTest, BookkeepingIsNotReported) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  after.set_revision(2);
  after.mutable_update_time()->set_seconds(1742600000);
  after.set_etag("other");
  after.set_state_summary("other words");
  after.mutable_figures(0)->set_revision(2);
  after.mutable_figures(0)->mutable_record_time()->set_seconds(1742600000);
  EXPECT_THAT(DiffClaims(before, after), IsEmpty());
}

TEST(DiffClaimsTest, FigureRevisionIsReportedFieldByField) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  v1::Figure* troops = after.mutable_figures(0);
  troops->set_lower_bound(11000);
  troops->set_upper_bound(12000.5);
  troops->set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
  v1::AttributionHop* hop = troops->add_sources();
  hop->set_source("sources/nis");
  hop->set_verb(v1::ATTRIBUTION_VERB_ESTIMATED);
  troops->mutable_valid_time()->mutable_end_time()->set_seconds(1742515200);
  troops->mutable_valid_time()->mutable_end_time()->set_nanos(250000000);
  troops->set_revision(2);
  EXPECT_THAT(Render(DiffClaims(before, after)),
              ElementsAre("figures[troops].lower_bound: 10000 => 11000",
                          "figures[troops].upper_bound:  => 12000.5",
                          "figures[troops].qualifier: over => between",
                          "figures[troops].sources:  => sources/nis "
                          "(estimated)",
                          "figures[troops].valid_time.end_time:  => "
                          "2025-03-21T00:00:00.25Z"));
}

TEST(DiffClaimsTest, NewFigureIsRenderedWhole) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  v1::Figure* aid = after.add_figures();
  aid->set_figure_id("aid");
  aid->set_lower_bound(1000);
  aid->set_upper_bound(2000);
  aid->set_unit("USD");
  aid->set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
  EXPECT_THAT(Render(DiffClaims(before, after)),
              ElementsAre("figures[aid]:  => between 1,000 and 2,000 USD"));
}

TEST(DiffClaimsTest, StanceChangeAndItsState) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  after.mutable_stances(1)->set_position(v1::STANCE_POSITION_CONFIRMED);
  after.mutable_stances(1)->set_statement("Yes.");
  after.mutable_stances(1)->mutable_asserted_time()->set_seconds(1742515200);
  after.set_state(v1::CLAIM_STATE_PARTIALLY_CONFIRMED);
  EXPECT_THAT(
      Render(DiffClaims(before, after)),
      ElementsAre(
          "stances[sources/russia].position: not confirmed => confirmed",
          "stances[sources/russia].statement:  => Yes.",
          "stances[sources/russia].asserted_time:  => 2025-03-21T00:00:00Z",
          "state: unconfirmed => partially confirmed"));
}

TEST(DiffClaimsTest, VerdictRetractionAndMerge) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  after.mutable_verdict()->set_rating(v1::VERDICT_RATING_MOSTLY_FALSE);
  after.mutable_verdict()->set_reviewer("users/reviewer");
  after.set_state(v1::CLAIM_STATE_RETRACTED);
  after.set_retraction_reason("duplicate");
  after.set_merged_into("claims/other");
  EXPECT_THAT(Render(DiffClaims(before, after)),
              ElementsAre("verdict.rating:  => mostly false",
                          "verdict.reviewer:  => users/reviewer",
                          "state: unconfirmed => retracted",
                          "retraction_reason:  => duplicate",
                          "merged_into:  => claims/other"));
}

TEST(DiffClaimsTest, EntriesKeyedByIdentity) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  // Russia's stance disappears (a redaction refold), a new attribution and
  // appearance, relations both ways.
  after.mutable_stances()->RemoveLast();
  v1::Attribution* a2 = after.add_attributions();
  a2->set_attribution_id("a2");
  a2->set_figure_id("troops");
  v1::AttributionHop* hop = a2->add_hops();
  hop->set_source("sources/officials");
  hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
  hop->set_anonymous(true);
  after.mutable_appearances(0)->set_quote("over 10,000 North Korean soldiers");
  v1::Relation* forward = after.add_relations();
  forward->set_type(v1::RELATION_TYPE_SUPPORTS);
  forward->set_target("claims/b");
  forward->set_note("same intel");
  v1::Relation* inverse = after.add_relations();
  inverse->set_type(v1::RELATION_TYPE_INVERSE);
  inverse->set_inverse_of(v1::RELATION_TYPE_CONTRADICTS);
  inverse->set_target("claims/c");
  EXPECT_THAT(
      Render(DiffClaims(before, after)),
      ElementsAre(
          "attributions[a2]:  => sources/officials (said, anonymous) "
          "(figure troops)",
          "stances[sources/russia]: not confirmed => ",
          "appearances[https://www.straitstimes.com/asia/nk].quote:  => over "
          "10,000 North Korean soldiers",
          "relations[supports claims/b]:  => supports claims/b: same intel",
          "relations[contradicted by claims/c]:  => contradicted by "
          "claims/c"));

  v1::Claim renoted = after;
  renoted.mutable_relations(0)->set_note("other intel");
  EXPECT_THAT(Render(DiffClaims(after, renoted)),
              ElementsAre("relations[supports claims/b].note: same intel => "
                          "other intel"));
}

TEST(DiffClaimsTest, TopicsAndPartsChanges) {
  const v1::Claim before = ParseClaim(kRunningExample);
  v1::Claim after = before;
  after.add_topics("ukraine-war");
  after.mutable_parts()->clear_period();
  after.mutable_parts()->set_place("Kursk region");
  EXPECT_THAT(Render(DiffClaims(before, after)),
              ElementsAre("parts.place:  => Kursk region",
                          "parts.period.start_time: 2024-10-01T00:00:00Z => ",
                          "topics: north-korea, russia => north-korea, "
                          "russia, ukraine-war"));
}

// ---- Renderings shared with the CLI and reports.

TEST(RenderTest, Numbers) {
  EXPECT_EQ(FormatNumber(10000), "10000");
  EXPECT_EQ(FormatNumber(2.5), "2.5");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(-1234.125), "-1234.125");
  EXPECT_EQ(FormatNumber(1e20), "1e+20");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatNumberGrouped(10000), "10,000");
  EXPECT_EQ(FormatNumberGrouped(999), "999");
  EXPECT_EQ(FormatNumberGrouped(1234567.5), "1,234,567.5");
  EXPECT_EQ(FormatNumberGrouped(-1000), "-1,000");
}

TEST(RenderTest, EnumLabels) {
  EXPECT_EQ(EnumLabel(v1::CLAIM_STATE_PARTIALLY_CONFIRMED),
            "partially confirmed");
  EXPECT_EQ(EnumLabel(v1::STANCE_POSITION_DECLINED_TO_COMMENT),
            "declined to comment");
  EXPECT_EQ(EnumLabel(v1::ATTRIBUTION_VERB_ACCORDING_TO), "according to");
  EXPECT_EQ(EnumLabel(v1::RELIABILITY_GRADE_A), "a");
  EXPECT_EQ(EnumLabel(v1::CLAIM_STATE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(EnumLabel(static_cast<v1::ClaimState>(42)), "42");
}

TEST(RenderTest, Figures) {
  auto figure = [](v1::FigureQualifier qualifier, const char* unit) {
    v1::Figure f;
    f.set_qualifier(qualifier);
    f.set_unit(unit);
    return f;
  };
  v1::Figure over = figure(v1::FIGURE_QUALIFIER_OVER, "soldiers");
  over.set_lower_bound(10000);
  EXPECT_EQ(DescribeFigure(over), "over 10,000 soldiers");

  v1::Figure about = figure(v1::FIGURE_QUALIFIER_ABOUT, "soldiers");
  about.set_amount(3000);
  EXPECT_EQ(DescribeFigure(about), "about 3,000 soldiers");

  v1::Figure between = figure(v1::FIGURE_QUALIFIER_BETWEEN, "USD");
  between.set_lower_bound(1000);
  between.set_upper_bound(2000);
  EXPECT_EQ(DescribeFigure(between), "between 1,000 and 2,000 USD");

  v1::Figure at_least = figure(v1::FIGURE_QUALIFIER_AT_LEAST, "");
  at_least.set_lower_bound(5);
  EXPECT_EQ(DescribeFigure(at_least), "at least 5");

  v1::Figure up_to = figure(v1::FIGURE_QUALIFIER_UP_TO, "soldiers");
  up_to.set_upper_bound(12000);
  EXPECT_EQ(DescribeFigure(up_to), "up to 12,000 soldiers");

  v1::Figure under = figure(v1::FIGURE_QUALIFIER_UNDER, "soldiers");
  under.set_upper_bound(500);
  EXPECT_EQ(DescribeFigure(under), "under 500 soldiers");

  v1::Figure exact = figure(v1::FIGURE_QUALIFIER_EXACT, "soldiers");
  exact.set_amount(10000);
  EXPECT_EQ(DescribeFigure(exact), "10,000 soldiers");

  // Missing the number its qualifier needs: shows what there is.
  v1::Figure about_range = figure(v1::FIGURE_QUALIFIER_ABOUT, "soldiers");
  about_range.set_lower_bound(1);
  about_range.set_upper_bound(2);
  EXPECT_EQ(DescribeFigure(about_range), "between 1 and 2 soldiers");
  EXPECT_EQ(DescribeFigure(figure(v1::FIGURE_QUALIFIER_OVER, "soldiers")),
            "unknown number of soldiers");
  EXPECT_EQ(DescribeFigure(figure(v1::FIGURE_QUALIFIER_OVER, "")),
            "unknown amount");
}

TEST(RenderTest, Relations) {
  v1::Relation relation;
  relation.set_type(v1::RELATION_TYPE_SAME_AS);
  relation.set_target("claims/b");
  EXPECT_EQ(DescribeRelation(relation), "same as claims/b");
  relation.set_type(v1::RELATION_TYPE_INVERSE);
  relation.set_inverse_of(v1::RELATION_TYPE_SUPERSEDES);
  EXPECT_EQ(DescribeRelation(relation), "superseded by claims/b");
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
