// `claimtrail report|export|import`: sourcing audit reports, and the
// interchange formats (ClaimReview JSON-LD, W3C PROV-JSON, CSV), over the
// claimtrail.v1.Reports service.
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/command.h"
#include "client/cli/parse.h"
#include "client/reports_client.h"
#include "proto/claimtrail/v1/report.pb.h"

namespace claimtrail {
namespace cli {
namespace {

// Above this many lines an import prints a line before it starts, since the
// server may take a while to answer.
constexpr int kLargeImportLines = 1000;

// The value of a --format flag among `choices` (case-insensitive).
template <typename Enum>
absl::StatusOr<Enum> ParseChoice(absl::string_view flag,
                                 absl::string_view text,
                                 const std::map<std::string, Enum>& choices) {
  auto it = choices.find(absl::AsciiStrToLower(text));
  if (it != choices.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) names.push_back(name);
  return UsageError(absl::StrCat("--", flag, ": unknown value '", text,
                                 "'; expected one of: ",
                                 absl::StrJoin(names, ", ")));
}

const std::vector<FlagSpec>& SelectionFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"claim", "CLAIM", "Only this claim (id or claims/ID).", true},
      {"topic", "T", "Only claims with this topic."},
      {"source", "S",
       "Only claims attributed to this source (id or sources/ID), at any "
       "hop."},
      {"url", "U", "Only claims that appeared at this URL."},
      {"created-after", "T",
       "Only claims recorded at or after T (RFC 3339 or a date)."},
      {"created-before", "T", "Only claims recorded at or before T."},
      {"include-merged", "", "Also claims merged into another."},
      {"as-of", "T",
       "As the record stood at recorded time T (default: now), e.g. the "
       "moment a story was published."},
      {"output", "FILE", "Write to FILE instead of standard output."},
  };
  return *flags;
}

