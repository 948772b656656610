#include "server/core/committer.h"

#include <algorithm>
#include <utility>

namespace claimtrail {
namespace core {

Committer::Committer(int max_group_size, GroupFn apply_group)
    : max_group_size_(std::max(1, max_group_size)),
      apply_group_(std::move(apply_group)),
      thread_([this] { Run(); }) {}

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
  if (thread_.joinable()) thread_.join();
}

bool Committer::OnCommitterThread() const {
  return std::this_thread::get_id() == thread_.get_id();
}

void Committer::Run() {
  while (true) {
    std::vector<std::unique_ptr<PendingWrite>> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_available_.wait(lock,
                           [this] { return !queue_.empty() || stopping_; });
      // Stopping with an empty queue: everything accepted was answered.
      if (queue_.empty()) return;
      while (!queue_.empty() &&
             static_cast<int>(group.size()) < max_group_size_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    apply_group_(std::move(group));
  }
}

}  // namespace core
}  // namespace claimtrail
