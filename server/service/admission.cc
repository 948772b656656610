#include "server/service/admission.h"

#include <grpcpp/server_context.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace service {

absl::StatusOr<core::Principal> AdmitCall(Authorizer& authorizer,
                                          grpc::CallbackServerContext* ctx,
                                          RpcMethod method, bool draining) {
  absl::StatusOr<core::Principal> who = authorizer.Authorize(*ctx, method);
  if (!who.ok()) {
    AddRetryAfterMetadata(who.status(), ctx);
    return who.status();
  }
  if (draining) {
    return absl::UnavailableError(
        absl::StrCat(RpcMethodName(method), ": server is shutting down"));
  }
  // A client that has stopped waiting gets no work done on its behalf.
  if (ctx->deadline() <= std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError(absl::StrCat(
        RpcMethodName(method), ": deadline expired before the call started"));
  }
  if (ctx->IsCancelled()) {
    return absl::CancelledError(absl::StrCat(
        RpcMethodName(method), ": call cancelled before it started"));
  }
  return who;
}

}  // namespace service
}  // namespace claimtrail
