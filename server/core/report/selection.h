// Applying a ClaimSelection to an AuditInput as of a recorded time, and the
// source look-ups that audits and exports share.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_SELECTION_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_SELECTION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/report/audit_input.h"
#include "server/util/proto_time.h"

namespace claimtrail {
namespace report {

// Sources by resource name. Holds pointers into the vector it was built
// from, which must outlive it. Thread-compatible.
class SourceDirectory {
 public:
  explicit SourceDirectory(const std::vector<v1::Source>& sources);

  // The source, or nullptr when unknown.
  const v1::Source* Find(absl::string_view name) const;
  // Its display name; the resource name itself when unknown or unnamed.
  std::string DisplayName(absl::string_view name) const;
  // The root of its affiliation chain: follows `affiliation` until a source
  // has none (or is unknown, or a cycle would repeat). The source itself when
  // it has no affiliation. See OriginAudit in report.proto.
  std::string Origin(absl::string_view name) const;

 private:
  std::map<std::string, const v1::Source*, std::less<>> by_name_;
};

// One selected claim as of the selection's time.
struct SelectedClaim {
  // The fold of `events`, with state_summary filled in.
  v1::Claim claim;
  // The claim's events recorded at or before as_of, in revision order;
  // points into the AuditInput.
  absl::Span<const v1::Event> events;
};

// INVALID_ARGUMENT (message starting with `field`, e.g. "selection.claims[0]:
// ...") when a name is malformed, a time is out of range, or
// recorded_before precedes recorded_after. Pure.
absl::Status ValidateSelection(absl::string_view field,
                               const v1::ClaimSelection& selection);

// INVALID_ARGUMENT naming `field` when the timestamp is out of range.
absl::Status ValidateTimestamp(absl::string_view field,
                               const google::protobuf::Timestamp& timestamp);

// The claims of `input` that `selection` covers as of recorded time `as_of`,
// in claim-name order. Assumes ValidateSelection passed.
// NOT_FOUND: a claim named in selection.claims is not in the input, or did
//   not exist yet at as_of.
// INTERNAL: a history does not fold (corrupt).
// Pure.
absl::StatusOr<std::vector<SelectedClaim>> SelectClaims(
    const AuditInput& input, const SourceDirectory& sources,
    const v1::ClaimSelection& selection, absl::Time as_of);

// The time an optional request timestamp stands for: `now` when unset.
absl::Time AsOfTime(const google::protobuf::Timestamp& as_of, bool has_as_of,
                    absl::Time now);


// Every source named by any hop of any chain of the claim (attributions and
// figures' sources), in order of first appearance.
std::vector<std::string> AttributedSources(const v1::Claim& claim);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_SELECTION_H_
