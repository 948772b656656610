// Committer: applies and commits mutating requests in groups (see ledger.h
// for why), in a two-stage pipeline. This file knows queues and threads, not
// claims: what a group does is the Ledger's `prepare` callback and the
// PreparedGroup it returns.
#ifndef CLAIMTRAIL_SERVER_CORE_COMMITTER_H_
#define CLAIMTRAIL_SERVER_CORE_COMMITTER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/ledger_mutation_context.h"
#include "server/core/ledger_replay.h"
#include "server/core/principal.h"

namespace claimtrail {
namespace core {

// One mutating request, validated and waiting for the committer.
class PendingWrite {
 public:
  PendingWrite(std::string method, Principal who, std::string request_id,
               std::string fingerprint)
      : method_(std::move(method)),
        who_(std::move(who)),
        request_id_(std::move(request_id)),
        fingerprint_(std::move(fingerprint)) {}
  virtual ~PendingWrite() = default;

  // The RPC method name, e.g. "CreateClaim".
  const std::string& method() const { return method_; }
  const Principal& who() const { return who_; }
  const std::string& request_id() const { return request_id_; }
  // RequestFingerprint of the request (see idempotency.h).
  const std::string& fingerprint() const { return fingerprint_; }

  // Applies the request to `context` (staging its writes in the overlay).
  // OK: the response is kept for Finish. Not OK: the caller discards the
  // staged writes.
  virtual absl::Status Apply(MutationContext& context) = 0;
  // Writes into the idempotency record how to answer a repeat of this
  // request like Apply's response (ledger_replay.h).
  virtual void KeepResponse(storage::RequestRecord* record) const = 0;
  // Keeps the answer of an earlier identical request, rebuilt from its
  // idempotency record through `context`. INTERNAL if the record is
  // unusable.
  virtual absl::Status Replay(const storage::RequestRecord& record,
                              MutationContext& context) = 0;
  // Answers the caller, exactly once: the kept response when `status` is
  // OK, else `status`.
  virtual void Finish(absl::Status status) = 0;

 private:
  const std::string method_;
  const Principal who_;
  const std::string request_id_;
  const std::string fingerprint_;
};

// A PendingWrite whose response is a `Response` message and whose work is a
// function of the MutationContext.
template <typename Response>
class TypedWrite : public PendingWrite {
 public:
  using ApplyFn = std::function<absl::StatusOr<Response>(MutationContext&)>;
  using DoneFn = std::function<void(absl::StatusOr<Response>)>;

  TypedWrite(std::string method, Principal who, std::string request_id,
             std::string fingerprint, ApplyFn apply, DoneFn done)
      : PendingWrite(std::move(method), std::move(who), std::move(request_id),
                     std::move(fingerprint)),
        apply_(std::move(apply)),
        done_(std::move(done)) {}

  absl::Status Apply(MutationContext& context) override {
    absl::StatusOr<Response> response = apply_(context);
    if (!response.ok()) return response.status();
    response_ = *std::move(response);
    return absl::OkStatus();
  }
  void KeepResponse(storage::RequestRecord* record) const override {
    core::KeepResponse(response_, record);
  }
  absl::Status Replay(const storage::RequestRecord& record,
                      MutationContext& context) override {
    return RebuildResponse(record, context, &response_);
  }
  void Finish(absl::Status status) override {
    DoneFn done = std::move(done_);
    if (status.ok()) {
      done(std::move(response_));
    } else {
      done(std::move(status));
    }
  }

 private:
  ApplyFn apply_;
  DoneFn done_;
  Response response_;
};

// A group that stage one has applied and stage two is to commit.
class PreparedGroup {
 public:
  virtual ~PreparedGroup() = default;

  // Stage two, on the commit thread, in the order the groups were prepared:
  // makes the group durable and answers every write in it. Called once.
  virtual void Commit() = 0;
  // True when the group was applied on top of an earlier group whose commit
  // has since failed: committing it would write on a state that never was.
  // Asked only once every earlier group is committed.
  virtual bool Stale() const = 0;
  // The group's writes, unanswered, for applying them again (Stale).
  virtual std::vector<std::unique_ptr<PendingWrite>> TakeWrites() = 0;
};

// Applies and commits mutating requests in groups, in two stages on two
// threads, so that the work of one group overlaps the fsync of the one
// before:
//
//   applier thread:  take up to max_group_size queued writes, `prepare`
//                    them (apply against the state the earlier groups
//                    leave, committed or not), hand the group over;
//   commit thread:   PreparedGroup::Commit (one durable storage write,
//                    then every write's answer).
//
// At most two groups are past stage one and not yet committed: the one
// being committed and the next, prepared meanwhile. The applier hands a
// group over only when the commit thread is idle; a group found Stale then
// (its predecessor failed) is prepared again, on the state storage really
// holds. Answers (done callbacks) therefore run on the commit thread, never
// on the applier: serializing and sending responses overlaps the next
// group's work too.
//
// The queue uses std::mutex rather than absl::Mutex on purpose: the system
// Abseil is not built with ThreadSanitizer, so TSan cannot see absl::Mutex
// ordering and would report every hand-over below as a race; libstdc++'s
// mutex goes through pthreads, which TSan intercepts.
class Committer {
 public:
  // Stage one: applies a group. Runs on the applier thread, one group at a
  // time, in submission order.
  using PrepareFn = std::function<std::unique_ptr<PreparedGroup>(
      std::vector<std::unique_ptr<PendingWrite>> group)>;

  // Starts both threads. `max_group_size` >= 1.
  Committer(int max_group_size, PrepareFn prepare);
  // Stop().
  ~Committer();

  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Queues `write`. After Stop() the write is answered UNAVAILABLE at once,
  // on the calling thread.
  void Submit(std::unique_ptr<PendingWrite> write);

  // Refuses new writes, applies and commits every queued one, and joins
  // both threads. Idempotent.
  void Stop();

  // True on the commit thread, where answers and commit listeners run.
  bool OnCommitThread() const;

 private:
  void RunApplier();
  void RunCommits();

  const int max_group_size_;
  const PrepareFn prepare_;
  std::mutex mu_;
  std::condition_variable work_available_;
  // Signalled when the commit thread takes a group or finishes one.
  std::condition_variable commit_idle_;
  std::condition_variable handed_over_;
  std::deque<std::unique_ptr<PendingWrite>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The group handed to the commit thread and not yet taken.
  std::unique_ptr<PreparedGroup> handed_ ABSL_GUARDED_BY(mu_);
  // True while the commit thread runs a group's Commit.
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Set by the applier when it has handed over its last group.
  bool applier_done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread commit_thread_;
  std::thread applier_thread_;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_COMMITTER_H_
