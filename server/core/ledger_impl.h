// Ledger::Impl: the state behind the Ledger facade. Writes: ledger.cc (the
// committer's group apply) with the mutations in ledger_*_writes.cc. Reads:
// ledger_reads.cc, search.cc, ledger_changes.cc.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_IMPL_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_IMPL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/committer.h"
#include "server/core/ledger.h"
#include "server/core/ledger_overlay.h"
#include "server/core/ledger_summary.h"

namespace claimtrail {
namespace core {

class Ledger::Impl {
 public:
  explicit Impl(LedgerOptions options);
  // Stops the committer (answering every queued write) before the storage
  // goes away.
  ~Impl();

  // Starts the committer. Called once by Ledger::Open.
  absl::Status Start();

  // A mutating method: validates `req` on the calling thread (answering
  // `done` there if invalid), then queues `apply` for the committer with the
  // request's idempotency fingerprint. `req` is copied.
  template <typename Request, typename Response>
  void Mutate(const char* method, const Principal& who, const Request& req,
              absl::StatusOr<Response> (*apply)(const Request&,
                                                MutationContext&),
              Done<Response> done);

  // ---- Reads (see ledger.h).
  absl::StatusOr<v1::Source> GetSource(const v1::GetSourceRequest& req);
  absl::StatusOr<v1::ListSourcesResponse> ListSources(
      const v1::ListSourcesRequest& req);
  absl::StatusOr<v1::Claim> GetClaim(const v1::GetClaimRequest& req);
  absl::StatusOr<v1::ListClaimsResponse> ListClaims(
      const v1::ListClaimsRequest& req);
  absl::StatusOr<v1::SearchClaimsResponse> SearchClaims(
      const v1::SearchClaimsRequest& req);
  absl::StatusOr<v1::ListClaimEventsResponse> ListClaimEvents(
      const v1::ListClaimEventsRequest& req);
  absl::StatusOr<v1::DiffClaimResponse> DiffClaim(
      const v1::DiffClaimRequest& req);
  absl::StatusOr<v1::ServerInfo> GetServerInfo();
  absl::StatusOr<Changes> ReadChanges(const v1::WatchClaimsRequest& filter,
                                      uint64_t after_sequence, int limit);
  absl::Status ValidateWatch(const v1::WatchClaimsRequest& filter);

  // For reports, exports and imports (ledger_reports.cc), which read
  // storage through the report engine's loader.
  storage::Storage& storage() { return *storage_; }
  absl::Time Now() const { return clock_(); }

  uint64_t LastSequence() const { return storage_->LastSequence(); }

  int64_t AddCommitListener(std::function<void(uint64_t)> listener);
  void RemoveCommitListener(int64_t handle);

 private:
  class Prepared;
  // The committer's first stage: applies one group; the result commits and
  // answers it (committer.h).
  std::unique_ptr<PreparedGroup> PrepareGroup(
      std::vector<std::unique_ptr<PendingWrite>> group);
  // The recorded time of the next request: never before the last one.
  absl::Time NextRecordedTime();
  void NotifyCommitListeners(uint64_t last_sequence);

  // Looks sources up in storage (for state summaries on reads).
  SourceLookup StorageSourceLookup();
  // `claim` with state_summary filled from stored source names.
  v1::Claim WithStoredSummary(v1::Claim claim);
  // The stored claim `id`; NOT_FOUND "claims/x not found".
  absl::StatusOr<v1::Claim> ReadStoredClaim(const std::string& id);

  const std::unique_ptr<storage::Storage> storage_;
  const std::string data_dir_;
  const std::string version_;
  const std::function<absl::Time()> clock_;
  const int max_group_size_;
  const absl::Time start_time_;

  // The committer's applier thread only.
  absl::Time last_recorded_time_ = absl::InfinitePast();
  // The last group prepared that writes something; the next group builds
  // on it while its commit is in flight.
  std::shared_ptr<InFlightGroup> last_prepared_;

  // std::mutex rather than absl::Mutex: see committer.h (TSan).
  std::mutex listeners_mu_;
  std::condition_variable listeners_idle_;
  std::map<int64_t, std::shared_ptr<std::function<void(uint64_t)>>> listeners_
      ABSL_GUARDED_BY(listeners_mu_);
  int64_t next_listener_handle_ ABSL_GUARDED_BY(listeners_mu_) = 1;
  bool notifying_ ABSL_GUARDED_BY(listeners_mu_) = false;

  // Last member: destroyed (stopped) first.
  std::unique_ptr<Committer> committer_;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_IMPL_H_
