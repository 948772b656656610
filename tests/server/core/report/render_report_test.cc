#include "server/core/report/render_report.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/report/audit.h"
#include "server/core/report/csv.h"
#include "tests/server/core/report/audit_dataset.h"

namespace claimtrail {
namespace report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::AuditReport Build(v1::ReportFormat format, const std::string& as_of = "") {
  v1::AuditReportRequest req;
  req.set_format(format);
  if (!as_of.empty()) *req.mutable_as_of() = testing_data::Ts(as_of);
  absl::StatusOr<v1::AuditReport> report =
      BuildAuditReport(testing_data::AuditDataset(), req);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::AuditReport();
}

TEST(RenderReportTest, UnspecifiedRendersNothing) {
  const v1::AuditReport report = Build(v1::REPORT_FORMAT_UNSPECIFIED);
  EXPECT_TRUE(report.rendered().empty());
  EXPECT_TRUE(report.content_type().empty());
}

TEST(RenderReportTest, MarkdownHasTablesAndTheSourcingLine) {
  const v1::AuditReport report =
      Build(v1::REPORT_FORMAT_MARKDOWN, "2025-03-21T23:59:59Z");
  const std::string& md = report.rendered();
  EXPECT_EQ(report.content_type(), "text/markdown; charset=utf-8");
  EXPECT_THAT(md, HasSubstr("# Sourcing audit as of 2025-03-21T23:59:59Z\n"));
  EXPECT_THAT(md, HasSubstr("| Measure | Claims | Share |\n|---|---:|---:|\n"
                            "| Total | 5 | 100% |\n"
                            "| Single-source | 3 | 60% |\n"
                            "| Anonymous sources only | 1 | 20% |\n"
                            "| Unverified or unconfirmed | 5 | 100% |\n"));
  EXPECT_THAT(md, HasSubstr("| National Intelligence Service | agency | B | "
                            "2 | 2 | 0 | 0 | 0 |\n"));
  EXPECT_THAT(md, HasSubstr("### claims/nk-troops\n\n> North Korea has sent "
                            "troops to Russia to support its war against "
                            "Ukraine.\n"));
  EXPECT_THAT(md, HasSubstr(
      "- **Sourcing:** 1 independent origin (National Intelligence Service, "
      "for South Korea), relayed by 1 outlet (straitstimes.com); chain "
      "depth 2; single source.\n"));
  EXPECT_THAT(md, HasSubstr("- **State:** unconfirmed — unconfirmed by North "
                            "Korea and Russia\n"));
  EXPECT_THAT(md, HasSubstr("- **Time to first confirmation by a party:** "
                            "no party has confirmed\n"));
  EXPECT_THAT(md, HasSubstr("- **Time to first denial by a party:** no party "
                            "has denied\n"));
  EXPECT_THAT(md, HasSubstr("- **Sourcing:** 1 independent origin (National "
                            "Intelligence Service, for South Korea), relayed "
                            "by 3 outlets (Yonhap, Reuters, straitstimes.com); "
                            "2 chains echo an origin already counted; chain "
                            "depth 3; single source.\n"));
  EXPECT_THAT(md, HasSubstr("a1 hop 1, US officials (reason: not authorized "
                            "to speak publicly)"));
}

TEST(RenderReportTest, MarkdownAfterConfirmationGivesTheTime) {
  const std::string md =
      Build(v1::REPORT_FORMAT_MARKDOWN, "2025-05-01T00:00:00Z").rendered();
  EXPECT_THAT(md, HasSubstr(
      "- **State:** confirmed — confirmed by North Korea and Russia\n"));
  EXPECT_THAT(md, HasSubstr("- **Time to first confirmation by a party:** "
                            "Russia, 36 days 3 hours "
                            "after the "
                            "claim was recorded (recorded "
                            "2025-04-26T12:00:00Z; asserted 37 days 8 "
                            "hours after the claim was first asserted)\n"));
  EXPECT_THAT(md, HasSubstr("over 10,000 soldiers (2025-03-21T09:00:00Z) → "
                            "about 12,000 soldiers (2025-03-31T09:00:00Z; "
                            "National Intelligence Service (said) -> "
                            "straitstimes.com (reported))"));
}

// nk-troops with a confirmation asserted before the claim's first known
// assertion (Ukraine's, recorded last but asserted 2025-02-18, 30 days
// before 2025-03-20), and claim-a confirmed by a verdict alone.
v1::AuditReport BuildWithEarlyConfirmation(v1::ReportFormat format) {
  report::AuditInput input = testing_data::AuditDataset();
  testing_data::AppendEvent(&input, "claim-a",
                            "verdict_recorded { rating: VERDICT_RATING_TRUE }",
                            "2025-04-01T00:00:00Z");
  testing_data::AppendEvent(&input, "nk-troops",
                            "stance_recorded { party: \"sources/ukraine\" "
                            "position: STANCE_POSITION_CONFIRMED }",
                            "2025-05-05T00:00:00Z", "2025-02-18T00:00:00Z");
  v1::AuditReportRequest req;
  req.set_format(format);
  absl::StatusOr<v1::AuditReport> report = BuildAuditReport(input, req);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::AuditReport();
}

TEST(RenderReportTest, AStanceAssertedBeforeTheClaimSaysBefore) {
  for (v1::ReportFormat format :
       {v1::REPORT_FORMAT_MARKDOWN, v1::REPORT_FORMAT_HTML}) {
    const std::string rendered = BuildWithEarlyConfirmation(format).rendered();
    EXPECT_THAT(rendered, HasSubstr("Russia, 36 days 3 hours after the claim "
                                    "was recorded (recorded "
                                    "2025-04-26T12:00:00Z; asserted 30 days "
                                    "before the claim was first asserted)"))
        << format;
    EXPECT_THAT(rendered, Not(HasSubstr("-30 days"))) << format;
  }
}

TEST(RenderReportTest, EveryFormatSaysTimeToConfirmationCountsParties) {
  const std::string md =
      BuildWithEarlyConfirmation(v1::REPORT_FORMAT_MARKDOWN).rendered();
  // claims/claim-a: confirmed by its verdict, by no party.
  EXPECT_THAT(md, HasSubstr("- **State:** confirmed"));
  EXPECT_THAT(md, HasSubstr("- **Time to first confirmation by a party:** no "
                            "party has confirmed\n"));
  EXPECT_THAT(md, Not(HasSubstr("Time to first confirmation:")));
  EXPECT_THAT(md, Not(HasSubstr("Time to first denial:")));

  const std::string html =
      BuildWithEarlyConfirmation(v1::REPORT_FORMAT_HTML).rendered();
  EXPECT_THAT(html, HasSubstr("<dt>Time to first confirmation by a party</dt>"
                              "<dd>no party has confirmed</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Time to first denial by a party</dt>"));

  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv(BuildWithEarlyConfirmation(v1::REPORT_FORMAT_CSV).rendered());
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_THAT((*records)[0].fields,
              ::testing::IsSupersetOf(
                  {"first_party_confirmation", "seconds_to_party_confirmation",
                   "first_party_denial", "seconds_to_party_denial"}));
}

TEST(RenderReportTest, HtmlIsSelfContainedWithATimelinePerClaim) {
  const v1::AuditReport report = Build(v1::REPORT_FORMAT_HTML);
  const std::string& html = report.rendered();
  EXPECT_EQ(report.content_type(), "text/html; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  int svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos;
       at = html.find("<svg", at + 1)) {
    ++svgs;
  }
  EXPECT_EQ(svgs, report.claims_size());
  // No external resources: no scripts, links, images or CSS imports.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  // The figure's step line and its values.
  EXPECT_THAT(html, HasSubstr("stroke=\"#1565c0\""));
  EXPECT_THAT(html, HasSubstr(">about 12,000 soldiers</text>"));
  // Text is escaped.
  EXPECT_THAT(html, HasSubstr("Ukraine&#39;s GUR"));
}

TEST(RenderReportTest, TimelineShowsStateStancesAndFigures) {
  const v1::AuditReport report = Build(v1::REPORT_FORMAT_UNSPECIFIED);
  const v1::ClaimAudit* nk = nullptr;
  for (const v1::ClaimAudit& claim : report.claims()) {
    if (claim.claim() == "claims/nk-troops") nk = &claim;
  }
  ASSERT_NE(nk, nullptr);
  const std::string svg = RenderTimelineSvg(*nk, report.as_of());
  EXPECT_TRUE(absl::StartsWith(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(absl::EndsWith(svg, "</svg>"));
  // Lanes: state, North Korea, Russia, figure troops.
  EXPECT_THAT(svg, HasSubstr(">state</text>"));
  EXPECT_THAT(svg, HasSubstr(">North Korea</text>"));
  EXPECT_THAT(svg, HasSubstr(">Russia</text>"));
  EXPECT_THAT(svg, HasSubstr(">figure troops</text>"));
  // State segments: unconfirmed, partially confirmed, confirmed.
  EXPECT_THAT(svg, HasSubstr("<title>partially confirmed from "
                             "2025-04-26T12:00:00Z</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>confirmed from 2025-04-28T06:00:00Z"
                             "</title>"));
  // Two figure points.
  EXPECT_THAT(svg, HasSubstr("<title>over 10,000 soldiers"));
  EXPECT_THAT(svg, HasSubstr("<title>about 12,000 soldiers"));
}

TEST(RenderReportTest, CsvHasOneRowPerClaimAndQuotes) {
  const v1::AuditReport report = Build(v1::REPORT_FORMAT_CSV);
  EXPECT_EQ(report.content_type(), "text/csv; charset=utf-8");
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(report.rendered());
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1 + report.claims_size());
  const size_t columns = (*records)[0].fields.size();
  for (const CsvRecord& record : *records) {
    EXPECT_EQ(record.fields.size(), columns) << "line " << record.line;
  }
  EXPECT_EQ((*records)[0].fields[0], "claim");
  // Rows in claim-name order; commas in fields are quoted.
  EXPECT_EQ((*records)[1].fields[0], "claims/claim-a");
  EXPECT_EQ((*records)[3].fields[15], "Ukraine: confirmed; Russia: denied");
  const std::string& b_sourcing = (*records)[3].fields.back();
  EXPECT_THAT(b_sourcing, HasSubstr("2 independent origins (Ukraine's GUR, "
                                    "for Ukraine; KCNA + North Korea)"));
  EXPECT_THAT(report.rendered(), HasSubstr(",\"2 independent origins ("));
}

TEST(RenderReportTest, JsonIsTheReportInProtoJson) {
  const v1::AuditReport report = Build(v1::REPORT_FORMAT_JSON);
  EXPECT_EQ(report.content_type(), "application/json");
  const std::string& json = report.rendered();
  EXPECT_THAT(json, HasSubstr("\"independentOrigins\": 1"));
  EXPECT_THAT(json, HasSubstr("\"state\": \"CLAIM_STATE_CONFIRMED\""));
  // Zero counts are printed, the rendering itself is not.
  EXPECT_THAT(json, HasSubstr("\"echoCount\": 0"));
  EXPECT_THAT(json, HasSubstr("\"rendered\": \"\""));
}

}  // namespace
}  // namespace report
}  // namespace claimtrail
