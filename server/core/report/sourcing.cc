#include "server/core/report/sourcing.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/render.h"

namespace claimtrail {
namespace report {
namespace {

using HopList = google::protobuf::RepeatedPtrField<v1::AttributionHop>;

struct RawChain {
  std::string chain_id;
  std::string figure_id;
  const HopList* hops;
};

// The chains of a claim, in order recorded: attributions, then each current
// figure's own sources.
std::vector<RawChain> ChainsOf(const v1::Claim& claim) {
  std::vector<RawChain> chains;
  for (const v1::Attribution& attribution : claim.attributions()) {
    if (attribution.hops().empty()) continue;
    chains.push_back({attribution.attribution_id(), attribution.figure_id(),
                      &attribution.hops()});
  }
  for (const v1::Figure& figure : claim.figures()) {
    if (figure.sources().empty()) continue;
    chains.push_back({absl::StrCat("figures[", figure.figure_id(), "]"),
                      figure.figure_id(), &figure.sources()});
  }
  return chains;
}

// Identity of a chain for de-duplication: its sequence of sources.
std::string ChainKey(const HopList& hops) {
  std::vector<std::string> names;
  for (const v1::AttributionHop& hop : hops) names.push_back(hop.source());
  return absl::StrJoin(names, "\n");
}

void AddUnique(std::vector<std::string>* names, const std::string& name) {
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    names->push_back(name);
  }
}

v1::HopAudit AuditHop(const v1::AttributionHop& hop,
                      const SourceDirectory& sources) {
  v1::HopAudit audit;
  audit.set_source(hop.source());
  audit.set_display_name(sources.DisplayName(hop.source()));
  audit.set_verb(hop.verb());
  audit.set_anonymous(IsAnonymous(hop, sources));
  audit.set_anonymity_reason(hop.anonymity_reason());
  audit.set_credibility(hop.credibility());
  if (const v1::Source* source = sources.Find(hop.source())) {
    audit.set_reliability(source->reliability());
  }
  return audit;
}

std::string OriginLabel(const v1::OriginAudit& origin) {
  std::string label = absl::StrJoin(origin.primary_display_names(), " + ");
  const bool root_is_primary =
      std::find(origin.primaries().begin(), origin.primaries().end(),
                origin.origin()) != origin.primaries().end();
  if (!root_is_primary) {
    absl::StrAppend(&label, ", for ", origin.display_name());
  }
  return label;
}

}  // namespace

bool IsAnonymous(const v1::AttributionHop& hop,
                 const SourceDirectory& sources) {
  if (hop.anonymous()) return true;
  const v1::Source* source = sources.Find(hop.source());
  return source != nullptr && source->kind() == v1::SOURCE_KIND_ANONYMOUS;
}

std::string DescribeChain(const HopList& hops, const SourceDirectory& sources) {
  std::vector<std::string> parts;
  for (const v1::AttributionHop& hop : hops) {
    std::string how = core::EnumLabel(hop.verb());
    if (hop.verb() == v1::ATTRIBUTION_VERB_UNSPECIFIED) how = "";
    if (IsAnonymous(hop, sources)) {
      how = how.empty() ? "anonymous" : absl::StrCat(how, ", anonymous");
    }
    std::string part = sources.DisplayName(hop.source());
    if (!how.empty()) absl::StrAppend(&part, " (", how, ")");
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, " -> ");
}

void AuditSourcing(const v1::Claim& claim, const SourceDirectory& sources,
                   v1::ClaimAudit* audit) {
  std::map<std::string, std::string> first_chain;  // ChainKey -> chain_id
  std::map<std::string, int> origin_index;  // origin -> index in origins
  std::map<std::string, int> anonymous_chains;  // origin -> count
  std::vector<std::string> relays;
  std::set<int32_t> grades;
  int anonymous_primaries = 0;
  int max_depth = 0;

  for (const RawChain& raw : ChainsOf(claim)) {
    const HopList& hops = *raw.hops;
    v1::ChainAudit* chain = audit->add_chains();
    chain->set_chain_id(raw.chain_id);
    chain->set_figure_id(raw.figure_id);
    chain->set_description(DescribeChain(hops, sources));
    const std::string& primary = hops[0].source();
    const std::string origin_name = sources.Origin(primary);
    chain->set_origin(origin_name);
    for (const v1::AttributionHop& hop : hops) {
      *chain->add_hops() = AuditHop(hop, sources);
    }
    const auto [first, is_new] =
        first_chain.emplace(ChainKey(hops), raw.chain_id);
    if (!is_new) {
      // Listed, so that an auditor sees every recorded route and where it
      // was seen; counted once, since it is the same route.
      chain->set_same_sources_as(first->second);
      absl::StrAppend(chain->mutable_description(), " (same sources as ",
                      first->second, ")");
      continue;
    }
    for (int i = 0; i < hops.size(); ++i) {
      if (hops[i].credibility() > 0) grades.insert(hops[i].credibility());
      if (IsAnonymous(hops[i], sources)) {
        v1::AnonymousHopAudit* anonymous = audit->add_anonymous_hops();
        anonymous->set_chain_id(raw.chain_id);
        anonymous->set_position(i + 1);
        anonymous->set_source(hops[i].source());
        anonymous->set_display_name(sources.DisplayName(hops[i].source()));
        anonymous->set_reason(hops[i].anonymity_reason());
      }
    }
    max_depth = std::max(max_depth, hops.size());

    auto [it, added] =
        origin_index.emplace(origin_name, audit->origins_size());
    v1::OriginAudit* origin = added ? audit->add_origins()
                                    : audit->mutable_origins(it->second);
    if (added) {
      origin->set_origin(origin_name);
      origin->set_display_name(sources.DisplayName(origin_name));
    }
    origin->set_chain_count(origin->chain_count() + 1);
    if (std::find(origin->primaries().begin(), origin->primaries().end(),
                  primary) == origin->primaries().end()) {
      origin->add_primaries(primary);
      origin->add_primary_display_names(sources.DisplayName(primary));
    }
    const bool anonymous_primary = IsAnonymous(hops[0], sources);
    if (anonymous_primary) {
      ++anonymous_primaries;
      ++anonymous_chains[origin_name];
    }
    for (int i = 1; i < hops.size(); ++i) {
      const std::string& relay = hops[i].source();
      if (sources.Origin(relay) == origin_name) continue;
      AddUnique(&relays, relay);
      if (std::find(origin->relays().begin(), origin->relays().end(), relay) ==
          origin->relays().end()) {
        origin->add_relays(relay);
        origin->add_relay_display_names(sources.DisplayName(relay));
      }
    }
  }

  for (v1::OriginAudit& origin : *audit->mutable_origins()) {
    origin.set_anonymous(anonymous_chains[origin.origin()] ==
                         origin.chain_count());
    origin.set_label(OriginLabel(origin));
  }
  const int chains = static_cast<int>(first_chain.size());
  audit->set_independent_origins(audit->origins_size());
  audit->set_relay_count(static_cast<int32_t>(relays.size()));
  audit->set_echo_count(chains - audit->origins_size());
  audit->set_max_chain_depth(max_depth);
  audit->set_single_source(audit->origins_size() == 1);
  audit->set_anonymous_only(chains > 0 && anonymous_primaries == chains);
  audit->set_unsourced(chains == 0);
  for (int32_t grade : grades) audit->add_credibility_grades(grade);
}

}  // namespace report
}  // namespace claimtrail
