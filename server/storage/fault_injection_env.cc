#include "server/storage/fault_injection_env.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace storage {
namespace {

using Fault = FaultInjectionEnv::Fault;

class FaultSequentialFile : public leveldb::SequentialFile {
 public:
  FaultSequentialFile(FaultInjectionEnv* env, std::string fname, uint64_t id,
                      leveldb::SequentialFile* target)
      : env_(env), fname_(std::move(fname)), id_(id), target_(target) {}

  leveldb::Status Read(size_t n, leveldb::Slice* result,
                       char* scratch) override {
    leveldb::Status s = env_->MaybeFail(Fault::kRead, id_, fname_);
    return s.ok() ? target_->Read(n, result, scratch) : s;
  }
  leveldb::Status Skip(uint64_t n) override {
    leveldb::Status s = env_->MaybeFail(Fault::kRead, id_, fname_);
    return s.ok() ? target_->Skip(n) : s;
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  const uint64_t id_;
  std::unique_ptr<leveldb::SequentialFile> target_;
};

class FaultRandomAccessFile : public leveldb::RandomAccessFile {
 public:
  FaultRandomAccessFile(FaultInjectionEnv* env, std::string fname, uint64_t id,
                        leveldb::RandomAccessFile* target)
      : env_(env), fname_(std::move(fname)), id_(id), target_(target) {}

  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* scratch) const override {
    leveldb::Status s = env_->MaybeFail(Fault::kRead, id_, fname_);
    return s.ok() ? target_->Read(offset, n, result, scratch) : s;
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  const uint64_t id_;
  std::unique_ptr<leveldb::RandomAccessFile> target_;
};

class FaultWritableFile : public leveldb::WritableFile {
 public:
  FaultWritableFile(FaultInjectionEnv* env, std::string fname, uint64_t id,
                    std::shared_ptr<FaultInjectionEnv::FileState> state,
                    leveldb::WritableFile* target)
      : env_(env),
        fname_(std::move(fname)),
        id_(id),
        state_(std::move(state)),
        target_(target) {}

  leveldb::Status Append(const leveldb::Slice& data) override {
    leveldb::Status s = WriteFault();
    if (!s.ok()) return s;
    s = target_->Append(data);
    if (s.ok()) env_->RecordAppend(state_.get(), data.size());
    return s;
  }
  leveldb::Status Flush() override {
    leveldb::Status s = WriteFault();
    return s.ok() ? target_->Flush() : s;
  }
  leveldb::Status Sync() override {
    leveldb::Status s = env_->MaybeFail(Fault::kSync, id_, fname_);
    if (!s.ok()) return s;
    s = target_->Sync();
    if (s.ok()) env_->RecordSync(state_.get());
    return s;
  }
  leveldb::Status Close() override { return target_->Close(); }

 private:
  leveldb::Status WriteFault() {
    leveldb::Status s = env_->MaybeFail(Fault::kDiskFull, id_, fname_);
    return s.ok() ? env_->MaybeFail(Fault::kWrite, id_, fname_) : s;
  }

