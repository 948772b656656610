#include "server/service/status_conversion.h"

#include <string>

namespace claimtrail {
namespace service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  // Both enums spell out the same canonical codes with the same numbers;
  // anything else would be a code this server does not define.
  const grpc::StatusCode grpc_code =
      code >= grpc::StatusCode::CANCELLED &&
              code <= grpc::StatusCode::UNAUTHENTICATED
          ? static_cast<grpc::StatusCode>(code)
          : grpc::StatusCode::UNKNOWN;
  return grpc::Status(grpc_code, std::string(status.message()));
}

}  // namespace service
}  // namespace claimtrail
