#include "server/core/page_token.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/core/idempotency.h"

namespace claimtrail {
namespace core {
namespace {

// Bump when PageToken's meaning changes; older tokens are then refused
// rather than misread.
constexpr char kTokenVersion = 1;
constexpr size_t kChecksumBytes = 8;
// Distinguishes token checksums from other FNV uses of the same bytes.
constexpr uint64_t kChecksumSeed = 0x70616765746f6b6eULL;  // "pagetokn"

std::string Checksum(absl::string_view bytes) {
  const uint64_t hash = Fnv1a64(bytes, kChecksumSeed);
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((hash >> shift) & 0xff));
  }
  return out;
}

absl::Status Malformed() {
  return absl::InvalidArgumentError(
      "page_token: not a valid page token (altered, truncated, or from "
      "another server version); start again without page_token");
}

}  // namespace

uint64_t FilterFingerprint(const google::protobuf::Message& filters) {
  return Fnv1a64(DeterministicBytes(filters));
}

std::string EncodePageToken(const PageToken& token) {
  std::string bytes(1, kTokenVersion);
  bytes += DeterministicBytes(token);
  bytes += Checksum(bytes);
  return absl::WebSafeBase64Escape(bytes);
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view encoded,
                                          absl::string_view method,
                                          uint64_t filter_fingerprint) {
  std::string bytes;
  // Re-encoding must give the same string: base64 has spare bits in its
  // last character, and a token with those flipped must not pass.
  if (!absl::WebSafeBase64Unescape(encoded, &bytes) ||
      absl::WebSafeBase64Escape(bytes) != encoded ||
      bytes.size() < 1 + kChecksumBytes) {
    return Malformed();
  }
  const absl::string_view body(bytes.data(), bytes.size() - kChecksumBytes);
  const absl::string_view checksum(bytes.data() + body.size(), kChecksumBytes);
  if (body[0] != kTokenVersion || Checksum(body) != checksum) {
    return Malformed();
  }
  PageToken token;
  if (!token.ParseFromArray(body.data() + 1,
                            static_cast<int>(body.size() - 1))) {
    return Malformed();
  }
  if (token.method() != method) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page_token: issued by ", token.method(), ", not ", method));
  }
  if (token.filter_fingerprint() != filter_fingerprint) {
    return absl::InvalidArgumentError(
        "page_token: issued for a request with other filters; pass the same "
        "filters as the first page, or start again without page_token");
  }
  return token;
}

}  // namespace core
}  // namespace claimtrail
