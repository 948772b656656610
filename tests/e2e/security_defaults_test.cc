// The real claimtraild's secure defaults: the bootstrap admin token file
// (owner-only, logged by path, never by value), refusal of plaintext on a
// non-loopback address unless --insecure, token secrets never on disk, and
// --new_admin_token for a lost token.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "client/claimtrail_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_process.h"

namespace claimtrail {
namespace {

using ::claimtrail::testing::FreshTempDir;
using ::claimtrail::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// Every byte of every regular file in `dir` except `skip`.
std::string AllFileBytes(const std::string& dir, const std::string& skip) {
  std::string bytes;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return bytes;
  while (dirent* entry = readdir(d)) {
    const std::string path = absl::StrCat(dir, "/", entry->d_name);
    struct stat st;
    if (skip == entry->d_name || stat(path.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode)) {
      continue;
    }
    bytes += ReadFile(path);
  }
  closedir(d);
  return bytes;
}

std::string AdminToken(const std::string& data_dir) {
  return std::string(absl::StripAsciiWhitespace(
      ReadFile(absl::StrCat(data_dir, "/admin.token"))));
}

std::unique_ptr<client::ClaimTrailClient> Client(const ServerProcess& server,
                                                 const std::string& token) {
  client::ClientOptions options;
  options.server_address = server.target();
  options.token = token;
  absl::StatusOr<std::unique_ptr<client::ClaimTrailClient>> client =
      client::ClaimTrailClient::Connect(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

std::vector<std::string> Args(const std::string& data_dir) {
  return {"--listen=127.0.0.1:0", absl::StrCat("--data_dir=", data_dir)};
}

TEST(SecurityDefaultsTest, FirstStartWritesAnOwnerOnlyAdminTokenAndLogsItsPath) {
  const std::string dir = FreshTempDir("first-start");
  const std::string data_dir = absl::StrCat(dir, "/data");
  absl::StatusOr<ServerProcess> server =
      ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/server.log"));
  ASSERT_TRUE(server.ok()) << server.status();

  const std::string path = absl::StrCat(data_dir, "/admin.token");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string token = AdminToken(data_dir);
  EXPECT_THAT(token, ::testing::MatchesRegex("ct_[0-9a-f]{16}_[0-9a-f]{64}"));
  EXPECT_THAT(server->Log(), HasSubstr("issued an admin token for users/admin"));
  EXPECT_THAT(server->Log(), HasSubstr("/data/admin.token (mode 0600"));
  EXPECT_THAT(server->Log(), Not(HasSubstr(token.substr(20))));

  auto admin = Client(*server, token);
  absl::StatusOr<v1::ListTokensResponse> tokens =
      admin->ListTokens(v1::ListTokensRequest());
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->tokens_size(), 1);
  EXPECT_EQ(tokens->tokens(0).principal(), "users/admin");

  // Without the token, nothing.
  EXPECT_EQ(Client(*server, "")->GetServerInfo().status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(SecurityDefaultsTest, NonLoopbackPlaintextNeedsInsecure) {
  const std::string dir = FreshTempDir("remote");
  const std::string log = absl::StrCat(dir, "/refused.log");
  absl::StatusOr<int> refused = ServerProcess::Run(
      {"--listen=0.0.0.0:0", absl::StrCat("--data_dir=", dir, "/data")}, log);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_TRUE(WIFEXITED(*refused));
  EXPECT_EQ(WEXITSTATUS(*refused), 1);
  EXPECT_THAT(ReadFile(log),
              HasSubstr("claimtraild: cannot start: INVALID_ARGUMENT: "
                        "listen_address: 0.0.0.0:0 accepts connections from "
                        "other machines"));
  EXPECT_THAT(ReadFile(log), HasSubstr("--insecure"));

  absl::StatusOr<ServerProcess> insecure = ServerProcess::Start(
      {"--listen=0.0.0.0:0", absl::StrCat("--data_dir=", dir, "/data"),
       "--insecure"},
      absl::StrCat(dir, "/insecure.log"));
  ASSERT_TRUE(insecure.ok()) << insecure.status();
  EXPECT_THAT(insecure->Log(),
              ::testing::ContainsRegex(" W --insecure: serving plaintext on "
                                       "0\\.0\\.0\\.0:0"));
  EXPECT_THAT(insecure->Log(), HasSubstr(", plaintext"));
  // Still authenticated.
  EXPECT_EQ(Client(*insecure, "")->GetServerInfo().status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Client(*insecure, AdminToken(absl::StrCat(dir, "/data")))
                  ->GetServerInfo()
                  .ok());
}

TEST(SecurityDefaultsTest, TokenSecretsNeverReachTheDisk) {
  const std::string dir = FreshTempDir("no-secrets");
  const std::string data_dir = absl::StrCat(dir, "/data");
  std::vector<std::string> secrets;
  {
    absl::StatusOr<ServerProcess> server =
        ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/server.log"));
    ASSERT_TRUE(server.ok()) << server.status();
    secrets.push_back(AdminToken(data_dir));
    auto admin = Client(*server, secrets[0]);
    for (const char* principal : {"users/alice", "services/cms"}) {
      v1::CreateTokenRequest request;
      request.mutable_token()->set_principal(principal);
      request.mutable_token()->add_roles(v1::ROLE_EDITOR);
      absl::StatusOr<v1::CreateTokenResponse> created =
          admin->CreateToken(request);
      ASSERT_TRUE(created.ok()) << created.status();
      secrets.push_back(created->bearer_token());
    }
    v1::RevokeTokenRequest revoke;
    revoke.set_name(
        absl::StrCat("tokens/", secrets[1].substr(3, 16)));  // alice's
    ASSERT_TRUE(admin->RevokeToken(revoke).ok());
    absl::StatusOr<int> stopped = server->StopWith(SIGTERM);
    ASSERT_TRUE(stopped.ok()) << stopped.status();
    EXPECT_THAT(server->Log(), Not(HasSubstr(secrets[1].substr(20))));
  }
  // Everything on disk but the admin token file itself.
  const std::string disk = AllFileBytes(data_dir, "admin.token");
  ASSERT_THAT(disk, HasSubstr("services/cms"));  // The records are there.
  for (const std::string& bearer : secrets) {
    const std::string secret = bearer.substr(20);  // After "ct_{id}_".
    EXPECT_THAT(disk, Not(HasSubstr(secret))) << bearer.substr(0, 19);
    EXPECT_THAT(disk, Not(HasSubstr(secret.substr(0, 16))));
  }
}

TEST(SecurityDefaultsTest, RestartKeepsTokensAndNewAdminTokenReplacesTheFile) {
  const std::string dir = FreshTempDir("restart");
  const std::string data_dir = absl::StrCat(dir, "/data");
  std::string first;
  {
    absl::StatusOr<ServerProcess> server =
        ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/1.log"));
    ASSERT_TRUE(server.ok()) << server.status();
    first = AdminToken(data_dir);
  }
  {
    absl::StatusOr<ServerProcess> server =
        ServerProcess::Start(Args(data_dir), absl::StrCat(dir, "/2.log"));
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_EQ(AdminToken(data_dir), first);
    EXPECT_THAT(server->Log(), Not(HasSubstr("issued an admin token")));
    EXPECT_TRUE(Client(*server, first)->GetServerInfo().ok());
  }
  std::vector<std::string> args = Args(data_dir);
  args.push_back("--new_admin_token");
  absl::StatusOr<ServerProcess> server =
      ServerProcess::Start(args, absl::StrCat(dir, "/3.log"));
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string second = AdminToken(data_dir);
  EXPECT_NE(second, first);
  EXPECT_TRUE(Client(*server, second)->GetServerInfo().ok());
  // The earlier one stays valid until revoked.
  EXPECT_TRUE(Client(*server, first)->GetServerInfo().ok());
}

}  // namespace
}  // namespace claimtrail
