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
    const v1::Claim& claim, bool with_tokens) {
  // std::set both dedupes and gives a deterministic order, which keeps
  // WriteBatch contents reproducible.
  std::set<std::pair<ClaimIndex, std::string>> values;
  auto add = [&values](ClaimIndex index, const std::string& value) {
    if (!value.empty()) values.emplace(index, value);
  };
  auto add_tokens = [&add, with_tokens](const std::string& text) {
    if (!with_tokens) return;
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

bool SameTokenInputs(const v1::Claim& a, const v1::Claim& b) {
  if (a.text() != b.text() || a.figures_size() != b.figures_size() ||
      a.topics_size() != b.topics_size()) {
    return false;
  }
  for (int i = 0; i < a.topics_size(); ++i) {
    if (a.topics(i) != b.topics(i)) return false;
  }
  for (int i = 0; i < a.figures_size(); ++i) {
    if (a.figures(i).label() != b.figures(i).label()) return false;
  }
  return true;
}

}  // namespace storage
}  // namespace claimtrail
