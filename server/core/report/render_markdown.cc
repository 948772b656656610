// Markdown rendering of an audit report.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "server/core/render.h"
#include "server/core/report/render_report.h"
#include "server/core/report/report_text.h"

namespace claimtrail {
namespace report {
namespace {

// Text safe inside a table cell or a one-line item.
std::string Cell(const std::string& text) {
  return absl::StrReplaceAll(text,
                             {{"|", "\\|"}, {"\r", " "}, {"\n", " "}});
}

void Row(const std::vector<std::string>& cells, std::string* out) {
  absl::StrAppend(out, "| ", absl::StrJoin(cells, " | "), " |\n");
}

void SummaryTable(const v1::AuditSummary& summary, std::string* out) {
  absl::StrAppend(out, "## Summary\n\n");
  Row({"Measure", "Claims", "Share"}, out);
  absl::StrAppend(out, "|---|---:|---:|\n");
  Row({"Total", absl::StrCat(summary.total_claims()),
       summary.total_claims() > 0 ? "100%" : "0%"},
      out);
  const auto share = [out](const std::string& name,
                           const v1::CountShare& value) {
    Row({name, absl::StrCat(value.count()), Percent(value.share())}, out);
  };
  share("Single-source", summary.single_source());
  share("Anonymous sources only", summary.anonymous_only());
  share("Unverified or unconfirmed", summary.unconfirmed());
  share("Disputed", summary.disputed());
  share("Retracted", summary.retracted());
  share("Unsourced", summary.unsourced());
  if (!summary.states().empty()) {
    std::vector<std::string> states;
    for (const v1::StateCount& state : summary.states()) {
      states.push_back(
          absl::StrCat(core::EnumLabel(state.state()), " ", state.count()));
    }
    absl::StrAppend(out, "\nBy state: ", absl::StrJoin(states, ", "), ".\n");
  }
  out->push_back('\n');
}

void SourceTable(const v1::AuditReport& report, std::string* out) {
  absl::StrAppend(out, "## Sources\n\n");
  if (report.sources().empty()) {
    absl::StrAppend(out, "No source is attributed in these claims.\n\n");
    return;
  }
  Row({"Source", "Kind", "Reliability", "Claims", "As primary",
       "Later confirmed", "Later denied", "Disputed"},
      out);
  absl::StrAppend(out, "|---|---|---|---:|---:|---:|---:|---:|\n");
  for (const v1::SourceAudit& source : report.sources()) {
    const std::string reliability = ReliabilityLetter(source.reliability());
    Row({Cell(source.display_name()),
         source.kind() == v1::SOURCE_KIND_UNSPECIFIED
             ? "-"
             : core::EnumLabel(source.kind()),
         reliability.empty() ? "-" : reliability,
         absl::StrCat(source.claims_attributed()),
         absl::StrCat(source.claims_as_primary()),
         absl::StrCat(source.later_confirmed()),
         absl::StrCat(source.later_denied()), absl::StrCat(source.disputed())},
        out);
  }
  out->push_back('\n');
}

void Item(const std::string& label, const std::string& text,
          std::string* out) {
  absl::StrAppend(out, "- **", label, ":** ", Cell(text), "\n");
}

void ClaimSection(const v1::ClaimAudit& claim, std::string* out) {
  absl::StrAppend(out, "### ", claim.claim(), "\n\n> ", Cell(claim.text()),
                  "\n\n");
  Item("State",
       absl::StrCat(core::EnumLabel(claim.state()),
                    claim.state_summary().empty()
                        ? ""
                        : absl::StrCat(" — ", claim.state_summary())),
       out);
  Item("Sourcing", SourcingLine(claim), out);
  if (!claim.chains().empty()) {
    absl::StrAppend(out, "- **Chains:**\n");
    for (const v1::ChainAudit& chain : claim.chains()) {
      absl::StrAppend(out, "  - ", chain.chain_id(), ": ",
                      Cell(chain.description()), "\n");
    }
  }
  Item("Stances", StancesLine(claim), out);
  Item("Grades", GradesLine(claim), out);
  Item("Anonymous hops", AnonymousHopsLine(claim), out);
  for (const auto& [label, line] : FirstStanceEntries(claim)) {
    Item(label, line, out);
  }
  Item("Verdict", VerdictLine(claim), out);
  for (const v1::FigureAudit& figure : claim.figures()) {
    std::vector<std::string> values;
    for (const v1::FigureRevisionAudit& revision : figure.history()) {
      std::string value = absl::StrCat(
          revision.value(), " (", core::FormatTimestamp(revision.record_time()));
      if (!revision.sources().empty()) {
        absl::StrAppend(&value, "; ", revision.sources());
      }
      value.push_back(')');
      values.push_back(std::move(value));
    }
    Item(absl::StrCat("Figure ", figure.figure_id(), ", ",
                      Count(figure.revision_count(), "value", "values")),
         absl::StrJoin(values, " → "), out);
  }
  if (!claim.merged_into().empty()) {
    Item("Merged into", claim.merged_into(), out);
  }
  out->push_back('\n');
}

}  // namespace

std::string RenderMarkdown(const v1::AuditReport& report) {
  std::string out = absl::StrCat("# Sourcing audit as of ",
                                 core::FormatTimestamp(report.as_of()), "\n\n");
  SummaryTable(report.summary(), &out);
  SourceTable(report, &out);
  absl::StrAppend(&out, "## Claims\n\n");
  if (report.claims().empty()) absl::StrAppend(&out, "No claims selected.\n");
  for (const v1::ClaimAudit& claim : report.claims()) {
    ClaimSection(claim, &out);
  }
  return out;
}

}  // namespace report
}  // namespace claimtrail
