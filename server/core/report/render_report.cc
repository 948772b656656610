// Report format dispatch, and the JSON and CSV renderings.
#include "server/core/report/render_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "server/core/render.h"
#include "server/core/report/csv.h"
#include "server/core/report/report_text.h"

namespace claimtrail {
namespace report {
namespace {

std::string Seconds(const v1::FirstStance& first) {
  if (!first.has_since_created()) return "";
  return absl::StrCat(first.since_created().seconds());
}

std::string Time(const google::protobuf::Timestamp& time, bool has) {
  return has ? core::FormatTimestamp(time) : "";
}

std::string FigureRevisions(const v1::ClaimAudit& claim) {
  std::vector<std::string> parts;
  for (const v1::FigureAudit& figure : claim.figures()) {
    std::vector<std::string> values;
    for (const v1::FigureRevisionAudit& revision : figure.history()) {
      values.push_back(revision.value());
    }
    parts.push_back(absl::StrCat(figure.figure_id(), ": ",
                                 absl::StrJoin(values, " -> ")));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::StatusOr<std::string> RenderJson(const v1::AuditReport& report) {
  v1::AuditReport bare = report;
  bare.clear_rendered();
  bare.clear_content_type();
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(bare, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("printing the report as JSON: ", status.ToString()));
  }
  return json;
}

std::string RenderCsv(const v1::AuditReport& report) {
  std::string out;
  // The *_party_* columns count parties' stances only (render_report.h).
  const std::vector<std::string> header = {"claim",
                                           "text",
                                           "state",
                                           "state_summary",
                                           "created",
                                           "independent_origins",
                                           "origins",
                                           "relay_count",
                                           "echo_count",
                                           "max_chain_depth",
                                           "single_source",
                                           "anonymous_only",
                                           "unsourced",
                                           "anonymous_hops",
                                           "grades",
                                           "stances",
                                           "first_party_confirmation",
                                           "seconds_to_party_confirmation",
                                           "first_party_denial",
                                           "seconds_to_party_denial",
                                           "figure_revisions",
                                           "verdict",
                                           "sourcing"};
  AppendCsvRecord(header, &out);
  for (const v1::ClaimAudit& claim : report.claims()) {
    std::vector<std::string> origins;
    for (const v1::OriginAudit& origin : claim.origins()) {
      origins.push_back(origin.label());
    }
    AppendCsvRecord(
        {claim.claim(), claim.text(), core::EnumLabel(claim.state()),
         claim.state_summary(), core::FormatTimestamp(claim.create_time()),
         absl::StrCat(claim.independent_origins()),
         absl::StrJoin(origins, "; "), absl::StrCat(claim.relay_count()),
         absl::StrCat(claim.echo_count()),
         absl::StrCat(claim.max_chain_depth()),
         claim.single_source() ? "yes" : "no",
         claim.anonymous_only() ? "yes" : "no",
         claim.unsourced() ? "yes" : "no", AnonymousHopsLine(claim),
         GradesLine(claim), StancesLine(claim),
         Time(claim.first_confirmation().record_time(),
              claim.has_first_confirmation()),
         Seconds(claim.first_confirmation()),
         Time(claim.first_denial().record_time(), claim.has_first_denial()),
         Seconds(claim.first_denial()), FigureRevisions(claim),
         VerdictLine(claim), SourcingLine(claim)},
        &out);
  }
  return out;
}

absl::Status RenderAuditReport(v1::ReportFormat format,
                               v1::AuditReport* report) {
  report->clear_rendered();
  report->clear_content_type();
  switch (format) {
    case v1::REPORT_FORMAT_UNSPECIFIED:
      return absl::OkStatus();
    case v1::REPORT_FORMAT_MARKDOWN:
      report->set_rendered(RenderMarkdown(*report));
      report->set_content_type("text/markdown; charset=utf-8");
      return absl::OkStatus();
    case v1::REPORT_FORMAT_HTML:
      report->set_rendered(RenderHtml(*report));
      report->set_content_type("text/html; charset=utf-8");
      return absl::OkStatus();
    case v1::REPORT_FORMAT_JSON: {
      absl::StatusOr<std::string> json = RenderJson(*report);
      if (!json.ok()) return json.status();
      report->set_rendered(*std::move(json));
      report->set_content_type("application/json");
      return absl::OkStatus();
    }
    case v1::REPORT_FORMAT_CSV:
      report->set_rendered(RenderCsv(*report));
      report->set_content_type("text/csv; charset=utf-8");
      return absl::OkStatus();
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("format: unknown report format ", format));
}

}  // namespace report
}  // namespace claimtrail
