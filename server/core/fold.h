// The event fold: claim state as a pure function of its events.
//
//   state at recorded time T = Fold(events with recorded_time <= T)
//
// Nothing here touches storage or clocks; every function is deterministic
// and thread-compatible.
#ifndef CLAIMTRAIL_SERVER_CORE_FOLD_H_
#define CLAIMTRAIL_SERVER_CORE_FOLD_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace core {

// Applies one committed event to `claim` (the state after the previous
// event; an empty Claim for the creating event). Sets revision, update_time,
// and re-derives state and etag; clears state_summary (it needs source names,
// so the Ledger fills it on read with StateSummary). Redacted events change
// only revision, update_time and etag. fold.cc documents what each payload
// does.
// INTERNAL: the event cannot follow the state (wrong revision, creating
// event on an existing claim, unknown payload, kind not matching the payload,
// event of another claim) — a corrupt history. On error *claim is unchanged.
absl::Status ApplyEvent(const v1::Event& event, v1::Claim* claim);

// Folds events (in revision order) from an empty claim.
absl::StatusOr<v1::Claim> Fold(absl::Span<const v1::Event> events);

// The overall state from the claim's stances, verdict and retraction, by the
// rules documented on claimtrail.v1.ClaimState.
v1::ClaimState DeriveState(const v1::Claim& claim);

// The state in words, e.g. "unconfirmed by North Korea and Russia".
// `party_name` maps "sources/x" to display names; unknown parties are shown
// by resource name.
std::string StateSummary(
    const v1::Claim& claim,
    const std::function<std::string(const std::string&)>& party_name);

// Opaque etag of a claim state: changes with every event. kEtagHexDigits
// (limits.h) lowercase hex digits, the form validation accepts.
std::string ClaimEtag(const v1::Claim& claim);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_FOLD_H_
