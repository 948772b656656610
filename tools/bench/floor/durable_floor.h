// DurableFloor: the fastest a gRPC server on LevelDB can answer the append
// benchmark's call (ClaimTrail.RecordStance) durably on this machine.
//
// Why: the empty call (gRPC health Check) says what gRPC costs, the fsync
// probe what the disk costs; neither says what a durable append costs when
// it is served by gRPC and written by LevelDB, the two fixed parts of
// claimtrail's stack. This server does that and nothing else: no
// authentication, no validation, no reads, no claim logic. Per call it
// writes the same records, of the same sizes, as claimtrail's append batch
// (DurableFloorOptions) into a LevelDB opened as claimtraild opens its own
// (storage::LevelDbOptions' defaults: log in preallocated files, Bloom
// filter, memtable, block cache, open tables), with one
// synced write per group of calls, and answers with a claim of the size
// claimtrail answers with.
//
// Grouping: the gRPC thread of the first call to find no write in progress
// writes, on that thread, every call queued by then, and again until the
// queue is empty; other calls queue and return at once. One call alone is
// written with no thread hand-off at all (the lowest latency at 1 in
// flight), and many calls share each sync (the highest rate at 64-256).
// claimtraild does not block gRPC's threads on a sync; a floor may.
//
// A benchmark tool: it keeps no ledger, and every RPC but RecordStance is
// UNIMPLEMENTED.
#ifndef CLAIMTRAIL_TOOLS_BENCH_FLOOR_DURABLE_FLOOR_H_
#define CLAIMTRAIL_TOOLS_BENCH_FLOOR_DURABLE_FLOOR_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"

namespace claimtrail {
namespace bench {

// Record sizes per call, as measured in claimtrail's append batch (its
// write-ahead log) for the benchmark's 1 KiB statement.
struct DurableFloorOptions {
  // LevelDB directory; created if missing.
  std::string dir;
  // The event (it holds the statement twice: the payload and the change
  // it records), the materialized claim (the statement once), the
  // idempotency record, the global log entry and the stats record.
  size_t event_bytes = 3287;
  size_t claim_bytes = 1424;
  size_t request_bytes = 115;
  size_t log_entry_bytes = 16;
  size_t stats_bytes = 17;
};

class DurableFloor : public v1::ClaimTrail::CallbackService {
 public:
  // Opens (creating) the database in options.dir and waits until its log
  // is a preallocated file, as claimtraild's is once its first log is
  // full. INVALID_ARGUMENT: no dir; otherwise LevelDB's error, as
  // UNAVAILABLE. Register the result with a grpc::ServerBuilder.
  static absl::StatusOr<std::unique_ptr<DurableFloor>> Open(
      DurableFloorOptions options);
  ~DurableFloor() override;

  // Writes the call's records durably (with whatever else is queued), then
  // answers OK with a claim, or UNAVAILABLE with LevelDB's error. Thread-safe.
  grpc::ServerUnaryReactor* RecordStance(grpc::CallbackServerContext* context,
                                         const v1::RecordStanceRequest* request,
                                         v1::Claim* response) override;

 private:
  class Impl;
  explicit DurableFloor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_FLOOR_DURABLE_FLOOR_H_
