#include "server/service/admin_service.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/auth/roles.h"
#include "server/service/admission.h"
#include "server/service/status_conversion.h"
#include "server/util/logging.h"

namespace claimtrail {
namespace service {

AdminService::AdminService(core::auth::TokenManager* tokens,
                           Authorizer* authorizer,
                           std::function<void()> after_revoke)
    : tokens_(tokens),
      authorizer_(authorizer),
      after_revoke_(std::move(after_revoke)) {
  ParseRequestsOf(RpcMethod::kCreateToken, &AdminService::CreateToken);
  ParseRequestsOf(RpcMethod::kGetToken, &AdminService::GetToken);
  ParseRequestsOf(RpcMethod::kListTokens, &AdminService::ListTokens);
  ParseRequestsOf(RpcMethod::kRevokeToken, &AdminService::RevokeToken);
}

void AdminService::Drain() { draining_.store(true); }

absl::StatusOr<core::Principal> AdminService::Admit(
    grpc::CallbackServerContext* ctx, RpcMethod method) {
  return AdmitCall(*authorizer_, ctx, method, draining_.load());
}

grpc::ServerUnaryReactor* AdminService::RefuseUnparsed(
    grpc::CallbackServerContext* ctx, RpcMethod method,
    absl::FunctionRef<absl::Status()> explain) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  reactor->Finish(ToGrpcStatus(who.ok() ? explain() : who.status()));
  return reactor;
}

template <typename Response, typename CallFn>
grpc::ServerUnaryReactor* AdminService::Run(grpc::CallbackServerContext* ctx,
                                            RpcMethod method, Response* resp,
                                            CallFn call) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  absl::StatusOr<Response> result = call(*who);
  if (!result.ok()) {
    reactor->Finish(ToGrpcStatus(result.status()));
    return reactor;
  }
  *resp = *std::move(result);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::CreateToken(
    grpc::CallbackServerContext* ctx, const v1::CreateTokenRequest* req,
    v1::CreateTokenResponse* resp) {
  return Run(ctx, RpcMethod::kCreateToken, resp,
             [this, req](const core::Principal& who)
                 -> absl::StatusOr<v1::CreateTokenResponse> {
               absl::StatusOr<core::auth::IssuedToken> issued =
                   tokens_->CreateToken(who, *req);
               if (!issued.ok()) return issued.status();
               LogInfo("token %s issued to %s (roles: %s) by %s",
                       issued->token.name(), issued->token.principal(),
                       core::auth::DescribeRoles(
                           core::auth::RolesOf(issued->token)),
                       who.name);
               v1::CreateTokenResponse response;
               *response.mutable_token() = std::move(issued->token);
               response.set_bearer_token(std::move(issued->bearer_token));
               return response;
             });
}

grpc::ServerUnaryReactor* AdminService::GetToken(
    grpc::CallbackServerContext* ctx, const v1::GetTokenRequest* req,
    v1::Token* resp) {
  return Run(ctx, RpcMethod::kGetToken, resp,
             [this, req](const core::Principal&) {
               return tokens_->GetToken(*req);
             });
}

grpc::ServerUnaryReactor* AdminService::ListTokens(
    grpc::CallbackServerContext* ctx, const v1::ListTokensRequest* req,
    v1::ListTokensResponse* resp) {
  return Run(ctx, RpcMethod::kListTokens, resp,
             [this, req](const core::Principal&) {
               return tokens_->ListTokens(*req);
             });
}

grpc::ServerUnaryReactor* AdminService::RevokeToken(
    grpc::CallbackServerContext* ctx, const v1::RevokeTokenRequest* req,
    v1::Token* resp) {
  return Run(ctx, RpcMethod::kRevokeToken, resp,
             [this, req](const core::Principal& who)
                 -> absl::StatusOr<v1::Token> {
               absl::StatusOr<v1::Token> revoked =
                   tokens_->RevokeToken(who, *req);
               if (revoked.ok()) {
                 LogInfo("token %s of %s revoked (request by %s)",
                         revoked->name(), revoked->principal(), who.name);
                 if (after_revoke_) after_revoke_();
               }
               return revoked;
             });
}

}  // namespace service
}  // namespace claimtrail
