// Every RPC of claimtrail.v1.ClaimTrail and claimtrail.v1.Admin, called with
// every role's token and with no, bad and revoked tokens, against a real
// in-process server: the exact status code of each combination.
//
// The RPCs come from the service descriptors, so a new RPC is covered (and
// fails here until this file's table says which role it needs). The
// expected roles are written out below, independently of the server's
// table (RequiredRole), and checked against it.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "server/service/authorizer.h"
#include "tests/server/service/auth_test_util.h"
#include "tests/server/service/raw_call_test_util.h"

namespace claimtrail {
namespace {

using v1::ROLE_ADMIN;
using v1::ROLE_AUDITOR;
using v1::ROLE_EDITOR;
using v1::ROLE_READER;

// The documented access table (docs/SECURITY.md), keyed by full method name.
const std::map<std::string, v1::Role>& ExpectedRoles() {
  static const auto* roles = new std::map<std::string, v1::Role>{
      {"claimtrail.v1.ClaimTrail.GetServerInfo", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.GetSource", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.ListSources", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.GetClaim", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.ListClaims", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.ListClaimEvents", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.DiffClaim", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.SearchClaims", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.WatchClaims", ROLE_READER},
      {"claimtrail.v1.ClaimTrail.CreateSource", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.UpdateSource", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.CreateClaim", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.UpdateClaim", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.AddAttribution", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.ReviseFigure", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.RecordStance", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.RecordVerdict", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.AddAppearance", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.LinkClaims", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.MergeClaims", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.RetractClaim", ROLE_EDITOR},
      {"claimtrail.v1.ClaimTrail.RedactEvent", ROLE_ADMIN},
      {"claimtrail.v1.Admin.CreateToken", ROLE_ADMIN},
      {"claimtrail.v1.Admin.GetToken", ROLE_ADMIN},
      {"claimtrail.v1.Admin.ListTokens", ROLE_ADMIN},
      {"claimtrail.v1.Admin.RevokeToken", ROLE_ADMIN},
      // Served once claimtrail.v1.Reports is (reports_service.proto).
      {"claimtrail.v1.Reports.AuditReport", ROLE_AUDITOR},
      {"claimtrail.v1.Reports.ExportClaims", ROLE_AUDITOR},
      {"claimtrail.v1.Reports.ImportClaims", ROLE_ADMIN},
  };
  return *roles;
}

// The role model (roles.h), restated: admin does everything, editor and
// auditor include reader.
bool Allowed(v1::Role held, v1::Role required) {
  if (held == ROLE_ADMIN || held == required) return true;
  return required == ROLE_READER &&
         (held == ROLE_EDITOR || held == ROLE_AUDITOR);
}

std::string RoleWord(v1::Role role) {
  return v1::Role_Name(role).substr(5);  // "ROLE_EDITOR" -> "EDITOR".
}

std::string TestDataDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", info->name(), "-",
                      getpid());
}

struct Rpc {
  std::string full_name;  // "claimtrail.v1.ClaimTrail.GetClaim"
  std::string path;       // "/claimtrail.v1.ClaimTrail/GetClaim"
  bool server_streaming = false;
};

// Every RPC of every claimtrail.v1 service linked into this test (the
// server library links every service it serves), so a new service is
// covered too.
std::vector<Rpc> AllRpcs() {
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()
      ->FindAllFileNames(&files);
  std::vector<Rpc> rpcs;
  for (const std::string& name : files) {
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            name);
    if (file == nullptr || file->package() != "claimtrail.v1") continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int i = 0; i < service->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* method = service->method(i);
        rpcs.push_back({method->full_name(),
                        absl::StrCat("/", service->full_name(), "/",
                                     method->name()),
                        method->server_streaming()});
      }
    }
  }
  std::sort(rpcs.begin(), rpcs.end(),
            [](const Rpc& a, const Rpc& b) { return a.full_name < b.full_name; });
  return rpcs;
}

