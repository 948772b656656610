#include "tests/server/service/auth_test_util.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/support/client_interceptor.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"

namespace claimtrail {
namespace testing {
namespace {

class BearerInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string value) : value_(std::move(value)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->insert({"authorization", value_});
    }
    methods->Proceed();
  }

 private:
  const std::string value_;
};

class BearerInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(std::string token)
      : value_(absl::StrCat("Bearer ", token)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new BearerInterceptor(value_);
  }

 private:
  const std::string value_;
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return ctx;
}

absl::Status ToAbsl(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace

std::string ReadAdminToken(const std::string& data_dir) {
  std::ifstream in(absl::StrCat(data_dir, "/admin.token"));
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

std::shared_ptr<grpc::Channel> ChannelWithToken(
    const std::string& target, const std::string& token,
    std::shared_ptr<grpc::ChannelCredentials> credentials,
    const grpc::ChannelArguments& args) {
  if (token.empty()) return grpc::CreateCustomChannel(target, credentials, args);
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      factories;
  factories.push_back(std::make_unique<BearerInterceptorFactory>(token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, credentials, args, std::move(factories));
}

absl::StatusOr<std::string> IssueToken(
    const std::shared_ptr<grpc::Channel>& admin_channel,
    const std::string& principal, const std::vector<v1::Role>& roles) {
  auto stub = v1::Admin::NewStub(admin_channel);
  v1::CreateTokenRequest request;
  request.mutable_token()->set_principal(principal);
  for (v1::Role role : roles) request.mutable_token()->add_roles(role);
  v1::CreateTokenResponse response;
  const grpc::Status status =
      stub->CreateToken(Context().get(), request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.bearer_token();
}

absl::Status RevokeBearerToken(
    const std::shared_ptr<grpc::Channel>& admin_channel,
    const std::string& bearer_token) {
  // "ct_{id}_{secret}" -> "tokens/{id}".
  absl::string_view id = bearer_token;
  absl::ConsumePrefix(&id, "ct_");
  id = id.substr(0, id.find('_'));
  auto stub = v1::Admin::NewStub(admin_channel);
  v1::RevokeTokenRequest request;
  request.set_name(absl::StrCat("tokens/", id));
  v1::Token token;
  return ToAbsl(stub->RevokeToken(Context().get(), request, &token));
}

}  // namespace testing
}  // namespace claimtrail
