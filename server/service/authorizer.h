// Authentication and authorization seam of the service. Every RPC handler
// (ClaimTrail and Admin) asks the Authorizer first, and only then touches
// the Ledger or the tokens: this is the single place where a caller becomes
// a core::Principal (event authors are taken from it, never from a request
// field or metadata) and where access is decided.
//
// The server runs TokenAuthorizer (token_authorizer.h): bearer API tokens,
// roles per RequiredRole() below, and a per-principal rate limit. Tests may
// substitute their own Authorizer.
#ifndef CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_
#define CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_

#include <grpcpp/support/server_callback.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/claimtrail/v1/admin.pb.h"
#include "server/core/principal.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace claimtrail {
namespace service {

// Every RPC of claimtrail.v1.ClaimTrail, claimtrail.v1.Admin and
// claimtrail.v1.Reports, so that an Authorizer can decide per method.
enum class RpcMethod {
  // claimtrail.v1.ClaimTrail
  kGetServerInfo,
  kCreateSource,
  kGetSource,
  kListSources,
  kUpdateSource,
  kCreateClaim,
  kGetClaim,
  kListClaims,
  kUpdateClaim,
  kAddAttribution,
  kReviseFigure,
  kRecordStance,
  kRecordVerdict,
  kAddAppearance,
  kLinkClaims,
  kMergeClaims,
  kRetractClaim,
  kRedactEvent,
  kListClaimEvents,
  kDiffClaim,
  kSearchClaims,
  kWatchClaims,
  // claimtrail.v1.Admin
  kCreateToken,
  kGetToken,
  kListTokens,
  kRevokeToken,
  // claimtrail.v1.Reports
  kAuditReport,
  kExportClaims,
  kImportClaims,
};

// Every RpcMethod, in declaration order (for tests that must cover them all).
absl::Span<const RpcMethod> AllRpcMethods();

// The RPC's name as in the proto, e.g. "CreateClaim".
absl::string_view RpcMethodName(RpcMethod method);

// The full name of the service that has the RPC, e.g.
// "claimtrail.v1.ClaimTrail".
absl::string_view RpcServiceName(RpcMethod method);

// True for the RPCs that write claims or sources (they carry a request_id;
// ImportClaims derives one per write from the file's content).
bool IsMutation(RpcMethod method);

// THE access table: the role a caller must hold (see core/auth/roles.h for
// how roles include one another) to call `method`. docs/SECURITY.md shows
// it; a new RPC is added here, in one line, or it does not compile
// (-Wswitch) and the matrix test fails.
v1::Role RequiredRole(RpcMethod method);

class Authorizer {
 public:
  virtual ~Authorizer() = default;

  // Decides whether the caller of `ctx` may call `method`.
  // OK: the authenticated principal (name never empty).
  // UNAUTHENTICATED: no or invalid credentials.
  // PERMISSION_DENIED: authenticated, but not allowed to call `method`.
  // RESOURCE_EXHAUSTED: over a limit; WithRetryAfter() marks when to retry.
  // Must not block for long (it runs on a gRPC callback thread) and must be
  // safe to call concurrently.
  virtual absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx, RpcMethod method) = 0;
};

// Trailing metadata key carrying a refused call's retry delay, in whole
// milliseconds ("retry-after-ms: 250").
inline constexpr absl::string_view kRetryAfterMetadataKey = "retry-after-ms";

// `status` marked with a retry delay (a payload; the message is unchanged).
absl::Status WithRetryAfter(absl::Status status, absl::Duration delay);

// The delay WithRetryAfter put on `status`, if any.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);

// Adds the "retry-after-ms" trailing metadata to `ctx` when `status` carries
// a retry delay. Call before finishing the call with `status`.
void AddRetryAfterMetadata(const absl::Status& status,
                           grpc::ServerContextBase* ctx);

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_
