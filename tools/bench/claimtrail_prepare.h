// Preparing the benchmark dataset on a running claimtraild, over the API.
#ifndef CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_PREPARE_H_
#define CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_PREPARE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/bench/dataset_layout.h"
#include "tools/bench/grpc_load.h"

namespace claimtrail {
namespace bench {

// Writes every source and claim of `layout` (dataset_layout.h), with
// `parallelism` claims being built at once. Idempotent: what exists from an
// earlier prepare (or gen_dataset) with the same layout is answered from the
// idempotency records and not written again. Progress goes to stderr.
// Errors are the server's, prefixed with the request that failed; an
// INVALID_ARGUMENT about a reused request_id means the data directory holds
// a dataset of a different layout.
absl::Status PrepareDataset(const std::shared_ptr<grpc::Channel>& channel,
                            const CallSetup& setup, const DatasetLayout& layout,
                            int parallelism);

// For each 10-event claim, the recorded time of its 5th event: the as-of
// workload reads the claim as it was then. FAILED_PRECONDITION if a claim
// has fewer than 10 events.
absl::StatusOr<std::vector<google::protobuf::Timestamp>> ReadAsOfTimes(
    const std::shared_ptr<grpc::Channel>& channel, const CallSetup& setup,
    const DatasetLayout& layout);

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_CLAIMTRAIL_PREPARE_H_
