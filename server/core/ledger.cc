// The Ledger facade, its committer's group preparation, and the write policy.
//
// Write policy (what each claim accepts):
// - A merged claim (merged_into set) is read-only: every change to it is
//   FAILED_PRECONDITION "claims/x was merged into claims/y ...", including
//   being the target of LinkClaims or MergeClaims. Redaction is the one
//   exception: it removes data for legal or safety reasons, which must stay
//   possible on any claim.
// - A retracted claim keeps accepting what others say about it: verdicts
//   (RecordVerdict), appearances (AddAppearance), links in either direction
//   (LinkClaims), and being merged as the duplicate. Changes to its own
//   content (UpdateClaim, AddAttribution, ReviseFigure, RecordStance) and a
//   second retraction are FAILED_PRECONDITION; so is merging into it.
// - RedactEvent refuses the creating event (retract instead), redactions,
//   events already redacted, and the MERGED / RELATION_ADDED events that are
//   one side of a two-claim change (FAILED_PRECONDITION). It rewrites the
//   target event (payload cleared, redacted = true, stored changes cleared;
//   note and evidence stay), appends a REDACTED event, refolds the claim
//   from its history and rewrites the stored changes of the events after
//   the target.
// - MergeClaims records one MERGED event on each claim. The fold sets the
//   duplicate's merged_into and a SAME_AS relation to the target, and gives
//   the target an INVERSE(SAME_AS) relation back. The target's own
//   appearances and attributions are NOT extended with the duplicate's: the
//   Merged payload cannot carry them (see fold.cc); readers follow the
//   relation to the duplicate, whose history and content stay readable.
//
// Idempotency: a mutation's RequestRecord (fingerprint of method, principal
// and request without request_id; how to answer again, ledger_replay.h) is
// written in the same commit as its effects. A repeat with the same
// fingerprint gets the first answer and writes nothing; another request
// under the same id is INVALID_ARGUMENT. Records written earlier in the same
// group, or in the group still being committed, count.
//
// Threads: `done` runs on the commit thread, except for requests that
// fail Validate() and writes submitted after shutdown began, which are
// answered on the calling thread before the method returns.
//
// Recorded time: each request's events and source changes are stamped
// max(clock(), previous recorded time), so recorded time never goes
// backwards along the log even if the clock does.
#include "server/core/ledger.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/core/as_of.h"
#include "server/core/idempotency.h"
#include "server/core/ledger_impl.h"
#include "server/core/ledger_mutations.h"
#include "server/core/ledger_overlay.h"
#include "server/core/validation.h"
#include "server/util/logging.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

// The recorded time of the last committed event; InfinitePast when empty.
absl::StatusOr<absl::Time> LastRecordedTime(storage::Storage& storage) {
  const uint64_t last = storage.LastSequence();
  if (last == 0) return absl::InfinitePast();
  ASSIGN_OR_RETURN(std::vector<storage::EventRef> refs,
                   storage.ReadLog(last - 1, 1));
  if (refs.empty()) return absl::InfinitePast();
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   storage.ReadEvents(refs[0].claim_id, refs[0].revision, 1));
  if (events.empty()) return absl::InfinitePast();
  return FromProtoTime(events[0].recorded_time());
}

// The request with request_id cleared, for its fingerprint.
template <typename Request>
std::string FingerprintOf(absl::string_view method, const Principal& who,
                          const Request& req) {
  Request copy = req;
  copy.clear_request_id();
  return RequestFingerprint(method, who.name, copy);
}

}  // namespace

// ---- Impl: construction, committer, listeners.

Ledger::Impl::Impl(LedgerOptions options)
    : storage_(std::move(options.storage)),
      data_dir_(std::move(options.data_dir)),
      version_(std::move(options.version)),
      clock_(options.clock ? std::move(options.clock)
                           : [] { return absl::Now(); }),
      max_group_size_(std::max(1, options.max_group_size)),
      start_time_(clock_()) {}

Ledger::Impl::~Impl() {
  if (committer_ != nullptr) committer_->Stop();
}

absl::Status Ledger::Impl::Start() {
  ASSIGN_OR_RETURN(last_recorded_time_, LastRecordedTime(*storage_));
  committer_ = std::make_unique<Committer>(
      max_group_size_,
      [this](std::vector<std::unique_ptr<PendingWrite>> group) {
        return PrepareGroup(std::move(group));
      });
  return absl::OkStatus();
}

