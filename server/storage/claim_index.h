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
std::vector<std::pair<ClaimIndex, std::string>> ClaimIndexValues(
    const v1::Claim& claim);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_CLAIM_INDEX_H_
