// The crash test's oracle: every acknowledged write is in the data directory
// exactly once. Reads the directory offline (the server must be stopped).
#ifndef CLAIMTRAIL_TOOLS_CRASH_VERIFY_H_
#define CLAIMTRAIL_TOOLS_CRASH_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/storage/inspect.h"
#include "tools/crash/ack_log.h"

namespace claimtrail {
namespace crash {

struct Verdict {
  int64_t acknowledged = 0;   // Distinct acknowledged request ids.
  int64_t events_checked = 0; // Events that carry an acknowledged id.
  int64_t events_total = 0;   // Events in the directory.
  int64_t lost = 0;           // Acknowledged, but not (fully) there.
  int64_t duplicated = 0;     // Acknowledged, and there more than once.
  std::vector<std::string> problems;  // One line each, capped.
  bool ok() const { return lost == 0 && duplicated == 0 && problems.empty(); }
};

// For each ack: exactly `expected_events` events carry its request_id, the
// event it names (if any) is one of them, its idempotency record exists
// and, for CreateSource, the source exists. Errors only when the directory
// cannot be read.
absl::StatusOr<Verdict> VerifyAcks(storage::RawLedger& ledger,
                                   const std::vector<Ack>& acks);

}  // namespace crash
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_CRASH_VERIFY_H_
