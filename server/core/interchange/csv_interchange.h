// CSV exports of claims and events, and the CSV bulk import of claims and
// attributions (RFC 4180, header row, UTF-8).
//
// CSV_CLAIMS columns (export), one row per claim:
//   name, text, topics ("; "-separated), language, state, state_summary,
//   create_time, update_time, attributions, figure_attributions, figures,
//   stances, verdict, verdict_text, review_url, appearance_urls (" | "),
//   retraction_reason, merged_into.
// `attributions` holds the claim-level chains, " | "-separated, each hop
//   "SOURCE (verb[, credibility N][, anonymous: REASON])" and hops joined by
//   " -> ", e.g. "sources/nis (said, credibility 2) -> sources/straitstimes
//   (reported)". Chains that support one figure are in figure_attributions.
//
// Import reads the columns name (or claim_id), text, topics, language,
//   attributions, appearance_urls, outlet, published, title, quote, verdict,
//   verdict_text, review_url, and ignores the others (so an export can be
//   imported). Header names are matched case-insensitively; `text` is
//   required. A hop's SOURCE is a source name ("sources/x", used as is) or a
//   display name (an existing source via ImportOptions::find_source, else a
//   new source of kind OTHER). A hop without a verb is "said" when primary,
//   else "reported". `verdict` is a rating name (rating_table.h). outlet,
//   published (RFC 3339), title and quote describe the row's first
//   appearance URL. Rows naming the same claim (by name, else by text) make
//   one claim: their chains and appearances are combined, the last verdict
//   counts. A row with a problem is reported with its line and skipped;
//   the other rows are imported. Exports guard cells that start like a
//   spreadsheet formula with a single quote (report/csv.h); the import takes
//   exactly that quote off again, so "-5 degrees" round-trips.
//
// CSV_EVENTS columns, one row per event: claim, revision, sequence, kind,
//   recorded_time, asserted_time, valid_start, valid_end, author, note,
//   request_id, redacted, state_after, change (the payload in words),
//   evidence_url.
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CSV_INTERCHANGE_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CSV_INTERCHANGE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/interchange/export_result.h"
#include "server/core/interchange/import_plan.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace interchange {

// Pure.
ExportResult ExportClaimsCsv(const std::vector<report::SelectedClaim>& claims);
ExportResult ExportEventsCsv(const std::vector<report::SelectedClaim>& claims);

// The plan for a CSV_CLAIMS file; per-row problems are in plan.errors (item
// = data row number, line = its line).
// INVALID_ARGUMENT "content: ..." when the file is not CSV (an unclosed
// quote, with its line), is empty, or has no `text` column.
absl::StatusOr<ImportPlan> PlanCsvClaimsImport(absl::string_view content,
                                               const ImportOptions& options);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CSV_INTERCHANGE_H_
