// RawLedger: record-level access to a LevelDB ledger for offline tools
// (claimtrail_fsck, the crash test's checker). It sees every key, including
// the ones the Storage interface never lists (index entries, request
// records, stats), decoded by the key grammar documented at the top of
// leveldb_storage.cc. inspect.cc is the grammar's only decoder;
// tests/server/storage/inspect_test.cc checks that it agrees with the
// encoder in leveldb_storage.cc key for key.
//
// Not for a running server's directory: LevelDB's LOCK lets one process in,
// so Open() fails (FAILED_PRECONDITION) while claimtraild runs.
#ifndef CLAIMTRAIL_SERVER_STORAGE_INSPECT_H_
#define CLAIMTRAIL_SERVER_STORAGE_INSPECT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"

namespace leveldb {
class DB;
class Env;
}  // namespace leveldb

namespace claimtrail {
namespace storage {

// The record types of the key grammar, in key order.
enum class RecordType {
  kClaim,    // c/{claim_id}
  kEvent,    // e/{claim_id}\0{revision}
  kLog,      // g/{sequence}
  kStats,    // m/stats
  kRequest,  // r/{request_id}
  kSource,   // s/{source_id}
  kToken,    // t/{token_id}
  kIndex,    // x/{index}/{esc(value)}\0{claim_id}
};

// One record, its key decoded. Fields not listed for a type are empty/0.
struct RawRecord {
  RecordType type = RecordType::kClaim;
  std::string key;    // The key as stored.
  std::string value;  // The value as stored (a serialized record, or "").
  // kClaim, kEvent, kIndex: the claim id. kSource: the source id.
  // kToken: the token id. kRequest: the request id.
  std::string id;
  // kEvent: the revision. kLog: the sequence.
  uint64_t number = 0;
  // kIndex: which index, and the value (unescaped).
  ClaimIndex index = ClaimIndex::kSource;
  std::string index_value;
};

// The key of `type` as a human can read it, e.g. "e/abc#3", "x/token/war#abc";
// for reports.
std::string DescribeKey(const RawRecord& record);

class RawLedger {
 public:
  // Opens the existing database at `path` (never creates one), with the same
  // options as the server (paranoid checks). `env` nullptr: the default,
  // reading the write-ahead log as the server writes it (wal_env.h).
  // NOT_FOUND: no database there. FAILED_PRECONDITION: in use by another
  // process. DATA_LOSS: LevelDB itself reports corruption. UNAVAILABLE: I/O.
  static absl::StatusOr<std::unique_ptr<RawLedger>> Open(
      const std::string& path, leveldb::Env* env = nullptr);
  ~RawLedger();

  // Calls `fn` for every record of `type`, in key order, until `fn` returns
  // false. Keys that start with the type's prefix but do not decode are
  // passed to `bad_key` (with the reason) instead; nullptr skips them.
  // Errors: DATA_LOSS (checksum), UNAVAILABLE (I/O). Checksums verified.
  absl::Status Scan(
      RecordType type, const std::function<bool(const RawRecord&)>& fn,
      const std::function<void(absl::string_view key,
                               absl::string_view reason)>& bad_key = nullptr);

  // Calls `fn` for every key outside the grammar (no known "{letter}/"
  // prefix).
  absl::Status ScanUnknownKeys(
      const std::function<void(absl::string_view key)>& fn);

  // Replaces every index entry in the database with exactly the entries of
  // `claims` (ClaimIndexValues of each; claim names "claims/{id}"), in one
  // atomic, synced batch. INVALID_ARGUMENT on a malformed claim name
  // (nothing written). Returns how many entries were deleted and written.
  struct IndexRewrite {
    int64_t deleted = 0;
    int64_t written = 0;
  };
  absl::StatusOr<IndexRewrite> RewriteIndexes(
      const std::vector<v1::Claim>& claims);

  // Raw edits, for repair tools and for tests that damage a database on
  // purpose. Synced. `key` as returned in RawRecord::key.
  absl::Status PutRaw(absl::string_view key, absl::string_view value);
  absl::Status DeleteRaw(absl::string_view key);

  // The index-entry key of (`index`, `value`) for claim `claim_id`.
  static std::string IndexEntryKey(ClaimIndex index, absl::string_view value,
                                   absl::string_view claim_id);

 private:
  RawLedger(std::unique_ptr<leveldb::Env> env, std::unique_ptr<leveldb::DB> db);
  // Null when the caller supplied the Env. Declared first: outlives db_.
  std::unique_ptr<leveldb::Env> env_;
  std::unique_ptr<leveldb::DB> db_;
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_INSPECT_H_
