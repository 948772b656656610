// TLS end to end: the real claimtraild with certificates made by
// tools/dev-certs.sh, and the client library connecting with a CA file (and
// a client certificate for mutual TLS). The right CA works; a wrong CA, no
// TLS, or a missing or foreign client certificate fail the handshake.
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::string DevCertsScript() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "claimtrail",
                      "/tools/dev-certs.sh");
}

// A fresh CA with server and client certificates, in `dir`.
void MakeCerts(const std::string& dir) {
  const std::string command = absl::StrCat(
      "'", DevCertsScript(), "' '", dir, "' > '", dir, ".log' 2>&1");
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << command << "\n"
      << ReadFile(absl::StrCat(dir, ".log"));
}

class SecurityTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new std::string(FreshTempDir("certs"));
    other_certs_ = new std::string(FreshTempDir("other-certs"));
    MakeCerts(*certs_);
    MakeCerts(*other_certs_);
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_certs_;
  }

  static std::string Cert(const std::string& dir, const char* file) {
    return absl::StrCat(dir, "/", file);
  }

  // Starts claimtraild with TLS from certs_ (and mutual TLS when asked).
  void StartServer(bool mutual) {
    dir_ = FreshTempDir("tls");
    data_dir_ = absl::StrCat(dir_, "/data");
    std::vector<std::string> args = {
        "--listen=127.0.0.1:0", absl::StrCat("--data_dir=", data_dir_),
        absl::StrCat("--tls_cert=", Cert(*certs_, "server.pem")),
        absl::StrCat("--tls_key=", Cert(*certs_, "server.key"))};
    if (mutual) {
      args.push_back(absl::StrCat("--tls_client_ca=", Cert(*certs_, "ca.pem")));
    }
    absl::StatusOr<ServerProcess> server =
        ServerProcess::Start(args, absl::StrCat(dir_, "/server.log"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::make_unique<ServerProcess>(*std::move(server));
    EXPECT_THAT(server_->Log(), HasSubstr(", TLS"));
  }

  client::ClientOptions Options(const std::string& host = "127.0.0.1") {
    client::ClientOptions options;
    options.server_address = absl::StrCat(host, ":", server_->port());
    options.token = ReadFile(absl::StrCat(data_dir_, "/admin.token"));
    options.token.pop_back();  // "\n"
    options.max_retries = 0;
    options.default_deadline = absl::Seconds(10);
    return options;
  }

  // GetServerInfo's status over a client made from `options`.
  absl::StatusCode Call(const client::ClientOptions& options) {
    absl::StatusOr<std::unique_ptr<client::ClaimTrailClient>> client =
        client::ClaimTrailClient::Connect(options);
    if (!client.ok()) return client.status().code();
    absl::StatusOr<v1::ServerInfo> info = (*client)->GetServerInfo();
    if (info.ok()) {
      EXPECT_EQ(info->version(), "0.1.0");
    }
    return info.status().code();
  }

  static std::string* certs_;
  static std::string* other_certs_;
  std::string dir_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

std::string* SecurityTlsTest::certs_ = nullptr;
std::string* SecurityTlsTest::other_certs_ = nullptr;

TEST_F(SecurityTlsTest, RightCaWorksWrongCaOrPlaintextFail) {
  StartServer(/*mutual=*/false);

  client::ClientOptions right = Options();
  right.tls.ca_file = Cert(*certs_, "ca.pem");
  EXPECT_EQ(Call(right), absl::StatusCode::kOk);
  // The certificate names localhost too.
  client::ClientOptions by_name = Options("localhost");
  by_name.tls.ca_file = Cert(*certs_, "ca.pem");
  EXPECT_EQ(Call(by_name), absl::StatusCode::kOk);

  client::ClientOptions wrong_ca = Options();
  wrong_ca.tls.ca_file = Cert(*other_certs_, "ca.pem");
  EXPECT_EQ(Call(wrong_ca), absl::StatusCode::kUnavailable);

  // The system roots do not know a development CA.
  client::ClientOptions system_roots = Options();
  system_roots.tls.enabled = true;
  EXPECT_EQ(Call(system_roots), absl::StatusCode::kUnavailable);

  // Right CA, but the certificate is not for the name asked for.
  client::ClientOptions wrong_name = Options();
  wrong_name.tls.ca_file = Cert(*certs_, "ca.pem");
  wrong_name.tls.server_name_override = "claims.example.org";
  EXPECT_EQ(Call(wrong_name), absl::StatusCode::kUnavailable);

  EXPECT_EQ(Call(Options()), absl::StatusCode::kUnavailable);  // Plaintext.

  // TLS protects the channel; the token is still required.
  client::ClientOptions no_token = right;
  no_token.token.clear();
  EXPECT_EQ(Call(no_token), absl::StatusCode::kUnauthenticated);
}

TEST_F(SecurityTlsTest, MutualTlsNeedsAClientCertificateFromTheTrustedCa) {
  StartServer(/*mutual=*/true);

  client::ClientOptions with_cert = Options();
  with_cert.tls.ca_file = Cert(*certs_, "ca.pem");
  with_cert.tls.cert_file = Cert(*certs_, "client.pem");
  with_cert.tls.key_file = Cert(*certs_, "client.key");
  EXPECT_EQ(Call(with_cert), absl::StatusCode::kOk);

  client::ClientOptions without_cert = Options();
  without_cert.tls.ca_file = Cert(*certs_, "ca.pem");
  EXPECT_EQ(Call(without_cert), absl::StatusCode::kUnavailable);

  client::ClientOptions foreign_cert = with_cert;
  foreign_cert.tls.cert_file = Cert(*other_certs_, "client.pem");
  foreign_cert.tls.key_file = Cert(*other_certs_, "client.key");
  EXPECT_EQ(Call(foreign_cert), absl::StatusCode::kUnavailable);
}

TEST_F(SecurityTlsTest, MismatchedKeyIsRefusedAtStart) {
  const std::string dir = FreshTempDir("tls-bad");
  const std::string log = absl::StrCat(dir, "/server.log");
  absl::StatusOr<int> status = ServerProcess::Run(
      {"--listen=127.0.0.1:0", absl::StrCat("--data_dir=", dir, "/data"),
       absl::StrCat("--tls_cert=", Cert(*certs_, "server.pem")),
       absl::StrCat("--tls_key=", Cert(*other_certs_, "server.key"))},
      log);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 1);
  EXPECT_THAT(ReadFile(log),
              HasSubstr("INVALID_ARGUMENT: tls.key_file: "));
  EXPECT_THAT(ReadFile(log), HasSubstr("is not the key of the certificate"));
}

TEST_F(SecurityTlsTest, TlsMayListenOnEveryInterfaceWithoutInsecure) {
  const std::string dir = FreshTempDir("tls-any");
  absl::StatusOr<ServerProcess> server = ServerProcess::Start(
      {"--listen=0.0.0.0:0", absl::StrCat("--data_dir=", dir, "/data"),
       absl::StrCat("--tls_cert=", Cert(*certs_, "server.pem")),
       absl::StrCat("--tls_key=", Cert(*certs_, "server.key"))},
      absl::StrCat(dir, "/server.log"));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT(server->Log(), ::testing::Not(HasSubstr("--insecure")));
}

}  // namespace
}  // namespace claimtrail