// Calls `rpc` with `body` as the request (empty: the default message) and
// `authorization` (if not empty) as metadata. A stream that is admitted
// stays open: it ends at its short deadline (DEADLINE_EXCEEDED), which
// counts as admitted.
grpc::Status CallWith(grpc::GenericStub& stub, const Rpc& rpc,
                      const std::string& authorization,
                      const std::string& body) {
  testing::RawCall call;
  call.path = rpc.path;
  call.body = body;
  call.authorization = authorization;
  call.timeout =
      rpc.server_streaming ? absl::Milliseconds(700) : absl::Seconds(20);
  return testing::CallWithBytes(stub, call);
}

// The status code of `rpc` called with an empty request.
grpc::StatusCode Call(grpc::GenericStub& stub, const Rpc& rpc,
                      const std::string& authorization) {
  return CallWith(stub, rpc, authorization, "").error_code();
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = TestDataDir();
    absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
        ClaimTrailServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    target_ = absl::StrCat("127.0.0.1:", server_->port());
    admin_channel_ = testing::ChannelWithToken(
        target_, testing::ReadAdminToken(server_->data_dir()));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  std::unique_ptr<ClaimTrailServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> admin_channel_;
};

TEST_F(AuthorizationMatrixTest, EveryRpcHasExactlyTheDocumentedRole) {
  std::map<std::string, service::RpcMethod> by_name;
  for (service::RpcMethod method : service::AllRpcMethods()) {
    by_name[absl::StrCat(service::RpcServiceName(method), ".",
                         service::RpcMethodName(method))] = method;
  }
  const std::vector<Rpc> rpcs = AllRpcs();
  ASSERT_GE(rpcs.size(), 26u) << "the services were not found";
  EXPECT_EQ(rpcs.size(), by_name.size())
      << "the RpcMethod enum and the services' RPCs differ";
  for (const Rpc& rpc : rpcs) {
    auto method = by_name.find(rpc.full_name);
    ASSERT_NE(method, by_name.end())
        << rpc.full_name << " has no RpcMethod (server/service/authorizer.h)";
    auto expected = ExpectedRoles().find(rpc.full_name);
    ASSERT_NE(expected, ExpectedRoles().end())
        << rpc.full_name << " is missing from this test's role table";
    EXPECT_EQ(service::RequiredRole(method->second), expected->second)
        << rpc.full_name;
  }
}

TEST_F(AuthorizationMatrixTest, EveryRpcEveryRoleEveryCredential) {
  const std::vector<v1::Role> roles = {ROLE_READER, ROLE_EDITOR, ROLE_AUDITOR,
                                       ROLE_ADMIN};
  std::map<v1::Role, std::string> valid;
  std::map<v1::Role, std::string> revoked;
  for (v1::Role role : roles) {
    const std::string who = absl::AsciiStrToLower(RoleWord(role));
    absl::StatusOr<std::string> token = testing::IssueToken(
        admin_channel_, absl::StrCat("users/", who), {role});
    ASSERT_TRUE(token.ok()) << token.status();
    valid[role] = *token;
    token = testing::IssueToken(admin_channel_,
                                absl::StrCat("users/", who, "-gone"), {role});
    ASSERT_TRUE(token.ok()) << token.status();
    revoked[role] = *token;
    ASSERT_TRUE(testing::RevokeBearerToken(admin_channel_, *token).ok());
  }
  // Right id, wrong secret; well-formed unknown id; not a token at all;
  // right token, wrong scheme.
  std::string wrong_secret = valid[ROLE_ADMIN];
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  const std::vector<std::string> bad = {
      absl::StrCat("Bearer ", wrong_secret),
      absl::StrCat("Bearer ct_0000000000000000_", std::string(64, '0')),
      "Bearer hunter2",
      "Bearer ",
      absl::StrCat("Basic ", valid[ROLE_ADMIN]),
  };

  grpc::GenericStub stub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  int calls = 0;
  for (const Rpc& rpc : AllRpcs()) {
    auto required = ExpectedRoles().find(rpc.full_name);
    ASSERT_NE(required, ExpectedRoles().end()) << rpc.full_name;

    EXPECT_EQ(Call(stub, rpc, ""), grpc::StatusCode::UNAUTHENTICATED)
        << rpc.full_name << " without a token";
    for (const std::string& authorization : bad) {
      EXPECT_EQ(Call(stub, rpc, authorization),
                grpc::StatusCode::UNAUTHENTICATED)
          << rpc.full_name << " with '" << authorization << "'";
    }
    calls += 1 + bad.size();
    for (v1::Role role : roles) {
      const std::string context =
          absl::StrCat(rpc.full_name, " as ", RoleWord(role));
      EXPECT_EQ(Call(stub, rpc, absl::StrCat("Bearer ", revoked[role])),
                grpc::StatusCode::UNAUTHENTICATED)
          << context << " with a revoked token";
      const grpc::StatusCode code =
          Call(stub, rpc, absl::StrCat("Bearer ", valid[role]));
      if (Allowed(role, required->second)) {
        // Admitted: the empty request may still be invalid (or a stream
        // may run into its deadline), but never an access error.
        EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << context;
        EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << context;
      } else {
        EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << context;
      }
      calls += 2;
    }
  }
  // 26 RPCs at the time of writing; more only add to it.
  EXPECT_GE(calls, 26 * (1 + 5 + 2 * 4));
}

