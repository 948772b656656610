#include "server/core/ledger_claim_filter.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "server/core/as_of.h"
#include "server/core/limits.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kScanChunk = 256;

}  // namespace

bool AttributedTo(const v1::Claim& claim, const std::string& source) {
  for (const v1::Attribution& attribution : claim.attributions()) {
    for (const v1::AttributionHop& hop : attribution.hops()) {
      if (hop.source() == source) return true;
    }
  }
  for (const v1::Figure& figure : claim.figures()) {
    for (const v1::AttributionHop& hop : figure.sources()) {
      if (hop.source() == source) return true;
    }
  }
  return false;
}

bool HasStanceOf(const v1::Claim& claim, const std::string& party) {
  for (const v1::Stance& stance : claim.stances()) {
    if (stance.party() == party) return true;
  }
  return false;
}

bool ClaimFilter::Matches(const v1::Claim& claim) const {
  if (state != v1::CLAIM_STATE_UNSPECIFIED && claim.state() != state) {
    return false;
  }
  if (!topic.empty() && std::find(claim.topics().begin(), claim.topics().end(),
                                  topic) == claim.topics().end()) {
    return false;
  }
  if (!source.empty() && !AttributedTo(claim, source)) return false;
  if (!party.empty() && !HasStanceOf(claim, party)) return false;
  const absl::Time created = FromProtoTime(claim.create_time());
  if (created_after.has_value() && created < *created_after) return false;
  if (created_before.has_value() && created > *created_before) return false;
  return true;
}

IndexChoice ChooseIndex(const ClaimFilter& filter) {
  if (!filter.source.empty()) {
    return {storage::ClaimIndex::kSource, filter.source};
  }
  if (!filter.party.empty()) return {storage::ClaimIndex::kParty, filter.party};
  if (!filter.topic.empty()) return {storage::ClaimIndex::kTopic, filter.topic};
  if (filter.state != v1::CLAIM_STATE_UNSPECIFIED) {
    return {storage::ClaimIndex::kState, v1::ClaimState_Name(filter.state)};
  }
  return {std::nullopt, ""};
}

absl::StatusOr<FilteredPage> ScanFiltered(storage::Storage& storage,
                                          const ClaimFilter& filter,
                                          const std::string& after_id,
                                          int page_size, int max_examined) {
  const IndexChoice choice = ChooseIndex(filter);
  FilteredPage page;
  std::string after = after_id;
  int examined = 0;
  size_t bytes = 0;
  while (true) {
    const int want = std::min(kScanChunk, std::max(1, max_examined - examined));
    ASSIGN_OR_RETURN(
        std::vector<std::string> ids,
        storage.ScanClaims(choice.index, choice.value, after, want));
    for (size_t i = 0; i < ids.size(); ++i) {
      after = ids[i];
      ++examined;
      absl::StatusOr<v1::Claim> claim = storage.ReadClaim(ids[i]);
      // An id in an index whose claim is gone cannot happen with an atomic
      // storage; skip rather than fail the whole page if it does.
      if (absl::IsNotFound(claim.status())) continue;
      RETURN_IF_ERROR(claim.status());
      if (filter.Matches(*claim)) {
        bytes += claim->ByteSizeLong();
        page.claims.push_back(*std::move(claim));
      }
      const bool page_full =
          static_cast<int>(page.claims.size()) >= page_size ||
          bytes >= kMaxPageBytes;
      if (page_full || examined >= max_examined) {
        const bool last_of_index =
            i + 1 == ids.size() && static_cast<int>(ids.size()) < want;
        if (last_of_index) return page;
        // Is there anything after? One cheap peek saves the client an empty
        // last page in the common case.
        ASSIGN_OR_RETURN(
            std::vector<std::string> more,
            storage.ScanClaims(choice.index, choice.value, after, 1));
        if (!more.empty()) page.resume_after = after;
        return page;
      }
    }
    if (static_cast<int>(ids.size()) < want) return page;
  }
}

}  // namespace core
}  // namespace claimtrail
