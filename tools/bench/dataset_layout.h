// The benchmark dataset: which sources and claims exist, with which events.
//
// One layout, two writers: the load generator's --prepare step sends these
// requests over gRPC, and gen_dataset applies them to a data directory
// offline through the Ledger. Both use the same names and request_ids, so the
// load generator finds gen_dataset's claims by name, and re-running a prepare
// over existing data writes nothing (a repeated request_id returns the first
// response).
//
// Claims (ids are [a-z0-9-], as the API requires):
//   bench-NNNNNNN   "plain" claims read by get and search. Claim i is
//                   attributed to source i % sources; its state is
//                   UNVERIFIED (i%3==0, no stance), CONFIRMED (i%3==1) or
//                   DENIED (i%3==2), and stays so through its follow-ups.
//   bench-t10-NNNN  10 events each (timeline of 10, get as-of).
//   bench-t100-NNNN 100 events each (timeline of 100).
//   bench-w-NNNN    targets of the durable-append workload.
#ifndef CLAIMTRAIL_TOOLS_BENCH_DATASET_LAYOUT_H_
#define CLAIMTRAIL_TOOLS_BENCH_DATASET_LAYOUT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace bench {

struct DatasetLayout {
  // Attribution sources ("sources/bench-src-NN"); plain claim i cites i % n.
  int sources = 20;
  // Plain claims, and events per plain claim (the creating one included).
  int claims = 2000;
  int events_per_claim = 1;
  // Claims with exactly 10 and exactly 100 events.
  int timeline10_claims = 100;
  int timeline100_claims = 20;
  // Claims the durable-append workload writes to.
  int append_claims = 1000;
  // Bytes of free text (statement or quote) carried by each follow-up event.
  int payload_bytes = 1024;
};

// A mutating request that follows a claim's creation: one event each.
using FollowUp = std::variant<v1::RecordStanceRequest, v1::ReviseFigureRequest,
                              v1::AddAppearanceRequest>;

// Every request that builds one claim, in the order they must be applied.
struct ClaimPlan {
  v1::CreateClaimRequest create;
  std::vector<FollowUp> follow_ups;
};

// Party of the durable-append workload's stances.
inline constexpr absl::string_view kWriterSource = "sources/bench-writer";
// Parties of the prepared stances.
inline constexpr int kParties = 4;

// Resource names ("claims/..."/"sources/...") of the layout's entities.
std::string PlainClaimName(int index);
std::string Timeline10ClaimName(int index);
std::string Timeline100ClaimName(int index);
std::string AppendClaimName(int index);
std::string AttributionSourceName(int index);
std::string PartyName(int index);

// The state plain claim `index` is in (see the file comment).
v1::ClaimState PlainClaimState(int index);

// CreateSource requests for every source of the layout (attribution sources,
// parties and the writer), with deterministic request_ids.
std::vector<v1::CreateSourceRequest> SourceRequests(const DatasetLayout& layout);

// The plans of each kind of claim. Deterministic: the same arguments give
// the same requests (request_ids included).
ClaimPlan PlainClaimPlan(const DatasetLayout& layout, int index);
ClaimPlan TimelineClaimPlan(const DatasetLayout& layout, int events,
                            int index);
ClaimPlan AppendClaimPlan(const DatasetLayout& layout, int index);

// Number of events the whole layout holds once applied.
int64_t TotalEvents(const DatasetLayout& layout);

// `bytes` of pseudo-random lower-case words, a deterministic function of
// `seed`. Barely compressible, like real prose after dedup: storage engines
// that compress (LevelDB) gain no unfair edge over those that do not.
std::string PayloadText(uint64_t seed, int bytes);

// Fast pseudo-random source for load generation (xorshift64*). Not
// thread-safe: one per worker.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed == 0 ? 0x9E3779B97F4A7C15ULL : seed) {}
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  // Uniform in [0, n); n > 0.
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_DATASET_LAYOUT_H_
