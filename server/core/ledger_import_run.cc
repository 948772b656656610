#include "server/core/ledger_import_run.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/util/logging.h"

namespace claimtrail {
namespace core {
namespace {

// Errors that say the Ledger cannot take writes at all: going on would fail
// every remaining row the same way.
bool StopsTheRun(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kResourceExhausted;
}

}  // namespace

ImportRun::ImportRun(
    Ledger* ledger, storage::Storage* storage, Principal who,
    interchange::ImportPlan plan,
    std::function<void(const Ledger::ImportProgress&)> progress,
    Done<v1::ImportResponse> done)
    : ledger_(ledger),
      storage_(storage),
      who_(std::move(who)),
      plan_(std::move(plan)),
      progress_(std::move(progress)),
      done_(std::move(done)) {
  // The plan's order: every source, then per claim its create and verdict.
  for (size_t i = 0; i < plan_.sources.size(); ++i) {
    steps_.push_back({Kind::kSource, i});
  }
  for (size_t i = 0; i < plan_.claims.size(); ++i) {
    if (plan_.claims[i].create.has_value()) steps_.push_back({Kind::kClaim, i});
    if (plan_.claims[i].verdict.has_value()) {
      steps_.push_back({Kind::kVerdict, i});
    }
  }
  response_.set_items_read(plan_.items_read);
  // Items planned onto a claim that already exists (matched by text, or
  // named by the file) skip its creation.
  for (const interchange::PlannedClaim& claim : plan_.claims) {
    if (!claim.create.has_value()) {
      response_.set_skipped_existing(response_.skipped_existing() + 1);
    }
  }
  for (const v1::ImportError& error : plan_.errors) {
    *response_.add_errors() = error;
    failed_items_.insert(error.item());
  }
}

const std::string& ImportRun::RequestId(const Step& step) const {
  switch (step.kind) {
    case Kind::kSource:
      return plan_.sources[step.index].request_id();
    case Kind::kClaim:
      return plan_.claims[step.index].create->request_id();
    case Kind::kVerdict:
      return plan_.claims[step.index].verdict->request_id();
  }
  return plan_.sources[step.index].request_id();  // Unreachable.
}

int ImportRun::ItemOf(const Step& step) const {
  return step.kind == Kind::kSource ? 0 : plan_.claims[step.index].item;
}

int ImportRun::LineOf(const Step& step) const {
  return step.kind == Kind::kSource ? 0 : plan_.claims[step.index].line;
}

void ImportRun::Start() {
  if (steps_.empty()) {
    Finish();
    return;
  }
  Pump();
}

void ImportRun::Pump() {
  std::unique_lock<std::mutex> lock(mu_);
  if (pumping_) {
    repump_ = true;
    return;
  }
  pumping_ = true;
  while (true) {
    while (stopped_.ok() && next_ < steps_.size() && in_flight_ < kWindow) {
      const size_t step = next_++;
      ++in_flight_;
      lock.unlock();
      Submit(step);
      lock.lock();
    }
    if (!repump_) break;
    repump_ = false;
  }
  pumping_ = false;
  const bool all_answered =
      in_flight_ == 0 && (next_ == steps_.size() || !stopped_.ok());
  const bool finish = all_answered && !finished_;
  if (finish) finished_ = true;
  lock.unlock();
  if (finish) Finish();
}

void ImportRun::Submit(size_t index) {
  const Step& step = steps_[index];
  const std::string& request_id = RequestId(step);
  bool repeated = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    repeated = !submitted_.insert(request_id).second;
  }
  if (repeated) {
    // The file repeats an item: its first copy is already on its way.
    Answer(index, absl::AlreadyExistsError("repeated in the file"));
    return;
  }
  absl::StatusOr<storage::RequestRecord> prior =
      storage_->ReadRequest(request_id);
  if (prior.ok()) {
    Answer(index, absl::AlreadyExistsError("request already made"));
    return;
  }
  if (prior.status().code() != absl::StatusCode::kNotFound) {
    Answer(index, prior.status());
    return;
  }
  std::shared_ptr<ImportRun> self = shared_from_this();
  switch (step.kind) {
    case Kind::kSource:
      ledger_->CreateSource(who_, plan_.sources[step.index],
                            [self, index](absl::StatusOr<v1::Source> result) {
                              self->Answer(index, result.status());
                            });
      return;
    case Kind::kClaim:
      ledger_->CreateClaim(who_, *plan_.claims[step.index].create,
                           [self, index](absl::StatusOr<v1::Claim> result) {
                             self->Answer(index, result.status());
                           });
      return;
    case Kind::kVerdict:
      ledger_->RecordVerdict(who_, *plan_.claims[step.index].verdict,
                             [self, index](absl::StatusOr<v1::Claim> result) {
                               self->Answer(index, result.status());
                             });
      return;
  }
}

void ImportRun::Answer(size_t index, const absl::Status& status) {
  const Step& step = steps_[index];
  std::optional<Ledger::ImportProgress> report;
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
    ++answered_;
    if (status.ok()) {
      switch (step.kind) {
        case Kind::kSource:
          response_.set_sources_created(response_.sources_created() + 1);
          break;
        case Kind::kClaim:
          response_.set_claims_created(response_.claims_created() + 1);
          break;
        case Kind::kVerdict:
          response_.set_verdicts_recorded(response_.verdicts_recorded() + 1);
          break;
      }
    } else if (status.code() == absl::StatusCode::kAlreadyExists) {
      response_.set_skipped_existing(response_.skipped_existing() + 1);
    } else if (StopsTheRun(status)) {
      if (stopped_.ok()) stopped_ = status;
    } else {
      AddError(step, status);
    }
    if (answered_ % Ledger::kImportProgressEvery == 0 ||
        answered_ == static_cast<int>(steps_.size())) {
      report = Ledger::ImportProgress{plan_.items_read,
                                      static_cast<int>(steps_.size()),
                                      answered_};
    }
  }
  if (report.has_value()) {
    if (report->writes_planned > Ledger::kImportProgressEvery) {
      LogInfo("import by %s: %d of %d writes done (%d items)", who_.name,
              report->writes_done, report->writes_planned, report->items_read);
    }
    if (progress_) progress_(*report);
  }
  Pump();
}

