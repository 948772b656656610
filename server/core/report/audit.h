// Sourcing audit reports: how well each claim is sourced, as of any moment.
//
// BuildAuditReport is a pure function of claim histories and sources, so a
// report is reproducible: the same input and request give the same bytes.
// The state as of T is core::Fold of the events with recorded_time <= T.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "server/core/report/audit_input.h"

namespace claimtrail {
namespace report {

// INVALID_ARGUMENT naming the field ("selection.claims[0]: ...", "as_of:
// ...", "format: ...") when the request is malformed; OK otherwise. Pure.
absl::Status ValidateAuditReportRequest(const v1::AuditReportRequest& req);

// The audit of the claims `req.selection` covers as of `req.as_of` (unset:
// input.now), rendered in `req.format`.
// OK: the report; with no matching claim, a report with zero counts.
// INVALID_ARGUMENT: as ValidateAuditReportRequest.
// NOT_FOUND: a claim named in the selection is absent or did not exist yet
//   at as_of.
// INTERNAL: a history does not fold, or rendering failed.
// Pure and thread-compatible.
absl::StatusOr<v1::AuditReport> BuildAuditReport(
    const AuditInput& input, const v1::AuditReportRequest& req);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_H_
