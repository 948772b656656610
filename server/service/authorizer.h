// Authentication and authorization seam of the service. Every RPC handler asks
// the Authorizer first, and only then touches the Ledger: this is the single
// place where a caller becomes a core::Principal (event authors are taken
// from it, never from a request field) and where access is decided.
//
// Today the server runs with AllowAllAuthorizer (a local, single-user tool).
// Token authentication and roles replace it without touching the handlers.
#ifndef CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_
#define CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_

#include <grpcpp/support/server_callback.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/principal.h"

namespace claimtrail {
namespace service {

// Every RPC of claimtrail.v1.ClaimTrail, so that an Authorizer can decide per
// method (e.g. reads for viewers, mutations for editors).
enum class RpcMethod {
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
};

// The RPC's name as in the proto, e.g. "CreateClaim".
absl::string_view RpcMethodName(RpcMethod method);

// True for the RPCs that write (they carry a request_id).
bool IsMutation(RpcMethod method);

class Authorizer {
 public:
  virtual ~Authorizer() = default;

  // Decides whether the caller of `ctx` may call `method`.
  // OK: the authenticated principal (name never empty).
  // UNAUTHENTICATED: no or invalid credentials.
  // PERMISSION_DENIED: authenticated, but not allowed to call `method`.
  // Must not block for long (it runs on a gRPC callback thread) and must be
  // safe to call concurrently.
  virtual absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx, RpcMethod method) = 0;
};

// Lets every caller in, as the principal "users/local". For a server bound to
// localhost or a Unix socket, pending real authentication.
class AllowAllAuthorizer final : public Authorizer {
 public:
  static constexpr absl::string_view kPrincipalName = "users/local";

  // Always OK with principal "users/local". Thread-safe.
  absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx, RpcMethod method) override;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_AUTHORIZER_H_
