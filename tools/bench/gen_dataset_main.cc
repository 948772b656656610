// gen_dataset: writes the benchmark dataset (dataset_layout.h) into a data
// directory offline, through the same Ledger and LevelDB storage claimtraild
// uses, for scale runs (e.g. 1M claims / 10M events):
//
//   gen_dataset --data_dir=DIR --claims=1000000 --events_per_claim=10
//
// Far faster than writing through the API: no RPCs, and every commit group
// is full (up to the Ledger's max_group_size requests per fsync). Progress
// goes to stderr every --progress_interval. The directory must not be in
// use by a running server. Re-running with the same flags writes nothing
// new (request_ids repeat). Afterwards start claimtraild on the directory
// and run load_generator with --prepare=false and the same layout flags.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/core/ledger.h"
#include "server/core/principal.h"
#include "server/storage/leveldb_storage.h"
#include "server/version.h"
#include "tools/bench/dataset_layout.h"

ABSL_FLAG(std::string, data_dir, "", "Data directory to write. Required.");
ABSL_FLAG(int, sources, 20, "Layout: attribution sources.");
ABSL_FLAG(int, claims, 2000, "Layout: plain claims.");
ABSL_FLAG(int, events_per_claim, 1, "Layout: events per plain claim.");
ABSL_FLAG(int, timeline10_claims, 100, "Layout: claims with 10 events.");
ABSL_FLAG(int, timeline100_claims, 20, "Layout: claims with 100 events.");
ABSL_FLAG(int, append_claims, 1000, "Layout: claims appended to.");
ABSL_FLAG(int, payload_bytes, 1024, "Free text per follow-up event.");
ABSL_FLAG(std::string, principal, "users/bench",
          "Author of the generated events.");
ABSL_FLAG(int, max_outstanding, 4096,
          "Requests queued in the Ledger at once (memory bound).");
ABSL_FLAG(absl::Duration, progress_interval, absl::Seconds(2),
          "How often to print progress.");

namespace claimtrail {
namespace bench {
namespace {

// Feeds requests to the Ledger with at most `max_outstanding` unanswered,
// and counts answers. The Ledger applies queued requests in call order, so
// a claim's follow-ups may be queued right behind its creation.
class Feeder {
 public:
  Feeder(core::Ledger* ledger, core::Principal who, int max_outstanding,
         int64_t total_events)
      : ledger_(ledger),
        who_(std::move(who)),
        max_outstanding_(max_outstanding),
        total_events_(total_events),
        start_(absl::Now()),
        last_report_(start_) {}

  template <typename Request, typename Response>
  void Submit(void (core::Ledger::*method)(const core::Principal&,
                                           const Request&,
                                           core::Done<Response>),
              const Request& req) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Feeder::HasRoom));
      ++outstanding_;
    }
    (ledger_->*method)(who_, req, [this](absl::StatusOr<Response> result) {
      Answered(result.status());
    });
    MaybeReport();
  }

  void Submit(const FollowUp& follow_up) {
    if (const auto* r = std::get_if<v1::RecordStanceRequest>(&follow_up)) {
      Submit(&core::Ledger::RecordStance, *r);
    } else if (const auto* f = std::get_if<v1::ReviseFigureRequest>(&follow_up)) {
      Submit(&core::Ledger::ReviseFigure, *f);
    } else {
      Submit(&core::Ledger::AddAppearance,
             std::get<v1::AddAppearanceRequest>(follow_up));
    }
  }

  void SubmitPlan(const ClaimPlan& plan) {
    Submit(&core::Ledger::CreateClaim, plan.create);
    for (const FollowUp& follow_up : plan.follow_ups) Submit(follow_up);
  }

  // Waits for every answer; the first error, if any.
  absl::Status Finish() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* outstanding) { return *outstanding == 0; }, &outstanding_));
    return first_error_;
  }

  bool failed() {
    absl::MutexLock lock(&mu_);
    return !first_error_.ok();
  }

  int64_t answered() {
    absl::MutexLock lock(&mu_);
    return answered_;
  }

 private:
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return outstanding_ < max_outstanding_;
  }

  // On the committer thread: must not block for long.
  void Answered(const absl::Status& status) {
    absl::MutexLock lock(&mu_);
    --outstanding_;
    ++answered_;
    if (!status.ok() && first_error_.ok()) first_error_ = status;
  }

  void MaybeReport() {
    const absl::Time now = absl::Now();
    if (now - last_report_ < absl::GetFlag(FLAGS_progress_interval)) return;
    last_report_ = now;
    const int64_t done = answered();
    const double seconds = absl::ToDoubleSeconds(now - start_);
    const double rate = done / std::max(seconds, 1e-9);
    const double eta = rate > 0 ? (total_events_ - done) / rate : 0;
    std::fprintf(stderr,
                 "gen_dataset: %lld/%lld events (%.1f %%), %.0f events/s, "
                 "elapsed %.0f s, ETA %.0f s\n",
                 static_cast<long long>(done),
                 static_cast<long long>(total_events_),
                 100.0 * done / std::max<int64_t>(total_events_, 1), rate,
                 seconds, eta);
  }

  core::Ledger* const ledger_;
  const core::Principal who_;
  const int max_outstanding_;
  const int64_t total_events_;
  const absl::Time start_;
  absl::Time last_report_;

  absl::Mutex mu_;
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t answered_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status first_error_ ABSL_GUARDED_BY(mu_);
};