// Fills the selection and as_of from the flags.
absl::Status ReadSelection(const ParsedArgs& args,
                           v1::ClaimSelection* selection,
                           google::protobuf::Timestamp* as_of,
                           bool* has_as_of) {
  for (const std::string& claim : args.GetAll("claim")) {
    selection->add_claims(ClaimName(claim));
  }
  if (auto topic = args.Get("topic")) selection->set_topic(*topic);
  if (auto source = args.Get("source")) {
    selection->set_source(SourceName(*source));
  }
  if (auto url = args.Get("url")) selection->set_appearance_url(*url);
  if (auto after = args.Get("created-after")) {
    absl::StatusOr<google::protobuf::Timestamp> parsed =
        ParseTimestamp("--created-after", *after);
    if (!parsed.ok()) return parsed.status();
    *selection->mutable_recorded_after() = *parsed;
  }
  if (auto before = args.Get("created-before")) {
    absl::StatusOr<google::protobuf::Timestamp> parsed =
        ParseTimestamp("--created-before", *before);
    if (!parsed.ok()) return parsed.status();
    *selection->mutable_recorded_before() = *parsed;
  }
  selection->set_include_merged(args.GetBool("include-merged"));
  *has_as_of = false;
  if (auto at = args.Get("as-of")) {
    absl::StatusOr<google::protobuf::Timestamp> parsed =
        ParseTimestamp("--as-of", *at);
    if (!parsed.ok()) return parsed.status();
    *as_of = *parsed;
    *has_as_of = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<client::ReportsClient>> Reports(
    CommandEnv& env) {
  return client::ReportsClient::Connect(env.client().options());
}

// Writes `content` to --output, or to standard output.
absl::Status Emit(const ParsedArgs& args, CommandEnv& env,
                  const std::string& content, const std::string& what) {
  auto output = args.Get("output");
  if (!output.has_value()) {
    env.out() << content;
    if (!content.empty() && content.back() != '\n') env.out() << "\n";
    env.out().flush();
    return absl::OkStatus();
  }
  std::ofstream file(*output, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) {
    return absl::PermissionDeniedError(
        absl::StrCat("--output: cannot write ", *output));
  }
  env.out() << "wrote " << what << " (" << content.size() << " bytes) to "
            << *output << "\n";
  env.out().flush();
  return absl::OkStatus();
}

absl::Status RunReport(const ParsedArgs& args, CommandEnv& env) {
  v1::AuditReportRequest request;
  bool has_as_of = false;
  google::protobuf::Timestamp as_of;
  if (absl::Status read = ReadSelection(args, request.mutable_selection(),
                                        &as_of, &has_as_of);
      !read.ok()) {
    return read;
  }
  if (has_as_of) *request.mutable_as_of() = as_of;
  absl::StatusOr<v1::ReportFormat> format = ParseChoice<v1::ReportFormat>(
      "format", args.GetOr("format", "markdown"),
      {{"markdown", v1::REPORT_FORMAT_MARKDOWN},
       {"md", v1::REPORT_FORMAT_MARKDOWN},
       {"html", v1::REPORT_FORMAT_HTML},
       {"json", v1::REPORT_FORMAT_JSON},
       {"csv", v1::REPORT_FORMAT_CSV}});
  if (!format.ok()) return format.status();
  request.set_format(*format);
  absl::StatusOr<std::unique_ptr<client::ReportsClient>> reports =
      Reports(env);
  if (!reports.ok()) return reports.status();
  absl::StatusOr<v1::AuditReport> report = (*reports)->AuditReport(request);
  if (!report.ok()) return report.status();
  if (env.json() && !args.Has("output")) {
    // The structured report; --format json gives the same without
    // `rendered`.
    report->clear_rendered();
    env.Print(*report, "");
    return absl::OkStatus();
  }
  return Emit(args, env, report->rendered(),
              absl::StrCat("a report of ", report->claims_size(),
                           report->claims_size() == 1 ? " claim" : " claims"));
}

absl::Status RunExport(const ParsedArgs& args, CommandEnv& env) {
  v1::ExportRequest request;
  bool has_as_of = false;
  google::protobuf::Timestamp as_of;
  if (absl::Status read = ReadSelection(args, request.mutable_selection(),
                                        &as_of, &has_as_of);
      !read.ok()) {
    return read;
  }
  if (has_as_of) *request.mutable_as_of() = as_of;
  absl::StatusOr<v1::ExportFormat> format = ParseChoice<v1::ExportFormat>(
      "format", args.GetOr("format", "claimreview"),
      {{"claimreview", v1::EXPORT_FORMAT_CLAIMREVIEW_JSONLD},
       {"prov", v1::EXPORT_FORMAT_PROV_JSON},
       {"csv-claims", v1::EXPORT_FORMAT_CSV_CLAIMS},
       {"csv-events", v1::EXPORT_FORMAT_CSV_EVENTS}});
  if (!format.ok()) return format.status();
  request.set_format(*format);
  if (auto publisher = args.Get("publisher")) {
    request.set_review_publisher(*publisher);
  }
  absl::StatusOr<std::unique_ptr<client::ReportsClient>> reports =
      Reports(env);
  if (!reports.ok()) return reports.status();
  absl::StatusOr<v1::ExportResponse> exported =
      (*reports)->ExportClaims(request);
  if (!exported.ok()) return exported.status();
  std::string what = absl::StrCat(exported->item_count(), " item",
                                  exported->item_count() == 1 ? "" : "s");
  if (exported->skipped_count() > 0) {
    absl::StrAppend(&what, "; ", exported->skipped_count(),
                    " selected claim(s) not exportable in this format");
  }
  return Emit(args, env, exported->content(), what);
}

// "line 3 (row 2), text: required" / "review 2, reviewRating: ...".
std::string DescribeImportError(const v1::ImportError& error, bool csv) {
  std::string where;
  if (error.line() > 0) {
    where = absl::StrCat("line ", error.line());
    if (error.item() > 0) absl::StrAppend(&where, " (row ", error.item(), ")");
  } else if (error.item() > 0) {
    where = absl::StrCat(csv ? "row " : "review ", error.item());
  } else {
    where = "file";
  }
  if (!error.field().empty()) absl::StrAppend(&where, ", ", error.field());
  return absl::StrCat(where, ": ", error.message());
}

std::string DescribeImport(const v1::ImportResponse& response,
                           bool validate_only, bool csv) {
  std::string out = absl::StrCat(
      validate_only ? "checked " : "imported ", response.items_read(),
      csv ? " row" : " review", response.items_read() == 1 ? "" : "s", ": ",
      validate_only ? "would create " : "created ", response.claims_created(),
      response.claims_created() == 1 ? " claim, " : " claims, ",
      response.sources_created(),
      response.sources_created() == 1 ? " source, " : " sources, ",
      response.verdicts_recorded(),
      response.verdicts_recorded() == 1 ? " verdict" : " verdicts", "; ",
      response.skipped_existing(), " already there");
  if (response.errors_size() > 0) {
    absl::StrAppend(&out, "; ", response.errors_size(),
                    response.errors_size() == 1 ? " error" : " errors");
  }
  absl::StrAppend(&out, "\n");
  for (const v1::ImportError& error : response.errors()) {
    absl::StrAppend(&out, "  ", DescribeImportError(error, csv), "\n");
  }
  return out;
}

absl::Status RunImport(const ParsedArgs& args, CommandEnv& env) {
  const std::string& path = args.positional()[0];
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return UsageError(absl::StrCat("FILE: cannot read ", path));
  }
  std::stringstream content;
  content << file.rdbuf();

  v1::ImportRequest request;
  const std::string default_format =
      absl::EndsWithIgnoreCase(path, ".csv") ? "csv" : "claimreview";
  absl::StatusOr<v1::ImportFormat> format = ParseChoice<v1::ImportFormat>(
      "format", args.GetOr("format", default_format),
      {{"claimreview", v1::IMPORT_FORMAT_CLAIMREVIEW_JSONLD},
       {"csv", v1::IMPORT_FORMAT_CSV_CLAIMS}});
  if (!format.ok()) return format.status();
  const bool csv = *format == v1::IMPORT_FORMAT_CSV_CLAIMS;
  request.set_format(*format);
  request.set_content(content.str());
  request.set_validate_only(args.GetBool("validate-only"));

  const int lines = static_cast<int>(
      std::count(request.content().begin(), request.content().end(), '\n'));
  if (lines > kLargeImportLines && !env.json()) {
    env.out() << (request.validate_only() ? "checking " : "importing ") << path
              << ": " << request.content().size() << " bytes, " << lines
              << " lines ...\n";
    env.out().flush();
  }
  absl::StatusOr<std::unique_ptr<client::ReportsClient>> reports =
      Reports(env);
  if (!reports.ok()) return reports.status();
  absl::StatusOr<v1::ImportResponse> response =
      (*reports)->ImportClaims(request);
  if (!response.ok()) {
    if (response.status().code() == absl::StatusCode::kResourceExhausted) {
      return absl::ResourceExhaustedError(absl::StrCat(
          response.status().message(), " (", path, " is ",
          request.content().size(),
          " bytes; split it, or start claimtraild with a larger "
          "--max_message_bytes)"));
    }
    return response.status();
  }
  env.Print(*response,
            DescribeImport(*response, request.validate_only(), csv));
  if (response->errors_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        response->errors_size(), " of ", response->items_read(),
        csv ? " rows" : " reviews", " could not be imported (listed above); ",
        request.validate_only() ? "nothing was written"
                                : "the others were imported"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> ReportCommands() {
  Command report;
  report.name = "report";
  report.summary = "Sourcing audit report (Markdown, HTML, JSON, CSV).";
  report.synopsis =
      "[--claim C] [--topic T] [--source S] [--url U] [--created-after T] "
      "[--created-before T] [--include-merged] [--as-of T] [--format F] "
      "[--output FILE]";
  report.description =
      "Audits how well the selected claims (all by default) are sourced, as "
      "the record stood at --as-of: state and stances, independent origins "
      "versus outlets that relay them, chain depth, anonymous hops, grades, "
      "time to the first confirmation or denial by a party, figure "
      "revisions; a summary and a per-source table. HTML is one "
      "self-contained page with an SVG timeline per claim. Needs the "
      "auditor or admin role.";
  report.flags = SelectionFlags();
  report.flags.push_back(
      {"format", "F", "markdown (default), html, json or csv."});
  report.examples = {
      "claimtrail report --topic north-korea --as-of 2025-03-21",
      "claimtrail report --format html --output report.html"};
  report.run = RunReport;

  Command exporter;
  exporter.name = "export";
  exporter.summary = "Export claims: ClaimReview, PROV-JSON or CSV.";
  exporter.synopsis =
      "[--format F] [--claim C]... [selection flags] [--output FILE]";
  exporter.description =
      "Exports the selected claims (all by default) as schema.org "
      "ClaimReview JSON-LD (claims with a verdict), W3C PROV-JSON (their "
      "provenance: sources, relays, revisions), or CSV of claims or of "
      "events. Needs the auditor or admin role.";
  exporter.flags = SelectionFlags();
  exporter.flags.push_back(
      {"format", "F", "claimreview (default), prov, csv-claims or csv-events."});
  exporter.flags.push_back(
      {"publisher", "NAME",
       "ClaimReview: the organization publishing the reviews (default: each "
       "verdict's reviewer)."});
  exporter.examples = {
      "claimtrail export --format prov --claim nk-troops --output nk.json",
      "claimtrail export --format claimreview --output reviews.jsonld"};
  exporter.run = RunExport;

  Command importer;
  importer.name = "import";
  importer.summary = "Import ClaimReview JSON-LD or CSV claims.";
  importer.synopsis = "FILE [--format claimreview|csv] [--validate-only]";
  importer.description =
      "Imports reviews (ClaimReview JSON-LD: one object, an array, or a "
      "feed) or claims with their attributions (CSV). Importing the same "
      "file again writes nothing new. Rows that cannot be imported are "
      "listed with their line numbers and skipped; the others are kept, "
      "and the exit code is then 4. Needs the admin role.";
  importer.arguments = {
      "FILE  The file to import; its format follows from the extension "
      "(.csv: csv, else claimreview) unless --format says."};
  importer.flags = {
      {"format", "F", "claimreview or csv (default: from the extension)."},
      {"validate-only", "",
       "Check the file and say what would be written; write nothing."}};
  importer.min_positional = importer.max_positional = 1;
  importer.examples = {"claimtrail import reviews.jsonld",
                       "claimtrail import claims.csv --validate-only"};
  importer.run = RunImport;
  return {report, exporter, importer};
}

}  // namespace cli
}  // namespace claimtrail
