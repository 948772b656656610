// Building blocks of the Ledger's mutations: preconditions on stored state
// (existence, merged/retracted, etags, references) and turning a change
// into a complete, folded event. All run on the committer thread against the
// group's Overlay.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_WRITE_UTIL_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_WRITE_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/ledger_mutation_context.h"

namespace claimtrail {
namespace core {

// What a claim must be to accept a change (see the policy in ledger.cc).
enum class ClaimWritePolicy {
  // Live claims only: not merged, not retracted.
  kLive,
  // Not merged; retracted claims are accepted (verdicts, appearances,
  // relations: what others say about a claim stays worth recording).
  kAllowRetracted,
  // Any claim (redaction is an administrative removal).
  kAny,
};

struct ClaimForWrite {
  std::string id;
  v1::Claim claim;
};

// Reads the claim named `name` (from request field `field`) for a change.
// INVALID_ARGUMENT: malformed name. NOT_FOUND: "claims/x not found".
// FAILED_PRECONDITION: merged ("claims/x was merged into claims/y") or
// retracted, as `policy` says. ABORTED: `etag` is non-empty and not the
// claim's current etag.
absl::StatusOr<ClaimForWrite> LoadClaimForWrite(MutationContext& context,
                                                absl::string_view field,
                                                absl::string_view name,
                                                absl::string_view etag,
                                                ClaimWritePolicy policy);

// The etag an update checks: the request's `etag`, or when that is empty the
// resource's own (`claim.etag`, `source.etag`), which AIP-154 clients pass
// back with the resource they read. Validation has refused requests where
// both are set and differ.
absl::string_view EtagToCheck(absl::string_view request_etag,
                              absl::string_view resource_etag);

// The merged/retracted check of LoadClaimForWrite alone; `field` prefixes
// the message when non-empty (for a second claim of the request).
absl::Status CheckWritable(const v1::Claim& claim, absl::string_view field,
                           ClaimWritePolicy policy);

// Completes `event` (kind and payload set by the caller) as the next event
// of claim `claim_id`, whose state is `current` (empty Claim for a new one):
// name, revision, author, recorded time, request id, and note, evidence,
// asserted and valid time from `change` (may be null). Folds it, sets its
// claim_state and its changes (DiffClaims(current, new state), replacing any
// the caller set), and stages both the event and the new state. Returns the
// new state. `current` must be the fold of the claim's events so far (the
// stored state is), or the stored changes would not be what a timeline
// computed from the history shows. INTERNAL if the fold refuses the event.
//
// Every claim event is appended here, so every event written since changes
// are stored carries them (an empty list only where nothing reported
// changed).
absl::StatusOr<v1::Claim> AppendClaimEvent(MutationContext& context,
                                           const std::string& claim_id,
                                           const v1::Claim& current,
                                           v1::Event event,
                                           const v1::ChangeContext* change);

// NOT_FOUND "<field>: sources/x not found" unless the source exists.
// INVALID_ARGUMENT on a malformed name; OK for an empty one.
absl::Status RequireSource(MutationContext& context, absl::string_view field,
                           absl::string_view source_name);
// The sources an appearance / hop / change context names must exist.
absl::Status RequireAppearanceSources(MutationContext& context,
                                      absl::string_view field,
                                      const v1::Appearance& appearance);
absl::Status RequireHopSources(MutationContext& context,
                               absl::string_view field,
                               const v1::AttributionHop& hop);
absl::Status RequireChangeSources(MutationContext& context,
                                  const v1::ChangeContext& change);

// A claim response: `claim` with state_summary filled from the overlay.
v1::Claim WithSummary(MutationContext& context, v1::Claim claim);

// The next attribution id of `claim`: "a{n+1}" for the highest "a{n}".
std::string NextAttributionId(const v1::Claim& claim);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_WRITE_UTIL_H_