template <typename Request, typename Response>
void Ledger::Impl::Mutate(const char* method, const Principal& who,
                          const Request& req,
                          absl::StatusOr<Response> (*apply)(const Request&,
                                                            MutationContext&),
                          Done<Response> done) {
  // An invalid request is answered at once, on the caller's thread: there is
  // nothing for the committer to order, and no reason to wait for a group.
  if (absl::Status valid = Validate(req); !valid.ok()) {
    done(std::move(valid));
    return;
  }
  // The closure owns a copy: the caller's request may be gone by the time
  // the committer runs.
  committer_->Submit(std::make_unique<TypedWrite<Response>>(
      method, who, req.request_id(), FingerprintOf(method, who, req),
      [req, apply](MutationContext& context) { return apply(req, context); },
      std::move(done)));
}

absl::Time Ledger::Impl::NextRecordedTime() {
  last_recorded_time_ = std::max(clock_(), last_recorded_time_);
  return last_recorded_time_;
}

// A group applied by PrepareGroup: its writes, what each is waiting for,
// and the storage write that commits it.
class Ledger::Impl::Prepared final : public PreparedGroup {
 public:
  // What a write is waiting for: its own final status (not OK, or OK for a
  // replay of a request committed before this group), or the commit.
  struct Outcome {
    absl::Status status;
    bool needs_commit = false;
  };

  Prepared(Impl* impl, std::vector<std::unique_ptr<PendingWrite>> group,
           std::vector<Outcome> outcomes, storage::WriteSet writes,
           std::shared_ptr<InFlightGroup> sealed,
           std::shared_ptr<const InFlightGroup> parent)
      : impl_(impl),
        group_(std::move(group)),
        outcomes_(std::move(outcomes)),
        writes_(std::move(writes)),
        sealed_(std::move(sealed)),
        parent_(std::move(parent)) {}

  void Commit() override {
    absl::Status committed = absl::OkStatus();
    if (sealed_ != nullptr) {
      committed = impl_->storage_->Commit(writes_);
      sealed_->MarkFinished(committed.ok());
      if (!committed.ok()) {
        LogError("commit of %d request(s) failed: %s", group_.size(),
                 committed.ToString());
      }
    }
    for (size_t i = 0; i < group_.size(); ++i) {
      absl::Status status = outcomes_[i].status;
      if (status.ok() && outcomes_[i].needs_commit) status = committed;
      group_[i]->Finish(std::move(status));
    }
    if (sealed_ != nullptr && committed.ok()) {
      impl_->NotifyCommitListeners(impl_->storage_->LastSequence());
    }
  }

  bool Stale() const override {
    return parent_ != nullptr && parent_->finished() && parent_->failed();
  }

  std::vector<std::unique_ptr<PendingWrite>> TakeWrites() override {
    // The failed parent is done with; let the next prepare not see it.
    if (sealed_ != nullptr) sealed_->MarkFinished(false);
    return std::move(group_);
  }

 private:
  Impl* const impl_;
  std::vector<std::unique_ptr<PendingWrite>> group_;
  std::vector<Outcome> outcomes_;
  storage::WriteSet writes_;
  // Null when the group writes nothing.
  std::shared_ptr<InFlightGroup> sealed_;
  std::shared_ptr<const InFlightGroup> parent_;
};

