// Stable hashes for idempotency records, source etags and page tokens.
//
// These values are persisted (request fingerprints, source etags) or handed
// to clients (page tokens), so they must not change between runs or builds:
// std::hash and absl::Hash are seeded per process and do not qualify. FNV-1a
// is tiny, fixed and good enough: these hashes detect accidents (a reused
// request_id, a stale etag, a token from another query), not adversaries.
#ifndef CLAIMTRAIL_SERVER_CORE_IDEMPOTENCY_H_
#define CLAIMTRAIL_SERVER_CORE_IDEMPOTENCY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace core {

// 64-bit FNV-1a of `bytes`, continuing from `seed` (the standard offset
// basis by default), so that hashes can be chained over several parts.
uint64_t Fnv1a64(absl::string_view bytes,
                 uint64_t seed = 0xcbf29ce484222325ULL);

// The message's deterministic serialization (map entries sorted), so equal
// messages give equal bytes within one build.
std::string DeterministicBytes(const google::protobuf::Message& message);

// Fingerprint of a mutating request for its idempotency record: 16 bytes,
// two independent FNV-1a hashes over the method name, the principal and the
// request's deterministic serialization with request_id cleared (the caller
// passes such a copy). A repeat of the same request gives the same bytes.
std::string RequestFingerprint(absl::string_view method,
                               absl::string_view principal,
                               const google::protobuf::Message& request);

// Etag of a source: a hash of its content (name, update_time and every
// other field; the etag field itself is ignored), as 16 lowercase hex
// digits (kEtagHexDigits in limits.h, the form validation accepts).
std::string SourceEtag(const v1::Source& source);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_IDEMPOTENCY_H_
