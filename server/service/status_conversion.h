// The one place where absl::Status (the core's error type) becomes
// grpc::Status (what goes on the wire).
#ifndef CLAIMTRAIL_SERVER_SERVICE_STATUS_CONVERSION_H_
#define CLAIMTRAIL_SERVER_SERVICE_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace claimtrail {
namespace service {

// Returns a grpc::Status with the same canonical code and the same message.
// absl and gRPC share the canonical code numbering (0-16); a code outside it
// (never produced by our code) becomes UNKNOWN with the message kept. An OK
// status becomes grpc::Status::OK (its message, if any, is dropped: gRPC
// sends no message with OK). Pure and thread-safe.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_STATUS_CONVERSION_H_
