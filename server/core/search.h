// SearchClaims ranking: which claims match which query words.
//
// A claim's score is the share of the query's words (storage::Tokenize) it
// matches. A word matches a claim when the kToken index has the claim under
// it (text, topics, figure labels), or when the word is in the display name
// or an alias of a source the claim is attributed to. Candidates come from
// the posting lists of the query's words, each read up to a bound: a word
// that matches more claims than that ranks only the first ones (by id).
#ifndef CLAIMTRAIL_SERVER_CORE_SEARCH_H_
#define CLAIMTRAIL_SERVER_CORE_SEARCH_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {

struct SearchCandidate {
  std::string claim_id;
  int matched = 0;  // Query words the claim matches, >= 1.
};

struct SearchLimits {
  // Ids read from each posting list (per word, and per matching source).
  int max_postings_per_list = 10000;
  // Sources examined for name matches.
  int max_sources = 10000;
};

// The claims matching at least one of `words` (distinct, normalized), best
// first: matched descending, then id ascending. Storage errors propagate.
absl::StatusOr<std::vector<SearchCandidate>> RankCandidates(
    storage::Storage& storage, const std::vector<std::string>& words,
    const SearchLimits& limits = SearchLimits());

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_SEARCH_H_
