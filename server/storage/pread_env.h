// PreadEnv: LevelDB's default Env, except that table files are read with
// pread(2) instead of being memory-mapped.
//
// Why: LevelDB's POSIX Env maps up to 1,000 table files into the process.
// Every page a read touches then counts toward the server's resident set
// for as long as the mapping lives, so a large database (10M events, several
// GiB of tables) shows up as ~1 GB of RSS although the kernel could drop it
// at any time. With pread the same pages stay in the kernel's page cache,
// which is not charged to the process, and LevelDB's block cache (a fixed
// size, LevelDbOptions::block_cache_bytes) is the only copy the server holds.
// The cost is one system call per block read that misses the block cache.
#ifndef CLAIMTRAIL_SERVER_STORAGE_PREAD_ENV_H_
#define CLAIMTRAIL_SERVER_STORAGE_PREAD_ENV_H_

#include "leveldb/env.h"

namespace claimtrail {
namespace storage {

// The process-wide PreadEnv over leveldb::Env::Default(). Never destroyed
// (like Env::Default()); thread-safe.
leveldb::Env* PreadEnv();

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_PREAD_ENV_H_
