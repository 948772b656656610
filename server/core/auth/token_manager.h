// TokenManager: issues, checks and revokes API tokens.
//
// Tokens are records in a storage::TokenStore holding a salted hash of the
// secret (token_secret.h); the plaintext bearer token exists only in
// CreateToken's answer. Records are cached in memory after first use, so
// authenticating a call is one hash and no storage read. Revocation writes
// the record durably and then replaces the cached entry before returning:
// from the moment RevokeToken returns, the token fails Authenticate.
//
// The request-facing methods take v1 messages and return v1 messages with
// canonical errors (INVALID_ARGUMENT names the field), like the Ledger.
//
// Thread safety: all methods may be called concurrently.
#ifndef CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_MANAGER_H_
#define CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_MANAGER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/admin.pb.h"
#include "server/core/principal.h"
#include "server/storage/token_store.h"

namespace claimtrail {
namespace core {
namespace auth {

// An authenticated caller.
struct Caller {
  Principal principal;
  // The token's roles, sorted, without repeats.
  std::vector<v1::Role> roles;
  // "tokens/{token_id}" of the token used.
  std::string token_name;
};

// A token just issued.
struct IssuedToken {
  v1::Token token;
  // "ct_{token_id}_{secret}": shown once, never stored.
  std::string bearer_token;
};

// The principal that bootstrap admin tokens are bound to.
inline constexpr absl::string_view kBootstrapAdminPrincipal = "users/admin";
// The creator recorded on tokens the server issues itself.
inline constexpr absl::string_view kServerCreator = "claimtraild";

class TokenManager {
 public:
  // `store` is not owned and must outlive the manager. `now` is the clock
  // (creation, revocation and expiry times); tests inject their own.
  explicit TokenManager(storage::TokenStore* store,
                        std::function<absl::Time()> now = &absl::Now);

  TokenManager(const TokenManager&) = delete;
  TokenManager& operator=(const TokenManager&) = delete;

  // Who holds `bearer_token` ("ct_{token_id}_{secret}").
  // OK: the caller; its token is known, its secret matches, it is neither
  //   revoked nor expired.
  // UNAUTHENTICATED: malformed, unknown or wrong secret (one message for
  //   all three, so probing learns nothing), revoked, or expired.
  // UNAVAILABLE / INTERNAL / DATA_LOSS: the record could not be read.
  absl::StatusOr<Caller> Authenticate(absl::string_view bearer_token);

  // Issues a token as `creator` asks (see admin.proto for the fields).
  // OK: stored durably; the only copy of the bearer token is in the result.
  // INVALID_ARGUMENT: names the field ("token.principal: ..."). Storage
  // errors as TokenStore::PutToken.
  absl::StatusOr<IssuedToken> CreateToken(const Principal& creator,
                                          const v1::CreateTokenRequest& req);

  // The record of req.name(). INVALID_ARGUMENT: malformed name; NOT_FOUND.
  absl::StatusOr<v1::Token> GetToken(const v1::GetTokenRequest& req);

  // A page of records in token-id order. INVALID_ARGUMENT: page_size out of
  // 0-1000, or a page_token that is not from the same listing.
  absl::StatusOr<v1::ListTokensResponse> ListTokens(
      const v1::ListTokensRequest& req);

  // Revokes req.name() as `revoker`; a token already revoked is returned
  // unchanged. OK: durable, and Authenticate refuses the token from now on.
  // INVALID_ARGUMENT: malformed name or a reason over 1024 bytes;
  // NOT_FOUND; storage errors as PutToken.
  absl::StatusOr<v1::Token> RevokeToken(const Principal& revoker,
                                        const v1::RevokeTokenRequest& req);

  // Whether some token with the admin role is neither revoked nor expired.
  // Storage read errors as ListTokens.
  absl::StatusOr<bool> HasActiveAdminToken();

  // Issues an admin token for kBootstrapAdminPrincipal, created by
  // kServerCreator, with `description`. Errors as CreateToken.
  absl::StatusOr<IssuedToken> IssueBootstrapAdminToken(
      absl::string_view description);

 private:
  using CachedRecord = std::shared_ptr<const storage::TokenRecord>;

  // The record of `token_id`, from the cache or (then cached) the store.
  absl::StatusOr<CachedRecord> Lookup(absl::string_view token_id);
  // Stores a new record for a validated `token` and caches it.
  absl::StatusOr<IssuedToken> Issue(v1::Token token);
  // Replaces the cached record of `token_id`.
  void CacheRecord(const std::string& token_id, storage::TokenRecord record);

  storage::TokenStore* const store_;
  const std::function<absl::Time()> now_;

  // Serializes read-modify-write of records (revocation) so that two
  // revocations cannot interleave.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(cache_mu_);

  absl::Mutex cache_mu_;
  // token_id -> record, for every token seen since start. Only existing
  // tokens are cached (no negative entries), so its size is bounded by the
  // number of tokens. A revocation overwrites its entry; a lookup that read
  // the store only inserts when no entry exists, so a read racing a
  // revocation can never put the stale record back.
  absl::flat_hash_map<std::string, CachedRecord> cache_
      ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace auth
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_AUTH_TOKEN_MANAGER_H_
