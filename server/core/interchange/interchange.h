// Interchange entry points: ExportRequest -> ExportResponse, and
// ImportRequest -> ImportPlan (requests for the Ledger; see import_plan.h).
// The formats are documented in claimreview.h, prov_json.h and
// csv_interchange.h. No gRPC, no storage: the caller loads the input
// (report::LoadAuditInput) and carries out the plan.
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_INTERCHANGE_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_INTERCHANGE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "server/core/interchange/import_plan.h"
#include "server/core/report/audit_input.h"

namespace claimtrail {
namespace interchange {

// Largest import accepted, bytes.
inline constexpr size_t kMaxImportBytes = 64 << 20;

// INVALID_ARGUMENT naming the field ("format: ...", "selection.claims[0]:
// ...", "as_of: ...") when malformed. Pure.
absl::Status ValidateExportRequest(const v1::ExportRequest& req);

// The export of the claims `req.selection` covers as of `req.as_of` (unset:
// input.now).
// OK: the content (possibly with no items).
// INVALID_ARGUMENT: as ValidateExportRequest.
// NOT_FOUND: a named claim is absent, or did not exist yet at as_of.
// INTERNAL: a history does not fold.
// Pure and thread-compatible.
absl::StatusOr<v1::ExportResponse> Export(const report::AuditInput& input,
                                          const v1::ExportRequest& req);

// INVALID_ARGUMENT "format: ..." / "content: ..." (empty, or over
// kMaxImportBytes). Pure.
absl::Status ValidateImportRequest(const v1::ImportRequest& req);

// The plan for `req`. Problems with single items are in plan.errors.
// INVALID_ARGUMENT: as ValidateImportRequest, or content that cannot be
//   read at all (not JSON / not CSV, with the line).
absl::StatusOr<ImportPlan> PlanImport(const v1::ImportRequest& req,
                                      const ImportOptions& options);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_INTERCHANGE_H_
