#include "server/core/ledger_overlay.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/as_of.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

bool IsEventOf(const v1::Event& event, const std::string& claim_id) {
  return absl::StartsWith(event.name(),
                          absl::StrCat("claims/", claim_id, "/events/"));
}

// Replaces the event named like `replacement` in `events`; false if none.
bool ReplaceByName(const v1::Event& replacement,
                   std::vector<v1::Event>* events) {
  for (v1::Event& event : *events) {
    if (event.name() == replacement.name()) {
      event = replacement;
      return true;
    }
  }
  return false;
}

}  // namespace

Overlay::Overlay(storage::Storage* storage,
                 std::shared_ptr<const InFlightGroup> parent)
    : storage_(storage),
      parent_(std::move(parent)),
      first_sequence_(parent_ != nullptr ? parent_->last_sequence() + 1
                                         : storage->LastSequence() + 1) {}

absl::StatusOr<const std::optional<v1::Claim>*> Overlay::StoredClaim(
    const std::string& id) {
  auto it = stored_claims_.find(id);
  if (it != stored_claims_.end()) return &it->second;
  // The parent's state is what storage holds once the parent commits, which
  // it does before this group's commit (or this group is applied again).
  if (parent_ != nullptr) {
    auto in_parent = parent_->writes().claims.find(id);
    if (in_parent != parent_->writes().claims.end()) {
      return &stored_claims_.emplace(id, in_parent->second).first->second;
    }
  }
  absl::StatusOr<v1::Claim> read = storage_->ReadClaim(id);
  std::optional<v1::Claim> stored;
  if (read.ok()) {
    stored = *std::move(read);
  } else if (!absl::IsNotFound(read.status())) {
    return read.status();
  }
  return &stored_claims_.emplace(id, std::move(stored)).first->second;
}

absl::StatusOr<std::optional<v1::Claim>> Overlay::FindClaim(
    const std::string& id) {
  if (auto it = staged_.claims.find(id); it != staged_.claims.end()) {
    return it->second;
  }
  if (auto it = group_.claims.find(id); it != group_.claims.end()) {
    return it->second;
  }
  ASSIGN_OR_RETURN(const std::optional<v1::Claim>* stored, StoredClaim(id));
  return *stored;
}

absl::StatusOr<std::optional<v1::Source>> Overlay::FindSource(
    const std::string& id) {
  if (auto it = staged_.sources.find(id); it != staged_.sources.end()) {
    return it->second;
  }
  if (auto it = group_.sources.find(id); it != group_.sources.end()) {
    return it->second;
  }
  if (parent_ != nullptr) {
    const auto& sources = parent_->writes().sources;
    if (auto it = sources.find(id); it != sources.end()) return it->second;
  }
  absl::StatusOr<v1::Source> read = storage_->ReadSource(id);
  if (read.ok()) return std::optional<v1::Source>(*std::move(read));
  if (absl::IsNotFound(read.status())) return std::optional<v1::Source>();
  return read.status();
}

absl::StatusOr<std::vector<v1::Event>> Overlay::ReadAllEvents(
    const std::string& id) {
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   core::ReadAllEvents(*storage_, id));
  std::vector<const Layer*> layers;
  if (parent_ != nullptr) layers.push_back(&parent_->writes());
  layers.push_back(&group_);
  layers.push_back(&staged_);
  for (const Layer* layer : layers) {
    for (const v1::Event& event : layer->events) {
      // The parent's events may have reached storage during the read above;
      // revisions are consecutive, so skip those already read.
      if (IsEventOf(event, id) &&
          (events.empty() || event.revision() > events.back().revision())) {
        events.push_back(event);
      }
    }
  }
  for (const Layer* layer : layers) {
    for (const auto& [name, event] : layer->rewritten) {
      if (IsEventOf(event, id)) ReplaceByName(event, &events);
    }
  }
  return events;
}

