#include "server/core/report/audit.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/report/history.h"
#include "server/core/report/render_report.h"
#include "server/core/report/selection.h"
#include "server/core/report/sourcing.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace report {
namespace {

absl::StatusOr<v1::ClaimAudit> AuditClaim(const SelectedClaim& selected,
                                          const SourceDirectory& sources) {
  const v1::Claim& claim = selected.claim;
  v1::ClaimAudit audit;
  audit.set_claim(claim.name());
  audit.set_text(claim.text());
  *audit.mutable_topics() = claim.topics();
  *audit.mutable_create_time() = claim.create_time();
  audit.set_state(claim.state());
  audit.set_state_summary(claim.state_summary());
  for (const v1::Stance& stance : claim.stances()) {
    v1::StanceAudit* out = audit.add_stances();
    out->set_party(stance.party());
    out->set_party_display_name(sources.DisplayName(stance.party()));
    out->set_position(stance.position());
    out->set_statement(stance.statement());
    if (stance.has_asserted_time()) {
      *out->mutable_asserted_time() = stance.asserted_time();
    }
    *out->mutable_record_time() = stance.record_time();
  }
  if (claim.has_verdict()) *audit.mutable_verdict() = claim.verdict();
  *audit.mutable_appearances() = claim.appearances();
  audit.set_merged_into(claim.merged_into());
  audit.set_revision(claim.revision());
  AuditSourcing(claim, sources, &audit);
  RETURN_IF_ERROR(AuditHistory(selected.events, sources, &audit));
  return audit;
}

v1::CountShare Share(int count, int total) {
  v1::CountShare share;
  share.set_count(count);
  share.set_share(total == 0 ? 0.0 : static_cast<double>(count) / total);
  return share;
}

v1::AuditSummary Summarize(const std::vector<v1::ClaimAudit>& claims) {
  int single = 0, anonymous = 0, unconfirmed = 0, disputed = 0,
      retracted = 0, unsourced = 0;
  std::map<int, int> states;
  for (const v1::ClaimAudit& claim : claims) {
    single += claim.single_source();
    anonymous += claim.anonymous_only();
    unsourced += claim.unsourced();
    unconfirmed += claim.state() == v1::CLAIM_STATE_UNVERIFIED ||
                   claim.state() == v1::CLAIM_STATE_UNCONFIRMED;
    disputed += claim.state() == v1::CLAIM_STATE_DISPUTED;
    retracted += claim.state() == v1::CLAIM_STATE_RETRACTED;
    ++states[claim.state()];
  }
  const int total = static_cast<int>(claims.size());
  v1::AuditSummary summary;
  summary.set_total_claims(total);
  *summary.mutable_single_source() = Share(single, total);
  *summary.mutable_anonymous_only() = Share(anonymous, total);
  *summary.mutable_unconfirmed() = Share(unconfirmed, total);
  *summary.mutable_disputed() = Share(disputed, total);
  *summary.mutable_retracted() = Share(retracted, total);
  *summary.mutable_unsourced() = Share(unsourced, total);
  for (const auto& [state, count] : states) {
    v1::StateCount* entry = summary.add_states();
    entry->set_state(static_cast<v1::ClaimState>(state));
    entry->set_count(count);
  }
  return summary;
}

// The per-source table over the audited claims.
std::vector<v1::SourceAudit> SourceTable(
    const std::vector<SelectedClaim>& selected,
    const SourceDirectory& sources) {
  std::map<std::string, v1::SourceAudit> rows;
  for (const SelectedClaim& entry : selected) {
    const v1::Claim& claim = entry.claim;
    std::vector<std::string> primaries;
    for (const v1::Attribution& attribution : claim.attributions()) {
      if (!attribution.hops().empty()) {
        primaries.push_back(attribution.hops(0).source());
      }
    }
    for (const v1::Figure& figure : claim.figures()) {
      if (!figure.sources().empty()) {
        primaries.push_back(figure.sources(0).source());
      }
    }
    for (const std::string& name : AttributedSources(claim)) {
      v1::SourceAudit& row = rows[name];
      if (row.source().empty()) {
        row.set_source(name);
        row.set_display_name(sources.DisplayName(name));
        if (const v1::Source* source = sources.Find(name)) {
          row.set_kind(source->kind());
          row.set_reliability(source->reliability());
        }
      }
      row.set_claims_attributed(row.claims_attributed() + 1);
      if (std::find(primaries.begin(), primaries.end(), name) !=
          primaries.end()) {
        row.set_claims_as_primary(row.claims_as_primary() + 1);
      }
      switch (claim.state()) {
        case v1::CLAIM_STATE_CONFIRMED:
        case v1::CLAIM_STATE_PARTIALLY_CONFIRMED:
          row.set_later_confirmed(row.later_confirmed() + 1);
          break;
        case v1::CLAIM_STATE_DENIED:
          row.set_later_denied(row.later_denied() + 1);
          break;
        case v1::CLAIM_STATE_DISPUTED:
          row.set_disputed(row.disputed() + 1);
          break;
        default:
          break;
      }
    }
  }
  std::vector<v1::SourceAudit> table;
  for (auto& [name, row] : rows) table.push_back(std::move(row));
  std::stable_sort(table.begin(), table.end(),
                   [](const v1::SourceAudit& a, const v1::SourceAudit& b) {
                     return a.claims_attributed() > b.claims_attributed();
                   });
  return table;
}

}  // namespace

absl::Status ValidateAuditReportRequest(const v1::AuditReportRequest& req) {
  RETURN_IF_ERROR(ValidateSelection("selection", req.selection()));
  if (req.has_as_of()) RETURN_IF_ERROR(ValidateTimestamp("as_of", req.as_of()));
  if (!v1::ReportFormat_IsValid(req.format())) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: unknown report format ", req.format()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AuditReport> BuildAuditReport(
    const AuditInput& input, const v1::AuditReportRequest& req) {
  RETURN_IF_ERROR(ValidateAuditReportRequest(req));
  const absl::Time as_of = AsOfTime(req.as_of(), req.has_as_of(), input.now);
  const SourceDirectory sources(input.sources);
  ASSIGN_OR_RETURN(std::vector<SelectedClaim> selected,
                   SelectClaims(input, sources, req.selection(), as_of));

  v1::AuditReport report;
  *report.mutable_as_of() = ToProtoTime(as_of);
  std::vector<v1::ClaimAudit> claims;
  for (const SelectedClaim& claim : selected) {
    ASSIGN_OR_RETURN(v1::ClaimAudit audit, AuditClaim(claim, sources));
    claims.push_back(std::move(audit));
  }
  *report.mutable_summary() = Summarize(claims);
  for (v1::ClaimAudit& claim : claims) *report.add_claims() = std::move(claim);
  for (v1::SourceAudit& row : SourceTable(selected, sources)) {
    *report.add_sources() = std::move(row);
  }
  RETURN_IF_ERROR(RenderAuditReport(req.format(), &report));
  return report;
}

}  // namespace report
}  // namespace claimtrail
