// Sourcing reports, exports and imports on the Ledger. The engines are pure
// (server/core/report, server/core/interchange); this file gives them the
// Ledger's storage and clock, and carries imports out through the Ledger's
// own mutations (ledger_import_run.h), so that validation, idempotency and
// event authorship are exactly those of the API.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/core/interchange/interchange.h"
#include "server/core/ledger.h"
#include "server/core/ledger_impl.h"
#include "server/core/ledger_import_run.h"
#include "server/core/report/audit.h"
#include "server/core/report/audit_input.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kScanPage = 1000;

// Lower case with runs of whitespace collapsed, for name and text matching.
std::string MatchKey(absl::string_view text) {
  std::vector<absl::string_view> words =
      absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  return absl::AsciiStrToLower(absl::StrJoin(words, " "));
}

// Every source by display name and alias ("sources/x"); the first source in
// id order wins a name two sources share. Every source's name goes into
// `names`.
absl::StatusOr<std::map<std::string, std::string>> SourcesByName(
    storage::Storage& storage, std::set<std::string>* names) {
  std::map<std::string, std::string> by_name;
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Source> page,
                     storage.ScanSources(after, kScanPage));
    for (const v1::Source& source : page) {
      names->insert(source.name());
      by_name.emplace(MatchKey(source.display_name()), source.name());
      for (const std::string& alias : source.aliases()) {
        by_name.emplace(MatchKey(alias), source.name());
      }
    }
    if (static_cast<int>(page.size()) < kScanPage) break;
    after = page.back().name().substr(page.back().name().find('/') + 1);
  }
  by_name.erase("");
  return by_name;
}

// Every claim that is not merged, by its text ("claims/x"); the first in id
// order wins a text two claims share. Every claim's current verdict, if any,
// goes into `verdicts` by claim name.
absl::StatusOr<std::map<std::string, std::string>> ClaimsByText(
    storage::Storage& storage, std::map<std::string, v1::Verdict>* verdicts) {
  std::map<std::string, std::string> by_text;
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     storage.ScanClaims(std::nullopt, "", after, kScanPage));
    for (const std::string& id : ids) {
      ASSIGN_OR_RETURN(v1::Claim claim, storage.ReadClaim(id));
      if (claim.has_verdict()) verdicts->emplace(claim.name(), claim.verdict());
      if (!claim.merged_into().empty()) continue;
      by_text.emplace(MatchKey(claim.text()), claim.name());
    }
    if (static_cast<int>(ids.size()) < kScanPage) break;
    after = ids.back();
  }
  by_text.erase("");
  return by_text;
}

// Looks `key` up in a shared map.
std::function<std::optional<std::string>(absl::string_view)> Finder(
    std::shared_ptr<const std::map<std::string, std::string>> map) {
  return [map](absl::string_view text) -> std::optional<std::string> {
    auto it = map->find(MatchKey(text));
    if (it == map->end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

absl::StatusOr<v1::AuditReport> Ledger::AuditReport(
    const v1::AuditReportRequest& req) {
  RETURN_IF_ERROR(report::ValidateAuditReportRequest(req));
  ASSIGN_OR_RETURN(report::AuditInput input,
                   report::LoadAuditInput(impl_->storage(), req.selection(),
                                          impl_->Now()));
  return report::BuildAuditReport(input, req);
}

absl::StatusOr<v1::ExportResponse> Ledger::Export(
    const v1::ExportRequest& req) {
  RETURN_IF_ERROR(interchange::ValidateExportRequest(req));
  ASSIGN_OR_RETURN(report::AuditInput input,
                   report::LoadAuditInput(impl_->storage(), req.selection(),
                                          impl_->Now()));
  return interchange::Export(input, req);
}

void Ledger::Import(const Principal& who, const v1::ImportRequest& req,
                    std::function<void(const ImportProgress&)> progress,
                    Done<v1::ImportResponse> done) {
  if (absl::Status valid = interchange::ValidateImportRequest(req);
      !valid.ok()) {
    done(std::move(valid));
    return;
  }
  // Names and texts already recorded, so that a file naming "NIS" or a claim
  // logged by hand attaches to what exists instead of duplicating it.
  // And what a dry run must check like the real import: which sources exist
  // and which verdicts are already recorded (a review recorded already is
  // not recorded again).
  auto source_names = std::make_shared<std::set<std::string>>();
  absl::StatusOr<std::map<std::string, std::string>> sources =
      SourcesByName(impl_->storage(), source_names.get());
  if (!sources.ok()) {
    done(sources.status());
    return;
  }
  auto verdicts = std::make_shared<std::map<std::string, v1::Verdict>>();
  absl::StatusOr<std::map<std::string, std::string>> claims =
      ClaimsByText(impl_->storage(), verdicts.get());
  if (!claims.ok()) {
    done(claims.status());
    return;
  }
  interchange::ImportOptions options;
  options.find_source =
      Finder(std::make_shared<const std::map<std::string, std::string>>(
          *std::move(sources)));
  options.find_claim =
      Finder(std::make_shared<const std::map<std::string, std::string>>(
          *std::move(claims)));
  options.source_exists = [source_names](absl::string_view name) {
    return source_names->count(std::string(name)) > 0;
  };
  options.find_verdict =
      [verdicts](absl::string_view claim) -> std::optional<v1::Verdict> {
    auto it = verdicts->find(std::string(claim));
    if (it == verdicts->end()) return std::nullopt;
    return it->second;
  };
  absl::StatusOr<interchange::ImportPlan> plan =
      interchange::PlanImport(req, options);
  if (!plan.ok()) {
    done(plan.status());
    return;
  }
  auto run = std::make_shared<ImportRun>(this, &impl_->storage(), who,
                                         *std::move(plan), std::move(progress),
                                         std::move(done));
  if (req.validate_only()) {
    run->DryRun();
  } else {
    run->Start();
  }
}

}  // namespace core
}  // namespace claimtrail