absl::StatusOr<std::optional<Overlay::PriorRequest>> Overlay::FindRequest(
    const std::string& request_id) {
  // A record of the parent counts as in the group: it holds only if the
  // parent commits, and if the parent fails this group is applied again.
  const Layer* const layers[] = {&staged_, &group_,
                                 parent_ ? &parent_->writes() : nullptr};
  for (const Layer* layer : layers) {
    if (layer == nullptr) continue;
    auto it = layer->requests.find(request_id);
    if (it != layer->requests.end()) {
      return PriorRequest{it->second, /*in_group=*/true};
    }
  }
  absl::StatusOr<storage::RequestRecord> read =
      storage_->ReadRequest(request_id);
  if (read.ok()) return PriorRequest{*std::move(read), /*in_group=*/false};
  if (absl::IsNotFound(read.status())) return std::optional<PriorRequest>();
  return read.status();
}

absl::Status Overlay::PutClaim(const std::string& id, v1::Claim after) {
  // Load the stored state now: it is the `before` of the group's write.
  RETURN_IF_ERROR(StoredClaim(id).status());
  staged_.claims[id] = std::move(after);
  return absl::OkStatus();
}

void Overlay::PutSource(const std::string& id, v1::Source source) {
  staged_.sources[id] = std::move(source);
}

uint64_t Overlay::NextSequence() const {
  return first_sequence_ + group_.events.size() + staged_.events.size();
}

void Overlay::AppendEvent(v1::Event event) {
  event.set_sequence(NextSequence());
  staged_.events.push_back(std::move(event));
}

void Overlay::RewriteEvent(v1::Event event) {
  if (ReplaceByName(event, &staged_.events)) return;
  std::string name = event.name();
  staged_.rewritten[name] = std::move(event);
}

void Overlay::PutRequest(storage::RequestRecord record) {
  std::string id = record.request_id();
  staged_.requests[id] = std::move(record);
}

void Overlay::CommitStaged() {
  for (auto& [id, claim] : staged_.claims) {
    if (group_.claims.find(id) == group_.claims.end()) {
      claim_order_.push_back(id);
    }
    group_.claims[id] = std::move(claim);
  }
  for (auto& [id, source] : staged_.sources) {
    group_.sources[id] = std::move(source);
  }
  for (auto& event : staged_.events) group_.events.push_back(std::move(event));
  for (auto& [name, event] : staged_.rewritten) {
    // An event written earlier in this group is not in storage yet: change
    // it where it is rather than asking storage to rewrite it.
    if (!ReplaceByName(event, &group_.events)) {
      group_.rewritten[name] = std::move(event);
    }
  }
  for (auto& [id, record] : staged_.requests) {
    group_.requests[id] = std::move(record);
  }
  DiscardStaged();
}

void Overlay::DiscardStaged() { staged_ = Layer(); }

bool Overlay::empty() const {
  return group_.claims.empty() && group_.sources.empty() &&
         group_.events.empty() && group_.rewritten.empty() &&
         group_.requests.empty();
}

storage::WriteSet Overlay::ToWriteSet() const {
  storage::WriteSet writes;
  for (const std::string& id : claim_order_) {
    storage::ClaimWrite write;
    write.before = stored_claims_.at(id);
    write.after = group_.claims.at(id);
    writes.claims.push_back(std::move(write));
  }
  writes.events = group_.events;
  for (const auto& [name, event] : group_.rewritten) {
    writes.rewritten_events.push_back(event);
  }
  for (const auto& [id, source] : group_.sources) {
    writes.sources.push_back(source);
  }
  for (const auto& [id, record] : group_.requests) {
    writes.requests.push_back(record);
  }
  return writes;
}

std::shared_ptr<InFlightGroup> Overlay::Seal() {
  const uint64_t last_sequence = NextSequence() - 1;
  DiscardStaged();
  auto sealed =
      std::make_shared<InFlightGroup>(std::move(group_), last_sequence);
  group_ = Layer();
  stored_claims_.clear();
  claim_order_.clear();
  return sealed;
}

}  // namespace core
}  // namespace claimtrail
