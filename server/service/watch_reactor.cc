#include "server/service/watch_reactor.h"

#include <utility>

#include "absl/status/status.h"
#include "server/service/status_conversion.h"

namespace claimtrail {
namespace service {

std::shared_ptr<WatchReactor> WatchReactor::Create(
    core::Ledger* ledger, TaskThread* waker, v1::WatchClaimsRequest filter,
    uint64_t cursor, std::function<void(const WatchReactor*)> on_done) {
  std::shared_ptr<WatchReactor> reactor(new WatchReactor(
      ledger, waker, std::move(filter), cursor, std::move(on_done)));
  reactor->self_ = reactor;
  return reactor;
}

WatchReactor::WatchReactor(core::Ledger* ledger, TaskThread* waker,
                           v1::WatchClaimsRequest filter, uint64_t cursor,
                           std::function<void(const WatchReactor*)> on_done)
    : ledger_(ledger),
      waker_(waker),
      filter_(std::move(filter)),
      on_done_(std::move(on_done)),
      cursor_(cursor) {}

void WatchReactor::Begin() {
  // Sent at once (not with the first event) so that a client can tell the
  // stream is established, and its from_now point fixed, before any event.
  StartSendInitialMetadata();
  // Registering before the first read means no commit can slip between
  // "caught up" and "listening": one that lands during the replay only marks
  // the reactor dirty.
  std::weak_ptr<WatchReactor> weak = weak_from_this();
  listener_handle_ = ledger_->AddCommitListener([weak](uint64_t) {
    if (std::shared_ptr<WatchReactor> reactor = weak.lock()) {
      reactor->OnCommit();
    }
  });
  Pump();
}

void WatchReactor::Stop(grpc::Status status) {
  grpc::Status finish_with;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || finish_wanted_.has_value()) return;
    finish_wanted_ = std::move(status);
    // A busy pump or a write in flight finishes the stream when it is done.
    if (pumping_ || writing_) return;
    finish_with = TakeFinishLocked();
  }
  Finish(std::move(finish_with));
}

void WatchReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok && !finish_wanted_.has_value()) {
      // The stream is broken (client gone or call cancelled).
      finish_wanted_ = grpc::Status(grpc::StatusCode::CANCELLED,
                                    "watch stream closed by the client");
    }
  }
  Pump();
}

void WatchReactor::OnCancel() {
  Stop(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled"));
}

void WatchReactor::OnDone() {
  // gRPC is done with the reactor; stop listening before letting go of it.
  // (No lock is held here, so a listener running concurrently on the
  // committer thread cannot deadlock with the removal.)
  if (listener_handle_ >= 0) ledger_->RemoveCommitListener(listener_handle_);
  if (on_done_) on_done_(this);
  std::shared_ptr<WatchReactor> last_ref = std::move(self_);
  // `last_ref` may be the final owner: nothing may touch members after this.
}

void WatchReactor::OnCommit() {
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || finish_wanted_.has_value()) return;
    if (pumping_ || writing_) {
      // The active pump (or the one after OnWriteDone) will look again.
      dirty_ = true;
      return;
    }
    if (wake_scheduled_) return;
    wake_scheduled_ = true;
  }
  waker_->Schedule([reactor = shared_from_this()] { reactor->Pump(); });
}

grpc::Status WatchReactor::TakeFinishLocked() {
  finished_ = true;
  return *finish_wanted_;
}

void WatchReactor::Pump() {
  {
    absl::MutexLock lock(&mu_);
    wake_scheduled_ = false;
    if (finished_ || writing_) return;
    if (pumping_) {
      dirty_ = true;
      return;
    }
    pumping_ = true;
  }
  while (true) {
    absl::Status read_error;
    uint64_t last_sequence = 0;
    if (pending_.empty()) {
      {
        // Clear before reading LastSequence(): a commit after this point
        // sets it again, one before it is visible in LastSequence().
        absl::MutexLock lock(&mu_);
        dirty_ = false;
      }
      last_sequence = ledger_->LastSequence();
      if (cursor_ < last_sequence) {
        absl::StatusOr<core::Ledger::Changes> changes =
            ledger_->ReadChanges(filter_, cursor_, kBatchSize);
        if (!changes.ok()) {
          read_error = changes.status();
        } else if (changes->next_cursor <= cursor_ && changes->events.empty()) {
          // No progress: treat as caught up rather than spin; the next
          // commit wakes us again.
          last_sequence = cursor_;
        } else {
          cursor_ = changes->next_cursor;
          for (v1::WatchClaimsResponse& event : changes->events) {
            pending_.push_back(std::move(event));
          }
        }
      }
    }

    enum class Next { kWrite, kFinish, kReadAgain, kIdle };
    Next next;
    grpc::Status finish_with;
    {
      absl::MutexLock lock(&mu_);
      if (!read_error.ok() && !finish_wanted_.has_value()) {
        finish_wanted_ = ToGrpcStatus(read_error);
      }
      if (finish_wanted_.has_value()) {
        pumping_ = false;
        finish_with = TakeFinishLocked();
        next = Next::kFinish;
      } else if (!pending_.empty()) {
        in_flight_ = std::move(pending_.front());
        pending_.pop_front();
        pumping_ = false;
        writing_ = true;
        next = Next::kWrite;
      } else if (dirty_ || cursor_ < last_sequence) {
        next = Next::kReadAgain;  // A commit landed meanwhile, or more to read.
      } else {
        pumping_ = false;  // Caught up: the commit listener wakes us.
        next = Next::kIdle;
      }
    }
    switch (next) {
      case Next::kWrite:
        StartWrite(&in_flight_);
        return;
      case Next::kFinish:
        Finish(std::move(finish_with));
        return;
      case Next::kReadAgain:
        continue;
      case Next::kIdle:
        return;
    }
  }
}

}  // namespace service
}  // namespace claimtrail
