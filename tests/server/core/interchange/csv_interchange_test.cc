// CSV exports of claims and events, and the CSV bulk import.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/core/interchange/interchange.h"
#include "server/core/report/csv.h"
#include "server/core/report/selection.h"
#include "server/core/validation.h"
#include "tests/server/core/report/audit_dataset.h"

namespace claimtrail {
namespace interchange {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::ExportResponse ExportAs(v1::ExportFormat format) {
  v1::ExportRequest req;
  req.set_format(format);
  absl::StatusOr<v1::ExportResponse> response =
      Export(testing_data::AuditDataset(), req);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::ExportResponse();
}

std::vector<report::CsvRecord> Records(const std::string& csv) {
  absl::StatusOr<std::vector<report::CsvRecord>> records = report::ParseCsv(csv);
  EXPECT_TRUE(records.ok()) << records.status();
  return records.ok() ? *records : std::vector<report::CsvRecord>();
}

ImportPlan PlanCsv(const std::string& content) {
  v1::ImportRequest req;
  req.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  req.set_content(content);
  absl::StatusOr<ImportPlan> plan = PlanImport(req, {});
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : ImportPlan();
}

TEST(CsvExportTest, ClaimsOneRowEachWithChains) {
  const v1::ExportResponse response = ExportAs(v1::EXPORT_FORMAT_CSV_CLAIMS);
  EXPECT_EQ(response.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(response.item_count(), 6);
  const std::vector<report::CsvRecord> records = Records(response.content());
  ASSERT_EQ(records.size(), 7);
  EXPECT_EQ(records[0].fields[0], "name");
  EXPECT_EQ(records[0].fields[8], "attributions");
  // claims/claim-anon: the anonymous hop keeps its reason.
  EXPECT_EQ(records[2].fields[0], "claims/claim-anon");
  EXPECT_EQ(records[2].fields[8],
            "sources/us-officials (said, credibility 3, anonymous: not "
            "authorized to speak publicly) -> sources/reuters (reported) | "
            "sources/anonymous-source (leaked) -> sources/yonhap (reported)");
  EXPECT_EQ(records[6].fields[0], "claims/nk-troops");
  EXPECT_EQ(records[6].fields[8],
            "sources/nis (said, credibility 2) -> sources/straitstimes "
            "(reported)");
  EXPECT_EQ(records[6].fields[2], "north-korea; russia");
  EXPECT_EQ(records[6].fields[10], "troops: about 12,000 soldiers");
  // Fields with commas are quoted.
  EXPECT_THAT(response.content(),
              HasSubstr(",\"troops: about 12,000 soldiers\","));
}

TEST(CsvExportTest, EventsOneRowEach) {
  const v1::ExportResponse response = ExportAs(v1::EXPORT_FORMAT_CSV_EVENTS);
  const std::vector<report::CsvRecord> records = Records(response.content());
  ASSERT_EQ(records.size(), 1 + 13);
  EXPECT_EQ(response.item_count(), 13);
  // claims/nk-troops event 3: Russia's confirmation.
  bool found = false;
  for (const report::CsvRecord& record : records) {
    if (record.fields[0] == "claims/nk-troops" && record.fields[1] == "3") {
      found = true;
      EXPECT_EQ(record.fields[3], "stance recorded");
      EXPECT_EQ(record.fields[4], "2025-04-26T12:00:00Z");
      EXPECT_EQ(record.fields[12], "partially confirmed");
      EXPECT_THAT(record.fields[13],
                  HasSubstr("stance sources/russia: confirmed: \"Troops"));
    }
  }
  EXPECT_TRUE(found);
}

TEST(CsvImportTest, ExportThenImportGivesTheClaimsBack) {
  const report::AuditInput input = testing_data::AuditDataset();
  const ImportPlan plan =
      PlanCsv(ExportAs(v1::EXPORT_FORMAT_CSV_CLAIMS).content());
  EXPECT_EQ(plan.items_read, 6);
  EXPECT_TRUE(plan.errors.empty()) << plan.errors[0].message();
  EXPECT_TRUE(plan.sources.empty());
  ASSERT_EQ(plan.claims.size(), 6);

  const report::SourceDirectory sources(input.sources);
  absl::StatusOr<std::vector<report::SelectedClaim>> originals =
      report::SelectClaims(input, sources, {}, input.now);
  ASSERT_TRUE(originals.ok());
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const v1::Claim& original = (*originals)[i].claim;
    const PlannedClaim& planned = plan.claims[i];
    ASSERT_TRUE(planned.create.has_value());
    EXPECT_TRUE(core::Validate(*planned.create).ok());
    EXPECT_EQ(planned.claim, original.name());
    const v1::Claim& claim = planned.create->claim();
    EXPECT_EQ(claim.text(), original.text());
    EXPECT_THAT(claim.topics(), ::testing::ElementsAreArray(original.topics()));
    ASSERT_EQ(claim.attributions_size(), original.attributions_size())
        << original.name();
    for (int a = 0; a < claim.attributions_size(); ++a) {
      ASSERT_EQ(claim.attributions(a).hops_size(),
                original.attributions(a).hops_size());
      for (int h = 0; h < claim.attributions(a).hops_size(); ++h) {
        v1::AttributionHop expected = original.attributions(a).hops(h);
        expected.clear_appearance();  // Hop appearances are not in the CSV.
        EXPECT_TRUE(MessageDifferencer::Equals(claim.attributions(a).hops(h),
                                               expected))
            << claim.attributions(a).hops(h).DebugString() << " vs "
            << expected.DebugString();
      }
    }
    ASSERT_EQ(claim.appearances_size(), original.appearances_size());
    for (int p = 0; p < claim.appearances_size(); ++p) {
      EXPECT_EQ(claim.appearances(p).url(), original.appearances(p).url());
    }
  }
}

TEST(CsvImportTest, BadRowsAreReportedByLineAndGoodOnesKept) {
  const std::string csv =
      "Text,Attributions,Appearance_URLs,Published,Verdict\r\n"
      // Line 2: good; a display name makes a new source.
      "\"Claim, one\",Ministry of Defence (said) -> Yonhap,"
      "https://a.example/1,2025-03-01T00:00:00Z,Mostly true\r\n"
      // Line 3: no text.
      ",Yonhap (reported),,,\r\n"
      // Lines 4-5: a quoted field spanning two lines; an unknown verb.
      "\"Claim\ntwo\",Yonhap (whispered),,,\r\n"
      // Line 6: a bad date.
      "Claim three,,https://a.example/3,21 March,\r\n"
      // Line 7: the first claim again, another chain: merged.
      "\"Claim, one\",sources/kcna (reported),https://a.example/2,,\r\n"
      // Line 8: an anonymous hop without a reason fails validation.
      "Claim four,\"someone (said, anonymous)\",,,\r\n";
  const ImportPlan plan = PlanCsv(csv);
  EXPECT_EQ(plan.items_read, 6);
  ASSERT_EQ(plan.errors.size(), 4);
  EXPECT_EQ(plan.errors[0].line(), 3);
  EXPECT_EQ(plan.errors[0].item(), 2);
  EXPECT_EQ(plan.errors[0].field(), "text");
  EXPECT_EQ(plan.errors[1].line(), 4);
  EXPECT_THAT(plan.errors[1].message(), HasSubstr("unknown verb \"whispered\""));
  EXPECT_EQ(plan.errors[2].line(), 6);
  EXPECT_EQ(plan.errors[2].field(), "published");
  EXPECT_EQ(plan.errors[3].line(), 8);
  EXPECT_THAT(plan.errors[3].message(), HasSubstr("anonymity_reason"));
  // The failed row's new source ("someone") is not planned.
  ASSERT_EQ(plan.sources.size(), 2);
  EXPECT_EQ(plan.sources[0].source_id(), "ministry-of-defence");
  EXPECT_EQ(plan.sources[0].source().kind(), v1::SOURCE_KIND_OTHER);
  EXPECT_EQ(plan.sources[1].source_id(), "yonhap");

  ASSERT_EQ(plan.claims.size(), 1);
  const PlannedClaim& one = plan.claims[0];
  EXPECT_EQ(one.line, 2);
  const v1::Claim& claim = one.create->claim();
  EXPECT_EQ(claim.text(), "Claim, one");
  ASSERT_EQ(claim.attributions_size(), 2);
  EXPECT_EQ(claim.attributions(0).hops(0).source(),
            "sources/ministry-of-defence");
  EXPECT_EQ(claim.attributions(0).hops(1).source(), "sources/yonhap");
  EXPECT_EQ(claim.attributions(0).hops(1).verb(),
            v1::ATTRIBUTION_VERB_REPORTED);
  EXPECT_EQ(claim.attributions(1).hops(0).source(), "sources/kcna");
  ASSERT_EQ(claim.appearances_size(), 2);
  EXPECT_EQ(claim.appearances(0).publish_time().seconds(),
            testing_data::Ts("2025-03-01T00:00:00Z").seconds());
  ASSERT_TRUE(one.verdict.has_value());
  EXPECT_EQ(one.verdict->verdict().rating(), v1::VERDICT_RATING_MOSTLY_TRUE);

  // The same file plans the same requests.
  const ImportPlan again = PlanCsv(csv);
  ASSERT_EQ(again.claims.size(), 1);
  EXPECT_EQ(again.claims[0].create->request_id(), one.create->request_id());
  EXPECT_EQ(again.claims[0].verdict->request_id(), one.verdict->request_id());
  EXPECT_EQ(again.sources[0].request_id(), plan.sources[0].request_id());
}

TEST(CsvImportTest, FormulaLikeCellsAreGuardedAndComeBackExactly) {
  report::AuditInput input = testing_data::AuditDataset();
  testing_data::HistoryBuilder cold("claim-cold");
  cold.Add(
      R"pb(claim_created {
             claim {
               text: "-5 degrees in Pyongyang on 1 January."
               topics: "weather"
               attributions {
                 hops { source: "sources/kcna" verb: ATTRIBUTION_VERB_SAID }
               }
             }
           })pb",
      "2025-03-21T09:00:00Z");
  input.histories.push_back(cold.events());
  input.histories.back().back().set_note("=HYPERLINK(\"http://evil\")");
  v1::ExportRequest req;
  req.mutable_selection()->add_claims("claims/claim-cold");

