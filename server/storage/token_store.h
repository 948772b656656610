// TokenStore: durable records of API tokens (salted hashes, never secrets).
//
// The storage layer only keeps the records; server/core/auth decides what a
// token may do, hashes secrets and caches records. Kept apart from Storage
// so that the event ledger's interface does not grow access-control
// concerns; LevelDbStorage implements both over one database (key prefix
// "t/", see leveldb_storage.cc).
//
// Thread safety: all methods are safe to call concurrently.
#ifndef CLAIMTRAIL_SERVER_STORAGE_TOKEN_STORE_H_
#define CLAIMTRAIL_SERVER_STORAGE_TOKEN_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/storage/token_records.pb.h"

namespace claimtrail {
namespace storage {

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // Writes `record` under the id of record.token().name() ("tokens/{id}",
  // id 1-63 bytes of [a-z0-9-]) and fsyncs before returning.
  // `create`: the id must be new (ALREADY_EXISTS otherwise, nothing
  // written); else the record replaces the stored one (NOT_FOUND if there
  // is none).
  // OK: durable and visible to every later read.
  // INVALID_ARGUMENT: malformed token name. FAILED_PRECONDITION: the storage
  // is read-only after an earlier failed write. UNAVAILABLE / RESOURCE_
  // EXHAUSTED / DATA_LOSS / INTERNAL: the write failed; nothing is visible.
  virtual absl::Status PutToken(const TokenRecord& record, bool create) = 0;

  // The record of `token_id`. NOT_FOUND if absent (also for a malformed id);
  // INTERNAL on a record that does not parse; DATA_LOSS on a checksum
  // failure; UNAVAILABLE on an I/O error.
  virtual absl::StatusOr<TokenRecord> ReadToken(
      absl::string_view token_id) = 0;

  // Up to `limit` records in token-id order, strictly after
  // `after_token_id` ("" = from the start). Fails like ReadToken.
  virtual absl::StatusOr<std::vector<TokenRecord>> ScanTokens(
      absl::string_view after_token_id, int limit) = 0;
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_TOKEN_STORE_H_