void ImportRun::AddError(const Step& step, const absl::Status& status) {
  const int item = ItemOf(step);
  if (item != 0 && !failed_items_.insert(item).second) return;
  v1::ImportError* error = response_.add_errors();
  error->set_item(item);
  error->set_line(LineOf(step));
  if (step.kind == Kind::kSource) {
    const v1::CreateSourceRequest& source = plan_.sources[step.index];
    error->set_field("source");
    error->set_message(absl::StrCat(
        "cannot create source \"", source.source().display_name(), "\" (",
        source.source_id(), "): ", absl::StatusCodeToString(status.code()),
        ": ", status.message()));
    return;
  }
  error->set_message(absl::StrCat(absl::StatusCodeToString(status.code()),
                                  ": ", status.message()));
}

void ImportRun::Finish() {
  absl::StatusOr<v1::ImportResponse> result;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_.ok()) {
      result = absl::Status(
          stopped_.code(),
          absl::StrCat("import stopped after ", answered_, " of ",
                       steps_.size(),
                       " writes (those answered are kept; importing the same "
                       "file again resumes): ",
                       stopped_.message()));
    } else {
      std::stable_sort(response_.mutable_errors()->begin(),
                       response_.mutable_errors()->end(),
                       [](const v1::ImportError& a, const v1::ImportError& b) {
                         return a.item() < b.item();
                       });
      result = response_;
    }
  }
  Done<v1::ImportResponse> done = std::move(done_);
  done(std::move(result));
}

bool ImportRun::IdTaken(const Step& step) {
  switch (step.kind) {
    case Kind::kSource:
      return storage_->ReadSource(plan_.sources[step.index].source_id()).ok();
    case Kind::kClaim:
      return storage_
          ->ReadClaim(plan_.claims[step.index].create->claim_id())
          .ok();
    case Kind::kVerdict:
      return false;
  }
  return false;
}

void ImportRun::DryRun() {
  for (const Step& step : steps_) {
    bool made = storage_->ReadRequest(RequestId(step)).ok() || IdTaken(step);
    std::lock_guard<std::mutex> lock(mu_);
    if (made || !submitted_.insert(RequestId(step)).second) {
      response_.set_skipped_existing(response_.skipped_existing() + 1);
      continue;
    }
    switch (step.kind) {
      case Kind::kSource:
        response_.set_sources_created(response_.sources_created() + 1);
        break;
      case Kind::kClaim:
        response_.set_claims_created(response_.claims_created() + 1);
        break;
      case Kind::kVerdict:
        response_.set_verdicts_recorded(response_.verdicts_recorded() + 1);
        break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    answered_ = static_cast<int>(steps_.size());
    finished_ = true;
  }
  Finish();
}

}  // namespace core
}  // namespace claimtrail