  req.set_format(v1::EXPORT_FORMAT_CSV_CLAIMS);
  absl::StatusOr<v1::ExportResponse> claims = Export(input, req);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_THAT(claims->content(),
              HasSubstr(",\"'-5 degrees in Pyongyang on 1 January.\","));
  const ImportPlan plan = PlanCsv(claims->content());
  ASSERT_EQ(plan.claims.size(), 1);
  EXPECT_EQ(plan.claims[0].create->claim().text(),
            "-5 degrees in Pyongyang on 1 January.");

  req.set_format(v1::EXPORT_FORMAT_CSV_EVENTS);
  absl::StatusOr<v1::ExportResponse> events = Export(input, req);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(events->content(),
              HasSubstr(",\"'=HYPERLINK(\"\"http://evil\"\")\","));
}

TEST(CsvImportTest, SourcesThatDoNotExistFailTheirRow) {
  ImportOptions options;
  options.source_exists = [](absl::string_view name) {
    return name == "sources/nis";
  };
  v1::ImportRequest req;
  req.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  req.set_content(
      "text,attributions\r\n"
      "One,sources/nis (said) -> sources/cnn (reported)\r\n"
      "Two,sources/nis (said)\r\n"
      "Three,CNN (said)\r\n"
      "Four,sources/cnn (said)\r\n");
  absl::StatusOr<ImportPlan> plan = PlanImport(req, options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->errors.size(), 1);
  EXPECT_EQ(plan->errors[0].line(), 2);
  EXPECT_EQ(plan->errors[0].field(), "attributions");
  EXPECT_EQ(plan->errors[0].message(), "sources/cnn not found");
  // Row 4 names the source row 3 plans.
  ASSERT_EQ(plan->claims.size(), 3);
  ASSERT_EQ(plan->sources.size(), 1);
  EXPECT_EQ(plan->sources[0].source_id(), "cnn");
}

TEST(CsvImportTest, UnreadableFiles) {
  v1::ImportRequest req;
  req.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  req.set_content("name,topics\r\nx,y\r\n");
  EXPECT_THAT(std::string(PlanImport(req, {}).status().message()),
              HasSubstr("no \"text\" column"));
  req.set_content("text\r\n\"open\r\n");
  absl::StatusOr<ImportPlan> plan = PlanImport(req, {});
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(plan.status().message()),
              HasSubstr("content: line 2"));
}

}  // namespace
}  // namespace interchange
}  // namespace claimtrail
