// WalEnv: LevelDB's write-ahead log written into preallocated, zero-filled
// files, as PostgreSQL's and etcd's WAL segments are.
//
// Why: a durable append is a log write plus fdatasync. When the write makes
// the file longer, fdatasync must also make the new size durable: the inode
// written too (the benchmark machine's ext4 runs without a journal), or a
// journal commit (ext4 with one, the usual case). Writing into blocks that
// already exist on disk makes the sync a pure data write. Measured on the benchmark
// machine, LevelDB's synced write of a ~4.5 KB batch: p50 ~110 us this way,
// ~200-250 us appending (docs/BENCHMARKS.md).
//
// How:
// - A background thread keeps one spare file, `<dir>/wal-spare`: zeros,
//   written and synced, `preallocate_bytes` long (made under
//   `wal-spare.tmp`, renamed when complete). LevelDB ignores both names.
// - NewWritableFile for a log (`<dir>/NNNNNN.log`) renames the spare to the
//   log's name and syncs the directory, so the name is durable before the
//   first record is; the file is then written with pwrite from offset 0,
//   and past its end it grows like an appended file. When no spare is ready
//   (the first log after the directory is created), the log is an ordinary
//   appended file from the wrapped Env.
// - NewSequentialFile for a log (recovery reads it) presents the file up to
//   LogicalLogEnd (log_tail.h): the zeros after the last record, and a torn
//   record a crash left before them, are not part of the log.
// Everything else goes to the wrapped Env.
//
// Disk cost: the live log and the spare each take `preallocate_bytes`.
#ifndef CLAIMTRAIL_SERVER_STORAGE_WAL_ENV_H_
#define CLAIMTRAIL_SERVER_STORAGE_WAL_ENV_H_

#include <cstddef>
#include <memory>
#include <string>

#include "leveldb/env.h"

namespace claimtrail {
namespace storage {

struct WalEnvOptions {
  // The database directory, exactly as passed to leveldb::DB::Open.
  std::string dir;
  // Size of each preallocated log; 0 writes logs by appending (only the
  // reading side of WalEnv is then in effect).
  size_t preallocate_bytes = 0;
};

// Returns an Env over `base` (not owned; must outlive it) for the database
// in options.dir. Its background thread starts at once when
// preallocate_bytes > 0; destroying the Env stops it (an unfinished spare
// is finished by the next WalEnv on the directory). Destroy it only after
// the DB that uses it. Thread-safe, as every leveldb::Env.
std::unique_ptr<leveldb::Env> NewWalEnv(leveldb::Env* base,
                                        WalEnvOptions options);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_WAL_ENV_H_
