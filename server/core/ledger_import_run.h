// ImportRun: carries out one interchange::ImportPlan through the Ledger's own
// mutations (Ledger::Import). Internal to the Ledger.
//
// The plan's requests are submitted in plan order, at most kWindow at a
// time, so that the committer batches them into groups (one fsync per
// group) while memory stays bounded. Order is what the plan needs: the
// committer applies requests in submission order, so a claim's create is
// applied before its verdict, and sources before the claims citing them.
//
// Before a request is submitted, its request_id is looked up among the
// stored idempotency records: a request already made (an earlier import of
// the same content, by anyone) is counted as skipped without a write.
// ALREADY_EXISTS (an id taken by hand or by another import) is skipped too.
// UNAVAILABLE and RESOURCE_EXHAUSTED (shutting down, I/O error, disk full)
// stop the run; any other error is reported against its item and the rest
// go on.
//
// Thread safety: the run is shared by the caller and the `done` callbacks
// (committer thread); its state is guarded by one mutex, and it never calls
// the Ledger, `progress` or `done` while holding it.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_IMPORT_RUN_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_IMPORT_RUN_H_

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "server/core/interchange/import_plan.h"
#include "server/core/ledger.h"
#include "server/core/principal.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {

class ImportRun : public std::enable_shared_from_this<ImportRun> {
 public:
  // Most requests submitted and not yet answered.
  static constexpr int kWindow = 256;

  // `ledger` and `storage` must outlive the run's `done`.
  ImportRun(Ledger* ledger, storage::Storage* storage, Principal who,
            interchange::ImportPlan plan,
            std::function<void(const Ledger::ImportProgress&)> progress,
            Done<v1::ImportResponse> done);

  // Submits the plan; `done` is called once every request is answered (or
  // the run stopped). Call once.
  void Start();

  // Writes nothing: answers `done` at once with what Start would create,
  // counting requests already made (or ids already taken) as skipped.
  void DryRun();

 private:
  enum class Kind { kSource, kClaim, kVerdict };
  struct Step {
    Kind kind;
    // Index into plan_.sources or plan_.claims.
    size_t index;
  };

  const std::string& RequestId(const Step& step) const;
  // The item and line a step's errors are reported against (0 for sources).
  int ItemOf(const Step& step) const;
  int LineOf(const Step& step) const;

  // Submits steps while the window has room; finishes when all are answered.
  // Reentrant: a call made while another is pumping (e.g. from a `done` run
  // synchronously by a submission) only asks that one to look again.
  void Pump();
  // Looks the step's request up, then submits it or answers it as skipped.
  void Submit(size_t step);
  void Answer(size_t step, const absl::Status& status);
  void Finish();

  // Records an error for the step's item unless the item has one already.
  void AddError(const Step& step, const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // True when the step's claim or source id is already taken (dry run).
  bool IdTaken(const Step& step);

  Ledger* const ledger_;
  storage::Storage* const storage_;
  const Principal who_;
  const interchange::ImportPlan plan_;
  const std::function<void(const Ledger::ImportProgress&)> progress_;
  Done<v1::ImportResponse> done_;
  std::vector<Step> steps_;

  std::mutex mu_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int answered_ ABSL_GUARDED_BY(mu_) = 0;
  bool pumping_ ABSL_GUARDED_BY(mu_) = false;
  bool repump_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // The error that stopped the run, if any.
  absl::Status stopped_ ABSL_GUARDED_BY(mu_);
  // Request ids submitted by this run (a file may repeat an item).
  std::set<std::string> submitted_ ABSL_GUARDED_BY(mu_);
  // Items that already have an error in response_.
  std::set<int> failed_items_ ABSL_GUARDED_BY(mu_);
  v1::ImportResponse response_ ABSL_GUARDED_BY(mu_);
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_IMPORT_RUN_H_
