// Ledger::AuditReport, Export and Import over real LevelDB with a fake
// clock, so that recorded times are those of the brief: the §2 example
// logged on 2025-03-21, confirmed by Russia on 2025-04-26 and by North Korea
// on 2025-04-28.
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "tests/server/core/ledger_test_util.h"

namespace claimtrail {
namespace core {
namespace {

using testing::At;
using testing::Call;
using testing::LedgerHarness;
using testing::Parse;
using testing::Proto;
using testing::TestDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const Principal kEditor{"users/editor"};
const Principal kAdmin{"users/admin"};

absl::StatusOr<v1::ImportResponse> Import(
    Ledger& ledger, const v1::ImportRequest& req,
    std::function<void(const Ledger::ImportProgress&)> progress = nullptr) {
  std::promise<absl::StatusOr<v1::ImportResponse>> promise;
  std::future<absl::StatusOr<v1::ImportResponse>> result =
      promise.get_future();
  ledger.Import(kAdmin, req, std::move(progress),
                [&](absl::StatusOr<v1::ImportResponse> response) {
                  promise.set_value(std::move(response));
                });
  return result.get();
}

v1::ImportRequest ImportOf(v1::ImportFormat format, const std::string& content,
                           bool validate_only = false) {
  v1::ImportRequest req;
  req.set_format(format);
  req.set_content(content);
  req.set_validate_only(validate_only);
  return req;
}

class LedgerReportsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(harness_.Open().ok()); }

  Ledger& ledger() { return harness_.ledger(); }

