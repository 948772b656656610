// The data an audit or an export works on, and how to gather it.
//
// An audit is a pure function of claim histories and sources (audit.h);
// AuditInput carries them so that reports can be built and tested without
// storage. LoadAuditInput fills one from storage for a selection.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_INPUT_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_INPUT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace report {

struct AuditInput {
  // Each claim's events in revision order, from revision 1, as committed
  // (redacted events keep their place with no payload). Claims in any order.
  std::vector<std::vector<v1::Event>> histories;
  // Every source the histories may name (attribution hops, figure sources,
  // stance parties, affiliations). Sources have no history: an audit as of
  // an earlier time shows their current names, kinds and grades.
  std::vector<v1::Source> sources;
  // The time an unset `as_of` stands for.
  absl::Time now = absl::UnixEpoch();
};

// Reads from `storage` what an audit or export of `selection` needs: the
// events of every claim the selection may cover (a superset: the selection
// itself is applied, as of the requested time, by SelectClaims) and all
// sources. `now` becomes AuditInput::now.
// OK: the input; claims named in selection.claims that do not exist are
//   left out (SelectClaims reports them as NOT_FOUND).
// INVALID_ARGUMENT: a malformed claim or source name in the selection (the
//   message names "selection.claims[i]" / "selection.source").
// Other errors: storage read failures, as Storage reports them.
// Thread-safe as far as `storage` is (Storage is).
absl::StatusOr<AuditInput> LoadAuditInput(storage::Storage& storage,
                                          const v1::ClaimSelection& selection,
                                          absl::Time now);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_AUDIT_INPUT_H_
