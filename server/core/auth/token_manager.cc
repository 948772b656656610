#include "server/core/auth/token_manager.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/core/auth/roles.h"
#include "server/core/auth/token_secret.h"
#include "server/util/proto_time.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

constexpr absl::string_view kTokensCollection = "tokens/";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;
constexpr size_t kMaxDescriptionBytes = 256;
constexpr size_t kMaxReasonBytes = 1024;
constexpr int kMaxPrincipalIdBytes = 63;
// A fresh random id colliding with an existing one (64 bits) is
// astronomically unlikely; a few attempts make it impossible in practice.
constexpr int kIdAttempts = 4;

bool ValidTimestamp(const google::protobuf::Timestamp& t) {
  // RFC 3339 range, as google.protobuf.Timestamp documents it.
  return t.seconds() >= -62135596800 && t.seconds() <= 253402300799 &&
         t.nanos() >= 0 && t.nanos() <= 999999999;
}

// "users/{id}" or "services/{id}", id 1-63 of [a-z0-9._-], first [a-z0-9].
absl::Status ValidatePrincipal(absl::string_view field,
                               absl::string_view principal) {
  if (principal.empty()) return absl::InvalidArgumentError(
      absl::StrCat(field, ": required"));
  absl::string_view id = principal;
  if (!absl::ConsumePrefix(&id, "users/") &&
      !absl::ConsumePrefix(&id, "services/")) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": \"", absl::CHexEscape(principal),
        "\" must be users/{id} or services/{id}"));
  }
  bool ok = !id.empty() && id.size() <= kMaxPrincipalIdBytes;
  for (size_t i = 0; ok && i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'));
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": the id in \"", absl::CHexEscape(principal),
        "\" must be 1-63 characters of [a-z0-9._-], starting with a letter "
        "or digit"));
  }
  return absl::OkStatus();
}

// "tokens/{token_id}" -> token_id (16 lower-case hex digits).
absl::StatusOr<std::string> TokenIdFromName(absl::string_view name) {
  absl::string_view id = name;
  bool ok = absl::ConsumePrefix(&id, kTokensCollection) &&
            id.size() == static_cast<size_t>(kTokenIdHexDigits);
  for (char c : id) {
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: \"", absl::CHexEscape(name),
        "\" is not a token name (tokens/ and 16 lower-case hex digits)"));
  }
  return std::string(id);
}

// Checks the caller-settable fields and normalizes roles (sorted, unique).
absl::StatusOr<v1::Token> ValidateNewToken(const v1::CreateTokenRequest& req,
                                           absl::Time now) {
  if (!req.has_token()) {
    return absl::InvalidArgumentError("token: required");
  }
  const v1::Token& in = req.token();
  RETURN_IF_ERROR(ValidatePrincipal("token.principal", in.principal()));
  if (in.roles().empty()) {
    return absl::InvalidArgumentError(
        "token.roles: at least one role required (reader, editor, auditor, "
        "admin)");
  }
  std::vector<v1::Role> roles;
  for (int i = 0; i < in.roles_size(); ++i) {
    const int role = in.roles(i);
    if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "token.roles[", i, "]: ", role, " is not a role (reader, editor, "
          "auditor, admin)"));
    }
    roles.push_back(static_cast<v1::Role>(role));
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  if (in.description().size() > kMaxDescriptionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token.description: ", in.description().size(),
                     " bytes; at most ", kMaxDescriptionBytes));
  }
  if (in.has_expire_time()) {
    if (!ValidTimestamp(in.expire_time())) {
      return absl::InvalidArgumentError(
          "token.expire_time: not a valid timestamp");
    }
    if (FromProtoTime(in.expire_time()) <= now) {
      return absl::InvalidArgumentError(
          "token.expire_time: must be in the future");
    }
  }
  v1::Token token;
  token.set_principal(in.principal());
  for (v1::Role role : roles) token.add_roles(role);
  token.set_description(in.description());
  if (in.has_expire_time()) *token.mutable_expire_time() = in.expire_time();
  return token;
}

bool IsRevoked(const v1::Token& token) { return token.has_revoke_time(); }

bool IsExpired(const v1::Token& token, absl::Time now) {
  return token.has_expire_time() && FromProtoTime(token.expire_time()) <= now;
}

