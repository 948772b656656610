// Opaque page tokens for the Ledger's list methods.
//
// A token is web-safe base64 of: a format version byte, a serialized
// PageToken (internal.proto), and an 8-byte checksum of both. The checksum
// catches a token that was truncated or edited; the method name and filter
// fingerprint inside catch a token reused with another method or other
// filters. All three are refused with INVALID_ARGUMENT naming `page_token`.
// Tokens carry keyset cursors (the last id examined), never offsets, so the
// same token works for as long as the data it points into exists.
#ifndef CLAIMTRAIL_SERVER_CORE_PAGE_TOKEN_H_
#define CLAIMTRAIL_SERVER_CORE_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "server/core/internal.pb.h"

namespace claimtrail {
namespace core {

// Fingerprint of a list request's filter fields. The caller passes a copy
// with page_size and page_token cleared (clients may change the page size
// between pages).
uint64_t FilterFingerprint(const google::protobuf::Message& filters);

// The opaque string for `token`.
std::string EncodePageToken(const PageToken& token);

// The token behind `encoded`, checked against the method and filters of the
// request it came with. INVALID_ARGUMENT ("page_token: ...") if it is not a
// token we issued, was altered, or belongs to another method or filters.
absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded,
                                          absl::string_view method,
                                          uint64_t filter_fingerprint);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_PAGE_TOKEN_H_
