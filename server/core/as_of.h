// Claim state at a point on the recorded-time or valid-time axis: which
// events qualify, and their fold. Used by GetClaim, DiffClaim and
// ListClaimEvents.
#ifndef CLAIMTRAIL_SERVER_CORE_AS_OF_H_
#define CLAIMTRAIL_SERVER_CORE_AS_OF_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"
#include "server/util/proto_time.h"

namespace claimtrail {
namespace core {

// Every event of claim `claim_id`, in revision order; empty for an unknown
// claim. Errors are storage errors.
absl::StatusOr<std::vector<v1::Event>> ReadAllEvents(
    storage::Storage& storage, absl::string_view claim_id);

// The events recorded at or before `as_of`: a prefix, because recorded time
// never decreases along a claim's revisions.
absl::Span<const v1::Event> RecordedBy(absl::Span<const v1::Event> events,
                                       absl::Time as_of);

// Whether `event` counts for valid time `valid_at`: its valid_time contains
// the instant (both ends inclusive, an unset end is open), or it has no
// valid time.
bool CountsAtValidTime(const v1::Event& event, absl::Time valid_at);

// The fold of `events` counting only those that CountsAtValidTime. Events
// that do not count are folded as redacted shells, so revisions stay
// gapless for the fold and their payload is ignored; but for the creating
// event, without which there is no claim: when it does not count, the
// claim still has its name, text, parts, topics, language, creator and
// create_time, without the initial figures, attributions, stances and
// appearances. Each figure keeps the revision number it has in the whole
// history (Figure.revision), not its count among the events that count.
absl::StatusOr<v1::Claim> FoldValidAt(absl::Span<const v1::Event> events,
                                      absl::Time valid_at);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_AS_OF_H_
