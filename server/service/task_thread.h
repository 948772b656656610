// TaskThread: one background thread that runs scheduled closures in order.
//
// Why: the Ledger calls commit listeners on its committer thread, where
// nothing may block. A watcher woken by a commit needs to read the log and
// start a write; the listener hands that work to this thread instead.
#ifndef CLAIMTRAIL_SERVER_SERVICE_TASK_THREAD_H_
#define CLAIMTRAIL_SERVER_SERVICE_TASK_THREAD_H_

#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace claimtrail {
namespace service {

class TaskThread {
 public:
  // Starts the thread.
  TaskThread();
  // Runs every task already scheduled, then joins the thread. Tasks must not
  // schedule more tasks once destruction has begun (they are dropped).
  ~TaskThread();

  TaskThread(const TaskThread&) = delete;
  TaskThread& operator=(const TaskThread&) = delete;

  // Queues `task` to run on the thread, after every task queued before it.
  // Never blocks beyond a short mutex hold; safe from any thread, including
  // from a task.
  void Schedule(std::function<void()> task);

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_TASK_THREAD_H_
