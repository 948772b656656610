#include "server/core/ledger_summary.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "server/core/fold.h"

namespace claimtrail {
namespace core {

void FillStateSummary(const SourceLookup& lookup, v1::Claim* claim) {
  std::map<std::string, std::string> names;  // One lookup per party.
  auto party_name = [&](const std::string& name) -> std::string {
    auto it = names.find(name);
    if (it != names.end()) return it->second;
    std::string display = name;
    constexpr absl::string_view kPrefix = "sources/";
    if (absl::StartsWith(name, kPrefix)) {
      absl::StatusOr<std::optional<v1::Source>> source =
          lookup(name.substr(kPrefix.size()));
      if (source.ok() && source->has_value() &&
          !(*source)->display_name().empty()) {
        display = (*source)->display_name();
      }
    }
    names.emplace(name, display);
    return display;
  };
  claim->set_state_summary(StateSummary(*claim, party_name));
}

}  // namespace core
}  // namespace claimtrail
