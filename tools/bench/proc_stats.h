// Resource use of processes, from /proc (Linux only).
#ifndef CLAIMTRAIL_TOOLS_BENCH_PROC_STATS_H_
#define CLAIMTRAIL_TOOLS_BENCH_PROC_STATS_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace claimtrail {
namespace bench {

// User + system CPU seconds of process `pid` (all its threads) plus those of
// its live descendants: one number for a multi-process server such as
// PostgreSQL (postmaster + backends) as well as for a threaded one.
// Resolution is one clock tick (10 ms). NOT_FOUND if `pid` is gone.
absl::StatusOr<double> ProcessTreeCpuSeconds(int pid);

// Resident set size of `pid` now (VmRSS) and at its peak (VmHWM), and how
// the current one splits (RssAnon: heap and stacks; RssFile: pages of
// mapped files, e.g. LevelDB's mmapped tables, which the kernel may drop at
// will), in bytes. NOT_FOUND if `pid` is gone.
struct RssBytes {
  int64_t current = 0;
  int64_t peak = 0;
  int64_t anon = 0;
  int64_t file = 0;
};
absl::StatusOr<RssBytes> ProcessRss(int pid);

// User + system CPU seconds of this process so far (all threads).
double SelfCpuSeconds();

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_PROC_STATS_H_
