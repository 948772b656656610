// Why the protobuf parser refuses a request's bytes, said with the field
// path our INVALID_ARGUMENT messages use ("claim.attributions[0].hops[1]
// .source: not valid UTF-8 ..."), where the parser itself only says no.
//
// Free of gRPC (bytes in, absl::Status out) so that it can be unit-tested
// and fuzzed on its own; request_parsing.h applies it to gRPC requests.
#ifndef CLAIMTRAIL_SERVER_SERVICE_WIRE_DIAGNOSIS_H_
#define CLAIMTRAIL_SERVER_SERVICE_WIRE_DIAGNOSIS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace claimtrail {
namespace service {

// Walks `bytes` as a serialized `type` by the rules of protobuf's parser
// (3.21) and returns the first thing, in byte order, it would refuse:
//   "<path>: not valid UTF-8 (invalid sequence at byte B of N)" for a
//       proto3 `string` field (map keys: "<map field>: map key not valid
//       UTF-8 (...)");
//   "<path>: not a valid <type> (truncated or malformed protobuf bytes at
//       offset N: <what>)" when the bytes of the message at <path> end
//       early or break the wire format (N counts from the start of
//       `bytes`);
//   "<path>: nested more than 100 messages deep" (the parser's limit).
// <path> is "request" for the top-level message itself; fields are named as
// in the proto ("claim.topics[2]"), map values by key ("labels[\"k\"]").
// Unknown fields and fields sent with another wire type are checked only
// for well-formedness, as the parser keeps them unread.
// OK: nothing found. Every refusal of the parser is found except a missing
// proto2 `required` field (see ExplainParseFailure). Never reads outside
// `bytes`; thread-safe.
absl::Status FindWireFormatError(absl::string_view bytes,
                                 const google::protobuf::Descriptor& type);

// The INVALID_ARGUMENT status for `bytes` that the parser refused as a
// message of `prototype`'s type: FindWireFormatError's finding, else the
// first missing required field ("<path>: required"), else "request: not a
// valid <type> (refused by the protobuf parser)". Thread-safe.
absl::Status ExplainParseFailure(absl::string_view bytes,
                                 const google::protobuf::Message& prototype);

// Parses `bytes` into `out` with the generated parser (`out` is cleared
// first). OK: parsed; unknown fields are kept, as protobuf keeps them.
// INVALID_ARGUMENT: refused, with ExplainParseFailure's message; `out` is
// left empty. Thread-safe for distinct `out`.
absl::Status ParseMessageBytes(absl::string_view bytes,
                               google::protobuf::Message* out);

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_WIRE_DIAGNOSIS_H_
