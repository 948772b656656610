// The real claimtraild binary: start on port 0, serve, stop on a signal with
// exit 0, refuse a second instance on the same data directory, and reopen
// the data after a restart.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "tests/e2e/server_process.h"
#include "tests/server/service/auth_test_util.h"

namespace claimtrail {
namespace {

using ::claimtrail::testing::FreshTempDir;
using ::claimtrail::testing::ServerProcess;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return ctx;
}

// A stub whose calls carry the admin token the server wrote into
// `data_dir` on its first start.
std::unique_ptr<v1::ClaimTrail::Stub> Connect(const ServerProcess& server,
                                              const std::string& data_dir) {
  return v1::ClaimTrail::NewStub(testing::ChannelWithToken(
      server.target(), testing::ReadAdminToken(data_dir)));
}

std::vector<std::string> Args(const std::string& data_dir) {
  return {"--listen=127.0.0.1:0", absl::StrCat("--data_dir=", data_dir)};
}

void ExpectCleanExit(absl::StatusOr<int> status, const ServerProcess& server,
                     absl::string_view signal_name) {
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_TRUE(WIFEXITED(*status)) << "status " << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0) << server.Log();
  EXPECT_THAT(
      server.Log(),
      HasSubstr(absl::StrCat("claimtraild 0.1.0 stopped (", signal_name, ")")));
}

v1::Source CreateSource(v1::ClaimTrail::Stub* stub, absl::string_view id) {
  v1::CreateSourceRequest req;
  req.set_source_id(std::string(id));
  req.set_request_id(absl::StrCat("src-", id));
  req.mutable_source()->set_display_name("National Intelligence Service");
  req.mutable_source()->set_kind(v1::SOURCE_KIND_AGENCY);
  v1::Source source;
  const grpc::Status status = stub->CreateSource(Ctx().get(), req, &source);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return source;
}

v1::Claim CreateClaim(v1::ClaimTrail::Stub* stub, absl::string_view id) {
  v1::CreateClaimRequest req;
  req.set_claim_id(std::string(id));
  req.set_request_id(absl::StrCat("claim-", id));
  req.mutable_claim()->set_text(
      "North Korea has sent troops to Russia to support its war against "
      "Ukraine.");
  v1::AttributionHop* hop = req.mutable_claim()->add_attributions()->add_hops();
  hop->set_source("sources/nis");
  hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
  v1::Claim claim;
  const grpc::Status status = stub->CreateClaim(Ctx().get(), req, &claim);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return claim;
}

