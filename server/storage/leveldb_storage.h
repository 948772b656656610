// LevelDbStorage: the Storage interface on LevelDB.
//
// The key grammar is written down once, in leveldb_storage.cc.
#ifndef CLAIMTRAIL_SERVER_STORAGE_LEVELDB_STORAGE_H_
#define CLAIMTRAIL_SERVER_STORAGE_LEVELDB_STORAGE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/storage/storage.h"
#include "server/storage/token_store.h"

namespace leveldb {
class Env;
}  // namespace leveldb

namespace claimtrail {
namespace storage {

struct LevelDbOptions {
  // Directory of the database; created if missing (with parents).
  std::string path;
  // File-system seam; nullptr means LevelDB's default Env reading tables
  // with pread instead of mmap (pread_env.h: keeps the resident set near
  // block_cache_bytes however large the database) and writing the log into
  // preallocated files (wal_env.h, see preallocate_log). Tests pass a
  // fault-injecting or in-memory Env. Not owned; must outlive the storage.
  leveldb::Env* env = nullptr;
  // LevelDB block cache, bytes.
  size_t block_cache_bytes = 32 << 20;
  // LevelDB memtable size, bytes.
  size_t write_buffer_bytes = 8 << 20;
  // Most table files open at once (each costs a descriptor plus its index
  // block and Bloom filter in memory).
  int max_open_files = 500;
  // fsync each Commit. Only benchmarks of the non-durable path turn it off.
  bool sync = true;
  // Write the write-ahead log into preallocated, zero-filled files
  // (wal_env.h: a synced write then costs a data write, not a journal
  // commit too). Applies only when `env` is nullptr; the log and one spare
  // then take 1.25 x write_buffer_bytes of disk each.
  bool preallocate_log = true;
};

// Bytes of each preallocated log file for `options` (1.25 x the memtable:
// a log holds what one memtable holds, plus LevelDB's record framing).
inline size_t PreallocatedLogBytes(const LevelDbOptions& options) {
  return options.write_buffer_bytes + options.write_buffer_bytes / 4;
}

class LevelDbStorage;

// Opens (creating if needed) the database at options.path.
// OK: ready; stats loaded.
// FAILED_PRECONDITION: the directory is locked by another process (message
//   says so), or the format version is newer than this binary knows.
// PERMISSION_DENIED: the directory cannot be created or written.
// DATA_LOSS: the database is corrupt (message suggests `claimtrail fsck`).
absl::StatusOr<std::unique_ptr<Storage>> OpenLevelDbStorage(
    const LevelDbOptions& options);

// One database, two interfaces: the event ledger and the token records.
struct LevelDbDatabase {
  std::unique_ptr<Storage> storage;
  // The same database's token records. Owned by `storage`: valid exactly as
  // long as it lives (destroy users of `tokens` first).
  TokenStore* tokens = nullptr;
};

// OpenLevelDbStorage, also handing out the token store. Same errors.
absl::StatusOr<LevelDbDatabase> OpenLevelDbDatabase(
    const LevelDbOptions& options);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_LEVELDB_STORAGE_H_