int Main() {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) {
    std::fprintf(stderr, "gen_dataset: --data_dir is required\n");
    return 1;
  }
  DatasetLayout layout;
  layout.sources = absl::GetFlag(FLAGS_sources);
  layout.claims = absl::GetFlag(FLAGS_claims);
  layout.events_per_claim = absl::GetFlag(FLAGS_events_per_claim);
  layout.timeline10_claims = absl::GetFlag(FLAGS_timeline10_claims);
  layout.timeline100_claims = absl::GetFlag(FLAGS_timeline100_claims);
  layout.append_claims = absl::GetFlag(FLAGS_append_claims);
  layout.payload_bytes = absl::GetFlag(FLAGS_payload_bytes);

  storage::LevelDbOptions storage_options;
  storage_options.path = data_dir;
  absl::StatusOr<std::unique_ptr<storage::Storage>> storage =
      storage::OpenLevelDbStorage(storage_options);
  if (!storage.ok()) {
    std::fprintf(stderr, "gen_dataset: %s\n",
                 storage.status().ToString().c_str());
    return 1;
  }
  core::LedgerOptions ledger_options;
  ledger_options.storage = *std::move(storage);
  ledger_options.data_dir = data_dir;
  ledger_options.version = kVersion;
  absl::StatusOr<std::unique_ptr<core::Ledger>> ledger =
      core::Ledger::Open(std::move(ledger_options));
  if (!ledger.ok()) {
    std::fprintf(stderr, "gen_dataset: %s\n",
                 ledger.status().ToString().c_str());
    return 1;
  }

  const int64_t total = TotalEvents(layout) + kParties + 1 + layout.sources;
  const absl::Time start = absl::Now();
  Feeder feeder(ledger->get(), core::Principal{absl::GetFlag(FLAGS_principal)},
                absl::GetFlag(FLAGS_max_outstanding), total);
  for (const v1::CreateSourceRequest& req : SourceRequests(layout)) {
    feeder.Submit(&core::Ledger::CreateSource, req);
  }
  // Sources must exist before claims cite them: they are queued first, and
  // the Ledger applies its queue in order.
  for (int i = 0; i < layout.timeline100_claims && !feeder.failed(); ++i) {
    feeder.SubmitPlan(TimelineClaimPlan(layout, 100, i));
  }
  for (int i = 0; i < layout.timeline10_claims && !feeder.failed(); ++i) {
    feeder.SubmitPlan(TimelineClaimPlan(layout, 10, i));
  }
  for (int i = 0; i < layout.append_claims && !feeder.failed(); ++i) {
    feeder.SubmitPlan(AppendClaimPlan(layout, i));
  }
  for (int i = 0; i < layout.claims && !feeder.failed(); ++i) {
    feeder.SubmitPlan(PlainClaimPlan(layout, i));
  }
  absl::Status status = feeder.Finish();
  const int64_t answered = feeder.answered();
  ledger->reset();  // Drains the committer and closes the database.
  if (!status.ok()) {
    std::fprintf(stderr, "gen_dataset: %s\n", status.ToString().c_str());
    return 1;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::fprintf(stderr,
               "gen_dataset: done: %lld requests (%d claims, %lld events) in "
               "%.1f s (%.0f/s) into %s\n",
               static_cast<long long>(answered),
               layout.claims + layout.timeline10_claims +
                   layout.timeline100_claims + layout.append_claims,
               static_cast<long long>(TotalEvents(layout)), seconds,
               answered / std::max(seconds, 1e-9), data_dir.c_str());
  return 0;
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes the benchmark dataset offline: gen_dataset --data_dir=DIR "
      "[--claims=N --events_per_claim=K ...]");
  absl::ParseCommandLine(argc, argv);
  return claimtrail::bench::Main();
}