std::unique_ptr<PreparedGroup> Ledger::Impl::PrepareGroup(
    std::vector<std::unique_ptr<PendingWrite>> group) {
  // Build on the previous group's writes while its commit may be in flight;
  // once it is over (committed, or failed and so never in storage), on
  // storage alone.
  std::shared_ptr<const InFlightGroup> parent;
  if (last_prepared_ != nullptr && !last_prepared_->finished()) {
    parent = last_prepared_;
  }
  Overlay overlay(storage_.get(), parent);
  std::vector<Prepared::Outcome> outcomes(group.size());

  for (size_t i = 0; i < group.size(); ++i) {
    PendingWrite& write = *group[i];
    Prepared::Outcome& outcome = outcomes[i];
    absl::StatusOr<std::optional<Overlay::PriorRequest>> prior =
        overlay.FindRequest(write.request_id());
    if (!prior.ok()) {
      outcome.status = prior.status();
      continue;
    }
    MutationContext context;
    context.overlay = &overlay;
    context.who = &write.who();
    context.request_id = write.request_id();
    if (prior->has_value()) {
      const storage::RequestRecord& record = (*prior)->record;
      if (record.fingerprint() != write.fingerprint()) {
        outcome.status = absl::InvalidArgumentError(
            absl::StrCat("request_id: already used for a different request (",
                         record.method(), ")"));
        continue;
      }
      outcome.status = write.Replay(record, context);
      outcome.needs_commit = outcome.status.ok() && (*prior)->in_group;
      continue;
    }
    context.now = NextRecordedTime();
    outcome.status = write.Apply(context);
    if (!outcome.status.ok()) {
      overlay.DiscardStaged();
      continue;
    }
    storage::RequestRecord record;
    record.set_request_id(write.request_id());
    record.set_method(write.method());
    record.set_fingerprint(write.fingerprint());
    write.KeepResponse(&record);
    record.set_principal(write.who().name);
    *record.mutable_recorded_time() = ToProtoTime(context.now);
    overlay.PutRequest(std::move(record));
    overlay.CommitStaged();
    outcome.needs_commit = true;
  }

  storage::WriteSet writes;
  std::shared_ptr<InFlightGroup> sealed;
  if (!overlay.empty()) {
    writes = overlay.ToWriteSet();
    sealed = overlay.Seal();
    last_prepared_ = sealed;
  }
  // A group that writes nothing may still depend on its parent (a replay of
  // a request the parent carries): keep the parent for Stale.
  return std::make_unique<Prepared>(this, std::move(group),
                                    std::move(outcomes), std::move(writes),
                                    std::move(sealed), std::move(parent));
}

int64_t Ledger::Impl::AddCommitListener(
    std::function<void(uint64_t)> listener) {
  std::lock_guard<std::mutex> lock(listeners_mu_);
  const int64_t handle = next_listener_handle_++;
  listeners_[handle] =
      std::make_shared<std::function<void(uint64_t)>>(std::move(listener));
  return handle;
}

void Ledger::Impl::RemoveCommitListener(int64_t handle) {
  std::unique_lock<std::mutex> lock(listeners_mu_);
  listeners_.erase(handle);
  // Off the committer thread, wait until no call is running, so the caller
  // may destroy what the listener uses once this returns. On it (a listener
  // removing itself or another), the call in progress is our own caller.
  if (committer_ != nullptr && committer_->OnCommitThread()) return;
  listeners_idle_.wait(lock, [this] { return !notifying_; });
}

void Ledger::Impl::NotifyCommitListeners(uint64_t last_sequence) {
  std::vector<
      std::pair<int64_t, std::shared_ptr<std::function<void(uint64_t)>>>>
      listeners;
  {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    listeners.assign(listeners_.begin(), listeners_.end());
    notifying_ = true;
  }
  for (const auto& [handle, listener] : listeners) {
    {
      // Skip listeners removed by an earlier listener of this round.
      std::lock_guard<std::mutex> lock(listeners_mu_);
      if (listeners_.find(handle) == listeners_.end()) continue;
    }
    (*listener)(last_sequence);
  }
  std::lock_guard<std::mutex> lock(listeners_mu_);
  notifying_ = false;
  listeners_idle_.notify_all();
}

