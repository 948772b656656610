// ErrnoStatus: a failed POSIX call as the leveldb::Status LevelDB's own
// POSIX Env would return for it, for the Envs in this directory.
#ifndef CLAIMTRAIL_SERVER_STORAGE_ERRNO_STATUS_H_
#define CLAIMTRAIL_SERVER_STORAGE_ERRNO_STATUS_H_

#include <cerrno>
#include <cstring>
#include <string>

#include "leveldb/status.h"

namespace claimtrail {
namespace storage {

// NotFound for ENOENT, IOError otherwise; `context` is usually the path.
inline leveldb::Status ErrnoStatus(const std::string& context,
                                   int error_number) {
  if (error_number == ENOENT) {
    return leveldb::Status::NotFound(context, std::strerror(error_number));
  }
  return leveldb::Status::IOError(context, std::strerror(error_number));
}

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_ERRNO_STATUS_H_
