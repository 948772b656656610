// The Reports service in-process: real ClaimTrailServers (LevelDB in
// $TEST_TMPDIR, TCP on 127.0.0.1:0) called through the generated stubs with
// API tokens. Recorded time is the server's clock here, so the report's
// "as of" moments are recorded times read back from the events; the
// brief's calendar dates are covered by the Ledger's tests with a fake
// clock (tests/server/core/ledger_reports_test.cc).
#include "server/service/reports_service.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/reports_service.grpc.pb.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "tests/server/service/auth_test_util.h"

namespace claimtrail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

std::string TestDataDir(absl::string_view suffix) {
  const char* base = std::getenv("TEST_TMPDIR");
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", info->name(), "-",
                      suffix, "-", getpid());
}

template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

// A server with stubs whose calls carry its bootstrap admin token.
class TestServer {
 public:
  explicit TestServer(const std::string& data_dir) {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = data_dir;
    absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
        ClaimTrailServer::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return;
    server_ = *std::move(server);
    target_ = absl::StrCat("127.0.0.1:", server_->port());
    admin_channel_ = testing::ChannelWithToken(
        target_, testing::ReadAdminToken(server_->data_dir()));
    claimtrail_ = v1::ClaimTrail::NewStub(admin_channel_);
    reports_ = v1::Reports::NewStub(admin_channel_);
  }
  ~TestServer() {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  bool ok() const { return server_ != nullptr; }
  v1::ClaimTrail::Stub& claimtrail() { return *claimtrail_; }
  v1::Reports::Stub& reports() { return *reports_; }
  const std::string& target() const { return target_; }
  const std::shared_ptr<grpc::Channel>& admin_channel() const {
    return admin_channel_;
  }

  uint64_t LastSequence() {
    grpc::ClientContext ctx;
    v1::ServerInfo info;
    const grpc::Status status =
        claimtrail_->GetServerInfo(&ctx, v1::GetServerInfoRequest(), &info);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return info.last_sequence();
  }

 private:
  std::unique_ptr<ClaimTrailServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> admin_channel_;
  std::unique_ptr<v1::ClaimTrail::Stub> claimtrail_;
  std::unique_ptr<v1::Reports::Stub> reports_;
};

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return ctx;
}

// BRIEF §2: the sources and the claim, logged through the API.
void LogRunningExample(TestServer& server) {
  for (const char* text : {
           R"pb(source_id: "south-korea" request_id: "s1"
                source { display_name: "South Korea" kind: SOURCE_KIND_GOVERNMENT })pb",
           R"pb(source_id: "nis" request_id: "s2"
                source {
                  display_name: "National Intelligence Service"
                  kind: SOURCE_KIND_AGENCY
                  aliases: "NIS"
                  affiliation: "sources/south-korea"
                })pb",
           R"pb(source_id: "straitstimes" request_id: "s3"
                source { display_name: "straitstimes.com" kind: SOURCE_KIND_NEWS_OUTLET })pb",
           R"pb(source_id: "north-korea" request_id: "s4"
                source { display_name: "North Korea" kind: SOURCE_KIND_GOVERNMENT })pb",
           R"pb(source_id: "russia" request_id: "s5"
                source { display_name: "Russia" kind: SOURCE_KIND_GOVERNMENT })pb",
       }) {
    v1::Source source;
    const grpc::Status status = server.claimtrail().CreateSource(
        Ctx().get(), Parse<v1::CreateSourceRequest>(text), &source);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  v1::Claim claim;
  const grpc::Status status = server.claimtrail().CreateClaim(
      Ctx().get(), Parse<v1::CreateClaimRequest>(R"pb(
        claim_id: "nk-troops"
        request_id: "c1"
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
            publish_time { seconds: 1742515200 }
          }
        })pb"),
      &claim);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

v1::Claim RecordStance(TestServer& server, const std::string& party,
                       v1::StancePosition position) {
  v1::RecordStanceRequest req;
  req.set_claim("claims/nk-troops");
  req.set_request_id(absl::StrCat("stance-", party));
  req.mutable_stance()->set_party(absl::StrCat("sources/", party));
  req.mutable_stance()->set_position(position);
  v1::Claim claim;
  const grpc::Status status =
      server.claimtrail().RecordStance(Ctx().get(), req, &claim);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return claim;
}

class ReportsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()); }
  TestServer server_{TestDataDir("a")};
};

TEST_F(ReportsServiceTest, ReportOnTheRunningExampleAsOfTwoMoments) {
  LogRunningExample(server_);
  v1::Claim created;
  v1::GetClaimRequest get;
  get.set_name("claims/nk-troops");
  ASSERT_TRUE(server_.claimtrail().GetClaim(Ctx().get(), get, &created).ok());
  absl::SleepFor(absl::Milliseconds(20));
  RecordStance(server_, "russia", v1::STANCE_POSITION_CONFIRMED);
  RecordStance(server_, "north-korea", v1::STANCE_POSITION_CONFIRMED);

  // As of the claim's recording: one origin, relayed once, unconfirmed.
  v1::AuditReportRequest req;
  *req.mutable_as_of() = created.create_time();
  req.set_format(v1::REPORT_FORMAT_MARKDOWN);
  v1::AuditReport then;
  grpc::Status status = server_.reports().AuditReport(Ctx().get(), req, &then);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(then.claims(), SizeIs(1));
  EXPECT_EQ(then.claims(0).independent_origins(), 1);
  EXPECT_EQ(then.claims(0).relay_count(), 1);
  EXPECT_EQ(then.content_type(), "text/markdown; charset=utf-8");
  EXPECT_THAT(then.rendered(),
              HasSubstr("1 independent origin (National Intelligence Service, "
                        "for South Korea), relayed by 1 outlet "
                        "(straitstimes.com)"));
  EXPECT_THAT(then.rendered(),
              HasSubstr("unconfirmed by North Korea and Russia"));

  // Now: confirmed, with the time to confirmation.
  req.clear_as_of();
  v1::AuditReport now;
  status = server_.reports().AuditReport(Ctx().get(), req, &now);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(now.claims(), SizeIs(1));
  EXPECT_EQ(now.claims(0).state(), v1::CLAIM_STATE_CONFIRMED);
  EXPECT_EQ(now.claims(0).first_confirmation().party(), "sources/russia");
  EXPECT_THAT(now.rendered(), HasSubstr("confirmed by North Korea and Russia"));
  EXPECT_THAT(now.rendered(), Not(HasSubstr("not confirmed\n")));

  // HTML: self-contained, with a timeline.
  req.set_format(v1::REPORT_FORMAT_HTML);
  v1::AuditReport html;
  ASSERT_TRUE(server_.reports().AuditReport(Ctx().get(), req, &html).ok());
  EXPECT_THAT(html.rendered(), HasSubstr("<svg"));
}

