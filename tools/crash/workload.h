// One writer of the crash and soak workload: a sequential stream of
// mutations over claims the writer owns, so that writers never contend for
// an etag and every acknowledged write is unambiguous.
//
// The mix: create claims, stances, figure revisions, appearances, text
// updates, verdicts, links, merges, retractions, redactions and new
// sources, plus optional reads (GetClaim / ListClaimEvents).
#ifndef CLAIMTRAIL_TOOLS_CRASH_WORKLOAD_H_
#define CLAIMTRAIL_TOOLS_CRASH_WORKLOAD_H_

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/claimtrail_client.h"
#include "tools/crash/ack_log.h"

namespace claimtrail {
namespace crash {

// Sources every writer refers to; created once per data directory by
// EnsureSharedSources.
inline constexpr int kSharedParties = 4;
std::string PartyName(int i);     // "sources/party-{i}"
std::string OutletName();         // "sources/outlet"

// Creates the shared sources with fixed request ids (a repeat is a replay),
// logging each acknowledgement.
absl::Status EnsureSharedSources(const client::ClaimTrailClient& client,
                                 AckLogWriter& acks);

class Writer {
 public:
  // `run_id` makes ids unique across runs on one data directory ([a-z0-9-],
  // short); `index` is the writer's number.
  Writer(const client::ClaimTrailClient& client, AckLogWriter& acks,
         std::string run_id, int index, double read_fraction);

  // Performs one operation. OK: acknowledged (and logged) or a read
  // succeeded. Otherwise the call's error; nothing is logged.
  absl::Status Step();

  int64_t acknowledged() const { return acknowledged_; }

 private:
  struct OwnedClaim {
    std::string name;
    std::string etag;
    int64_t last_redactable_revision = 0;  // A stance/figure/appearance.
  };

  std::string NextRequestId();
  std::string NextId(absl::string_view kind);
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  OwnedClaim& AnyClaim() { return claims_[Pick(claims_.size())]; }

  absl::Status CreateClaim();
  absl::Status CreateSource();
  absl::Status RecordStance(OwnedClaim& claim);
  absl::Status ReviseFigure(OwnedClaim& claim);
  absl::Status AddAppearance(OwnedClaim& claim);
  absl::Status UpdateClaim(OwnedClaim& claim);
  absl::Status RecordVerdict(OwnedClaim& claim);
  absl::Status LinkClaims(OwnedClaim& holder, OwnedClaim& target);
  absl::Status MergeClaims(size_t duplicate, size_t into);
  absl::Status RetractClaim(size_t index);
  absl::Status RedactEvent(OwnedClaim& claim);
  absl::Status Read(const OwnedClaim& claim);

  // Logs the ack of a write that returned `claim` and updates `owned`.
  void AckClaim(absl::string_view request_id, absl::string_view method,
                const v1::Claim& claim, int expected_events,
                OwnedClaim* owned);

  const client::ClaimTrailClient& client_;
  AckLogWriter& acks_;
  const std::string run_id_;
  const int index_;
  const double read_fraction_;
  std::mt19937_64 rng_;
  int64_t counter_ = 0;
  int64_t acknowledged_ = 0;
  std::vector<OwnedClaim> claims_;
  // Pairs of claims already linked (smaller name first): a second link of
  // the same type would be ALREADY_EXISTS.
  std::set<std::pair<std::string, std::string>> linked_;
};

}  // namespace crash
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_CRASH_WORKLOAD_H_
