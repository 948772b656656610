// AdminService: claimtrail.v1.Admin (API tokens) over core::auth's
// TokenManager. Every call passes the same Authorizer as ClaimTrail's
// (which requires the admin role for all of them, see RequiredRole), then
// runs synchronously: a token write is one small fsync'd record.
//
// Issuing and revoking are logged (token name, principal, roles, who did
// it); the bearer token never is.
//
// Requests are parsed by the service itself (ParsingService): bytes the
// protobuf parser refuses are INVALID_ARGUMENT naming the field, after
// admission.
#ifndef CLAIMTRAIL_SERVER_SERVICE_ADMIN_SERVICE_H_
#define CLAIMTRAIL_SERVER_SERVICE_ADMIN_SERVICE_H_

#include <atomic>
#include <functional>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"
#include "server/core/auth/token_manager.h"
#include "server/core/principal.h"
#include "server/service/authorizer.h"
#include "server/service/parsing_service.h"

namespace claimtrail {
namespace service {

class AdminService final : public ParsingService<AdminService, v1::Admin> {
 public:
  // `tokens` and `authorizer` are not owned and must outlive the service.
  // `after_revoke` runs after every successful RevokeToken, before the
  // answer is sent (the server ends streams opened with the token there).
  AdminService(core::auth::TokenManager* tokens, Authorizer* authorizer,
               std::function<void()> after_revoke = nullptr);

  // From now on every new call is answered UNAVAILABLE. Thread-safe.
  void Drain();

  // ---- claimtrail.v1.Admin. Contracts: admin.proto.
  grpc::ServerUnaryReactor* CreateToken(grpc::CallbackServerContext* ctx,
                                        const v1::CreateTokenRequest* req,
                                        v1::CreateTokenResponse* resp) override;
  grpc::ServerUnaryReactor* GetToken(grpc::CallbackServerContext* ctx,
                                     const v1::GetTokenRequest* req,
                                     v1::Token* resp) override;
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* ctx,
                                       const v1::ListTokensRequest* req,
                                       v1::ListTokensResponse* resp) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* req,
                                        v1::Token* resp) override;

 private:
  friend class ParsingService<AdminService, v1::Admin>;

  // Authorization, then whether the server still takes calls, then the
  // call's liveness; as ClaimTrailService::Admit.
  absl::StatusOr<core::Principal> Admit(grpc::CallbackServerContext* ctx,
                                        RpcMethod method);

  // A call whose request did not parse: admitted as any call (its refusal
  // wins), then finished with explain()'s INVALID_ARGUMENT (ParsingService).
  grpc::ServerUnaryReactor* RefuseUnparsed(
      grpc::CallbackServerContext* ctx, RpcMethod method,
      absl::FunctionRef<absl::Status()> explain);

  // Admits, runs `call(principal)` and finishes with its result.
  template <typename Response, typename CallFn>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx,
                                RpcMethod method, Response* resp,
                                CallFn call);

  core::auth::TokenManager* const tokens_;
  Authorizer* const authorizer_;
  const std::function<void()> after_revoke_;
  std::atomic<bool> draining_{false};
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_ADMIN_SERVICE_H_
