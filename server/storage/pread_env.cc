#include "server/storage/pread_env.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "server/storage/errno_status.h"

namespace claimtrail {
namespace storage {
namespace {

// One open descriptor per table file. LevelDB's table cache bounds how many
// are open at once (Options::max_open_files).
class PreadFile final : public leveldb::RandomAccessFile {
 public:
  PreadFile(std::string filename, int fd)
      : filename_(std::move(filename)), fd_(fd) {}
  ~PreadFile() override { ::close(fd_); }

  // Thread-safe: pread does not move a shared file offset.
  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* scratch) const override {
    size_t done = 0;
    while (done < n) {
      const ssize_t got = ::pread(fd_, scratch + done, n - done,
                                  static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) continue;
        *result = leveldb::Slice(scratch, 0);
        return ErrnoStatus(filename_, errno);
      }
      if (got == 0) break;  // End of file: a short read, as POSIX Env does.
      done += static_cast<size_t>(got);
    }
    *result = leveldb::Slice(scratch, done);
    return leveldb::Status::OK();
  }

 private:
  const std::string filename_;
  const int fd_;
};

class PreadEnvImpl final : public leveldb::EnvWrapper {
 public:
  PreadEnvImpl() : EnvWrapper(leveldb::Env::Default()) {}

  leveldb::Status NewRandomAccessFile(
      const std::string& filename,
      leveldb::RandomAccessFile** result) override {
    *result = nullptr;
    const int fd = ::open(filename.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(filename, errno);
    *result = new PreadFile(filename, fd);
    return leveldb::Status::OK();
  }
};

}  // namespace

leveldb::Env* PreadEnv() {
  static leveldb::Env* const env = new PreadEnvImpl();
  return env;
}

}  // namespace storage
}  // namespace claimtrail
