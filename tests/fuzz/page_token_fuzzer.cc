// Fuzz target: page-token decoding (server/core/page_token.h).
//
// Input: a selector byte, then either
//   0: a token string as a client might send it: DecodePageToken must return
//      OK or INVALID_ARGUMENT naming page_token, never crash;
//   1: a serialized PageToken: Encode then Decode must round-trip it, and
//      the same token must be refused for another method or fingerprint;
//   2: a serialized PageToken and an edit: the encoded token with one
//      character changed must be refused.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/core/internal.pb.h"
#include "server/core/page_token.h"
#include "tests/fuzz/fuzz_check.h"

namespace claimtrail {
namespace {

void CheckRefusal(const absl::Status& status, const char* what) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument &&
                 absl::StartsWith(status.message(), "page_token: "),
             "%s: %s", what, status.ToString().c_str());
}

void CheckDecode(absl::string_view encoded, absl::string_view method,
                 uint64_t fingerprint) {
  auto token = core::DecodePageToken(encoded, method, fingerprint);
  if (token.ok()) {
    FUZZ_CHECK(token->method() == method &&
                   token->filter_fingerprint() == fingerprint,
               "accepted a token of method %s", token->method().c_str());
  } else {
    CheckRefusal(token.status(), "decode of arbitrary input");
  }
}

void RoundTrip(const core::PageToken& token) {
  const std::string encoded = core::EncodePageToken(token);
  auto decoded = core::DecodePageToken(encoded, token.method(),
                                       token.filter_fingerprint());
  FUZZ_CHECK(decoded.ok(), "own token refused: %s",
             decoded.status().ToString().c_str());
  FUZZ_CHECK(decoded->SerializeAsString() == token.SerializeAsString(),
             "token did not round-trip");
  CheckRefusal(core::DecodePageToken(encoded, token.method() + "x",
                                     token.filter_fingerprint())
                   .status(),
               "token of another method");
  CheckRefusal(core::DecodePageToken(encoded, token.method(),
                                     token.filter_fingerprint() ^ 1)
                   .status(),
               "token of other filters");
}

void Tamper(const core::PageToken& token, uint8_t position, uint8_t value) {
  std::string encoded = core::EncodePageToken(token);
  const size_t at = position % encoded.size();
  const char replacement =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
          [value % 65];
  if (encoded[at] == replacement) return;
  encoded[at] = replacement;
  CheckRefusal(core::DecodePageToken(encoded, token.method(),
                                     token.filter_fingerprint())
                   .status(),
               "tampered token");
}

}  // namespace
}  // namespace claimtrail

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  switch (data[0] % 3) {
    case 0:
      claimtrail::CheckDecode(rest, "ListClaims", 0);
      claimtrail::CheckDecode(rest, "SearchClaims", 0x1234);
      break;
    case 1:
    case 2: {
      if (rest.size() < 2) return 0;
      claimtrail::core::PageToken token;
      if (!token.ParseFromArray(rest.data() + 2,
                                static_cast<int>(rest.size() - 2))) {
        return 0;
      }
      if (data[0] % 3 == 1) {
        claimtrail::RoundTrip(token);
      } else {
        claimtrail::Tamper(token, static_cast<uint8_t>(rest[0]),
                           static_cast<uint8_t>(rest[1]));
      }
      break;
    }
  }
  return 0;
}
