#include "server/core/as_of.h"

#include <utility>
#include <vector>

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
  if (event.kind() == v1::EVENT_KIND_CLAIM_CREATED) return true;
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

absl::StatusOr<v1::Claim> FoldValidAt(absl::Span<const v1::Event> events,
                                      absl::Time valid_at) {
  v1::Claim claim;
  for (const v1::Event& event : events) {
    if (CountsAtValidTime(event, valid_at)) {
      RETURN_IF_ERROR(ApplyEvent(event, &claim));
      continue;
    }
    v1::Event shell = event;
    shell.set_redacted(true);
    shell.clear_payload();
    RETURN_IF_ERROR(ApplyEvent(shell, &claim));
  }
  return claim;
}

}  // namespace core
}  // namespace claimtrail
