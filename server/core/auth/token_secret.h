// The bearer-token format and the cryptography behind it (OpenSSL libcrypto).
//
// A bearer token is "ct_{token_id}_{secret}": token_id is 16 lower-case hex
// digits (8 random bytes; it names the record "tokens/{token_id}", so a
// lookup is one read), secret is 64 lower-case hex digits (32 random bytes).
// The server stores SHA-256(salt || secret) with a fresh 16-byte random salt
// per token and compares hashes in constant time. A fast hash is enough
// here: the secret has 256 bits of entropy, so there is nothing to guess a
// dictionary for; the salt keeps equal secrets (there are none) and
// precomputed tables out.
#ifndef CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_SECRET_H_
#define CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_SECRET_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace claimtrail {
namespace core {
namespace auth {

inline constexpr absl::string_view kBearerPrefix = "ct_";
inline constexpr int kTokenIdHexDigits = 16;
inline constexpr int kSecretHexDigits = 64;
inline constexpr int kSaltBytes = 16;
// TokenRecord.hash_version of SaltedSecretHash.
inline constexpr int kHashVersion = 1;

struct BearerParts {
  std::string token_id;
  std::string secret;
};

// Splits "ct_{token_id}_{secret}"; nullopt unless both parts have exactly
// their length and lower-case hex digits. Pure, thread-safe.
std::optional<BearerParts> ParseBearerToken(absl::string_view bearer);

// "ct_{token_id}_{secret}". Pure.
std::string FormatBearerToken(absl::string_view token_id,
                              absl::string_view secret);

// `bytes` bytes from OpenSSL's CSPRNG. INTERNAL if it fails (it does not
// fail on a seeded Linux system). Thread-safe.
absl::StatusOr<std::string> RandomBytes(int bytes);

// Lower-case hex of `bytes` random bytes (2*bytes digits). As RandomBytes.
absl::StatusOr<std::string> RandomHex(int bytes);

// SHA-256(salt || secret): 32 bytes. Pure, thread-safe.
std::string SaltedSecretHash(absl::string_view salt, absl::string_view secret);

// Equal contents, compared in time that depends on the lengths only
// (CRYPTO_memcmp). Pure, thread-safe.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace auth
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_SECRET_H_
