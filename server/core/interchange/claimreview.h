// schema.org ClaimReview JSON-LD: export of verdicts, import of reviews.
//
// Export: one ClaimReview per selected claim with a verdict, as a feed
//   {"@context": "https://schema.org", "@graph": [ClaimReview, ...]}.
//   ClaimReview: identifier (the claim's name), url (review_url),
//   datePublished (the verdict's record time), claimReviewed (text),
//   inLanguage, author (the publisher: ExportRequest.review_publisher, else
//   the verdict's reviewer), reviewBody (explanation), reviewRating (see
//   rating_table.h) and itemReviewed, a Claim with author (the first chain's
//   primary source, typed by kind: Person for persons and officials,
//   GovernmentOrganization for governments and agencies,
//   NewsMediaOrganization for outlets, wires and state media, NGO, else
//   Organization), datePublished (the earliest appearance), appearance[]
//   (CreativeWork: url, headline, datePublished, publisher) and
//   firstAppearance (the earliest published appearance). Relay chains have
//   no place in ClaimReview; PROV-JSON carries them.
//
// Import: a ClaimReview object, an array of them, or {"@graph": [...]};
//   other @types in a graph are skipped silently. Per review: claimReviewed
//   (required) -> claim text; inLanguage -> language; itemReviewed.author
//   (object or string; the first of an array) -> a one-hop chain (verb
//   said), its @type -> source kind (Person -> person, GovernmentOrganization
//   -> government, NewsMediaOrganization -> news outlet, NGO -> NGO, else
//   other); itemReviewed.appearance and firstAppearance (URL strings or
//   CreativeWorks with url) -> appearances; itemReviewed.datePublished ->
//   the creating event's asserted time; reviewRating (required) -> verdict
//   (rating_table.h); url -> review_url; reviewBody -> explanation;
//   datePublished -> the verdict's asserted time; author.name -> the
//   verdict's note. Dates are RFC 3339 date-times, date-times without a
//   zone ("2025-01-10T09:00:00", as WordPress writes them; read as UTC), or
//   bare dates (UTC midnight).
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CLAIMREVIEW_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CLAIMREVIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/interchange/export_result.h"
#include "server/core/interchange/import_plan.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace interchange {

// The feed for `claims`; claims without a verdict are skipped (counted).
// Pure.
ExportResult ExportClaimReview(const std::vector<report::SelectedClaim>& claims,
                               const report::SourceDirectory& sources,
                               absl::string_view review_publisher);

// The plan for a ClaimReview document. A review that cannot be imported is
// reported in plan.errors with its item number (1-based position among the
// document's reviews) and skipped; the others are planned.
// INVALID_ARGUMENT "content: ..." when the content is not JSON, or is JSON
// of another shape (no object, array or @graph of objects).
absl::StatusOr<ImportPlan> PlanClaimReviewImport(absl::string_view content,
                                                 const ImportOptions& options);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_CLAIMREVIEW_H_
