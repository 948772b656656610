#include "server/storage/claim_index.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/storage/tokenizer.h"

namespace claimtrail {
namespace storage {

absl::string_view ClaimIndexName(ClaimIndex index) {
  switch (index) {
    case ClaimIndex::kSource:
      return "source";
    case ClaimIndex::kParty:
      return "party";
    case ClaimIndex::kState:
      return "state";
    case ClaimIndex::kTopic:
      return "topic";
    case ClaimIndex::kToken:
      return "token";
  }
  return "unknown";
}

std::vector<std::pair<ClaimIndex, std::string>> ClaimIndexValues(
    const v1::Claim& claim) {
  // std::set both dedupes and gives a deterministic order, which keeps
  // WriteBatch contents reproducible.
  std::set<std::pair<ClaimIndex, std::string>> values;
  auto add = [&values](ClaimIndex index, const std::string& value) {
    if (!value.empty()) values.emplace(index, value);
  };
  auto add_tokens = [&add](const std::string& text) {
    for (std::string& token : Tokenize(text)) add(ClaimIndex::kToken, token);
  };
  for (const v1::Attribution& attribution : claim.attributions()) {
    for (const v1::AttributionHop& hop : attribution.hops()) {
      add(ClaimIndex::kSource, hop.source());
    }
  }
  for (const v1::Figure& figure : claim.figures()) {
    for (const v1::AttributionHop& hop : figure.sources()) {
      add(ClaimIndex::kSource, hop.source());
    }
    add_tokens(figure.label());
  }
  for (const v1::Stance& stance : claim.stances()) {
    add(ClaimIndex::kParty, stance.party());
  }
  add(ClaimIndex::kState, v1::ClaimState_Name(claim.state()));
  for (const std::string& topic : claim.topics()) {
    add(ClaimIndex::kTopic, topic);
    add_tokens(topic);
  }
  add_tokens(claim.text());
  return {values.begin(), values.end()};
}

}  // namespace storage
}  // namespace claimtrail
