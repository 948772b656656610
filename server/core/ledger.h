// Ledger: claimtrail's engine. Validates requests, turns each mutating request
// into one event, folds events into claim state, and answers every read of
// the public API. No gRPC here: requests and responses are the claimtrail.v1
// messages, errors are absl::Status with the most specific canonical code.
//
// Writes: each mutating method validates the request, then hands it to the
// committer (committer.h). Its applier thread takes every request waiting in
// the queue, applies them in order against the current state (each seeing
// the ones before it, and the previous group's writes while that group's
// fsync is still in flight); its commit thread writes the group with one
// Storage::Commit (one fsync) and then calls each request's `done`. One
// request is one event (two for LinkClaims/MergeClaims, which touch two
// claims) and is all-or-nothing; requests that fail validation or
// preconditions are answered and leave the group untouched. Why a committer
// rather than LevelDB's own group commit: the read-modify-write of a claim
// (etag check, fold, sequence number) must be serialized anyway, and doing
// it on one thread gives gapless global sequences in commit order without
// holding a lock across fsync.
//
// Thread safety: every method may be called from any thread concurrently.
// `done` callbacks run on the committer's commit thread: they must not block
// (they may call back into the Ledger's read methods).
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/principal.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {

struct LedgerOptions {
  // Where data lives; owned by the Ledger. Required.
  std::unique_ptr<storage::Storage> storage;
  // Reported by GetServerInfo.
  std::string data_dir;
  std::string version;
  // Source of recorded time; tests inject a fake. Must be monotonic enough:
  // the Ledger never records a time earlier than the previous event's.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Most requests the committer folds into one commit.
  int max_group_size = 512;
};

template <typename T>
using Done = std::function<void(absl::StatusOr<T>)>;

class Ledger {
 public:
  // Opens the ledger over options.storage and starts the committer thread.
  // INVALID_ARGUMENT if storage is null.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(LedgerOptions options);

  // Stops accepting writes, finishes (commits and answers) every queued
  // request, and joins the committer. Writes after this fail UNAVAILABLE.
  ~Ledger();

  // ---- Mutations. `done` is called exactly once, after the write is
  // durable or has failed. Common errors: INVALID_ARGUMENT (names the field
  // path), NOT_FOUND (names the resource), ABORTED (stale etag),
  // FAILED_PRECONDITION (merged/retracted claim, or storage read-only after
  // a failed write), ALREADY_EXISTS (id taken), UNAVAILABLE (shutting down,
  // or an I/O error), RESOURCE_EXHAUSTED (disk full). A repeat of a
  // request_id returns the first response and writes nothing.
  void CreateSource(const Principal& who, const v1::CreateSourceRequest& req,
                    Done<v1::Source> done);
  void UpdateSource(const Principal& who, const v1::UpdateSourceRequest& req,
                    Done<v1::Source> done);
  void CreateClaim(const Principal& who, const v1::CreateClaimRequest& req,
                   Done<v1::Claim> done);
  void UpdateClaim(const Principal& who, const v1::UpdateClaimRequest& req,
                   Done<v1::Claim> done);
  void AddAttribution(const Principal& who,
                      const v1::AddAttributionRequest& req,
                      Done<v1::Claim> done);
  void ReviseFigure(const Principal& who, const v1::ReviseFigureRequest& req,
                    Done<v1::Claim> done);
  void RecordStance(const Principal& who, const v1::RecordStanceRequest& req,
                    Done<v1::Claim> done);
  void RecordVerdict(const Principal& who, const v1::RecordVerdictRequest& req,
                     Done<v1::Claim> done);
  void AddAppearance(const Principal& who, const v1::AddAppearanceRequest& req,
                     Done<v1::Claim> done);
  void LinkClaims(const Principal& who, const v1::LinkClaimsRequest& req,
                  Done<v1::Claim> done);
  void MergeClaims(const Principal& who, const v1::MergeClaimsRequest& req,
                   Done<v1::Claim> done);
  void RetractClaim(const Principal& who, const v1::RetractClaimRequest& req,
                    Done<v1::Claim> done);
  void RedactEvent(const Principal& who, const v1::RedactEventRequest& req,
                   Done<v1::Event> done);

  // ---- Reads. Synchronous; never wait for the committer. They see every
  // write whose `done` has been called.

  // NOT_FOUND if absent.
  absl::StatusOr<v1::Source> GetSource(const v1::GetSourceRequest& req);
  absl::StatusOr<v1::ListSourcesResponse> ListSources(
      const v1::ListSourcesRequest& req);
  // Current state from the materialized record; with as_of / valid_at, the
  // fold of the events that qualify. NOT_FOUND if absent (or not yet
  // created at as_of).
  absl::StatusOr<v1::Claim> GetClaim(const v1::GetClaimRequest& req);
  absl::StatusOr<v1::ListClaimsResponse> ListClaims(
      const v1::ListClaimsRequest& req);
  absl::StatusOr<v1::SearchClaimsResponse> SearchClaims(
      const v1::SearchClaimsRequest& req);
  // Events in revision order, each with `changes` filled in.
  absl::StatusOr<v1::ListClaimEventsResponse> ListClaimEvents(
      const v1::ListClaimEventsRequest& req);
  absl::StatusOr<v1::DiffClaimResponse> DiffClaim(
      const v1::DiffClaimRequest& req);
  absl::StatusOr<v1::ServerInfo> GetServerInfo();

  // ---- Change feed (WatchClaims). Memory per watcher is its cursor only:
  // watchers read the committed log at their own pace, so a slow watcher
  // never blocks writers.

  struct Changes {
    // Matching events with sequence in (after_sequence, next_cursor].
    std::vector<v1::WatchClaimsResponse> events;
    // Resume point: every event up to here was considered.
    uint64_t next_cursor = 0;
  };
  // Up to `limit` committed events after `after_sequence` that match the
  // filter fields of `filter` (claim, source, party, state, kinds).
  // INVALID_ARGUMENT for a malformed filter.
  absl::StatusOr<Changes> ReadChanges(const v1::WatchClaimsRequest& filter,
                                      uint64_t after_sequence, int limit);
  // Validates a WatchClaims request up front (INVALID_ARGUMENT names the
  // field); NOT_FOUND if it names an absent claim or source.
  absl::Status ValidateWatch(const v1::WatchClaimsRequest& filter);

  // ---- Sourcing reports and interchange (ledger_reports.cc; the engines
  // are server/core/report and server/core/interchange).

  // The sourcing audit of the selected claims as of req.as_of (unset: now),
  // rendered in req.format. Synchronous read; never waits for the committer.
  // OK: the report (zero counts when nothing matches).
  // INVALID_ARGUMENT: names the field ("selection.claims[0]: ...",
  //   "as_of: ...", "format: ...").
  // NOT_FOUND: a claim named in the selection is absent (or did not exist
  //   yet at as_of).
  // INTERNAL: a stored history does not fold. Storage errors as reads.
  absl::StatusOr<v1::AuditReport> AuditReport(
      const v1::AuditReportRequest& req);

  // The selected claims as of req.as_of in req.format (ClaimReview JSON-LD,
  // PROV-JSON, CSV of claims or of events). Synchronous read. Errors as
  // AuditReport ("format: ..." for an unspecified format).
  absl::StatusOr<v1::ExportResponse> Export(const v1::ExportRequest& req);

  // How far an import has got, for progress lines.
  struct ImportProgress {
    // Items (reviews or rows) in the file, and planned writes.
    int items_read = 0;
    int writes_planned = 0;
    // Writes answered so far (written, skipped or failed).
    int writes_done = 0;
  };
  // Called every this many answered writes, and once at the end.
  static constexpr int kImportProgressEvery = 1000;

  // Imports a ClaimReview JSON-LD or CSV file: plans it (server/core/
  // interchange) and carries the plan out through this Ledger's own
  // mutations, in order, as `who`. Every planned request has a
  // content-derived request_id, so importing the same file again writes
  // nothing new: requests already made (an earlier import's idempotency
  // record, or ALREADY_EXISTS for a claim or source id taken) count as
  // skipped_existing. Sources named in the file are matched to existing
  // sources by display name or alias, and claims to existing (unmerged)
  // claims by text (case-insensitive, whitespace collapsed), before new
  // ones are planned; a matched claim counts as skipped_existing. A row that cannot be read or written is reported in
  // `errors` (with its line for CSV) and skipped; the other rows are kept.
  // With req.validate_only nothing is written: the counts say what the
  // import would create (requests already made count as skipped_existing).
  // `progress` (may be null) is called every kImportProgressEvery answered
  // writes and once when all are answered, on the committer thread or the
  // caller's; it must not block. `done` is called exactly once, with:
  // OK: the summary, also when some rows failed.
  // INVALID_ARGUMENT: "format: ..." / "content: ..." (empty, too large, or
  //   not JSON / CSV at all).
  // UNAVAILABLE: the Ledger began shutting down during the import (the
  //   writes answered before that are durable; importing again resumes).
  // Other errors: storage reads failing while planning.
  // Thread-safe; the Ledger must outlive the call of `done`.
  void Import(const Principal& who, const v1::ImportRequest& req,
              std::function<void(const ImportProgress&)> progress,
              Done<v1::ImportResponse> done);

  // The highest committed sequence.
  uint64_t LastSequence() const;

  // Calls `listener(last_sequence)` on the committer thread after every
  // commit, until removed. Must not block. Returns a handle for removal.
  int64_t AddCommitListener(std::function<void(uint64_t)> listener);
  void RemoveCommitListener(int64_t handle);

 private:
  class Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_H_