  void Source(const std::string& text) {
    v1::CreateSourceRequest req = Parse<v1::CreateSourceRequest>(text);
    req.set_request_id(absl::StrCat("source-", req.source_id()));
    absl::StatusOr<v1::Source> created =
        Call(ledger(), &Ledger::CreateSource, kEditor, req);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  // BRIEF §2, recorded at 2025-03-21T09:00Z (the harness's start).
  void LogRunningExample() {
    Source(R"pb(source_id: "south-korea"
                source { display_name: "South Korea" kind: SOURCE_KIND_GOVERNMENT })pb");
    Source(R"pb(source_id: "nis"
                source {
                  display_name: "National Intelligence Service"
                  kind: SOURCE_KIND_AGENCY
                  aliases: "NIS"
                  affiliation: "sources/south-korea"
                })pb");
    Source(R"pb(source_id: "straitstimes"
                source { display_name: "straitstimes.com" kind: SOURCE_KIND_NEWS_OUTLET })pb");
    Source(R"pb(source_id: "north-korea"
                source { display_name: "North Korea" kind: SOURCE_KIND_GOVERNMENT })pb");
    Source(R"pb(source_id: "russia"
                source { display_name: "Russia" kind: SOURCE_KIND_GOVERNMENT })pb");
    ASSERT_TRUE(Call(ledger(), &Ledger::CreateClaim, kEditor,
                     Parse<v1::CreateClaimRequest>(R"pb(
                       claim_id: "nk-troops"
                       request_id: "claim-nk-troops"
                       claim {
                         text: "North Korea has sent troops to Russia to support its war against Ukraine."
                         language: "en"
                         topics: "north-korea"
                         figures {
                           figure_id: "troops"
                           lower_bound: 10000
                           unit: "soldiers"
                           qualifier: FIGURE_QUALIFIER_OVER
                         }
                         attributions {
                           hops { source: "sources/nis" verb: ATTRIBUTION_VERB_SAID }
                           hops { source: "sources/straitstimes" verb: ATTRIBUTION_VERB_REPORTED }
                         }
                         stances { party: "sources/north-korea" position: STANCE_POSITION_NOT_CONFIRMED }
                         stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED }
                         appearances {
                           url: "https://www.straitstimes.com/asia/east-asia/nk-weapons-test"
                           outlet: "straitstimes.com"
                         }
                       })pb"))
                    .ok());
  }

  void Confirm(const std::string& party, const std::string& recorded) {
    harness_.clock().Advance(At(recorded) - harness_.clock().Now());
    v1::RecordStanceRequest req;
    req.set_claim("claims/nk-troops");
    req.set_request_id(absl::StrCat("confirm-", recorded));
    req.mutable_stance()->set_party(party);
    req.mutable_stance()->set_position(v1::STANCE_POSITION_CONFIRMED);
    ASSERT_TRUE(Call(ledger(), &Ledger::RecordStance, kEditor, req).ok());
  }

  v1::AuditReport ReportAsOf(const std::string& as_of) {
    v1::AuditReportRequest req;
    *req.mutable_as_of() = Proto(At(as_of));
    req.set_format(v1::REPORT_FORMAT_MARKDOWN);
    absl::StatusOr<v1::AuditReport> report = ledger().AuditReport(req);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::AuditReport();
  }

  LedgerHarness harness_{TestDir()};
};

TEST_F(LedgerReportsTest, AsOfPublicationOneOriginUnconfirmedThenConfirmed) {
  LogRunningExample();
  Confirm("sources/russia", "2025-04-26T12:00:00Z");
  Confirm("sources/north-korea", "2025-04-28T06:00:00Z");

  const v1::AuditReport then = ReportAsOf("2025-03-21T23:59:59Z");
  ASSERT_THAT(then.claims(), SizeIs(1));
  const v1::ClaimAudit& claim = then.claims(0);
  EXPECT_EQ(claim.independent_origins(), 1);
  EXPECT_EQ(claim.relay_count(), 1);
  EXPECT_TRUE(claim.single_source());
  EXPECT_EQ(claim.state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(claim.state_summary(), "unconfirmed by North Korea and Russia");
  EXPECT_FALSE(claim.has_first_confirmation());
  EXPECT_THAT(then.rendered(),
              HasSubstr("1 independent origin (National Intelligence Service, "
                        "for South Korea), relayed by 1 outlet "
                        "(straitstimes.com)"));

  const v1::AuditReport now = ReportAsOf("2025-05-01T00:00:00Z");
  ASSERT_THAT(now.claims(), SizeIs(1));
  EXPECT_EQ(now.claims(0).state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(now.claims(0).first_confirmation().party(), "sources/russia");
  // 2025-03-21T09:00 -> 2025-04-26T12:00.
  EXPECT_EQ(now.claims(0).first_confirmation().since_created().seconds(),
            (36 * 24 + 3) * 3600);
  EXPECT_THAT(now.rendered(),
              HasSubstr("Time to first confirmation by a party:** Russia, 36 "
                        "days 3 hours after the claim was recorded"));
}

TEST_F(LedgerReportsTest, ReportErrorsNameTheField) {
  v1::AuditReportRequest req;
  req.mutable_selection()->add_claims("not a name");
  EXPECT_EQ(ledger().AuditReport(req).status().code(),
            absl::StatusCode::kInvalidArgument);
  req.mutable_selection()->set_claims(0, "claims/absent");
  EXPECT_EQ(ledger().AuditReport(req).status().code(),
            absl::StatusCode::kNotFound);
  v1::ExportRequest export_req;
  EXPECT_THAT(ledger().Export(export_req).status().message(),
              HasSubstr("format"));
}

TEST_F(LedgerReportsTest, ClaimReviewRoundTripAndReimportWritesNothing) {
  LogRunningExample();
  v1::RecordVerdictRequest verdict;
  verdict.set_claim("claims/nk-troops");
  verdict.set_request_id("verdict-1");
  verdict.mutable_verdict()->set_rating(v1::VERDICT_RATING_TRUE);
  verdict.mutable_verdict()->set_review_url("https://factcheck.example/nk");
  ASSERT_TRUE(Call(ledger(), &Ledger::RecordVerdict, kEditor, verdict).ok());

  v1::ExportRequest export_req;
  export_req.set_format(v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD);
  absl::StatusOr<v1::ExportResponse> exported = ledger().Export(export_req);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->item_count(), 1);

  LedgerHarness fresh(TestDir("fresh"));
  ASSERT_TRUE(fresh.Open().ok());
  const v1::ImportRequest import_req = ImportOf(
      v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD, exported->content());

  absl::StatusOr<v1::ImportResponse> dry =
      Import(fresh.ledger(), ImportOf(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD,
                                      exported->content(),
                                      /*validate_only=*/true));
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->claims_created(), 1);
  EXPECT_EQ(fresh.ledger().LastSequence(), 0) << "validate_only wrote";

  absl::StatusOr<v1::ImportResponse> first = Import(fresh.ledger(), import_req);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->items_read(), 1);
  EXPECT_EQ(first->claims_created(), 1);
  EXPECT_EQ(first->sources_created(), 1);
  EXPECT_EQ(first->verdicts_recorded(), 1);
  EXPECT_EQ(first->skipped_existing(), 0);
  EXPECT_THAT(first->errors(), SizeIs(0));

