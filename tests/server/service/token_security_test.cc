// Security properties of a real in-process server with its default token
// authorizer: authors come from the token, revocation is immediate (open
// streams included), per-principal limits, the bootstrap admin token file,
// and the refusal of plaintext on non-loopback addresses.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "server/transport_security.h"
#include "tests/server/service/auth_test_util.h"
#include "tests/server/service/raw_call_test_util.h"

namespace claimtrail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string TestDataDir(absl::string_view suffix = "") {
  const char* base = std::getenv("TEST_TMPDIR");
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", info->name(),
                      suffix, "-", getpid());
}

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return ctx;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

v1::CreateClaimRequest ClaimRequest(absl::string_view id) {
  v1::CreateClaimRequest req;
  req.set_claim_id(std::string(id));
  req.set_request_id(absl::StrCat("create-", id));
  req.mutable_claim()->set_text(
      "North Korea has sent troops to Russia to support its war against "
      "Ukraine.");
  return req;
}

class TokenSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(ServerOptions()); }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  void Start(ServerOptions options) {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    server_.reset();
    options.listen_address = "127.0.0.1:0";
    if (options.data_dir == ServerOptions().data_dir) {
      options.data_dir = TestDataDir();
    }
    absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
        ClaimTrailServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    target_ = absl::StrCat("127.0.0.1:", server_->port());
    admin_channel_ = testing::ChannelWithToken(
        target_, testing::ReadAdminToken(server_->data_dir()));
  }

  std::string Issue(const std::string& principal, v1::Role role) {
    absl::StatusOr<std::string> token =
        testing::IssueToken(admin_channel_, principal, {role});
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  std::unique_ptr<v1::ClaimTrail::Stub> StubFor(const std::string& token) {
    return v1::ClaimTrail::NewStub(testing::ChannelWithToken(target_, token));
  }

  std::unique_ptr<ClaimTrailServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> admin_channel_;
};

TEST_F(TokenSecurityTest, AuthorIsTheTokensPrincipalWhateverTheCallerClaims) {
  auto alice = StubFor(Issue("users/alice", v1::ROLE_EDITOR));

  // Every place a client could try to name an author: output-only fields
  // of the request, and metadata that other systems trust.
  v1::CreateClaimRequest create = ClaimRequest("spoof");
  create.mutable_claim()->set_creator("users/mallory");
  auto ctx = Ctx();
  for (const char* key : {"x-author", "x-principal", "x-user", "x-forwarded-user",
                          "principal", "author", "x-claimtrail-principal"}) {
    ctx->AddMetadata(key, "users/mallory");
  }
  v1::Claim claim;
  grpc::Status status = alice->CreateClaim(ctx.get(), create, &claim);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(claim.creator(), "users/alice");

  v1::RecordVerdictRequest verdict;
  verdict.set_claim("claims/spoof");
  verdict.set_request_id("verdict-spoof");
  verdict.mutable_verdict()->set_rating(v1::VERDICT_RATING_UNPROVEN);
  verdict.mutable_verdict()->set_reviewer("users/mallory");
  ctx = Ctx();
  ctx->AddMetadata("x-author", "users/mallory");
  status = alice->RecordVerdict(ctx.get(), verdict, &claim);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(claim.verdict().reviewer(), "users/alice");

  v1::ListClaimEventsRequest list;
  list.set_parent("claims/spoof");
  v1::ListClaimEventsResponse events;
  ASSERT_TRUE(alice->ListClaimEvents(Ctx().get(), list, &events).ok());
  ASSERT_EQ(events.events_size(), 2);
  for (const v1::Event& event : events.events()) {
    EXPECT_EQ(event.author(), "users/alice") << event.name();
  }
  EXPECT_THAT(events.DebugString(), Not(HasSubstr("mallory")));
}

