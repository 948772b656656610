// Which secondary-index values a materialized claim has. Kept apart from the
// LevelDB code so that tools (fsck, rebuild) compute exactly what Commit does.
#ifndef CLAIMTRAIL_SERVER_STORAGE_CLAIM_INDEX_H_
#define CLAIMTRAIL_SERVER_STORAGE_CLAIM_INDEX_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace storage {

// A stable, short name for `index`, used in storage keys ("source", "party",
// "state", "topic", "token"). Never changes without a format version bump.
absl::string_view ClaimIndexName(ClaimIndex index);

// Every (index, value) pair that holds for `claim`, without duplicates, in
// no particular order. Empty values are skipped.
//   kSource: each attribution hop's source and each figure source hop's
//            source ("sources/x").
//   kParty:  each stance's party.
//   kState:  ClaimState_Name(state), always exactly one.
//   kTopic:  each topic, verbatim.
//   kToken:  Tokenize() of text, of each topic and of each figure label.
// With `with_tokens` false, the kToken pairs are left out (tokenizing is
// most of the cost; see SameTokenInputs).
std::vector<std::pair<ClaimIndex, std::string>> ClaimIndexValues(
    const v1::Claim& claim, bool with_tokens = true);

// True when `a` and `b` have the same text, topics and figure labels, so the
// same kToken values: a commit that changes neither need not tokenize.
bool SameTokenInputs(const v1::Claim& a, const v1::Claim& b);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_CLAIM_INDEX_H_
