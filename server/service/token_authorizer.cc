#include "server/service/token_authorizer.h"

#include <grpcpp/server_context.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/core/auth/roles.h"

namespace claimtrail {
namespace service {
namespace {

constexpr char kAuthorizationKey[] = "authorization";

absl::StatusOr<std::string> BearerToken(const grpc::CallbackServerContext& ctx,
                                        RpcMethod method) {
  const auto& metadata = ctx.client_metadata();
  const auto range = metadata.equal_range(kAuthorizationKey);
  if (range.first == range.second) {
    return absl::UnauthenticatedError(absl::StrCat(
        RpcMethodName(method),
        ": no credentials; send the metadata \"authorization: Bearer "
        "<token>\" (the CLI: --token or CLAIMTRAIL_TOKEN; see "
        "docs/SECURITY.md)"));
  }
  if (std::next(range.first) != range.second) {
    return absl::UnauthenticatedError(
        "more than one \"authorization\" metadata entry");
  }
  absl::string_view value(range.first->second.data(),
                          range.first->second.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError(
        "\"authorization\" metadata must be \"Bearer <token>\"");
  }
  return std::string(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
}

}  // namespace

TokenAuthorizer::TokenAuthorizer(core::auth::TokenManager* tokens,
                                 core::auth::RateLimit rate_limit)
    : tokens_(tokens), limiter_(rate_limit) {}

absl::StatusOr<core::Principal> TokenAuthorizer::Authorize(
    const grpc::CallbackServerContext& ctx, RpcMethod method) {
  absl::StatusOr<std::string> bearer = BearerToken(ctx, method);
  if (!bearer.ok()) return bearer.status();
  absl::StatusOr<core::auth::Caller> caller = tokens_->Authenticate(*bearer);
  if (!caller.ok()) return caller.status();

  if (std::optional<absl::Duration> wait =
          limiter_.Acquire(caller->principal.name)) {
    return WithRetryAfter(
        absl::ResourceExhaustedError(absl::StrFormat(
            "%s: rate limit of %g requests/s (burst %g) exceeded for %s; "
            "retry after %d ms",
            RpcMethodName(method), limiter_.limit().requests_per_second,
            limiter_.limit().burst, caller->principal.name,
            absl::ToInt64Milliseconds(*wait))),
        *wait);
  }

  const v1::Role required = RequiredRole(method);
  if (!core::auth::RolesGrant(caller->roles, required)) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller->principal.name, " (", caller->token_name, ", roles: ",
        core::auth::DescribeRoles(caller->roles), ") may not call ",
        RpcMethodName(method), ": it requires the ",
        core::auth::RoleName(required), " role"));
  }
  return std::move(caller->principal);
}

}  // namespace service
}  // namespace claimtrail