TEST_F(TokenSecurityTest, TwoAuthorizationHeadersAreRefusedNotChosenFrom) {
  const std::string reader = Issue("users/reader", v1::ROLE_READER);
  const std::string admin = testing::ReadAdminToken(server_->data_dir());
  auto stub = v1::ClaimTrail::NewStub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  auto ctx = Ctx();
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", reader));
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", admin));
  v1::Claim claim;
  const grpc::Status status =
      stub->CreateClaim(ctx.get(), ClaimRequest("two-headers"), &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TokenSecurityTest, RevocationIsImmediateAndEndsOpenStreams) {
  const std::string token = Issue("users/alice", v1::ROLE_EDITOR);
  auto alice = StubFor(token);
  v1::Claim claim;
  ASSERT_TRUE(alice->CreateClaim(Ctx().get(), ClaimRequest("before"), &claim)
                  .ok());

  // A change feed opened before the revocation.
  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto watch = alice->WatchClaims(&watch_ctx, v1::WatchClaimsRequest());
  v1::WatchClaimsResponse event;
  ASSERT_TRUE(watch->Read(&event));  // The replay of "before".

  ASSERT_TRUE(testing::RevokeBearerToken(admin_channel_, token).ok());
  // The very next call, with no pause: refused.
  const grpc::Status status =
      alice->CreateClaim(Ctx().get(), ClaimRequest("after"), &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("revoked"));
  // The stream was ended by the revocation, not by its deadline.
  while (watch->Read(&event)) {
  }
  const grpc::Status watch_status = watch->Finish();
  EXPECT_EQ(watch_status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(watch_status.error_message(), HasSubstr("revoked"));

  // Other principals' streams are untouched by it.
  auto bob = StubFor(Issue("users/bob", v1::ROLE_READER));
  grpc::ClientContext bob_ctx;
  bob_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto bob_watch = bob->WatchClaims(&bob_ctx, v1::WatchClaimsRequest());
  ASSERT_TRUE(bob_watch->Read(&event));
  const std::string other = Issue("users/carol", v1::ROLE_READER);
  ASSERT_TRUE(testing::RevokeBearerToken(admin_channel_, other).ok());
  auto admin = v1::ClaimTrail::NewStub(admin_channel_);
  ASSERT_TRUE(
      admin->CreateClaim(Ctx().get(), ClaimRequest("later"), &claim).ok());
  ASSERT_TRUE(bob_watch->Read(&event));  // Still streaming.
  EXPECT_EQ(event.event().name(), "claims/later/events/1");
  bob_ctx.TryCancel();
  while (bob_watch->Read(&event)) {
  }
  bob_watch->Finish();
}

TEST_F(TokenSecurityTest, RateLimitIsPerPrincipalAndSaysWhenToRetry) {
  ServerOptions options;
  options.rate_limit_rps = 0.5;
  options.rate_limit_burst = 3;
  options.data_dir = TestDataDir("-limited");
  Start(options);
  // The admin's own bucket pays for issuing the token (1 of 3).
  auto alice = StubFor(Issue("users/alice", v1::ROLE_READER));
  v1::ServerInfo info;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(alice->GetServerInfo(Ctx().get(), {}, &info).ok()) << i;
  }
  auto ctx = Ctx();
  const grpc::Status status = alice->GetServerInfo(ctx.get(), {}, &info);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("users/alice"));
  EXPECT_THAT(status.error_message(), HasSubstr("retry after"));
  const auto& trailers = ctx->GetServerTrailingMetadata();
  auto retry = trailers.find("retry-after-ms");
  ASSERT_NE(retry, trailers.end());
  int64_t millis = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::string_view(retry->second.data(), retry->second.size()), &millis));
  EXPECT_GT(millis, 0);
  EXPECT_LE(millis, 2000);  // One request at 0.5/s.

  // Another principal has its own bucket.
  auto bob = StubFor(Issue("users/bob", v1::ROLE_READER));
  EXPECT_TRUE(bob->GetServerInfo(Ctx().get(), {}, &info).ok());
}