  FaultInjectionEnv* const env_;
  const std::string fname_;
  const uint64_t id_;
  const std::shared_ptr<FaultInjectionEnv::FileState> state_;
  std::unique_ptr<leveldb::WritableFile> target_;
};

}  // namespace

FaultInjectionEnv::FaultInjectionEnv(leveldb::Env* target)
    : leveldb::EnvWrapper(target) {
  for (auto& armed : armed_) armed.store(kOff);
}

FaultInjectionEnv::~FaultInjectionEnv() = default;

void FaultInjectionEnv::Inject(Fault fault, Scope scope) {
  const int64_t from = scope == Scope::kAllFiles
                           ? 0
                           : static_cast<int64_t>(next_file_id_.load());
  armed_[static_cast<int>(fault)].store(from);
}

void FaultInjectionEnv::Clear(Fault fault) {
  armed_[static_cast<int>(fault)].store(kOff);
}

void FaultInjectionEnv::ClearAll() {
  for (auto& armed : armed_) armed.store(kOff);
}

leveldb::Status FaultInjectionEnv::MaybeFail(Fault fault, uint64_t file_id,
                                             const std::string& fname) {
  const int64_t from = armed_[static_cast<int>(fault)].load();
  if (from == kOff || static_cast<int64_t>(file_id) < from) {
    return leveldb::Status::OK();
  }
  injected_failures_.fetch_add(1);
  switch (fault) {
    case Fault::kWrite:
      return leveldb::Status::IOError(fname, "injected write error");
    case Fault::kSync:
      return leveldb::Status::IOError(fname, "injected sync error");
    case Fault::kDiskFull:
      // The strerror(ENOSPC) text a real full disk produces.
      return leveldb::Status::IOError(fname, "No space left on device");
    case Fault::kRead:
      return leveldb::Status::IOError(fname, "injected read error");
  }
  return leveldb::Status::IOError(fname, "injected error");
}

void FaultInjectionEnv::RecordAppend(FileState* state, uint64_t bytes) {
  absl::MutexLock lock(&mu_);
  state->size += bytes;
}

void FaultInjectionEnv::RecordSync(FileState* state) {
  sync_count_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  state->synced_size = state->size;
}

leveldb::Status FaultInjectionEnv::NewSequentialFile(
    const std::string& fname, leveldb::SequentialFile** result) {
  leveldb::SequentialFile* file = nullptr;
  leveldb::Status s = target()->NewSequentialFile(fname, &file);
  if (s.ok()) {
    *result =
        new FaultSequentialFile(this, fname, next_file_id_.fetch_add(1), file);
  }
  return s;
}

leveldb::Status FaultInjectionEnv::NewRandomAccessFile(
    const std::string& fname, leveldb::RandomAccessFile** result) {
  leveldb::RandomAccessFile* file = nullptr;
  leveldb::Status s = target()->NewRandomAccessFile(fname, &file);
  if (s.ok()) {
    *result = new FaultRandomAccessFile(this, fname, next_file_id_.fetch_add(1),
                                        file);
  }
  return s;
}

leveldb::Status FaultInjectionEnv::TrackWritable(
    const std::string& fname, uint64_t initial,
    leveldb::WritableFile** result) {
  auto state = std::make_shared<FileState>();
  // Content that predates the open is taken as durable.
  state->size = state->synced_size = initial;
  {
    absl::MutexLock lock(&mu_);
    files_[fname] = state;
  }
  *result = new FaultWritableFile(this, fname, next_file_id_.fetch_add(1),
                                  std::move(state), *result);
  return leveldb::Status::OK();
}

leveldb::Status FaultInjectionEnv::NewWritableFile(
    const std::string& fname, leveldb::WritableFile** result) {
  leveldb::Status s = target()->NewWritableFile(fname, result);
  return s.ok() ? TrackWritable(fname, 0, result) : s;
}

leveldb::Status FaultInjectionEnv::NewAppendableFile(
    const std::string& fname, leveldb::WritableFile** result) {
  uint64_t size = 0;
  if (!target()->GetFileSize(fname, &size).ok()) size = 0;
  leveldb::Status s = target()->NewAppendableFile(fname, result);
  return s.ok() ? TrackWritable(fname, size, result) : s;
}

leveldb::Status FaultInjectionEnv::RemoveFile(const std::string& fname) {
  leveldb::Status s = target()->RemoveFile(fname);
  if (s.ok()) {
    absl::MutexLock lock(&mu_);
    files_.erase(fname);
  }
  return s;
}

leveldb::Status FaultInjectionEnv::RenameFile(const std::string& src,
                                              const std::string& target_name) {
  leveldb::Status s = target()->RenameFile(src, target_name);
  if (s.ok()) {
    absl::MutexLock lock(&mu_);
    auto it = files_.find(src);
    if (it != files_.end()) {
      files_[target_name] = it->second;  // Replaces any file renamed over.
      files_.erase(src);
    } else {
      files_.erase(target_name);  // An untracked file now holds the name.
    }
  }
  return s;
}

absl::Status FaultInjectionEnv::DropUnsyncedData() {
  absl::MutexLock lock(&mu_);
  absl::Status first_error;
  for (auto& [fname, state] : files_) {
    if (state->size == state->synced_size) continue;
    if (::truncate(fname.c_str(), static_cast<off_t>(state->synced_size)) !=
            0 &&
        errno != ENOENT && first_error.ok()) {
      first_error = absl::InternalError(
          absl::StrCat("truncate ", fname, ": ", std::strerror(errno)));
      continue;
    }
    state->size = state->synced_size;
  }
  return first_error;
}

}  // namespace storage
}  // namespace claimtrail