  v1::ListClaimsRequest list;
  absl::StatusOr<v1::ListClaimsResponse> claims =
      fresh.ledger().ListClaims(list);
  ASSERT_TRUE(claims.ok());
  ASSERT_THAT(claims->claims(), SizeIs(1));
  EXPECT_EQ(claims->claims(0).text(),
            "North Korea has sent troops to Russia to support its war against "
            "Ukraine.");
  EXPECT_EQ(claims->claims(0).verdict().rating(), v1::VERDICT_RATING_TRUE);

  const uint64_t sequence = fresh.ledger().LastSequence();
  absl::StatusOr<v1::ImportResponse> again = Import(fresh.ledger(), import_req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->claims_created() + again->sources_created() +
                again->verdicts_recorded(),
            0);
  EXPECT_GE(again->skipped_existing(), 1);
  EXPECT_EQ(fresh.ledger().LastSequence(), sequence)
      << "a re-import wrote events";
}

TEST_F(LedgerReportsTest, OwnExportReimportedIntoTheSameLedgerWritesNothing) {
  LogRunningExample();
  v1::RecordVerdictRequest verdict;
  verdict.set_claim("claims/nk-troops");
  verdict.set_request_id("verdict-1");
  verdict.mutable_verdict()->set_rating(v1::VERDICT_RATING_FALSE);
  verdict.mutable_verdict()->set_rating_text("Faux");
  verdict.mutable_verdict()->set_review_url("https://factcheck.example/nk");
  ASSERT_TRUE(Call(ledger(), &Ledger::RecordVerdict, kEditor, verdict).ok());
  const uint64_t sequence = ledger().LastSequence();

  for (v1::ExportFormat format :
       {v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD, v1::EXPORT_FORMAT_CSV_CLAIMS}) {
    v1::ExportRequest export_req;
    export_req.set_format(format);
    absl::StatusOr<v1::ExportResponse> exported = ledger().Export(export_req);
    ASSERT_TRUE(exported.ok()) << exported.status();
    const v1::ImportFormat import_format =
        format == v1::EXPORT_FORMAT_CSV_CLAIMS
            ? v1::IMPORT_FORMAT_CSV_CLAIMS
            : v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD;
    for (bool validate_only : {true, false}) {
      absl::StatusOr<v1::ImportResponse> result =
          Import(ledger(),
                 ImportOf(import_format, exported->content(), validate_only));
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_THAT(result->errors(), SizeIs(0)) << format;
      EXPECT_EQ(result->verdicts_recorded(), 0) << format;
      EXPECT_EQ(result->claims_created(), 0) << format;
      EXPECT_EQ(result->skipped_existing(), 1) << format;
    }
    EXPECT_EQ(ledger().LastSequence(), sequence)
        << "re-importing " << format << " wrote events";
  }
  v1::GetClaimRequest get;
  get.set_name("claims/nk-troops");
  absl::StatusOr<v1::Claim> claim = ledger().GetClaim(get);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->verdict().reviewer(), "users/editor");
  EXPECT_EQ(claim->verdict().rating(), v1::VERDICT_RATING_FALSE);
  EXPECT_EQ(claim->verdict().rating_text(), "Faux");

  // Another review of the same claim is recorded.
  const std::string other = R"json({"@type": "ClaimReview",
      "claimReviewed": "North Korea has sent troops to Russia to support its war against Ukraine.",
      "url": "https://other-checker.example/nk",
      "reviewRating": {"alternateName": "Mostly false", "ratingValue": 2}})json";
  absl::StatusOr<v1::ImportResponse> result =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD, other));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->verdicts_recorded(), 1);
  EXPECT_EQ(ledger().LastSequence(), sequence + 1);
  claim = ledger().GetClaim(get);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->verdict().rating(), v1::VERDICT_RATING_MOSTLY_FALSE);
  EXPECT_EQ(claim->verdict().review_url(), "https://other-checker.example/nk");
}