// Opaque page token: the listing's filter and the last id returned.
std::string EncodePageToken(bool include_revoked, absl::string_view last_id) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("t1:", include_revoked ? "all" : "active", ":", last_id));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view page_token,
                                            bool include_revoked) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(page_token, &raw)) raw.clear();
  const std::vector<std::string> parts = absl::StrSplit(raw, ':');
  if (parts.size() != 3 || parts[0] != "t1" ||
      !TokenIdFromName(absl::StrCat(kTokensCollection, parts[2])).ok()) {
    return absl::InvalidArgumentError(
        "page_token: not a page token of ListTokens");
  }
  if (parts[1] != (include_revoked ? "all" : "active")) {
    return absl::InvalidArgumentError(
        "page_token: include_revoked differs from the request that returned "
        "the page token");
  }
  return parts[2];
}

}  // namespace

TokenManager::TokenManager(storage::TokenStore* store,
                           std::function<absl::Time()> now)
    : store_(store), now_(std::move(now)) {}

absl::StatusOr<TokenManager::CachedRecord> TokenManager::Lookup(
    absl::string_view token_id) {
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = cache_.find(token_id);
    if (it != cache_.end()) return it->second;
  }
  // Read outside the lock: a slow disk must not stall every other caller.
  ASSIGN_OR_RETURN(storage::TokenRecord record, store_->ReadToken(token_id));
  absl::MutexLock lock(&cache_mu_);
  // emplace keeps an entry a revocation wrote meanwhile (see cache_).
  auto inserted = cache_.emplace(
      std::string(token_id),
      std::make_shared<const storage::TokenRecord>(std::move(record)));
  return inserted.first->second;
}

void TokenManager::CacheRecord(const std::string& token_id,
                               storage::TokenRecord record) {
  auto cached = std::make_shared<const storage::TokenRecord>(std::move(record));
  absl::MutexLock lock(&cache_mu_);
  cache_[token_id] = std::move(cached);
}

absl::StatusOr<Caller> TokenManager::Authenticate(
    absl::string_view bearer_token) {
  // Unknown id, wrong secret and malformed token are indistinguishable to
  // the caller.
  const absl::Status invalid = absl::UnauthenticatedError(
      "invalid API token; ask an admin for a token (claimtrail token create)");
  const std::optional<BearerParts> parts = ParseBearerToken(bearer_token);
  if (!parts.has_value()) return invalid;
  absl::StatusOr<CachedRecord> record = Lookup(parts->token_id);
  if (absl::IsNotFound(record.status())) return invalid;
  if (!record.ok()) return record.status();
  const storage::TokenRecord& stored = **record;
  if (stored.hash_version() != kHashVersion ||
      stored.secret_hash().size() != 32 ||
      !ConstantTimeEquals(SaltedSecretHash(stored.salt(), parts->secret),
                          stored.secret_hash())) {
    return invalid;
  }
  // Only the holder of the secret learns that the token is revoked or
  // expired.
  const v1::Token& token = stored.token();
  if (IsRevoked(token)) {
    return absl::UnauthenticatedError(
        absl::StrCat("API token ", token.name(), " has been revoked"));
  }
  if (IsExpired(token, now_())) {
    return absl::UnauthenticatedError(
        absl::StrCat("API token ", token.name(), " has expired"));
  }
  return Caller{Principal{token.principal()}, RolesOf(token), token.name()};
}

absl::StatusOr<IssuedToken> TokenManager::Issue(v1::Token token) {
  *token.mutable_create_time() = ToProtoTime(now_());
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(const std::string id, RandomHex(kTokenIdHexDigits / 2));
    ASSIGN_OR_RETURN(const std::string secret, RandomHex(kSecretHexDigits / 2));
    ASSIGN_OR_RETURN(const std::string salt, RandomBytes(kSaltBytes));
    token.set_name(absl::StrCat(kTokensCollection, id));
    storage::TokenRecord record;
    *record.mutable_token() = token;
    record.set_hash_version(kHashVersion);
    record.set_salt(salt);
    record.set_secret_hash(SaltedSecretHash(salt, secret));
    const absl::Status put = store_->PutToken(record, /*create=*/true);
    if (absl::IsAlreadyExists(put) && attempt < kIdAttempts) continue;
    RETURN_IF_ERROR(put);
    CacheRecord(id, std::move(record));
    return IssuedToken{std::move(token), FormatBearerToken(id, secret)};
  }
}

