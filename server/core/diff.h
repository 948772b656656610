// Field-level differences between two states of a claim, for timelines and
// DiffClaim. Pure, deterministic, thread-compatible.
//
// An event's changes are computed once, when it is committed, and stored
// with it (ledger_write_util.h); timelines return them as stored. So the
// output of DiffClaims is part of the stored format: a change to a path or a
// rendering here leaves older events with the old one, and claimtrail_fsck
// (which compares stored changes with a fresh diff) reports every such
// event until their stored changes are rewritten.
#ifndef CLAIMTRAIL_SERVER_CORE_DIFF_H_
#define CLAIMTRAIL_SERVER_CORE_DIFF_H_

#include <vector>

#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace core {

// The changes from `before` to `after`, in a stable order (Claim field order;
// repeated entries keyed by their identity: figures by figure_id, stances by
// party, attributions by attribution_id, appearances by url, relations by
// type+target). Output-only bookkeeping fields (revision, update_time, etag;
// also name, create_time, creator, per-entry record_time and
// Figure.revision) are not reported, nor state_summary, whose inputs (state,
// stances) are. An entry on one side only is one change at "figures[troops]"
// with the whole entry rendered (render.h); entries on both sides are
// compared field by field. Paths look like "text", "state",
// "figures[troops].lower_bound", "stances[sources/russia].position",
// "attributions[a2]", "verdict.rating". Values are rendered readably
// (enum names without their prefix in lower case, e.g. "confirmed"; numbers
// without trailing zeros; timestamps RFC 3339).
std::vector<v1::FieldChange> DiffClaims(const v1::Claim& before,
                                        const v1::Claim& after);

// Replaces `event`'s changes with `changes`.
void SetChanges(std::vector<v1::FieldChange> changes, v1::Event* event);

// Whether `event` carries exactly `changes` (same entries, same order).
bool HasChanges(const v1::Event& event,
                const std::vector<v1::FieldChange>& changes);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_DIFF_H_