// A request whose bytes do not parse is admitted like any other before it is
// explained, and costs one request of the caller's rate, not two.
TEST_F(TokenSecurityTest, UnparsableRequestsCountOnceAgainstTheRateLimit) {
  ServerOptions options;
  options.rate_limit_rps = 0.01;
  options.rate_limit_burst = 3;
  options.data_dir = TestDataDir("-unparsable");
  Start(options);
  const std::string alice = Issue("users/alice", v1::ROLE_EDITOR);
  grpc::GenericStub stub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  testing::RawCall call;
  call.path = "/claimtrail.v1.ClaimTrail/CreateClaim";
  call.body = "\x0a\x04\x12\x02\xff\xfe";  // claim { text: <not UTF-8> }
  call.authorization = absl::StrCat("Bearer ", alice);
  for (int i = 0; i < 3; ++i) {
    const grpc::Status status = testing::CallWithBytes(stub, call);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << i;
    EXPECT_THAT(status.error_message(), StartsWith("claim.text: ")) << i;
  }
  EXPECT_EQ(testing::CallWithBytes(stub, call).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(TokenSecurityTest, WatchStreamsAreCappedPerPrincipal) {
  ServerOptions options;
  options.max_watchers_per_principal = 1;
  options.data_dir = TestDataDir("-watchers");
  Start(options);
  auto alice = StubFor(Issue("users/alice", v1::ROLE_READER));
  auto bob = StubFor(Issue("users/bob", v1::ROLE_READER));
  v1::WatchClaimsRequest from_now;
  from_now.set_from_now(true);

  grpc::ClientContext first_ctx;
  auto first = alice->WatchClaims(&first_ctx, from_now);
  first->WaitForInitialMetadata();  // The stream is open.

  grpc::ClientContext second_ctx;
  second_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  auto second = alice->WatchClaims(&second_ctx, from_now);
  v1::WatchClaimsResponse event;
  EXPECT_FALSE(second->Read(&event));
  const grpc::Status status = second->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("per principal"));

  grpc::ClientContext bob_ctx;
  auto bob_watch = bob->WatchClaims(&bob_ctx, from_now);
  bob_watch->WaitForInitialMetadata();  // Open: bob has his own quota.

  for (auto* ctx : {&first_ctx, &bob_ctx}) ctx->TryCancel();
  while (first->Read(&event)) {
  }
  first->Finish();
  while (bob_watch->Read(&event)) {
  }
  bob_watch->Finish();
}

TEST_F(TokenSecurityTest, AdminTokenFileIsOwnerOnlyAndWrittenOnlyWhenNeeded) {
  const std::string path = absl::StrCat(server_->data_dir(), "/admin.token");
  EXPECT_EQ(server_->issued_admin_token_file(), path);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string first = ReadFile(path);
  EXPECT_THAT(first, ::testing::MatchesRegex("ct_[0-9a-f]{16}_[0-9a-f]{64}\n"));

  // The token in it is an admin's.
  auto admin = v1::Admin::NewStub(admin_channel_);
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(admin->ListTokens(Ctx().get(), {}, &tokens).ok());
  ASSERT_EQ(tokens.tokens_size(), 1);
  EXPECT_EQ(tokens.tokens(0).principal(), "users/admin");

  // A restart with an admin token in place writes nothing.
  ServerOptions options;
  options.data_dir = server_->data_dir();
  Start(options);
  EXPECT_EQ(server_->issued_admin_token_file(), "");
  EXPECT_EQ(ReadFile(path), first);

  // Without a usable admin token (all revoked), the next start issues one.
  admin = v1::Admin::NewStub(admin_channel_);
  v1::RevokeTokenRequest revoke;
  revoke.set_name(tokens.tokens(0).name());
  v1::Token revoked;
  ASSERT_TRUE(admin->RevokeToken(Ctx().get(), revoke, &revoked).ok());
  Start(options);
  EXPECT_EQ(server_->issued_admin_token_file(), path);
  const std::string second = ReadFile(path);
  EXPECT_NE(second, first);
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  // On request (a lost token), even though one is usable.
  options.issue_admin_token = true;
  Start(options);
  EXPECT_NE(ReadFile(path), second);
  v1::ServerInfo info;
  EXPECT_TRUE(v1::ClaimTrail::NewStub(admin_channel_)
                  ->GetServerInfo(Ctx().get(), {}, &info)
                  .ok());
}

TEST_F(TokenSecurityTest, AdminTokenFileIsOwnerOnlyDespiteAPermissiveUmask) {
  const mode_t old = umask(0);
  ServerOptions options;
  options.data_dir = TestDataDir("-umask");
  Start(options);
  umask(old);
  struct stat st;
  ASSERT_EQ(stat(server_->issued_admin_token_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST(ListenSecurityTest, PlaintextOnANonLoopbackAddressNeedsInsecure) {
  ServerOptions options;
  options.listen_address = "0.0.0.0:0";
  options.data_dir = TestDataDir();
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
      ClaimTrailServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("listen_address: 0.0.0.0:0"));
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("--insecure"));

  options.allow_insecure_remote = true;
  server = ClaimTrailServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  (*server)->Shutdown(absl::Seconds(5));
}

TEST(ListenSecurityTest, LoopbackAddressesAreRecognized) {
  for (const char* local :
       {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "LOCALHOST:1",
        "[::1]:50051", "unix:/tmp/x.sock", "unix-abstract:claimtrail",
        "ipv4:127.0.0.1:5", "dns:///localhost:7", "[::ffff:127.0.0.1]:9"}) {
    EXPECT_TRUE(IsLoopbackAddress(local)) << local;
  }
  for (const char* remote :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.1:50051",
        "192.168.1.20:1", "example.com:443", "[2001:db8::1]:5", "128.0.0.1:1",
        "localhost.example.com:1", ""}) {
    EXPECT_FALSE(IsLoopbackAddress(remote)) << remote;
  }
}

TEST(ListenSecurityTest, BadTlsFilesAreNamedAtStart) {
  const std::string dir = TestDataDir();
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = dir;
  options.tls.cert_file = "/nonexistent/server.pem";
  options.tls.key_file = "/nonexistent/server.key";
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
      ClaimTrailServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("tls.cert_file: cannot read /nonexistent/server.pem"));

  options.tls.key_file.clear();
  server = ClaimTrailServer::Start(options);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("tls.key_file: required"));

  const std::string not_pem = absl::StrCat(dir, "-not.pem");
  std::ofstream(not_pem) << "hello";
  options.tls.cert_file = not_pem;
  options.tls.key_file = not_pem;
  server = ClaimTrailServer::Start(options);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("tls.cert_file: "));

  options.tls = TlsServerOptions();
  options.tls.client_ca_file = not_pem;
  server = ClaimTrailServer::Start(options);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("tls.client_ca_file: needs"));
}

}  // namespace
}  // namespace claimtrail
