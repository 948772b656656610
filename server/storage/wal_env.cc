#include "server/storage/wal_env.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "server/storage/errno_status.h"
#include "server/storage/log_tail.h"
#include "server/util/logging.h"

namespace claimtrail {
namespace storage {
namespace {

constexpr char kSpareName[] = "wal-spare";
constexpr char kSpareTmpName[] = "wal-spare.tmp";
// Like LevelDB's PosixWritableFile: small appends are gathered and written
// by Flush, which LevelDB's log writer calls after every record.
constexpr size_t kWriteBufferBytes = 64 << 10;
// The spare is written and synced in steps of this size, so that its
// write-back is spread out instead of landing on one foreground fsync.
constexpr size_t kZeroChunkBytes = 1 << 20;

// Writes all of `data` at `offset`.
leveldb::Status PwriteAll(int fd, const std::string& name, const char* data,
                          size_t size, uint64_t offset) {
  while (size > 0) {
    const ssize_t done = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (done < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(name, errno);
    }
    data += done;
    size -= static_cast<size_t>(done);
    offset += static_cast<uint64_t>(done);
  }
  return leveldb::Status::OK();
}

// A log written with pwrite from offset 0 into a preallocated file.
class PreallocatedLogFile final : public leveldb::WritableFile {
 public:
  PreallocatedLogFile(std::string name, int fd)
      : name_(std::move(name)), fd_(fd) {}
  ~PreallocatedLogFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  leveldb::Status Append(const leveldb::Slice& data) override {
    if (buffer_.size() + data.size() <= kWriteBufferBytes) {
      buffer_.append(data.data(), data.size());
      return leveldb::Status::OK();
    }
    leveldb::Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (data.size() <= kWriteBufferBytes) {
      buffer_.append(data.data(), data.size());
      return leveldb::Status::OK();
    }
    s = PwriteAll(fd_, name_, data.data(), data.size(), offset_);
    if (s.ok()) offset_ += data.size();
    return s;
  }

  leveldb::Status Close() override {
    leveldb::Status s = FlushBuffer();
    if (::close(fd_) != 0 && s.ok()) s = ErrnoStatus(name_, errno);
    fd_ = -1;
    return s;
  }

  leveldb::Status Flush() override { return FlushBuffer(); }

  // The blocks exist and their size is already durable, so fdatasync only
  // has the data to write.
  leveldb::Status Sync() override {
    leveldb::Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (::fdatasync(fd_) != 0) return ErrnoStatus(name_, errno);
    return leveldb::Status::OK();
  }

 private:
  leveldb::Status FlushBuffer() {
    leveldb::Status s =
        PwriteAll(fd_, name_, buffer_.data(), buffer_.size(), offset_);
    if (s.ok()) offset_ += buffer_.size();
    buffer_.clear();
    return s;
  }

  const std::string name_;
  int fd_;
  uint64_t offset_ = 0;
  std::string buffer_;
};

// A file's contents read earlier, served from memory.
class StringSequentialFile final : public leveldb::SequentialFile {
 public:
  explicit StringSequentialFile(std::string contents)
      : contents_(std::move(contents)) {}

  leveldb::Status Read(size_t n, leveldb::Slice* result,
                       char* scratch) override {
    n = std::min(n, contents_.size() - position_);
    std::memcpy(scratch, contents_.data() + position_, n);
    position_ += n;
    *result = leveldb::Slice(scratch, n);
    return leveldb::Status::OK();
  }

  leveldb::Status Skip(uint64_t n) override {
    position_ += static_cast<size_t>(
        std::min<uint64_t>(n, contents_.size() - position_));
    return leveldb::Status::OK();
  }

 private:
  const std::string contents_;
  size_t position_ = 0;
};

// LevelDB's log file names: the file number in decimal, then ".log".
bool IsLogName(absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, ".log") || name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

class WalEnv final : public leveldb::EnvWrapper {
 public:
  WalEnv(leveldb::Env* base, WalEnvOptions options)
      : EnvWrapper(base),
        options_(std::move(options)),
        spare_path_(options_.dir + "/" + kSpareName),
        spare_tmp_path_(options_.dir + "/" + kSpareTmpName) {
    if (options_.preallocate_bytes == 0) return;
    uint64_t size = 0;
    spare_ready_ = target()->GetFileSize(spare_path_, &size).ok() &&
                   size >= options_.preallocate_bytes;
    spare_wanted_ = !spare_ready_;
    preparer_ = std::thread([this] { RunPreparer(); });
  }

  ~WalEnv() override {
    {
      // Under mu_, so the preparer cannot miss it between its check and
      // its wait.
      std::lock_guard<std::mutex> lock(mu_);
      stopping_.store(true);
    }
    wake_.notify_all();
    if (preparer_.joinable()) preparer_.join();
  }

