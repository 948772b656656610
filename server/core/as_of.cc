#include "server/core/as_of.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "server/core/fold.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

// Events per storage read; a claim's history is read in chunks of this.
constexpr int kEventChunk = 1000;

}  // namespace

absl::StatusOr<std::vector<v1::Event>> ReadAllEvents(
    storage::Storage& storage, absl::string_view claim_id) {
  std::vector<v1::Event> all;
  while (true) {
    ASSIGN_OR_RETURN(
        std::vector<v1::Event> chunk,
        storage.ReadEvents(claim_id, static_cast<int64_t>(all.size()) + 1,
                           kEventChunk));
    const bool last = static_cast<int>(chunk.size()) < kEventChunk;
    for (v1::Event& event : chunk) all.push_back(std::move(event));
    if (last) return all;
  }
}

absl::Span<const v1::Event> RecordedBy(absl::Span<const v1::Event> events,
                                       absl::Time as_of) {
  size_t n = 0;
  while (n < events.size() && FromProtoTime(events[n].recorded_time()) <= as_of) {
    ++n;
  }
  return events.subspan(0, n);
}

bool CountsAtValidTime(const v1::Event& event, absl::Time valid_at) {
  const v1::TimeInterval& interval = event.valid_time();
  if (interval.has_start_time() &&
      FromProtoTime(interval.start_time()) > valid_at) {
    return false;
  }
  if (interval.has_end_time() && FromProtoTime(interval.end_time()) < valid_at) {
    return false;
  }
  return true;
}

namespace {

// The figures whose revision `event` makes: the one it revises, or the
// initial ones of the creating event. None for a redacted event, as the fold
// makes none for it.
std::vector<std::string> RevisedFigures(const v1::Event& event) {
  std::vector<std::string> ids;
  if (event.redacted()) return ids;
  if (event.has_figure_revised()) {
    ids.push_back(event.figure_revised().figure_id());
  } else if (event.has_claim_created()) {
    for (const v1::Figure& figure : event.claim_created().claim().figures()) {
      ids.push_back(figure.figure_id());
    }
  }
  return ids;
}

}  // namespace

absl::StatusOr<v1::Claim> FoldValidAt(absl::Span<const v1::Event> events,
                                      absl::Time valid_at) {
  v1::Claim claim;
  // The fold numbers a figure's revisions by the events it is given; a
  // figure revision keeps the number it has in the whole history instead,
  // whichever events count: per figure, the revisions made so far by all
  // events, and the number of the one folded last.
  absl::flat_hash_map<std::string, int32_t> made;
  absl::flat_hash_map<std::string, int32_t> shown;
  for (const v1::Event& event : events) {
    const std::vector<std::string> revised = RevisedFigures(event);
    for (const std::string& id : revised) ++made[id];
    if (CountsAtValidTime(event, valid_at)) {
      RETURN_IF_ERROR(ApplyEvent(event, &claim));
      for (const std::string& id : revised) shown[id] = made[id];
      continue;
    }
    v1::Event outside = event;
    if (outside.has_claim_created()) {
      // No claim without its creating event: it still gives the claim its
      // name, text and the rest, but not its initial figures, sourcing,
      // stances and appearances, which were said for its valid time only.
      v1::Claim* created = outside.mutable_claim_created()->mutable_claim();
      created->clear_figures();
      created->clear_attributions();
      created->clear_stances();
      created->clear_appearances();
    } else {
      outside.set_redacted(true);
      outside.clear_payload();
    }
    RETURN_IF_ERROR(ApplyEvent(outside, &claim));
  }
  for (v1::Figure& figure : *claim.mutable_figures()) {
    const auto it = shown.find(figure.figure_id());
    if (it != shown.end()) figure.set_revision(it->second);
  }
  return claim;
}

}  // namespace core
}  // namespace claimtrail
