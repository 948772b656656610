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
// When alternateName is a publisher's own words (not in the table), a
// reviewRating.name that is in the table decides the rating ("Engañoso"
// named "Misleading" is MISLEADING). Else a numeric ratingValue on a
// worstRating..bestRating scale (default 1..5), mapped by its position: the
// top fifth TRUE, then MOSTLY_TRUE, MIXED, MOSTLY_FALSE, and the bottom
// fifth FALSE ("Faux" with ratingValue 1 is FALSE); the value also decides
// when there are no words at all. The words are kept in
// Verdict.rating_text. Words that neither names nor a usable ratingValue
// place (none, or outside the scale) are UNPROVEN, with the words kept.
//
// Export writes name = the canonical name below, alternateName = the
// verdict's rating_text when given, else the canonical name, and
// ratingValue 1-5 (FALSE .. TRUE) for the five-step ratings (none for
// MISLEADING and UNPROVEN), so every verdict comes back as itself.
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
