// state_summary is not stored: it names parties by their current display
// names, which can change after the claim's last event. Reads and mutation
// responses fill it through a source lookup.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_SUMMARY_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_SUMMARY_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace core {

// Looks a source up by id; nullopt when absent.
using SourceLookup = std::function<absl::StatusOr<std::optional<v1::Source>>(
    const std::string&)>;

// Sets claim->state_summary with StateSummary, naming each party by its
// display name (by resource name when it cannot be read).
void FillStateSummary(const SourceLookup& lookup, v1::Claim* claim);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_SUMMARY_H_
