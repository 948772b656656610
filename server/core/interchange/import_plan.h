// What an import would write, as API requests, for the Ledger to carry out.
//
// Importers never write: they turn a file into CreateSource, CreateClaim and
// RecordVerdict requests whose request_ids (and new claim and source ids)
// are derived from the content. Importing the same file twice therefore
// produces the same requests, and the Ledger's idempotency turns the second
// run into a no-op ("import-" + a 128-bit FNV-1a hash of the request).
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_IMPORT_PLAN_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_IMPORT_PLAN_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace interchange {

struct ImportOptions {
  // Maps a source's display name (as written in the file) to an existing
  // source ("sources/{source}"), e.g. by a case-insensitive match on display
  // names and aliases. nullopt: the importer plans a new source. Unset:
  // every name is new.
  std::function<std::optional<std::string>(absl::string_view display_name)>
      find_source;
  // Maps a claim's text to an existing claim ("claims/{claim}") to attach
  // verdicts to instead of creating a duplicate. Unset: every claim is new
  // (unless the CSV names it).
  std::function<std::optional<std::string>(absl::string_view text)> find_claim;
  // The current verdict of an existing claim ("claims/{claim}"); nullopt
  // when the claim does not exist or has none. A planned verdict equal to it
  // (SameVerdict) is left out, so that importing reviews already recorded,
  // such as our own export into the server it came from, writes nothing.
  // Unset: every verdict is planned.
  std::function<std::optional<v1::Verdict>(absl::string_view claim)>
      find_verdict;
  // Whether a source ("sources/{source}") exists. A CSV hop naming a source
  // that neither exists nor is planned makes its row an item error here, so
  // that a dry run reports what the real import's NOT_FOUND would. Unset:
  // every named source is taken to exist.
  std::function<bool(absl::string_view source)> source_exists;
};

// One imported item's writes.
struct PlannedClaim {
  // 1-based item number (review in the feed, or CSV data row of the claim's
  // first row) and its line (CSV; 0 for JSON).
  int item = 0;
  int line = 0;
  // The claim the writes go to ("claims/{claim}").
  std::string claim;
  // Set when the claim is new.
  std::optional<v1::CreateClaimRequest> create;
  // Set when the item carries a verdict.
  std::optional<v1::RecordVerdictRequest> verdict;
};

// Carry out in order: every source request, then for each claim its create
// (if any) and then its verdict (if any). ALREADY_EXISTS from CreateSource
// or CreateClaim means the id is taken by an earlier import or by hand:
// count it as skipped and go on; a replayed request_id returns the first
// result (also "skipped" when the caller can tell).
struct ImportPlan {
  int items_read = 0;
  std::vector<v1::CreateSourceRequest> sources;
  std::vector<PlannedClaim> claims;
  // Items that were skipped, with why.
  std::vector<v1::ImportError> errors;
};

// "import-" + 32 hex digits: a hash of `request` as serialized
// deterministically (its own request_id must be empty). Stable across runs
// and processes of the same build.
std::string ContentRequestId(const google::protobuf::Message& request);

// 32 hex digits of the 128-bit FNV-1a hash of `bytes`.
std::string Fnv1a128Hex(absl::string_view bytes);

// An id for a new source named `display_name`: lower-case letters, digits
// and single hyphens, starting with a letter, at most 63 characters
// ("National Intelligence Service" -> "national-intelligence-service";
// names without letters become "source-" + hash).
std::string SourceIdFromName(absl::string_view display_name);

// An id for a new claim with `text`: "import-" + 16 hex digits of its hash.
std::string ClaimIdFromText(absl::string_view text);

// Adds a planned CreateSource for `display_name` of `kind` unless
// options.find_source knows it or the plan already has it; returns the
// source's resource name either way.
std::string PlanSource(absl::string_view display_name, v1::SourceKind kind,
                       const ImportOptions& options, ImportPlan* plan);

// Finishes one item: sets each verdict's claim and the content-derived
// request_ids of `claim`'s requests and of the sources planned since
// `sources_before` (plan->sources.size() before the item), and checks them
// all with core::Validate. OK: `claim` is added to the plan. Otherwise the
// item's new sources are removed, an ImportError with the validation
// message is added, and false is returned.
bool AcceptItem(PlannedClaim claim, size_t sources_before, ImportPlan* plan);

// True when `a` and `b` are the same finding: the same rating, the same
// words for it (no words counting as the rating's canonical name,
// rating_table.h) and the same review URL. Explanations, reviewers and
// times are left out: the CSV does not carry explanations, and the Ledger
// sets the reviewer and time of every verdict it records.
bool SameVerdict(const v1::Verdict& a, const v1::Verdict& b);

// Clears `claim.verdict` when options.find_verdict gives `claim.claim` a
// verdict that is the SameVerdict.
void DropVerdictAlreadyRecorded(const ImportOptions& options,
                                PlannedClaim* claim);

v1::ImportError ItemError(int item, int line, absl::string_view field,
                          absl::string_view message);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_IMPORT_PLAN_H_
