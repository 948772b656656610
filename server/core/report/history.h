// The time side of a claim audit: first confirmation and denial, figure
// revisions, stance and state changes, from the claim's events. Pure.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_HISTORY_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_HISTORY_H_

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace report {

// Fills first_confirmation, first_denial, figures, stance_history and
// state_history of `audit` from `events` (one claim's events in revision
// order, up to the audit's as_of). The measures are defined on FirstStance
// in report.proto. Redacted events are skipped, as the fold skips them.
// INTERNAL: the events do not fold (a corrupt history).
absl::Status AuditHistory(absl::Span<const v1::Event> events,
                          const SourceDirectory& sources,
                          v1::ClaimAudit* audit);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_HISTORY_H_
