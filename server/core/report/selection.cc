#include "server/core/report/selection.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/core/fold.h"
#include "server/core/limits.h"
#include "server/core/render.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace report {
namespace {

// Affiliation chains longer than this are treated as cycles (Ledger forbids
// cycles; this guards a corrupt or hand-made input).
constexpr int kMaxAffiliationDepth = 64;

bool HasAppearance(const v1::Claim& claim, absl::string_view url) {
  for (const v1::Appearance& appearance : claim.appearances()) {
    if (appearance.url() == url) return true;
  }
  for (const v1::Attribution& attribution : claim.attributions()) {
    for (const v1::AttributionHop& hop : attribution.hops()) {
      if (hop.appearance().url() == url) return true;
    }
  }
  return false;
}

bool HasTopic(const v1::Claim& claim, absl::string_view topic) {
  return std::find(claim.topics().begin(), claim.topics().end(), topic) !=
         claim.topics().end();
}

bool Matches(const v1::Claim& claim, const v1::ClaimSelection& selection) {
  if (!selection.include_merged() && !claim.merged_into().empty() &&
      selection.claims().empty()) {
    return false;
  }
  if (!selection.topic().empty() && !HasTopic(claim, selection.topic())) {
    return false;
  }
  if (!selection.source().empty()) {
    const std::vector<std::string> attributed = AttributedSources(claim);
    if (std::find(attributed.begin(), attributed.end(), selection.source()) ==
        attributed.end()) {
      return false;
    }
  }
  if (!selection.appearance_url().empty() &&
      !HasAppearance(claim, selection.appearance_url())) {
    return false;
  }
  const absl::Time created = FromProtoTime(claim.create_time());
  if (selection.has_recorded_after() &&
      created < FromProtoTime(selection.recorded_after())) {
    return false;
  }
  if (selection.has_recorded_before() &&
      created > FromProtoTime(selection.recorded_before())) {
    return false;
  }
  return true;
}

std::string ClaimNameOfHistory(const std::vector<v1::Event>& events) {
  if (events.empty()) return "";
  const std::string& name = events.front().name();
  const size_t infix = name.rfind("/events/");
  return infix == std::string::npos ? "" : name.substr(0, infix);
}

}  // namespace

SourceDirectory::SourceDirectory(const std::vector<v1::Source>& sources) {
  for (const v1::Source& source : sources) by_name_[source.name()] = &source;
}

const v1::Source* SourceDirectory::Find(absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::string SourceDirectory::DisplayName(absl::string_view name) const {
  const v1::Source* source = Find(name);
  if (source == nullptr || source->display_name().empty()) {
    return std::string(name);
  }
  return source->display_name();
}

std::string SourceDirectory::Origin(absl::string_view name) const {
  std::string current(name);
  std::set<std::string> seen = {current};
  for (int depth = 0; depth < kMaxAffiliationDepth; ++depth) {
    const v1::Source* source = Find(current);
    if (source == nullptr || source->affiliation().empty() ||
        !seen.insert(source->affiliation()).second) {
      return current;
    }
    current = source->affiliation();
  }
  return current;
}

absl::Status ValidateTimestamp(absl::string_view field,
                               const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < core::kMinTimestampSeconds ||
      timestamp.seconds() > core::kMaxTimestampSeconds ||
      timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": timestamp out of range (seconds=",
                     timestamp.seconds(), ", nanos=", timestamp.nanos(), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateSelection(absl::string_view field,
                               const v1::ClaimSelection& selection) {
  if (selection.claims_size() > core::kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".claims: at most ", core::kMaxPageSize,
                     " claims, got ", selection.claims_size()));
  }
  for (int i = 0; i < selection.claims_size(); ++i) {
    RETURN_IF_ERROR(
        core::ParseClaimName(absl::StrCat(field, ".claims[", i, "]"),
                             selection.claims(i))
            .status());
  }
  if (!selection.source().empty()) {
    RETURN_IF_ERROR(core::ParseSourceName(absl::StrCat(field, ".source"),
                                          selection.source())
                        .status());
  }
  if (selection.has_recorded_after()) {
    RETURN_IF_ERROR(ValidateTimestamp(absl::StrCat(field, ".recorded_after"),
                                      selection.recorded_after()));
  }
  if (selection.has_recorded_before()) {
    RETURN_IF_ERROR(ValidateTimestamp(absl::StrCat(field, ".recorded_before"),
                                      selection.recorded_before()));
  }
  if (selection.has_recorded_after() && selection.has_recorded_before() &&
      FromProtoTime(selection.recorded_before()) <
          FromProtoTime(selection.recorded_after())) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".recorded_before: must not precede recorded_after"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SelectedClaim>> SelectClaims(
    const AuditInput& input, const SourceDirectory& sources,
    const v1::ClaimSelection& selection, absl::Time as_of) {
  std::map<std::string, const std::vector<v1::Event>*> histories;
  for (const std::vector<v1::Event>& events : input.histories) {
    const std::string name = ClaimNameOfHistory(events);
    if (!name.empty()) histories[name] = &events;
  }
  const std::set<std::string> wanted(selection.claims().begin(),
                                     selection.claims().end());
  for (const std::string& name : wanted) {
    if (histories.count(name) == 0) {
      return absl::NotFoundError(absl::StrCat(name, " not found"));
    }
  }

  const auto party_name = [&sources](const std::string& name) {
    return sources.DisplayName(name);
  };
  std::vector<SelectedClaim> selected;
  for (const auto& [name, events] : histories) {
    if (!wanted.empty() && wanted.count(name) == 0) continue;
    // Recorded times never go back within a claim (the Ledger guarantees
    // it), so the events up to as_of are a prefix.
    size_t count = 0;
    while (count < events->size() &&
           FromProtoTime((*events)[count].recorded_time()) <= as_of) {
      ++count;
    }
    if (count == 0) {
      if (wanted.count(name) > 0) {
        return absl::NotFoundError(
            absl::StrCat(name, " did not exist yet at ",
                         core::FormatTimestamp(ToProtoTime(as_of))));
      }
      continue;
    }
    SelectedClaim claim;
    claim.events = absl::MakeConstSpan(events->data(), count);
    ASSIGN_OR_RETURN(claim.claim, core::Fold(claim.events));
    if (!Matches(claim.claim, selection)) continue;
    claim.claim.set_state_summary(core::StateSummary(claim.claim, party_name));
    selected.push_back(std::move(claim));
  }
  return selected;
}

absl::Time AsOfTime(const google::protobuf::Timestamp& as_of, bool has_as_of,
                    absl::Time now) {
  return has_as_of ? FromProtoTime(as_of) : now;
}

std::vector<std::string> AttributedSources(const v1::Claim& claim) {
  std::vector<std::string> names;
  const auto add = [&names](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  };
  for (const v1::Attribution& attribution : claim.attributions()) {
    for (const v1::AttributionHop& hop : attribution.hops()) add(hop.source());
  }
  for (const v1::Figure& figure : claim.figures()) {
    for (const v1::AttributionHop& hop : figure.sources()) add(hop.source());
  }
  return names;
}

}  // namespace report
}  // namespace claimtrail