TEST_F(ReportsServiceTest, ErrorsKeepTheirCodeAndField) {
  v1::AuditReportRequest req;
  req.mutable_selection()->add_claims("claims/absent");
  v1::AuditReport report;
  grpc::Status status = server_.reports().AuditReport(Ctx().get(), req, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ExportRequest export_req;
  v1::ExportResponse exported;
  status = server_.reports().ExportClaims(Ctx().get(), export_req, &exported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("format"));
}

TEST_F(ReportsServiceTest, RolesDecideWhoMayReportAndImport) {
  absl::StatusOr<std::string> auditor = testing::IssueToken(
      server_.admin_channel(), "users/auditor", {v1::ROLE_AUDITOR});
  ASSERT_TRUE(auditor.ok()) << auditor.status();
  auto stub = v1::Reports::NewStub(
      testing::ChannelWithToken(server_.target(), *auditor));
  v1::AuditReport report;
  EXPECT_TRUE(
      stub->AuditReport(Ctx().get(), v1::AuditReportRequest(), &report).ok());
  v1::ImportRequest import;
  import.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  import.set_content("text\r\nA claim\r\n");
  v1::ImportResponse imported;
  EXPECT_EQ(stub->ImportClaims(Ctx().get(), import, &imported).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_.LastSequence(), 0u);
}

TEST_F(ReportsServiceTest, ClaimReviewExportImportRoundTripIsIdempotent) {
  LogRunningExample(server_);
  v1::RecordVerdictRequest verdict;
  verdict.set_claim("claims/nk-troops");
  verdict.set_request_id("verdict-1");
  verdict.mutable_verdict()->set_rating(v1::VERDICT_RATING_MOSTLY_TRUE);
  verdict.mutable_verdict()->set_review_url("https://factcheck.example/nk");
  v1::Claim claim;
  ASSERT_TRUE(
      server_.claimtrail().RecordVerdict(Ctx().get(), verdict, &claim).ok());

  v1::ExportRequest export_req;
  export_req.set_format(v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD);
  v1::ExportResponse exported;
  grpc::Status status =
      server_.reports().ExportClaims(Ctx().get(), export_req, &exported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(exported.item_count(), 1);
  EXPECT_EQ(exported.content_type(), "application/ld+json");

  TestServer fresh(TestDataDir("b"));
  ASSERT_TRUE(fresh.ok());
  v1::ImportRequest import;
  import.set_format(v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD);
  import.set_content(exported.content());
  v1::ImportResponse first;
  status = fresh.reports().ImportClaims(Ctx().get(), import, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(first.items_read(), 1);
  EXPECT_EQ(first.claims_created(), 1);
  EXPECT_EQ(first.verdicts_recorded(), 1);
  EXPECT_THAT(first.errors(), SizeIs(0));

  // The imported claim reads back with its verdict, authored by the caller.
  v1::ListClaimsResponse listed;
  ASSERT_TRUE(fresh.claimtrail()
                  .ListClaims(Ctx().get(), v1::ListClaimsRequest(), &listed)
                  .ok());
  ASSERT_THAT(listed.claims(), SizeIs(1));
  EXPECT_EQ(listed.claims(0).text(), claim.text());
  EXPECT_EQ(listed.claims(0).verdict().rating(),
            v1::VERDICT_RATING_MOSTLY_TRUE);
  EXPECT_EQ(listed.claims(0).verdict().review_url(),
            "https://factcheck.example/nk");

  const uint64_t sequence = fresh.LastSequence();
  v1::ImportResponse again;
  status = fresh.reports().ImportClaims(Ctx().get(), import, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.claims_created(), 0);
  EXPECT_EQ(again.verdicts_recorded(), 0);
  EXPECT_GE(again.skipped_existing(), 1);
  EXPECT_EQ(fresh.LastSequence(), sequence) << "a re-import wrote events";
}

TEST_F(ReportsServiceTest, CsvImportReportsRowsByLineAndKeepsGoodOnes) {
  LogRunningExample(server_);
  const uint64_t before = server_.LastSequence();
  v1::ImportRequest import;
  import.set_format(v1::IMPORT_FORMAT_CSV_CLAIMS);
  import.set_content(
      "text,attributions,verdict\r\n"
      "Claim one,NIS (said) -> straitstimes.com (reported),false\r\n"
      ",NIS (said),\r\n"
      "Claim two,sources/absent (said),\r\n"
      "Claim three,,\r\n");

  import.set_validate_only(true);
  v1::ImportResponse dry;
  ASSERT_TRUE(server_.reports().ImportClaims(Ctx().get(), import, &dry).ok());
  EXPECT_EQ(server_.LastSequence(), before) << "validate_only wrote";
  // The dry run says what the import below does: row 4's missing source
  // fails it in both.
  EXPECT_EQ(dry.claims_created(), 2);
  ASSERT_THAT(dry.errors(), SizeIs(2));
  EXPECT_EQ(dry.errors(1).line(), 4);

  import.set_validate_only(false);
  v1::ImportResponse result;
  const grpc::Status status =
      server_.reports().ImportClaims(Ctx().get(), import, &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(result.items_read(), 4);
  EXPECT_EQ(result.claims_created(), 2);
  EXPECT_EQ(result.verdicts_recorded(), 1);
  EXPECT_EQ(result.sources_created(), 0) << "NIS and the outlet exist";
  ASSERT_THAT(result.errors(), SizeIs(2));
  EXPECT_EQ(result.errors(0).line(), 3);
  EXPECT_EQ(result.errors(1).line(), 4);
  EXPECT_THAT(result.errors(1).message(), HasSubstr("sources/absent"));
  EXPECT_EQ(server_.LastSequence(), before + 3);
}

}  // namespace
}  // namespace claimtrail
