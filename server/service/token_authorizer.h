// TokenAuthorizer: the server's Authorizer. A call is let in when
//   1. it carries exactly one "authorization: Bearer <token>" metadata entry
//      and the token is valid (core::auth::TokenManager), else
//      UNAUTHENTICATED;
//   2. the token's principal is within its request rate, else
//      RESOURCE_EXHAUSTED with the retry delay in the message and in the
//      "retry-after-ms" trailing metadata;
//   3. the token's roles grant RequiredRole(method), else PERMISSION_DENIED.
// The principal returned is the token's, whatever the request or any other
// metadata says.
#ifndef CLAIMTRAIL_SERVER_SERVICE_TOKEN_AUTHORIZER_H_
#define CLAIMTRAIL_SERVER_SERVICE_TOKEN_AUTHORIZER_H_

#include "server/core/auth/rate_limiter.h"
#include "server/core/auth/token_manager.h"
#include "server/service/authorizer.h"

namespace claimtrail {
namespace service {

class TokenAuthorizer final : public Authorizer {
 public:
  // `tokens` is not owned and must outlive the authorizer.
  TokenAuthorizer(core::auth::TokenManager* tokens,
                  core::auth::RateLimit rate_limit);

  // See the file comment. Storage errors reading a token record pass
  // through (UNAVAILABLE, DATA_LOSS, INTERNAL). Thread-safe.
  absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx, RpcMethod method) override;

 private:
  core::auth::TokenManager* const tokens_;
  core::auth::RateLimiter limiter_;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_TOKEN_AUTHORIZER_H_
