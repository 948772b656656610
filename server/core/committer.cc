#include "server/core/committer.h"

#include <algorithm>
#include <utility>

namespace claimtrail {
namespace core {

Committer::Committer(int max_group_size, PrepareFn prepare)
    : max_group_size_(std::max(1, max_group_size)),
      prepare_(std::move(prepare)),
      commit_thread_([this] { RunCommits(); }),
      applier_thread_([this] { RunApplier(); }) {}

Committer::~Committer() { Stop(); }

void Committer::Submit(std::unique_ptr<PendingWrite> write) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(write));
      work_available_.notify_one();
      return;
    }
  }
  write->Finish(absl::UnavailableError(
      "the ledger is shutting down; retry against the restarted server"));
}

void Committer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    work_available_.notify_one();
  }
  if (applier_thread_.joinable()) applier_thread_.join();
  if (commit_thread_.joinable()) commit_thread_.join();
}

bool Committer::OnCommitThread() const {
  return std::this_thread::get_id() == commit_thread_.get_id();
}

void Committer::RunApplier() {
  while (true) {
    std::vector<std::unique_ptr<PendingWrite>> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_available_.wait(lock,
                           [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) {
        // Stopping with an empty queue: everything accepted was handed over.
        applier_done_ = true;
        handed_over_.notify_one();
        return;
      }
      while (!queue_.empty() &&
             static_cast<int>(group.size()) < max_group_size_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    // Applied while the commit thread may still be writing the previous
    // group: this overlap is the point of the pipeline.
    std::unique_ptr<PreparedGroup> prepared = prepare_(std::move(group));
    std::unique_lock<std::mutex> lock(mu_);
    commit_idle_.wait(lock, [this] { return handed_ == nullptr && !committing_; });
    // Every earlier group is committed or failed now, so Stale is final.
    if (prepared->Stale()) {
      lock.unlock();
      prepared = prepare_(prepared->TakeWrites());
      lock.lock();
    }
    handed_ = std::move(prepared);
    handed_over_.notify_one();
  }
}

void Committer::RunCommits() {
  while (true) {
    std::unique_ptr<PreparedGroup> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      handed_over_.wait(lock,
                        [this] { return handed_ != nullptr || applier_done_; });
      if (handed_ == nullptr) return;  // The applier is done: so are we.
      group = std::move(handed_);
      committing_ = true;
    }
    group->Commit();
    group.reset();
    std::lock_guard<std::mutex> lock(mu_);
    committing_ = false;
    commit_idle_.notify_one();
  }
}

}  // namespace core
}  // namespace claimtrail
