// Committer: the single thread that applies and commits mutating requests
// in groups (see ledger.h for why). This file knows queues and threads, not
// claims: what a group does is the Ledger's `apply_group` callback.
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
  // The response kept by Apply or Replay, serialized for the idempotency
  // record.
  virtual std::string SerializedResponse() const = 0;
  // Keeps the response of an earlier identical request (from its
  // idempotency record). INTERNAL if the stored bytes do not parse.
  virtual absl::Status Replay(const std::string& serialized_response) = 0;
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
  std::string SerializedResponse() const override {
    return response_.SerializeAsString();
  }
  absl::Status Replay(const std::string& serialized_response) override {
    if (!response_.ParseFromString(serialized_response)) {
      return absl::InternalError(
          "request_id: the stored response of the first request is corrupt");
    }
    return absl::OkStatus();
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

// The queue uses std::mutex rather than absl::Mutex on purpose: the system
// Abseil is not built with ThreadSanitizer, so TSan cannot see absl::Mutex
// ordering and would report every hand-over below as a race; libstdc++'s
// mutex goes through pthreads, which TSan intercepts.
class Committer {
 public:
  // Applies and commits one group; answers every write in it.
  using GroupFn =
      std::function<void(std::vector<std::unique_ptr<PendingWrite>> group)>;

  // Starts the committer thread. `max_group_size` >= 1.
  Committer(int max_group_size, GroupFn apply_group);
  // Stop().
  ~Committer();

  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Queues `write`. After Stop() the write is answered UNAVAILABLE at once,
  // on the calling thread.
  void Submit(std::unique_ptr<PendingWrite> write);

  // Refuses new writes, applies every queued one, and joins the thread.
  // Idempotent.
  void Stop();

  // True on the committer thread (e.g. inside a `done` callback).
  bool OnCommitterThread() const;

 private:
  void Run();

  const int max_group_size_;
  const GroupFn apply_group_;
  std::mutex mu_;
  std::condition_variable work_available_;
  std::deque<std::unique_ptr<PendingWrite>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_COMMITTER_H_
