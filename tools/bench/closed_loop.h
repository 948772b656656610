// ClosedLoop: timing and recording of one benchmark point.
//
// A closed loop keeps exactly `slots` operations in flight: each slot starts
// its next operation as soon as the previous one completes. The run has a
// warm-up (operations run but are not counted: connections, caches and the
// server's thread pools settle) followed by the measured window. An
// operation counts when it *completes* inside the window; its latency is
// from its start to its completion. After the window no slot starts another
// operation, and the point ends when every slot has stopped.
//
// The drivers (gRPC, libpq) own the I/O; they call Complete() from whatever
// thread sees an operation end and SlotStopped() once a slot is done.
#ifndef CLAIMTRAIL_TOOLS_BENCH_CLOSED_LOOP_H_
#define CLAIMTRAIL_TOOLS_BENCH_CLOSED_LOOP_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/bench/bench_result.h"

namespace claimtrail {
namespace bench {

struct Window {
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration measure = absl::Seconds(3);
};

// Monotonic clock, nanoseconds.
int64_t NowNs();

// Concurrency levels from a flag's items ("1", "4", ...). INVALID_ARGUMENT
// for an item that is not a positive integer.
absl::StatusOr<std::vector<int>> ParseLevels(
    const std::vector<std::string>& items);

class ClosedLoop {
 public:
  ClosedLoop(int slots, Window window);

  // Starts the clock: warm-up begins now. Call before the first operation.
  void Start();

  // Records the end of `slot`'s operation that began at `start_ns` (from
  // NowNs). Returns whether the slot should start another one. Calls for one
  // slot must not overlap (a slot has one operation at a time); different
  // slots may call concurrently.
  bool Complete(int slot, int64_t start_ns, bool ok, absl::string_view error);

  // The slot has stopped for good (Complete returned false, or it could not
  // start an operation). The driver must not touch the loop for that slot
  // afterwards. Thread-safe.
  void SlotStopped();

  // Blocks until the end of the window, calling `at_window_start` and
  // `at_window_end` at its boundaries (CPU snapshots), then until every
  // slot has stopped.
  void Run(const std::function<void()>& at_window_start,
           const std::function<void()>& at_window_end);

  // After Run: what the window saw.
  int64_t ops() const;
  int64_t errors() const;
  std::string first_error() const;
  double window_seconds() const;
  // Latencies of the counted operations, in nanoseconds, all slots merged.
  std::vector<int64_t> TakeLatencies();

 private:
  struct SlotRecord {
    std::vector<int64_t> latencies_ns;
    int64_t errors = 0;
  };

  const Window window_;
  int64_t window_start_ns_ = 0;
  int64_t window_end_ns_ = 0;
  std::vector<SlotRecord> records_;

  mutable absl::Mutex mu_;
  int running_slots_ ABSL_GUARDED_BY(mu_);
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// Runs one point: starts a ClosedLoop, lets `start_slots` start the first
// operation of every slot, and measures. With `server_pid` > 0, the CPU of
// that process tree over the window and its RSS at the end are recorded.
PointResult MeasurePoint(absl::string_view system, absl::string_view workload,
                         int in_flight, const Window& window, int server_pid,
                         const std::function<void(ClosedLoop&)>& start_slots);

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_CLOSED_LOOP_H_
