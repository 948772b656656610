// The claimtrail workloads of the load generator, and the empty-call
// baseline (grpc.health.v1.Health/Check on the same server).
//
//   health         Health/Check for "" — the empty-call limit.
//   append         RecordStance with a ~1 KiB statement on a random
//                  bench-w claim: one durable (fsync'd) event per call.
//   get            GetClaim of a random plain claim (current state).
//   asof           GetClaim of a random 10-event claim as of the recorded
//                  time of its 5th event (a fold of 5 events).
//   timeline10     ListClaimEvents, page_size 10, of a 10-event claim.
//   timeline100    ListClaimEvents, page_size 100, of a 100-event claim.
//   search_source  SearchClaims by source (an index), page of 50.
//   search_state   SearchClaims by state CONFIRMED (an index), page of 50.
//   mix            90 % get, 10 % append.
#ifndef CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_WORKLOADS_H_
#define CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_WORKLOADS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/bench/dataset_layout.h"
#include "tools/bench/grpc_load.h"

namespace claimtrail {
namespace bench {

// What the workloads need to know about the prepared data.
struct WorkloadData {
  DatasetLayout layout;
  // For asof: the time to read each 10-event claim at (index = claim index).
  std::vector<google::protobuf::Timestamp> timeline10_as_of;
};

// Every workload name, in the order the load generator runs them by default.
std::vector<std::string> ClaimTrailWorkloadNames();

// Whether workload `name` needs WorkloadData::timeline10_as_of.
bool NeedsAsOfTimes(absl::string_view name);

// The workload `name` over `channels` (which must outlive it).
// INVALID_ARGUMENT for an unknown name.
absl::StatusOr<std::unique_ptr<GrpcWorkload>> MakeClaimTrailWorkload(
    absl::string_view name,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadData& data);

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_WORKLOADS_H_