// Bytes that are no message at all are explained (INVALID_ARGUMENT naming
// the request) only to a caller who may make the call: everyone else gets
// the same access error as with a valid request, and learns nothing about
// the bytes.
TEST_F(AuthorizationMatrixTest, UnparsableRequestsAreAdmittedBeforeExplained) {
  const std::vector<v1::Role> roles = {ROLE_READER, ROLE_EDITOR, ROLE_AUDITOR,
                                       ROLE_ADMIN};
  std::map<v1::Role, std::string> valid;
  for (v1::Role role : roles) {
    absl::StatusOr<std::string> token = testing::IssueToken(
        admin_channel_,
        absl::StrCat("users/", absl::AsciiStrToLower(RoleWord(role))), {role});
    ASSERT_TRUE(token.ok()) << token.status();
    valid[role] = *token;
  }
  const std::string garbage = "\xff\xff\xff\xff\xff\xff";
  grpc::GenericStub stub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  for (const Rpc& rpc : AllRpcs()) {
    auto required = ExpectedRoles().find(rpc.full_name);
    ASSERT_NE(required, ExpectedRoles().end()) << rpc.full_name;
    grpc::Status status = CallWith(stub, rpc, "", garbage);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << rpc.full_name << ": " << status.error_message();
    status = CallWith(stub, rpc, "Bearer hunter2", garbage);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << rpc.full_name << ": " << status.error_message();
    for (v1::Role role : roles) {
      const std::string context =
          absl::StrCat(rpc.full_name, " as ", RoleWord(role));
      status =
          CallWith(stub, rpc, absl::StrCat("Bearer ", valid[role]), garbage);
      if (Allowed(role, required->second)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << context << ": " << status.error_message();
        EXPECT_THAT(
            status.error_message(),
            ::testing::StartsWith("request: not a valid claimtrail.v1."))
            << context;
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << context << ": " << status.error_message();
      }
    }
  }
}

TEST_F(AuthorizationMatrixTest, HealthAndReflectionNeedNoToken) {
  // Load balancers and stock tools must reach them without a credential;
  // they reveal the serving status and the public schema only.
  grpc::GenericStub stub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  Rpc health{"grpc.health.v1.Health.Check", "/grpc.health.v1.Health/Check",
             false};
  EXPECT_EQ(Call(stub, health, ""), grpc::StatusCode::OK);
}

}  // namespace
}  // namespace claimtrail
