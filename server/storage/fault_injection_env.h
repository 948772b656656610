// FaultInjectionEnv: a leveldb::Env that simulates power cuts and I/O
// failures, for crash-consistency tests and the reliability tools.
//
// Power cut: every WritableFile opened through the env remembers its size at
// its last successful Sync(). DropUnsyncedData() truncates each such file
// back to that size, which is what a machine that lost power may leave on
// disk. (Modelled on LevelDB's db/fault_injection_test.cc; directory entries
// are assumed durable, so files are truncated, never removed.)
//
// Failures: Inject() makes an operation fail with an IOError from then on,
// for all files or only for files opened after the call; Clear() stops it.
// Both are lock-free and may be called from any thread while a database is
// running on the env.
//
// Truncation uses POSIX truncate(2), so the target must be a real file
// system (Env::Default() on a temporary directory), not an in-memory Env.
#ifndef CLAIMTRAIL_SERVER_STORAGE_FAULT_INJECTION_ENV_H_
#define CLAIMTRAIL_SERVER_STORAGE_FAULT_INJECTION_ENV_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "leveldb/env.h"

namespace claimtrail {
namespace storage {

class FaultInjectionEnv : public leveldb::EnvWrapper {
 public:
  enum class Fault {
    kWrite,     // WritableFile Append/Flush: IOError "injected write error".
    kSync,      // WritableFile Sync: IOError "injected sync error".
    kDiskFull,  // WritableFile Append/Flush: "No space left on device".
    kRead,      // SequentialFile and RandomAccessFile reads: IOError.
  };
  enum class Scope {
    kAllFiles,  // Files already open too.
    kNewFiles,  // Only files opened after Inject().
  };

  // Wraps `target` (not owned; must outlive this env).
  explicit FaultInjectionEnv(leveldb::Env* target = leveldb::Env::Default());
  ~FaultInjectionEnv() override;

  // Makes `fault` fire on every matching operation from now on, replacing
  // any earlier scope for it.
  void Inject(Fault fault, Scope scope = Scope::kAllFiles);
  // Stops `fault`.
  void Clear(Fault fault);
  void ClearAll();

  // Truncates every file written through this env to its last synced size
  // (never-synced files to 0 bytes). Call only while no database has the
  // files open. Files already removed are skipped. Returns the first
  // truncate(2) error, naming the file.
  absl::Status DropUnsyncedData();

  // How many operations failed because of an injected fault; lets tests
  // check a fault actually fired.
  int64_t injected_failures() const { return injected_failures_.load(); }
  // How many Sync() calls reached the target successfully.
  int64_t sync_count() const { return sync_count_.load(); }

  // leveldb::Env.
  leveldb::Status NewSequentialFile(const std::string& fname,
                                    leveldb::SequentialFile** result) override;
  leveldb::Status NewRandomAccessFile(
      const std::string& fname, leveldb::RandomAccessFile** result) override;
  leveldb::Status NewWritableFile(const std::string& fname,
                                  leveldb::WritableFile** result) override;
  leveldb::Status NewAppendableFile(const std::string& fname,
                                    leveldb::WritableFile** result) override;
  leveldb::Status RemoveFile(const std::string& fname) override;
  leveldb::Status RenameFile(const std::string& src,
                             const std::string& target) override;

  // Sizes of one written file, shared by the env's table and the open file
  // so that a rename keeps them. Guarded by the env's mutex.
  struct FileState {
    uint64_t size = 0;
    uint64_t synced_size = 0;
  };

  // Internal, for the file wrappers: the error to return if `fault` applies
  // to the file opened as number `file_id`, else OK.
  leveldb::Status MaybeFail(Fault fault, uint64_t file_id,
                            const std::string& fname);
  void RecordAppend(FileState* state, uint64_t bytes);
  void RecordSync(FileState* state);

 private:
  leveldb::Status TrackWritable(const std::string& fname, uint64_t initial,
                                leveldb::WritableFile** result);

  static constexpr int kFaultCount = 4;
  static constexpr int64_t kOff = -1;
  // Per fault: kOff, or the lowest file id it applies to.
  std::atomic<int64_t> armed_[kFaultCount];
  std::atomic<uint64_t> next_file_id_{0};
  std::atomic<int64_t> injected_failures_{0};
  std::atomic<int64_t> sync_count_{0};

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<FileState>> files_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_FAULT_INJECTION_ENV_H_
