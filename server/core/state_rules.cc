// The ClaimState rules: DeriveState and StateSummary (declared in fold.h).
// The rules are the contract documented on claimtrail.v1.ClaimState in
// proto/claimtrail/v1/resources.proto; keep the two in step.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/fold.h"
#include "server/core/render.h"

namespace claimtrail {
namespace core {
namespace {

// Rule 2: the state a verdict decides on its own; UNSPECIFIED when it falls
// through to the stances (UNPROVEN, or no verdict).
v1::ClaimState StateFromVerdict(const v1::Claim& claim) {
  if (!claim.has_verdict()) return v1::CLAIM_STATE_UNSPECIFIED;
  switch (claim.verdict().rating()) {
    case v1::VERDICT_RATING_TRUE:
    case v1::VERDICT_RATING_MOSTLY_TRUE:
      return v1::CLAIM_STATE_CONFIRMED;
    case v1::VERDICT_RATING_FALSE:
    case v1::VERDICT_RATING_MOSTLY_FALSE:
      return v1::CLAIM_STATE_DENIED;
    case v1::VERDICT_RATING_MIXED:
    case v1::VERDICT_RATING_MISLEADING:
      return v1::CLAIM_STATE_DISPUTED;
    default:
      return v1::CLAIM_STATE_UNSPECIFIED;
  }
}

// The parties grouped by the part their stance plays in rules 4-7.
struct StanceGroups {
  std::vector<std::string> confirmed;
  std::vector<std::string> denied;
  std::vector<std::string> disputed;
  // Not confirmed, no response, declined to comment, not addressed.
  std::vector<std::string> other;
};

StanceGroups GroupStances(
    const v1::Claim& claim,
    const std::function<std::string(const std::string&)>& party_name) {
  StanceGroups groups;
  for (const v1::Stance& stance : claim.stances()) {
    std::string name = party_name ? party_name(stance.party()) : "";
    if (name.empty()) name = stance.party();
    switch (stance.position()) {
      case v1::STANCE_POSITION_CONFIRMED:
        groups.confirmed.push_back(std::move(name));
        break;
      case v1::STANCE_POSITION_DENIED:
        groups.denied.push_back(std::move(name));
        break;
      case v1::STANCE_POSITION_DISPUTED:
        groups.disputed.push_back(std::move(name));
        break;
      default:
        groups.other.push_back(std::move(name));
        break;
    }
  }
  return groups;
}

// "A", "A and B", "A, B and C".
std::string JoinNames(const std::vector<std::string>& names) {
  if (names.size() <= 1) return absl::StrJoin(names, "");
  return absl::StrCat(
      absl::StrJoin(names.begin(), names.end() - 1, ", "), " and ",
      names.back());
}

std::string Group(absl::string_view label,
                  const std::vector<std::string>& names) {
  return absl::StrCat(label, " ", JoinNames(names));
}

}  // namespace

v1::ClaimState DeriveState(const v1::Claim& claim) {
  // Rule 1.
  if (!claim.retraction_reason().empty()) return v1::CLAIM_STATE_RETRACTED;
  // Rule 2.
  const v1::ClaimState by_verdict = StateFromVerdict(claim);
  if (by_verdict != v1::CLAIM_STATE_UNSPECIFIED) return by_verdict;
  // Rule 3.
  if (claim.stances().empty()) return v1::CLAIM_STATE_UNVERIFIED;
  int confirmed = 0;
  int denied = 0;
  int disputed = 0;
  for (const v1::Stance& stance : claim.stances()) {
    switch (stance.position()) {
      case v1::STANCE_POSITION_CONFIRMED:
        ++confirmed;
        break;
      case v1::STANCE_POSITION_DENIED:
        ++denied;
        break;
      case v1::STANCE_POSITION_DISPUTED:
        ++disputed;
        break;
      default:
        break;
    }
  }
  // Rule 4.
  if (disputed > 0 || (confirmed > 0 && denied > 0)) {
    return v1::CLAIM_STATE_DISPUTED;
  }
  // Rule 5.
  if (denied > 0) return v1::CLAIM_STATE_DENIED;
  // Rule 6.
  if (confirmed > 0) {
    return confirmed == claim.stances_size()
               ? v1::CLAIM_STATE_CONFIRMED
               : v1::CLAIM_STATE_PARTIALLY_CONFIRMED;
  }
  // Rule 7.
  return v1::CLAIM_STATE_UNCONFIRMED;
}

std::string StateSummary(
    const v1::Claim& claim,
    const std::function<std::string(const std::string&)>& party_name) {
  const v1::ClaimState state = DeriveState(claim);
  if (state == v1::CLAIM_STATE_RETRACTED) {
    return absl::StrCat("retracted: ", claim.retraction_reason());
  }
  if (StateFromVerdict(claim) != v1::CLAIM_STATE_UNSPECIFIED) {
    // The verdict decides; what the parties say is still worth a line (a
    // "true" verdict over a party's denial is news to the reader). Not the
    // state's name again: readers show it next to the summary.
    std::string text =
        absl::StrCat("verdict: ", EnumLabel(claim.verdict().rating()));
    if (!claim.stances().empty()) {
      v1::Claim stances_only = claim;
      stances_only.clear_verdict();
      absl::StrAppend(&text, "; ", StateSummary(stances_only, party_name));
    }
    return text;
  }
  const StanceGroups groups = GroupStances(claim, party_name);
  switch (state) {
    case v1::CLAIM_STATE_UNVERIFIED:
      return "unverified: no party has responded";
    case v1::CLAIM_STATE_UNCONFIRMED:
      return Group("unconfirmed by", groups.other);
    case v1::CLAIM_STATE_PARTIALLY_CONFIRMED:
      // Rule 6 reaches PARTIALLY_CONFIRMED only with no denials or disputes.
      return absl::StrCat(Group("confirmed by", groups.confirmed), "; ",
                          Group("not confirmed by", groups.other));
    case v1::CLAIM_STATE_CONFIRMED:
      return Group("confirmed by", groups.confirmed);
    case v1::CLAIM_STATE_DENIED: {
      std::string text = Group("denied by", groups.denied);
      if (!groups.other.empty()) {
        absl::StrAppend(&text, "; ", Group("not confirmed by", groups.other));
      }
      return text;
    }
    case v1::CLAIM_STATE_DISPUTED: {
      std::vector<std::string> parts;
      if (!groups.confirmed.empty()) {
        parts.push_back(Group("confirmed by", groups.confirmed));
      }
      if (!groups.denied.empty()) {
        parts.push_back(Group("denied by", groups.denied));
      }
      if (!groups.disputed.empty()) {
        parts.push_back(Group("disputed by", groups.disputed));
      }
      if (!groups.other.empty()) {
        parts.push_back(Group("not confirmed by", groups.other));
      }
      return absl::StrCat("disputed: ", absl::StrJoin(parts, ", "));
    }
    default:
      return "";
  }
}

}  // namespace core
}  // namespace claimtrail
