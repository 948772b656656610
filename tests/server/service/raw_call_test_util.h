// Test helper: calls an RPC with raw request bytes (which need not be a
// valid message) through the generic stub, unary or server-streaming alike.
#ifndef CLAIMTRAIL_TESTS_SERVER_SERVICE_RAW_CALL_TEST_UTIL_H_
#define CLAIMTRAIL_TESTS_SERVER_SERVICE_RAW_CALL_TEST_UTIL_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace claimtrail {
namespace testing {

struct RawCall {
  // "/claimtrail.v1.ClaimTrail/GetClaim".
  std::string path;
  // The one request message's bytes.
  std::string body;
  // Sent as the "authorization" metadata unless empty.
  std::string authorization;
  // From the start of the call. A stream that stays open ends with
  // DEADLINE_EXCEEDED.
  absl::Duration timeout = absl::Seconds(20);
};

// Makes `call` on `stub`: sends the body, half-closes, reads every response
// (into `responses` if not null) and returns the final status.
grpc::Status CallWithBytes(grpc::GenericStub& stub, const RawCall& call,
                           std::vector<std::string>* responses = nullptr);

}  // namespace testing
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_SERVICE_RAW_CALL_TEST_UTIL_H_