TEST_F(LedgerReportsTest, ValidateOnlyReportsTheErrorsOfTheRealImport) {
  LogRunningExample();
  const std::string csv =
      "text,attributions\r\n"
      // Line 2: a source that does not exist.
      "Claim one,sources/cnn (reported)\r\n"
      // Line 3: good, an existing source named as such.
      "Claim two,sources/nis (said)\r\n"
      // Lines 4-5: a new source, then named as such by a later row.
      "Claim three,Yonhap (said)\r\n"
      "Claim four,sources/nis (said) -> sources/yonhap (reported)\r\n";
  const uint64_t before = ledger().LastSequence();
  absl::StatusOr<v1::ImportResponse> dry =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CSV_CLAIMS, csv,
                                /*validate_only=*/true));
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(ledger().LastSequence(), before) << "validate_only wrote";
  absl::StatusOr<v1::ImportResponse> real =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CSV_CLAIMS, csv));
  ASSERT_TRUE(real.ok()) << real.status();

  ASSERT_THAT(real->errors(), SizeIs(1));
  EXPECT_EQ(real->errors(0).line(), 2);
  EXPECT_THAT(real->errors(0).message(), HasSubstr("sources/cnn not found"));
  EXPECT_EQ(real->claims_created(), 3);
  EXPECT_EQ(real->sources_created(), 1);
  // The dry run said the same.
  ASSERT_EQ(dry->errors_size(), real->errors_size());
  for (int i = 0; i < real->errors_size(); ++i) {
    EXPECT_EQ(dry->errors(i).SerializeAsString(),
              real->errors(i).SerializeAsString());
  }
  EXPECT_EQ(dry->claims_created(), real->claims_created());
  EXPECT_EQ(dry->sources_created(), real->sources_created());
}

TEST_F(LedgerReportsTest, CsvRowsFailOneByOneAndGoodRowsAreKept) {
  LogRunningExample();
  const std::string csv =
      "text,attributions,verdict\r\n"
      // Line 2: good; NIS is matched by its alias, Yonhap is new.
      "Claim one,NIS (said) -> Yonhap (reported),false\r\n"
      // Line 3: no text (a planning error).
      ",NIS (said),\r\n"
      // Line 4: names a source that does not exist (found while planning).
      "Claim two,sources/absent (said),\r\n"
      // Line 5: good.
      "Claim three,,\r\n";
  const uint64_t before = ledger().LastSequence();
  absl::StatusOr<v1::ImportResponse> result =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CSV_CLAIMS, csv));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->items_read(), 4);
  EXPECT_EQ(result->claims_created(), 2);
  EXPECT_EQ(result->sources_created(), 1);
  EXPECT_EQ(result->verdicts_recorded(), 1);
  ASSERT_THAT(result->errors(), SizeIs(2));
  EXPECT_EQ(result->errors(0).line(), 3);
  EXPECT_EQ(result->errors(1).line(), 4);
  EXPECT_THAT(result->errors(1).message(), HasSubstr("sources/absent"));
  // Yonhap + two claims + one verdict.
  EXPECT_EQ(ledger().LastSequence(), before + 3);

  v1::SearchClaimsRequest search;
  search.set_query("Claim one");
  absl::StatusOr<v1::SearchClaimsResponse> found = ledger().SearchClaims(search);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->results().empty());
  EXPECT_EQ(found->results(0).claim().attributions(0).hops(0).source(),
            "sources/nis");
}

TEST_F(LedgerReportsTest, LargeImportReportsProgress) {
  std::string csv = "text\r\n";
  constexpr int kRows = 2500;
  for (int i = 0; i < kRows; ++i) {
    absl::StrAppend(&csv, "Bulk claim number ", i, "\r\n");
  }
  std::mutex mu;
  std::vector<int> progress;
  absl::StatusOr<v1::ImportResponse> result =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CSV_CLAIMS, csv),
             [&](const Ledger::ImportProgress& p) {
               std::lock_guard<std::mutex> lock(mu);
               EXPECT_EQ(p.writes_planned, kRows);
               progress.push_back(p.writes_done);
             });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->claims_created(), kRows);
  EXPECT_EQ(ledger().LastSequence(), kRows);
  EXPECT_EQ(progress, (std::vector<int>{1000, 2000, kRows}));

  // Again: every write was made already.
  result = Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CSV_CLAIMS, csv));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->claims_created(), 0);
  EXPECT_EQ(result->skipped_existing(), kRows);
  EXPECT_EQ(ledger().LastSequence(), kRows);
}

TEST_F(LedgerReportsTest, UnreadableImportsAreInvalidArgument) {
  absl::StatusOr<v1::ImportResponse> result =
      Import(ledger(), ImportOf(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD, "{not"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  result = Import(ledger(), ImportOf(v1::IMPORT_FORMAT_UNSPECIFIED, "text"));
  EXPECT_THAT(result.status().message(), HasSubstr("format"));
}

}  // namespace
}  // namespace core
}  // namespace claimtrail
