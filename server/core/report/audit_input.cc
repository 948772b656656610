#include "server/core/report/audit_input.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace report {
namespace {

// Page size for storage scans; any positive number is correct.
constexpr int kPage = 1000;

absl::StatusOr<std::vector<v1::Event>> ReadAllEvents(
    storage::Storage& storage, const std::string& claim_id) {
  std::vector<v1::Event> events;
  for (;;) {
    const int64_t from = static_cast<int64_t>(events.size()) + 1;
    ASSIGN_OR_RETURN(std::vector<v1::Event> page,
                     storage.ReadEvents(claim_id, from, kPage));
    const bool more = static_cast<int>(page.size()) == kPage;
    for (v1::Event& event : page) events.push_back(std::move(event));
    if (!more) return events;
  }
}

// Claim ids in id order: all of them, or those the index maps `value` to.
absl::StatusOr<std::vector<std::string>> ScanAllClaims(
    storage::Storage& storage, std::optional<storage::ClaimIndex> index,
    const std::string& value) {
  std::vector<std::string> ids;
  std::string after;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<std::string> page,
                     storage.ScanClaims(index, value, after, kPage));
    const bool more = static_cast<int>(page.size()) == kPage;
    for (std::string& id : page) ids.push_back(std::move(id));
    if (!more || ids.empty()) return ids;
    after = ids.back();
  }
}

absl::StatusOr<std::vector<v1::Source>> ScanAllSources(
    storage::Storage& storage) {
  std::vector<v1::Source> sources;
  std::string after;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<v1::Source> page,
                     storage.ScanSources(after, kPage));
    const bool more = static_cast<int>(page.size()) == kPage;
    for (v1::Source& source : page) sources.push_back(std::move(source));
    if (!more || sources.empty()) return sources;
    after = sources.back().name().substr(sizeof("sources/") - 1);
  }
}

}  // namespace

absl::StatusOr<AuditInput> LoadAuditInput(storage::Storage& storage,
                                          const v1::ClaimSelection& selection,
                                          absl::Time now) {
  std::vector<std::string> claim_ids;
  if (!selection.claims().empty()) {
    for (int i = 0; i < selection.claims_size(); ++i) {
      ASSIGN_OR_RETURN(
          std::string id,
          core::ParseClaimName(absl::StrCat("selection.claims[", i, "]"),
                               selection.claims(i)));
      claim_ids.push_back(std::move(id));
    }
  } else if (!selection.source().empty()) {
    // The source index holds every source a claim's current state names.
    // Attributions are only ever added (a redaction removes one from the
    // past states too), so a claim attributed to the source at any earlier
    // time is in the index now: the index is a superset for every as_of.
    // (Topics can be removed by an update, so the topic index is not.)
    RETURN_IF_ERROR(
        core::ParseSourceName("selection.source", selection.source())
            .status());
    ASSIGN_OR_RETURN(claim_ids,
                     ScanAllClaims(storage, storage::ClaimIndex::kSource,
                                   selection.source()));
  } else {
    ASSIGN_OR_RETURN(claim_ids, ScanAllClaims(storage, std::nullopt, ""));
  }

  AuditInput input;
  input.now = now;
  for (const std::string& id : claim_ids) {
    ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadAllEvents(storage, id));
    if (!events.empty()) input.histories.push_back(std::move(events));
  }
  ASSIGN_OR_RETURN(input.sources, ScanAllSources(storage));
  return input;
}

}  // namespace report
}  // namespace claimtrail
