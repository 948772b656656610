#include "server/core/interchange/rating_table.h"

#include <map>

#include "absl/strings/ascii.h"

namespace claimtrail {
namespace interchange {
namespace {

// Lower case; runs of spaces, hyphens and underscores become one space;
// other punctuation dropped.
std::string Normalize(absl::string_view name) {
  std::string out;
  bool pending_space = false;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n') {
      pending_space = !out.empty();
    } else if (absl::ascii_isalnum(u) || u >= 0x80) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(absl::ascii_tolower(u));
    }
  }
  return out;
}

const std::map<std::string, v1::VerdictRating>& Table() {
  static const auto* const kTable = new std::map<std::string,
                                                 v1::VerdictRating>{
      {"true", v1::VERDICT_RATING_TRUE},
      {"correct", v1::VERDICT_RATING_TRUE},
      {"accurate", v1::VERDICT_RATING_TRUE},
      {"mostly true", v1::VERDICT_RATING_MOSTLY_TRUE},
      {"mostly correct", v1::VERDICT_RATING_MOSTLY_TRUE},
      {"mostly accurate", v1::VERDICT_RATING_MOSTLY_TRUE},
      {"half true", v1::VERDICT_RATING_MIXED},
      {"half false", v1::VERDICT_RATING_MIXED},
      {"mixed", v1::VERDICT_RATING_MIXED},
      {"mixture", v1::VERDICT_RATING_MIXED},
      {"partly true", v1::VERDICT_RATING_MIXED},
      {"partly false", v1::VERDICT_RATING_MIXED},
      {"mostly false", v1::VERDICT_RATING_MOSTLY_FALSE},
      {"mostly incorrect", v1::VERDICT_RATING_MOSTLY_FALSE},
      {"false", v1::VERDICT_RATING_FALSE},
      {"incorrect", v1::VERDICT_RATING_FALSE},
      {"pants on fire", v1::VERDICT_RATING_FALSE},
      {"fake", v1::VERDICT_RATING_FALSE},
      {"wrong", v1::VERDICT_RATING_FALSE},
      {"inaccurate", v1::VERDICT_RATING_FALSE},
      {"four pinocchios", v1::VERDICT_RATING_FALSE},
      {"misleading", v1::VERDICT_RATING_MISLEADING},
      {"missing context", v1::VERDICT_RATING_MISLEADING},
      {"lacks context", v1::VERDICT_RATING_MISLEADING},
      {"out of context", v1::VERDICT_RATING_MISLEADING},
      {"distorts the facts", v1::VERDICT_RATING_MISLEADING},
      {"cherry picks", v1::VERDICT_RATING_MISLEADING},
      {"unproven", v1::VERDICT_RATING_UNPROVEN},
      {"unverified", v1::VERDICT_RATING_UNPROVEN},
      {"unsupported", v1::VERDICT_RATING_UNPROVEN},
      {"no evidence", v1::VERDICT_RATING_UNPROVEN},
      {"unsubstantiated", v1::VERDICT_RATING_UNPROVEN},
      {"needs context", v1::VERDICT_RATING_UNPROVEN},
      {"research in progress", v1::VERDICT_RATING_UNPROVEN},
  };
  return *kTable;
}

}  // namespace

std::optional<v1::VerdictRating> RatingFromName(absl::string_view name) {
  auto it = Table().find(Normalize(name));
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

std::optional<v1::VerdictRating> RatingFromValue(double value, double worst,
                                                 double best) {
  if (!(best > worst) || value < worst || value > best) return std::nullopt;
  const double position = (value - worst) / (best - worst);  // 0..1
  if (position >= 0.8) return v1::VERDICT_RATING_TRUE;
  if (position >= 0.6) return v1::VERDICT_RATING_MOSTLY_TRUE;
  if (position > 0.4) return v1::VERDICT_RATING_MIXED;
  if (position > 0.2) return v1::VERDICT_RATING_MOSTLY_FALSE;
  return v1::VERDICT_RATING_FALSE;
}

std::string CanonicalRatingName(v1::VerdictRating rating) {
  switch (rating) {
    case v1::VERDICT_RATING_TRUE:
      return "True";
    case v1::VERDICT_RATING_MOSTLY_TRUE:
      return "Mostly true";
    case v1::VERDICT_RATING_MIXED:
      return "Mixed";
    case v1::VERDICT_RATING_MOSTLY_FALSE:
      return "Mostly false";
    case v1::VERDICT_RATING_FALSE:
      return "False";
    case v1::VERDICT_RATING_MISLEADING:
      return "Misleading";
    case v1::VERDICT_RATING_UNPROVEN:
      return "Unproven";
    default:
      return "";
  }
}

std::optional<int> RatingValue(v1::VerdictRating rating) {
  switch (rating) {
    case v1::VERDICT_RATING_TRUE:
      return 5;
    case v1::VERDICT_RATING_MOSTLY_TRUE:
      return 4;
    case v1::VERDICT_RATING_MIXED:
      return 3;
    case v1::VERDICT_RATING_MOSTLY_FALSE:
      return 2;
    case v1::VERDICT_RATING_FALSE:
      return 1;
    default:
      return std::nullopt;
  }
}

}  // namespace interchange
}  // namespace claimtrail
