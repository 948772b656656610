// The gate every RPC handler passes first, shared by the services served
// beside one another (ClaimTrail, Admin, Reports), so that they admit calls
// by the same rules in the same order.
#ifndef CLAIMTRAIL_SERVER_SERVICE_ADMISSION_H_
#define CLAIMTRAIL_SERVER_SERVICE_ADMISSION_H_

#include <grpcpp/support/server_callback.h>

#include "absl/status/statusor.h"
#include "server/core/principal.h"
#include "server/service/authorizer.h"

namespace claimtrail {
namespace service {

// Admits a call of `method`, in this order:
//   1. the Authorizer decides who is calling and whether they may (its
//      UNAUTHENTICATED / PERMISSION_DENIED / RESOURCE_EXHAUSTED as is; a
//      refusal with a retry delay adds the "retry-after-ms" trailing
//      metadata to `ctx`);
//   2. UNAVAILABLE "<Method>: server is shutting down" when `draining`;
//   3. DEADLINE_EXCEEDED / CANCELLED when the client no longer waits, so
//      that nothing is done on its behalf.
// OK: the authenticated principal. Thread-safe as far as `authorizer` is
// (Authorizer implementations must be).
absl::StatusOr<core::Principal> AdmitCall(Authorizer& authorizer,
                                          grpc::CallbackServerContext* ctx,
                                          RpcMethod method, bool draining);

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_ADMISSION_H_