// ---- Ledger facade.

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Ledger::~Ledger() = default;

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(LedgerOptions options) {
  if (options.storage == nullptr) {
    return absl::InvalidArgumentError("LedgerOptions.storage: required");
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

void Ledger::CreateSource(const Principal& who,
                          const v1::CreateSourceRequest& req,
                          Done<v1::Source> done) {
  impl_->Mutate("CreateSource", who, req, &ApplyCreateSource, std::move(done));
}

void Ledger::UpdateSource(const Principal& who,
                          const v1::UpdateSourceRequest& req,
                          Done<v1::Source> done) {
  impl_->Mutate("UpdateSource", who, req, &ApplyUpdateSource, std::move(done));
}

void Ledger::CreateClaim(const Principal& who,
                         const v1::CreateClaimRequest& req,
                         Done<v1::Claim> done) {
  impl_->Mutate("CreateClaim", who, req, &ApplyCreateClaim, std::move(done));
}

void Ledger::UpdateClaim(const Principal& who,
                         const v1::UpdateClaimRequest& req,
                         Done<v1::Claim> done) {
  impl_->Mutate("UpdateClaim", who, req, &ApplyUpdateClaim, std::move(done));
}

void Ledger::AddAttribution(const Principal& who,
                            const v1::AddAttributionRequest& req,
                            Done<v1::Claim> done) {
  impl_->Mutate("AddAttribution", who, req, &ApplyAddAttribution,
                std::move(done));
}

void Ledger::ReviseFigure(const Principal& who,
                          const v1::ReviseFigureRequest& req,
                          Done<v1::Claim> done) {
  impl_->Mutate("ReviseFigure", who, req, &ApplyReviseFigure, std::move(done));
}

void Ledger::RecordStance(const Principal& who,
                          const v1::RecordStanceRequest& req,
                          Done<v1::Claim> done) {
  impl_->Mutate("RecordStance", who, req, &ApplyRecordStance, std::move(done));
}

void Ledger::RecordVerdict(const Principal& who,
                           const v1::RecordVerdictRequest& req,
                           Done<v1::Claim> done) {
  impl_->Mutate("RecordVerdict", who, req, &ApplyRecordVerdict,
                std::move(done));
}

void Ledger::AddAppearance(const Principal& who,
                           const v1::AddAppearanceRequest& req,
                           Done<v1::Claim> done) {
  impl_->Mutate("AddAppearance", who, req, &ApplyAddAppearance,
                std::move(done));
}

void Ledger::LinkClaims(const Principal& who, const v1::LinkClaimsRequest& req,
                        Done<v1::Claim> done) {
  impl_->Mutate("LinkClaims", who, req, &ApplyLinkClaims, std::move(done));
}

void Ledger::MergeClaims(const Principal& who,
                         const v1::MergeClaimsRequest& req,
                         Done<v1::Claim> done) {
  impl_->Mutate("MergeClaims", who, req, &ApplyMergeClaims, std::move(done));
}

void Ledger::RetractClaim(const Principal& who,
                          const v1::RetractClaimRequest& req,
                          Done<v1::Claim> done) {
  impl_->Mutate("RetractClaim", who, req, &ApplyRetractClaim, std::move(done));
}

void Ledger::RedactEvent(const Principal& who,
                         const v1::RedactEventRequest& req,
                         Done<v1::Event> done) {
  impl_->Mutate("RedactEvent", who, req, &ApplyRedactEvent, std::move(done));
}

absl::StatusOr<v1::Source> Ledger::GetSource(const v1::GetSourceRequest& req) {
  return impl_->GetSource(req);
}

absl::StatusOr<v1::ListSourcesResponse> Ledger::ListSources(
    const v1::ListSourcesRequest& req) {
  return impl_->ListSources(req);
}

absl::StatusOr<v1::Claim> Ledger::GetClaim(const v1::GetClaimRequest& req) {
  return impl_->GetClaim(req);
}

absl::StatusOr<v1::ListClaimsResponse> Ledger::ListClaims(
    const v1::ListClaimsRequest& req) {
  return impl_->ListClaims(req);
}

absl::StatusOr<v1::SearchClaimsResponse> Ledger::SearchClaims(
    const v1::SearchClaimsRequest& req) {
  return impl_->SearchClaims(req);
}

absl::StatusOr<v1::ListClaimEventsResponse> Ledger::ListClaimEvents(
    const v1::ListClaimEventsRequest& req) {
  return impl_->ListClaimEvents(req);
}

absl::StatusOr<v1::DiffClaimResponse> Ledger::DiffClaim(
    const v1::DiffClaimRequest& req) {
  return impl_->DiffClaim(req);
}

absl::StatusOr<v1::ServerInfo> Ledger::GetServerInfo() {
  return impl_->GetServerInfo();
}

absl::StatusOr<Ledger::Changes> Ledger::ReadChanges(
    const v1::WatchClaimsRequest& filter, uint64_t after_sequence, int limit) {
  return impl_->ReadChanges(filter, after_sequence, limit);
}

absl::Status Ledger::ValidateWatch(const v1::WatchClaimsRequest& filter) {
  return impl_->ValidateWatch(filter);
}

uint64_t Ledger::LastSequence() const { return impl_->LastSequence(); }

int64_t Ledger::AddCommitListener(std::function<void(uint64_t)> listener) {
  return impl_->AddCommitListener(std::move(listener));
}

void Ledger::RemoveCommitListener(int64_t handle) {
  impl_->RemoveCommitListener(handle);
}

}  // namespace core
}  // namespace claimtrail
