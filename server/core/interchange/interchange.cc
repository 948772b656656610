#include "server/core/interchange/interchange.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/interchange/claimreview.h"
#include "server/core/interchange/csv_interchange.h"
#include "server/core/interchange/prov_json.h"
#include "server/core/report/selection.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace interchange {

absl::Status ValidateExportRequest(const v1::ExportRequest& req) {
  if (req.format() == v1::EXPORT_FORMAT_UNSPECIFIED ||
      !v1::ExportFormat_IsValid(req.format())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "format: required (CLAIMREVIEW_JSONLD, PROV_JSON, CSV_CLAIMS or "
        "CSV_EVENTS), got ",
        req.format()));
  }
  RETURN_IF_ERROR(report::ValidateSelection("selection", req.selection()));
  if (req.has_as_of()) {
    RETURN_IF_ERROR(report::ValidateTimestamp("as_of", req.as_of()));
  }
  if (req.review_publisher().size() > 256) {
    return absl::InvalidArgumentError(
        "review_publisher: at most 256 bytes");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ExportResponse> Export(const report::AuditInput& input,
                                          const v1::ExportRequest& req) {
  RETURN_IF_ERROR(ValidateExportRequest(req));
  const report::SourceDirectory sources(input.sources);
  const absl::Time as_of =
      report::AsOfTime(req.as_of(), req.has_as_of(), input.now);
  ASSIGN_OR_RETURN(
      std::vector<report::SelectedClaim> claims,
      report::SelectClaims(input, sources, req.selection(), as_of));
  ExportResult result;
  v1::ExportResponse response;
  switch (req.format()) {
    case v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD:
      result = ExportClaimReview(claims, sources, req.review_publisher());
      response.set_content_type("application/ld+json");
      break;
    case v1::EXPORT_FORMAT_PROV_JSON:
      result = ExportProvJson(claims, sources);
      response.set_content_type("application/json");
      break;
    case v1::EXPORT_FORMAT_CSV_CLAIMS:
      result = ExportClaimsCsv(claims);
      response.set_content_type("text/csv; charset=utf-8");
      break;
    case v1::EXPORT_FORMAT_CSV_EVENTS:
      result = ExportEventsCsv(claims);
      response.set_content_type("text/csv; charset=utf-8");
      break;
    default:
      return absl::InvalidArgumentError("format: unknown");
  }
  response.set_content(std::move(result.content));
  response.set_item_count(result.items);
  response.set_skipped_count(result.skipped);
  return response;
}

absl::Status ValidateImportRequest(const v1::ImportRequest& req) {
  if (req.format() == v1::IMPORT_FORMAT_UNSPECIFIED ||
      !v1::ImportFormat_IsValid(req.format())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "format: required (CLAIMREVIEW_JSONLD or CSV_CLAIMS), got ",
        req.format()));
  }
  if (req.content().empty()) {
    return absl::InvalidArgumentError("content: empty");
  }
  if (req.content().size() > kMaxImportBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("content: ", req.content().size(),
                     " bytes, more than the limit of ", kMaxImportBytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportPlan> PlanImport(const v1::ImportRequest& req,
                                      const ImportOptions& options) {
  RETURN_IF_ERROR(ValidateImportRequest(req));
  if (req.format() == v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD) {
    return PlanClaimReviewImport(req.content(), options);
  }
  return PlanCsvClaimsImport(req.content(), options);
}

}  // namespace interchange
}  // namespace claimtrail
