// ClaimReview rating names <-> VerdictRating.
//
// Import maps a review's textual rating (reviewRating.alternateName, else
// reviewRating.name) through this table; the match ignores case, spaces,
// hyphens, underscores and punctuation at the ends ("Mostly-true!" matches
// "mostly true"):
//
//   true, correct, accurate                          -> TRUE
//   mostly true, mostly correct, mostly accurate      -> MOSTLY_TRUE
//   half true, mixed, mixture, partly true,
//     partly false, half false                       -> MIXED
//   mostly false, mostly incorrect                   -> MOSTLY_FALSE
//   false, incorrect, pants on fire, fake, wrong,
//     inaccurate, four pinocchios                    -> FALSE
//   misleading, missing context, lacks context,
//     out of context, distorts the facts,
//     cherry picks                                   -> MISLEADING
//   unproven, unverified, unsupported, no evidence,
//     unsubstantiated, needs context, research in
//     progress                                       -> UNPROVEN
//
// A numeric ratingValue on a worstRating..bestRating scale (default 1..5)
// is mapped by its position: the top fifth TRUE, then MOSTLY_TRUE, MIXED,
// MOSTLY_FALSE, and the bottom fifth FALSE. It decides the rating when there
// is no textual rating, and when the textual rating is not in the table
// (a publisher's own words, e.g. "Faux" with ratingValue 1 is FALSE); the
// words are then kept in Verdict.rating_text. Words outside the table
// without a usable ratingValue (none, or outside the scale) are UNPROVEN,
// with the words kept.
//
// Export writes alternateName = the verdict's rating_text when given, else
// the canonical name below, and ratingValue 1-5 (FALSE .. TRUE) for the
// five-step ratings (none for MISLEADING and UNPROVEN).
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_RATING_TABLE_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_RATING_TABLE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace interchange {

// The rating a name maps to by the table; nullopt when it is not in it.
std::optional<v1::VerdictRating> RatingFromName(absl::string_view name);

// The rating of a value on a worst..best scale; nullopt when the scale is
// empty or the value is outside it.
std::optional<v1::VerdictRating> RatingFromValue(double value, double worst,
                                                 double best);

// "True", "Mostly true", "Mixed", "Mostly false", "False", "Misleading",
// "Unproven"; "" for UNSPECIFIED.
std::string CanonicalRatingName(v1::VerdictRating rating);

// 5 (TRUE) .. 1 (FALSE); nullopt for MISLEADING, UNPROVEN, UNSPECIFIED.
std::optional<int> RatingValue(v1::VerdictRating rating);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_RATING_TABLE_H_
