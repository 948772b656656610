// ReportsClient over a mock Reports stub: token metadata, deadlines, and
// UNAVAILABLE retries (every Reports call is safe to repeat).
#include "client/reports_client.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/reports_service_mock.grpc.pb.h"

namespace claimtrail {
namespace client {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::Return;

class ReportsClientTest : public ::testing::Test {
 protected:
  ReportsClientTest() : stub_(std::make_shared<v1::MockReportsStub>()) {
    options_.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
  }
  ReportsClient MakeClient() { return ReportsClient(stub_, options_); }

  std::shared_ptr<v1::MockReportsStub> stub_;
  ClientOptions options_;
  std::vector<absl::Duration> sleeps_;
};

TEST_F(ReportsClientTest, SendsTheTokenAndReturnsTheReport) {
  options_.token = "s3cret";
  std::multimap<std::string, std::string> metadata;
  EXPECT_CALL(*stub_, AuditReport(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context,
                           const v1::AuditReportRequest& request,
                           v1::AuditReport* response) {
        metadata = grpc::testing::ClientContextTestPeer(context)
                       .GetSendInitialMetadata();
        EXPECT_EQ(request.format(), v1::REPORT_FORMAT_MARKDOWN);
        response->set_rendered("# Sourcing audit");
        return grpc::Status::OK;
      }));
  v1::AuditReportRequest request;
  request.set_format(v1::REPORT_FORMAT_MARKDOWN);
  absl::StatusOr<v1::AuditReport> report = MakeClient().AuditReport(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rendered(), "# Sourcing audit");
  ASSERT_EQ(metadata.count("authorization"), 1u);
  EXPECT_EQ(metadata.find("authorization")->second, "Bearer s3cret");
}

TEST_F(ReportsClientTest, RetriesUnavailableWithBackoff) {
  int calls = 0;
  EXPECT_CALL(*stub_, ImportClaims(_, _, _))
      .Times(3)
      .WillRepeatedly(Invoke([&](grpc::ClientContext*,
                                 const v1::ImportRequest&,
                                 v1::ImportResponse* response) {
        if (++calls < 3) {
          return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
        }
        response->set_claims_created(2);
        return grpc::Status::OK;
      }));
  absl::StatusOr<v1::ImportResponse> imported =
      MakeClient().ImportClaims(v1::ImportRequest());
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->claims_created(), 2);
  EXPECT_THAT(sleeps_, ::testing::ElementsAre(absl::Milliseconds(100),
                                              absl::Milliseconds(200)));
}

TEST_F(ReportsClientTest, OtherErrorsAreFinalAndKeepTheirMessage) {
  EXPECT_CALL(*stub_, ExportClaims(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                    "users/rita may not call ExportClaims")));
  absl::StatusOr<v1::ExportResponse> exported =
      MakeClient().ExportClaims(v1::ExportRequest());
  EXPECT_EQ(exported.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(exported.status().message(),
            "users/rita may not call ExportClaims");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ReportsClientTest, ImportsGetAtLeastTheMinimumDeadline) {
  options_.default_deadline = absl::Seconds(1);
  absl::Time deadline;
  EXPECT_CALL(*stub_, ImportClaims(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context,
                           const v1::ImportRequest&, v1::ImportResponse*) {
        deadline = absl::FromChrono(context->deadline());
        return grpc::Status::OK;
      }));
  ASSERT_TRUE(MakeClient().ImportClaims(v1::ImportRequest()).ok());
  EXPECT_GT(deadline, absl::Now() + kMinImportDeadline - absl::Minutes(1));
}

TEST(ReportsConnectTest, RejectsEmptyAddress) {
  ClientOptions options;
  options.server_address = "";
  EXPECT_EQ(ReportsClient::Connect(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace client
}  // namespace claimtrail
