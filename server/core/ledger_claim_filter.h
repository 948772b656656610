// The claim filters shared by ListClaims, SearchClaims and the change feed,
// and the index scan that serves them.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_CLAIM_FILTER_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_CLAIM_FILTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {

struct ClaimFilter {
  v1::ClaimState state = v1::CLAIM_STATE_UNSPECIFIED;  // Unspecified: any.
  std::string topic;
  std::string source;  // "sources/x": any attribution hop or figure source.
  std::string party;   // "sources/x": has a stance.
  std::optional<absl::Time> created_after;   // Inclusive.
  std::optional<absl::Time> created_before;  // Inclusive.

  bool Matches(const v1::Claim& claim) const;
};

// True when `claim` names `source` in an attribution hop or a figure's
// sources (the kSource index's definition).
bool AttributedTo(const v1::Claim& claim, const std::string& source);
// True when `party` has a stance on `claim`.
bool HasStanceOf(const v1::Claim& claim, const std::string& party);

// The most selective index for `filter` (source, party, topic, state, in
// that order of preference), with its value; nullopt index: all claims.
struct IndexChoice {
  std::optional<storage::ClaimIndex> index;
  std::string value;
};
IndexChoice ChooseIndex(const ClaimFilter& filter);

// One page of claims matching `filter`, in id order, after `after_id`.
struct FilteredPage {
  std::vector<v1::Claim> claims;
  // The last id examined when more claims may follow; empty at the end.
  std::string resume_after;
};
// Examines at most `max_examined` claims so that a rare filter cannot make
// one call scan the whole ledger; the page may then be short (even empty)
// with resume_after set. A page also ends, with resume_after, once its
// claims take kMaxPageBytes.
absl::StatusOr<FilteredPage> ScanFiltered(storage::Storage& storage,
                                          const ClaimFilter& filter,
                                          const std::string& after_id,
                                          int page_size, int max_examined);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_CLAIM_FILTER_H_