absl::StatusOr<IssuedToken> TokenManager::CreateToken(
    const Principal& creator, const v1::CreateTokenRequest& req) {
  ASSIGN_OR_RETURN(v1::Token token, ValidateNewToken(req, now_()));
  token.set_creator(creator.name);
  return Issue(std::move(token));
}

absl::StatusOr<IssuedToken> TokenManager::IssueBootstrapAdminToken(
    absl::string_view description) {
  v1::Token token;
  token.set_principal(std::string(kBootstrapAdminPrincipal));
  token.add_roles(v1::ROLE_ADMIN);
  token.set_description(std::string(description));
  token.set_creator(std::string(kServerCreator));
  return Issue(std::move(token));
}

absl::StatusOr<v1::Token> TokenManager::GetToken(
    const v1::GetTokenRequest& req) {
  ASSIGN_OR_RETURN(const std::string id, TokenIdFromName(req.name()));
  ASSIGN_OR_RETURN(CachedRecord record, Lookup(id));
  return record->token();
}

absl::StatusOr<v1::ListTokensResponse> TokenManager::ListTokens(
    const v1::ListTokensRequest& req) {
  if (req.page_size() < 0 || req.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page_size: ", req.page_size(), " is out of range 0-", kMaxPageSize));
  }
  const int page_size = req.page_size() == 0 ? kDefaultPageSize
                                             : req.page_size();
  std::string after;
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(after,
                     DecodePageToken(req.page_token(), req.include_revoked()));
  }
  v1::ListTokensResponse response;
  // Read one more match than fits, to know whether another page exists.
  while (true) {
    ASSIGN_OR_RETURN(std::vector<storage::TokenRecord> batch,
                     store_->ScanTokens(after, page_size + 1));
    for (const storage::TokenRecord& record : batch) {
      after = record.token().name().substr(kTokensCollection.size());
      if (!req.include_revoked() && IsRevoked(record.token())) continue;
      if (response.tokens_size() == page_size) {
        const std::string& last = response.tokens(page_size - 1).name();
        response.set_next_page_token(EncodePageToken(
            req.include_revoked(), last.substr(kTokensCollection.size())));
        return response;
      }
      *response.add_tokens() = record.token();
    }
    if (static_cast<int>(batch.size()) < page_size + 1) return response;
  }
}

absl::StatusOr<v1::Token> TokenManager::RevokeToken(
    const Principal& revoker, const v1::RevokeTokenRequest& req) {
  ASSIGN_OR_RETURN(const std::string id, TokenIdFromName(req.name()));
  if (req.reason().size() > kMaxReasonBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason: ", req.reason().size(), " bytes; at most ", kMaxReasonBytes));
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(CachedRecord current, Lookup(id));
  if (IsRevoked(current->token())) return current->token();
  storage::TokenRecord revoked = *current;
  v1::Token* token = revoked.mutable_token();
  *token->mutable_revoke_time() = ToProtoTime(now_());
  token->set_revoker(revoker.name);
  token->set_revoke_reason(req.reason());
  RETURN_IF_ERROR(store_->PutToken(revoked, /*create=*/false));
  v1::Token result = revoked.token();
  CacheRecord(id, std::move(revoked));
  return result;
}

absl::StatusOr<bool> TokenManager::HasActiveAdminToken() {
  const absl::Time now = now_();
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<storage::TokenRecord> batch,
                     store_->ScanTokens(after, kMaxPageSize));
    for (const storage::TokenRecord& record : batch) {
      const v1::Token& token = record.token();
      after = token.name().substr(kTokensCollection.size());
      if (!IsRevoked(token) && !IsExpired(token, now) &&
          RolesGrant(RolesOf(token), v1::ROLE_ADMIN)) {
        return true;
      }
    }
    if (static_cast<int>(batch.size()) < kMaxPageSize) return false;
  }
}

}  // namespace auth
}  // namespace core
}  // namespace claimtrail
