// Self-contained HTML rendering of an audit report: inline CSS, an inline
// SVG timeline per claim, no scripts and no external resources, so the file
// can be mailed, archived or opened offline.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/render.h"
#include "server/core/report/html_escape.h"
#include "server/core/report/render_report.h"
#include "server/core/report/report_text.h"

namespace claimtrail {
namespace report {
namespace {

constexpr char kStyle[] =
    "body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:820px;"
    "margin:24px auto;padding:0 16px}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px}"
    "h3{font-size:15px;margin:0 0 6px}"
    "table{border-collapse:collapse;margin:8px 0}"
    "th,td{border:1px solid #ccd;padding:3px 8px;text-align:left}"
    "td.n{text-align:right}th{background:#eef1f6}"
    "section.claim{border:1px solid #dde;border-radius:6px;padding:12px;"
    "margin:16px 0}"
    "blockquote{margin:4px 0 8px;padding-left:10px;border-left:3px solid #aab}"
    "dl{display:grid;grid-template-columns:200px 1fr;gap:2px 10px;margin:0}"
    "dt{font-weight:600}dd{margin:0}"
    ".flag{display:inline-block;font-size:12px;padding:0 6px;"
    "border-radius:8px;background:#fde7e7;color:#8b1a1a;margin-right:4px}";

std::string Td(const std::string& text, bool number = false) {
  return absl::StrCat(number ? "<td class=\"n\">" : "<td>", HtmlEscape(text),
                      "</td>");
}

void Summary(const v1::AuditSummary& summary, std::string* out) {
  absl::StrAppend(out, "<h2>Summary</h2><table><tr><th>Measure</th>"
                       "<th>Claims</th><th>Share</th></tr>");
  absl::StrAppend(out, "<tr>", Td("Total"),
                  Td(absl::StrCat(summary.total_claims()), true),
                  Td(summary.total_claims() > 0 ? "100%" : "0%", true),
                  "</tr>");
  const auto row = [out](const std::string& name, const v1::CountShare& v) {
    absl::StrAppend(out, "<tr>", Td(name), Td(absl::StrCat(v.count()), true),
                    Td(Percent(v.share()), true), "</tr>");
  };
  row("Single-source", summary.single_source());
  row("Anonymous sources only", summary.anonymous_only());
  row("Unverified or unconfirmed", summary.unconfirmed());
  row("Disputed", summary.disputed());
  row("Retracted", summary.retracted());
  row("Unsourced", summary.unsourced());
  absl::StrAppend(out, "</table>");
}

void Sources(const v1::AuditReport& report, std::string* out) {
  absl::StrAppend(out, "<h2>Sources</h2>");
  if (report.sources().empty()) {
    absl::StrAppend(out, "<p>No source is attributed in these claims.</p>");
    return;
  }
  absl::StrAppend(out,
                  "<table><tr><th>Source</th><th>Kind</th><th>Reliability</th>"
                  "<th>Claims</th><th>As primary</th><th>Later confirmed</th>"
                  "<th>Later denied</th><th>Disputed</th></tr>");
  for (const v1::SourceAudit& source : report.sources()) {
    const std::string reliability = ReliabilityLetter(source.reliability());
    absl::StrAppend(
        out, "<tr>", Td(source.display_name()),
        Td(source.kind() == v1::SOURCE_KIND_UNSPECIFIED
               ? "-"
               : core::EnumLabel(source.kind())),
        Td(reliability.empty() ? "-" : reliability),
        Td(absl::StrCat(source.claims_attributed()), true),
        Td(absl::StrCat(source.claims_as_primary()), true),
        Td(absl::StrCat(source.later_confirmed()), true),
        Td(absl::StrCat(source.later_denied()), true),
        Td(absl::StrCat(source.disputed()), true), "</tr>");
  }
  absl::StrAppend(out, "</table>");
}

void Entry(const std::string& label, const std::string& text,
           std::string* out) {
  absl::StrAppend(out, "<dt>", HtmlEscape(label), "</dt><dd>",
                  HtmlEscape(text), "</dd>");
}

void Claim(const v1::ClaimAudit& claim,
           const google::protobuf::Timestamp& as_of, std::string* out) {
  absl::StrAppend(out, "<section class=\"claim\" id=\"",
                  HtmlEscape(claim.claim()), "\"><h3>",
                  HtmlEscape(claim.claim()), "</h3><blockquote>",
                  HtmlEscape(claim.text()), "</blockquote><p>");
  if (claim.single_source()) {
    absl::StrAppend(out, "<span class=\"flag\">single source</span>");
  }
  if (claim.anonymous_only()) {
    absl::StrAppend(out, "<span class=\"flag\">anonymous only</span>");
  }
  if (claim.unsourced()) {
    absl::StrAppend(out, "<span class=\"flag\">unsourced</span>");
  }
  absl::StrAppend(out, "</p><dl>");
  Entry("State",
        absl::StrCat(core::EnumLabel(claim.state()),
                     claim.state_summary().empty()
                         ? ""
                         : absl::StrCat(" — ", claim.state_summary())),
        out);
  Entry("Sourcing", SourcingLine(claim), out);
  std::vector<std::string> chains;
  for (const v1::ChainAudit& chain : claim.chains()) {
    chains.push_back(absl::StrCat(chain.chain_id(), ": ", chain.description()));
  }
  if (!chains.empty()) {
    absl::StrAppend(out, "<dt>Chains</dt><dd>");
    for (const std::string& chain : chains) {
      absl::StrAppend(out, HtmlEscape(chain), "<br>");
    }
    absl::StrAppend(out, "</dd>");
  }
  Entry("Stances", StancesLine(claim), out);
  Entry("Grades", GradesLine(claim), out);
  Entry("Anonymous hops", AnonymousHopsLine(claim), out);
  for (const auto& [label, line] : FirstStanceEntries(claim)) {
    Entry(label, line, out);
  }
  Entry("Verdict", VerdictLine(claim), out);
  for (const v1::FigureAudit& figure : claim.figures()) {
    std::vector<std::string> values;
    for (const v1::FigureRevisionAudit& revision : figure.history()) {
      values.push_back(revision.sources().empty()
                           ? revision.value()
                           : absl::StrCat(revision.value(), " (",
                                          revision.sources(), ")"));
    }
    Entry(absl::StrCat("Figure ", figure.figure_id()),
          absl::StrJoin(values, " → "), out);
  }
  absl::StrAppend(out, "</dl>", RenderTimelineSvg(claim, as_of), "</section>");
}

}  // namespace

std::string RenderHtml(const v1::AuditReport& report) {
  const std::string title = absl::StrCat(
      "Sourcing audit as of ", core::FormatTimestamp(report.as_of()));
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\"><title>",
      HtmlEscape(title), "</title><style>", kStyle, "</style></head><body><h1>",
      HtmlEscape(title), "</h1>");
  Summary(report.summary(), &out);
  Sources(report, &out);
  absl::StrAppend(&out, "<h2>Claims</h2>");
  if (report.claims().empty()) absl::StrAppend(&out, "<p>No claims selected.</p>");
  for (const v1::ClaimAudit& claim : report.claims()) {
    Claim(claim, report.as_of(), &out);
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace report
}  // namespace claimtrail
