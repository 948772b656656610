// WatchReactor: one WatchClaims stream.
//
// It replays committed events after a cursor, then follows new commits. The
// reactor reads the ledger's log at its own pace, a small batch at a time,
// and has at most one write in flight, so a slow client costs one cursor and
// one batch, never a queue that grows with the write rate.
//
// Who drives it:
// - Begin() (the handler thread) and OnWriteDone (a gRPC thread) pump: read
//   the next batch if needed and start the next write.
// - A commit listener on the Ledger's committer thread never reads or
//   writes: it marks the reactor dirty, or, if the reactor is idle (caught
//   up), schedules a pump on the service's TaskThread.
// - Stop() / OnCancel() finish the stream, after the write in flight if any.
// Exactly one thread pumps at a time (the `pumping_` token); gRPC calls
// (StartWrite, Finish) are made without holding `mu_`.
//
// Lifetime: the reactor owns itself through a shared_ptr until OnDone; the
// listener holds a weak_ptr and the TaskThread a shared_ptr per pending
// task, so a late commit or wake-up never touches a deleted reactor.
#ifndef CLAIMTRAIL_SERVER_SERVICE_WATCH_REACTOR_H_
#define CLAIMTRAIL_SERVER_SERVICE_WATCH_REACTOR_H_

#include <grpcpp/support/server_callback.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/ledger.h"
#include "server/service/task_thread.h"

namespace claimtrail {
namespace service {

class WatchReactor final
    : public grpc::ServerWriteReactor<v1::WatchClaimsResponse>,
      public std::enable_shared_from_this<WatchReactor> {
 public:
  // Events read from the log per ReadChanges call: the most a watcher holds.
  static constexpr int kBatchSize = 16;

  // Creates a reactor that streams events of `filter` with sequence >
  // `cursor`. `on_done(this)` runs once from OnDone, after the reactor has
  // unregistered from the ledger. `ledger` and `waker` must outlive the
  // reactor. Call Begin() next, once.
  static std::shared_ptr<WatchReactor> Create(
      core::Ledger* ledger, TaskThread* waker, v1::WatchClaimsRequest filter,
      uint64_t cursor, std::function<void(const WatchReactor*)> on_done);

  // Registers for commits and starts streaming. Call from the handler.
  void Begin();

  // Finishes the stream with `status` once no write is in flight. Safe from
  // any thread, any number of times (the first status wins).
  void Stop(grpc::Status status);

  // grpc::ServerWriteReactor.
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  WatchReactor(core::Ledger* ledger, TaskThread* waker,
               v1::WatchClaimsRequest filter, uint64_t cursor,
               std::function<void(const WatchReactor*)> on_done);

  // Reads and writes until a write is in flight, the stream is finished, or
  // it is caught up. Call without `mu_`.
  void Pump();
  // From the commit listener: wakes the reactor. Never blocks.
  void OnCommit();
  // Marks the stream finished and returns the status to Finish() with.
  grpc::Status TakeFinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  core::Ledger* const ledger_;
  TaskThread* const waker_;
  const v1::WatchClaimsRequest filter_;
  std::function<void(const WatchReactor*)> on_done_;
  // Keeps the reactor alive until OnDone.
  std::shared_ptr<WatchReactor> self_;
  int64_t listener_handle_ = -1;

  // Owned by whoever holds the `pumping_` token.
  uint64_t cursor_;
  std::deque<v1::WatchClaimsResponse> pending_;
  // Owned by gRPC between StartWrite and OnWriteDone.
  v1::WatchClaimsResponse in_flight_;

  absl::Mutex mu_;
  bool pumping_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // A commit happened since the pump last looked at LastSequence().
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  // A pump is queued on the TaskThread.
  bool wake_scheduled_ ABSL_GUARDED_BY(mu_) = false;
  // Finish() has been called; nothing may be written any more.
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // Finish requested, waiting for the write in flight or the pump.
  std::optional<grpc::Status> finish_wanted_ ABSL_GUARDED_BY(mu_);
};

// A WatchClaims stream that ends at once with `status` (validation errors,
// too many watchers). Deletes itself in OnDone.
class FinishedWatchReactor final
    : public grpc::ServerWriteReactor<v1::WatchClaimsResponse> {
 public:
  explicit FinishedWatchReactor(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_WATCH_REACTOR_H_
