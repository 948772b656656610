// Renderings of an audit report: Markdown, self-contained HTML (with an SVG
// timeline per claim), proto JSON, CSV. Pure and thread-compatible.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_RENDER_REPORT_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_RENDER_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/report.pb.h"

namespace claimtrail {
namespace report {

// Sets report->rendered and content_type for `format`; clears both for
// REPORT_FORMAT_UNSPECIFIED. INVALID_ARGUMENT for an unknown format;
// INTERNAL if JSON printing fails.
absl::Status RenderAuditReport(v1::ReportFormat format,
                               v1::AuditReport* report);

// A readable Markdown document: summary table, per-source table, and a
// section per claim with its sourcing line.
std::string RenderMarkdown(const v1::AuditReport& report);

// A self-contained HTML page (inline CSS and SVG; no external resources).
std::string RenderHtml(const v1::AuditReport& report);

// The report in proto JSON, `rendered` and `content_type` left out; zero
// counts are printed.
absl::StatusOr<std::string> RenderJson(const v1::AuditReport& report);

// One row per claim with a header row (RFC 4180, CRLF). The columns
// first_party_confirmation, seconds_to_party_confirmation and their denial
// twins count parties' stances only, as the labels of the other formats say
// (a verdict can confirm a claim no party has confirmed).
std::string RenderCsv(const v1::AuditReport& report);

// The SVG timeline of one claim: the state, each party's stance, and each
// figure's values over recorded time, from the claim's creation to the
// later of its last change and `as_of` (capped so that a late as_of does not
// squash the history). Standalone <svg> element with no external references.
std::string RenderTimelineSvg(const v1::ClaimAudit& claim,
                              const google::protobuf::Timestamp& as_of);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_RENDER_REPORT_H_
