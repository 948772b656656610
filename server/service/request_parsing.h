// Parsing a gRPC request's bytes ourselves, so that bytes the protobuf
// parser refuses get an INVALID_ARGUMENT that names the field (see
// wire_diagnosis.h) rather than gRPC's bare status (parsing_service.h says
// why gRPC's own deserialization cannot be used for that).
#ifndef CLAIMTRAIL_SERVER_SERVICE_REQUEST_PARSING_H_
#define CLAIMTRAIL_SERVER_SERVICE_REQUEST_PARSING_H_

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace claimtrail {
namespace service {

// Parses `bytes` into `out` (cleared first) with the same parser gRPC's
// generated handlers use, reading the buffer's slices in place (no copy
// when the bytes are fine). `bytes` itself is left as it was.
// OK: parsed; unknown fields are kept.
// INVALID_ARGUMENT: refused, and `out` is left empty. The message starts
// with the field path ("claim.text: not valid UTF-8 (...)"), or with
// "request: " when the bytes are not a message of the type at all ("request:
// not a valid claimtrail.v1.CreateClaimRequest (truncated or malformed
// protobuf bytes at offset 0: ...)") or no message was sent.
// Thread-safe for distinct `out`.
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* out);

// ParseRequest in two halves, for a caller that decides in between whether
// an explanation is owed (the services admit the caller first).
// True: parsed into `out`, as ParseRequest's OK. False: refused, and `out`
// is left empty. Thread-safe for distinct `out`.
bool TryParseRequest(const grpc::ByteBuffer& bytes,
                     google::protobuf::Message* out);
// Why TryParseRequest refused `bytes` as a message of `prototype`'s type:
// ParseRequest's INVALID_ARGUMENT (OK never). Reads `bytes` again; linear
// in its size. Thread-safe.
absl::Status ExplainUnparsedRequest(const grpc::ByteBuffer& bytes,
                                    const google::protobuf::Message& prototype);

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_REQUEST_PARSING_H_