TEST(ServerLifecycleTest, ServesStopsOnSigtermAndReopensItsData) {
  const std::string dir = FreshTempDir("lifecycle");
  const std::string data_dir = absl::StrCat(dir, "/data");
  v1::Claim written;
  {
    absl::StatusOr<ServerProcess> server =
        ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/first.log"));
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_THAT(server->Log(),
                ContainsRegex("I claimtraild 0\\.1\\.0 serving on "
                              "127\\.0\\.0\\.1:0 \\(port [0-9]+\\), data in "
                              ".*/data"));
    auto stub = Connect(*server, data_dir);
    v1::ServerInfo info;
    ASSERT_TRUE(
        stub->GetServerInfo(Ctx().get(), v1::GetServerInfoRequest(), &info)
            .ok());
    EXPECT_EQ(info.version(), "0.1.0");
    EXPECT_EQ(info.last_sequence(), 0u);
    CreateSource(stub.get(), "nis");
    written = CreateClaim(stub.get(), "troops");
    ASSERT_EQ(written.name(), "claims/troops");

    // A second instance on the same data directory refuses to start.
    const std::string second_log = absl::StrCat(dir, "/second.log");
    absl::StatusOr<int> second = ServerProcess::Run(Args(data_dir), second_log);
    ASSERT_TRUE(second.ok()) << second.status();
    ASSERT_TRUE(WIFEXITED(*second));
    EXPECT_EQ(WEXITSTATUS(*second), 1);
    const std::string log = ReadFile(second_log);
    EXPECT_THAT(log, HasSubstr("claimtraild: cannot start: "));
    EXPECT_THAT(log, HasSubstr("in use"));
    EXPECT_THAT(log, Not(HasSubstr("serving on")));

    // The first one still serves.
    ASSERT_TRUE(
        stub->GetServerInfo(Ctx().get(), v1::GetServerInfoRequest(), &info)
            .ok());
    ExpectCleanExit(server->StopWith(SIGTERM), *server, "SIGTERM");
  }

  // Restart on the same directory: what was written is there.
  absl::StatusOr<ServerProcess> again =
      ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/again.log"));
  ASSERT_TRUE(again.ok()) << again.status();
  auto stub = Connect(*again, data_dir);
  v1::GetClaimRequest get;
  get.set_name("claims/troops");
  v1::Claim read;
  const grpc::Status status = stub->GetClaim(Ctx().get(), get, &read);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(read.text(), written.text());
  EXPECT_EQ(read.etag(), written.etag());
  v1::ServerInfo info;
  ASSERT_TRUE(
      stub->GetServerInfo(Ctx().get(), v1::GetServerInfoRequest(), &info).ok());
  EXPECT_EQ(info.claim_count(), 1);
  EXPECT_EQ(info.source_count(), 1);
  EXPECT_EQ(info.last_sequence(), 1u);
  ExpectCleanExit(again->StopWith(SIGINT), *again, "SIGINT");
}

TEST(ServerLifecycleTest, SigtermWithAnOpenWatchExitsPromptly) {
  const std::string dir = FreshTempDir("watch-stop");
  absl::StatusOr<ServerProcess> server = ServerProcess::Start(
      Args(absl::StrCat(dir, "/data")), absl::StrCat(dir, "/server.log"));
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Connect(*server, absl::StrCat(dir, "/data"));
  auto ctx = Ctx();
  auto reader = stub->WatchClaims(ctx.get(), v1::WatchClaimsRequest());
  reader->WaitForInitialMetadata();

  const absl::Time start = absl::Now();
  ExpectCleanExit(server->StopWith(SIGTERM), *server, "SIGTERM");
  // Well under the 10 s grace period: open watches are ended, not waited for.
  EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << server->Log();
  v1::WatchClaimsResponse response;
  while (reader->Read(&response)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(ServerLifecycleTest, BadStartsExitWithOneClearLine) {
  const std::string dir = FreshTempDir("bad-start");
  // Occupied port: start one server, then ask for its port.
  absl::StatusOr<ServerProcess> server = ServerProcess::Start(
      Args(absl::StrCat(dir, "/data")), absl::StrCat(dir, "/server.log"));
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string log_path = absl::StrCat(dir, "/bind.log");
  absl::StatusOr<int> bind =
      ServerProcess::Run({absl::StrCat("--listen=", server->target()),
                          absl::StrCat("--data_dir=", dir, "/other")},
                         log_path);
  ASSERT_TRUE(bind.ok()) << bind.status();
  EXPECT_TRUE(WIFEXITED(*bind));
  EXPECT_EQ(WEXITSTATUS(*bind), 1);
  const std::string log = ReadFile(log_path);
  EXPECT_THAT(log, HasSubstr(absl::StrCat("claimtraild: cannot start: "
                                          "UNAVAILABLE: cannot listen on ",
                                          server->target())));

  // An unknown flag.
  absl::StatusOr<int> flag =
      ServerProcess::Run({"--no_such_flag=1"}, absl::StrCat(dir, "/flag.log"));
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_TRUE(WIFEXITED(*flag));
  EXPECT_NE(WEXITSTATUS(*flag), 0);
  ExpectCleanExit(server->StopWith(SIGTERM), *server, "SIGTERM");
}

}  // namespace
}  // namespace claimtrail