  leveldb::Status NewWritableFile(const std::string& fname,
                                  leveldb::WritableFile** result) override {
    if (options_.preallocate_bytes > 0 && IsLogOfThisDatabase(fname)) {
      const int fd = TakeSpare(fname);
      if (fd >= 0) {
        *result = new PreallocatedLogFile(fname, fd);
        return leveldb::Status::OK();
      }
    }
    return target()->NewWritableFile(fname, result);
  }

  leveldb::Status NewSequentialFile(const std::string& fname,
                                    leveldb::SequentialFile** result) override {
    if (!IsLogOfThisDatabase(fname)) {
      return target()->NewSequentialFile(fname, result);
    }
    *result = nullptr;
    std::string contents;
    leveldb::Status s = leveldb::ReadFileToString(target(), fname, &contents);
    if (!s.ok()) return s;
    contents.resize(LogicalLogEnd(contents));
    *result = new StringSequentialFile(std::move(contents));
    return leveldb::Status::OK();
  }

 private:
  bool IsLogOfThisDatabase(const std::string& fname) const {
    const size_t slash = fname.rfind('/');
    if (slash == std::string::npos) return false;
    return absl::string_view(fname).substr(0, slash) == options_.dir &&
           IsLogName(absl::string_view(fname).substr(slash + 1));
  }

  // Turns the spare into the log `fname` and opens it for writing. Returns
  // -1 when there is no spare (or it cannot be used); the caller then makes
  // an ordinary file.
  int TakeSpare(const std::string& fname) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!spare_ready_) {
        spare_wanted_ = true;
        wake_.notify_all();
        return -1;
      }
      spare_ready_ = false;
    }
    int fd = -1;
    leveldb::Status s = target()->RenameFile(spare_path_, fname);
    if (s.ok()) {
      fd = ::open(fname.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) s = ErrnoStatus(fname, errno);
    }
    // The new name must be durable before any record in the file is
    // acknowledged: fdatasync of the file alone does not write the
    // directory.
    if (s.ok()) s = SyncDirectory();
    if (!s.ok()) {
      LogError(
          "storage: using the preallocated log failed (%s); "
          "appending to %s instead",
          s.ToString(), fname);
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      spare_wanted_ = true;
    }
    wake_.notify_all();
    return fd;
  }

  leveldb::Status SyncDirectory() const {
    const int fd =
        ::open(options_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(options_.dir, errno);
    const int result = ::fsync(fd);
    const int error_number = errno;
    ::close(fd);
    if (result != 0) return ErrnoStatus(options_.dir, error_number);
    return leveldb::Status::OK();
  }

  void RunPreparer() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [this] {
        return stopping_.load() || (spare_wanted_ && !spare_ready_);
      });
      if (stopping_.load()) return;
      lock.unlock();
      const leveldb::Status s = PrepareSpare();
      if (!s.ok() && !stopping_.load()) {
        LogError("storage: preparing the next log file failed: %s",
                 s.ToString());
      }
      lock.lock();
      spare_ready_ = s.ok();
      // After a failure, try again only when the next log asks for one.
      spare_wanted_ = false;
    }
  }

  // Writes zeros to the temporary name, syncs them, then renames: a spare
  // under its final name is always complete.
  leveldb::Status PrepareSpare() {
    const int fd = ::open(spare_tmp_path_.c_str(),
                          O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus(spare_tmp_path_, errno);
    const std::string zeros(kZeroChunkBytes, '\0');
    leveldb::Status s;
    for (uint64_t done = 0; s.ok() && done < options_.preallocate_bytes;) {
      if (stopping_.load()) {
        s = leveldb::Status::IOError(spare_tmp_path_, "stopped");
        break;
      }
      const size_t n = static_cast<size_t>(
          std::min<uint64_t>(zeros.size(), options_.preallocate_bytes - done));
      s = PwriteAll(fd, spare_tmp_path_, zeros.data(), n, done);
      if (s.ok() && ::fdatasync(fd) != 0) {
        s = ErrnoStatus(spare_tmp_path_, errno);
      }
      done += n;
    }
    if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(spare_tmp_path_, errno);
    if (s.ok()) s = target()->RenameFile(spare_tmp_path_, spare_path_);
    return s;
  }

  const WalEnvOptions options_;
  const std::string spare_path_;
  const std::string spare_tmp_path_;
  // std::mutex rather than absl::Mutex so ThreadSanitizer sees the
  // ordering (the system Abseil is not built with it; see committer.h).
  std::mutex mu_;
  std::condition_variable wake_;
  bool spare_ready_ = false;   // Guarded by mu_.
  bool spare_wanted_ = false;  // Guarded by mu_.
  // Set (under mu_) by the destructor; read without mu_ between the
  // spare's chunks too, so that stopping does not wait for a whole spare.
  std::atomic<bool> stopping_{false};
  std::thread preparer_;
};

}  // namespace

std::unique_ptr<leveldb::Env> NewWalEnv(leveldb::Env* base,
                                        WalEnvOptions options) {
  return std::make_unique<WalEnv>(base, std::move(options));
}

}  // namespace storage
}  // namespace claimtrail
