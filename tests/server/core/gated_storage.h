// GatedStorage: a Storage for Ledger tests that forwards to a real one and
// lets the test hold a commit (so that later requests are applied while it
// is in flight, or queue into one group), fail it, see which request ids
// the committer looked up (it is applying them), and count events read.
// Thread-safe.
#ifndef CLAIMTRAIL_TESTS_SERVER_CORE_GATED_STORAGE_H_
#define CLAIMTRAIL_TESTS_SERVER_CORE_GATED_STORAGE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {
namespace testing {

class GatedStorage : public storage::Storage {
 public:
  // How long the Wait* methods wait before giving up.
  static constexpr std::chrono::seconds kWait{20};

  // Forwards to `real`, which must outlive this storage.
  explicit GatedStorage(storage::Storage* real) : real_(real) {}
  // Forwards to `owned`.
  explicit GatedStorage(std::unique_ptr<storage::Storage> owned)
      : owned_(std::move(owned)), real_(owned_.get()) {}

  // The next Commit waits until Release.
  void HoldNextCommit() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_next_ = true;
  }
  // Waits until a held Commit has arrived. False on timeout.
  bool WaitUntilHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, kWait, [this] { return held_; });
  }
  // Lets the held Commit go on; it fails with `failure` (writing nothing)
  // when that is not OK.
  void Release(absl::Status failure = absl::OkStatus()) {
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = std::move(failure);
    held_ = false;
    changed_.notify_all();
  }
  // Waits until ReadRequest(request_id) was called: the committer is
  // applying that request. False on timeout.
  bool WaitUntilLookedUp(const std::string& request_id) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(
        lock, kWait, [&] { return looked_up_.count(request_id) > 0; });
  }
  int commits() {
    std::lock_guard<std::mutex> lock(mu_);
    return commits_;
  }
  // Events returned by ReadEvents since the last ResetEventsRead.
  int64_t events_read() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_read_;
  }
  void ResetEventsRead() {
    std::lock_guard<std::mutex> lock(mu_);
    events_read_ = 0;
  }
  // From now on CompleteChangesFrom() answers `first` instead of the real
  // storage's answer: the events before it read as if written by a binary
  // from before events stored their changes.
  void SetCompleteChangesFrom(uint64_t first) {
    complete_changes_from_.store(first);
  }

  absl::Status Commit(const storage::WriteSet& writes) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++commits_;
      if (hold_next_) {
        hold_next_ = false;
        held_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return !held_; });
        if (!failure_.ok()) return std::exchange(failure_, absl::OkStatus());
      }
    }
    return real_->Commit(writes);
  }
  absl::StatusOr<storage::RequestRecord> ReadRequest(
      absl::string_view request_id) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      looked_up_.insert(std::string(request_id));
      changed_.notify_all();
    }
    return real_->ReadRequest(request_id);
  }
  absl::StatusOr<std::vector<v1::Event>> ReadEvents(absl::string_view id,
                                                    int64_t from,
                                                    int limit) override {
    absl::StatusOr<std::vector<v1::Event>> events =
        real_->ReadEvents(id, from, limit);
    if (events.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      events_read_ += static_cast<int64_t>(events->size());
    }
    return events;
  }
  uint64_t LastSequence() const override { return real_->LastSequence(); }
  uint64_t CompleteChangesFrom() const override {
    const uint64_t first = complete_changes_from_.load();
    return first > 0 ? first : real_->CompleteChangesFrom();
  }
  absl::StatusOr<v1::Claim> ReadClaim(absl::string_view id) override {
    return real_->ReadClaim(id);
  }
  absl::StatusOr<v1::Source> ReadSource(absl::string_view id) override {
    return real_->ReadSource(id);
  }
  absl::StatusOr<std::vector<storage::EventRef>> ReadLog(uint64_t after,
                                                         int limit) override {
    return real_->ReadLog(after, limit);
  }
  absl::StatusOr<std::vector<std::string>> ScanClaims(
      std::optional<storage::ClaimIndex> index, absl::string_view value,
      absl::string_view after, int limit) override {
    return real_->ScanClaims(index, value, after, limit);
  }
  absl::StatusOr<std::vector<v1::Source>> ScanSources(absl::string_view after,
                                                      int limit) override {
    return real_->ScanSources(after, limit);
  }
  storage::StorageStats Stats() override { return real_->Stats(); }

 private:
  const std::unique_ptr<storage::Storage> owned_;
  storage::Storage* const real_;
  std::atomic<uint64_t> complete_changes_from_{0};  // 0: the real answer.
  std::mutex mu_;
  std::condition_variable changed_;
  bool hold_next_ = false;
  bool held_ = false;
  absl::Status failure_;
  int commits_ = 0;
  int64_t events_read_ = 0;
  std::set<std::string> looked_up_;
};

}  // namespace testing
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_CORE_GATED_STORAGE_H_
