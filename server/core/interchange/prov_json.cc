#include "server/core/interchange/prov_json.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/core/interchange/json_text.h"
#include "server/core/render.h"
#include "server/core/report/sourcing.h"

namespace claimtrail {
namespace interchange {
namespace {

using report::SelectedClaim;
using report::SourceDirectory;
using HopList = google::protobuf::RepeatedPtrField<v1::AttributionHop>;

std::string Id(absl::string_view resource) {
  return absl::StrCat("ctr:", resource);
}

Json QName(absl::string_view name) {
  return {{"$", std::string(name)}, {"type", "prov:QUALIFIED_NAME"}};
}

Json DateTime(const google::protobuf::Timestamp& time) {
  return {{"$", core::FormatTimestamp(time)}, {"type", "xsd:dateTime"}};
}

// Accumulates records by kind, with generated ids for relations.
class ProvDocument {
 public:
  ProvDocument() {
    doc_["prefix"] = {{"ct", "https://claimtrail.org/ns#"},
                      {"ctr", "https://claimtrail.org/resource/"}};
  }

  Json& Record(const char* kind, const std::string& id) {
    return doc_[kind][id];
  }

  // A relation record with a fresh blank-node id.
  Json& Relation(const char* kind) {
    return doc_[kind][absl::StrCat("_:", kind, ++relations_)];
  }

  void Derivation(const std::string& generated, const std::string& used,
                  const char* type) {
    Json& relation = Relation("wasDerivedFrom");
    relation["prov:generatedEntity"] = generated;
    relation["prov:usedEntity"] = used;
    relation["prov:type"] = QName(type);
  }

  void AttributedTo(const std::string& entity, const std::string& agent) {
    const std::string key = absl::StrCat(entity, "\n", agent);
    if (!attributions_.insert(key).second) return;
    Json& relation = Relation("wasAttributedTo");
    relation["prov:entity"] = entity;
    relation["prov:agent"] = agent;
  }

  Json Finish() { return std::move(doc_); }

 private:
  Json doc_ = Json::object();
  int relations_ = 0;
  std::set<std::string> attributions_;
};

class Exporter {
 public:
  explicit Exporter(const SourceDirectory& sources) : sources_(sources) {}

  void AddClaim(const SelectedClaim& selected) {
    const v1::Claim& claim = selected.claim;
    const std::string claim_id = Id(claim.name());
    Json& entity = doc_.Record("entity", claim_id);
    entity["prov:type"] = QName("ct:Claim");
    entity["prov:label"] = claim.text();
    entity["ct:state"] = core::EnumLabel(claim.state());
    if (!claim.state_summary().empty()) {
      entity["ct:stateSummary"] = claim.state_summary();
    }
    if (!claim.language().empty()) entity["ct:language"] = claim.language();

    AddRevisions(selected, claim_id);
    AddChains(claim, claim_id);
    AddFigures(selected, claim_id);
    AddStances(selected, claim_id);
  }

  Json Finish() {
    // Agents last: every source named above, with its affiliations.
    std::set<std::string> done;
    while (!agents_.empty()) {
      const std::string name = *agents_.begin();
      agents_.erase(agents_.begin());
      if (!done.insert(name).second) continue;
      Json& agent = doc_.Record("agent", Id(name));
      const v1::Source* source = sources_.Find(name);
      if (source == nullptr) {
        agent["prov:type"] = QName("prov:Agent");
        agent["prov:label"] = name;
        continue;
      }
      const bool person = source->kind() == v1::SOURCE_KIND_PERSON ||
                          source->kind() == v1::SOURCE_KIND_OFFICIAL;
      agent["prov:type"] = QName(person ? "prov:Person" : "prov:Organization");
      agent["prov:label"] = source->display_name();
      agent["ct:kind"] = core::EnumLabel(source->kind());
      if (source->reliability() != v1::RELIABILITY_GRADE_UNSPECIFIED) {
        agent["ct:reliability"] =
            std::string(1, 'A' + (source->reliability() - 1));
      }
      if (!source->affiliation().empty()) {
        Json& delegation = doc_.Relation("actedOnBehalfOf");
        delegation["prov:delegate"] = Id(name);
        delegation["prov:responsible"] = Id(source->affiliation());
        if (done.count(source->affiliation()) == 0) {
          agents_.insert(source->affiliation());
        }
      }
    }
    return doc_.Finish();
  }

 private:
  void AddRevisions(const SelectedClaim& selected,
                    const std::string& claim_id) {
    std::string previous;
    for (const v1::Event& event : selected.events) {
      const std::string revision = Id(event.name());
      Json& entity = doc_.Record("entity", revision);
      entity["prov:type"] = QName("ct:ClaimRevision");
      entity["ct:revision"] = event.revision();
      entity["ct:event"] = core::EnumLabel(event.kind());
      entity["ct:recordedTime"] = DateTime(event.recorded_time());
      if (event.has_asserted_time()) {
        entity["ct:assertedTime"] = DateTime(event.asserted_time());
      }
      Json& specialization = doc_.Relation("specializationOf");
      specialization["prov:specificEntity"] = revision;
      specialization["prov:generalEntity"] = claim_id;
      if (!previous.empty()) {
        doc_.Derivation(revision, previous, "prov:Revision");
      }
      if (event.has_retracted()) {
        const std::string activity = absl::StrCat(revision, "/retraction");
        Json& record = doc_.Record("activity", activity);
        record["prov:type"] = QName("ct:Retraction");
        record["prov:label"] = event.retracted().reason();
        record["prov:startTime"] = core::FormatTimestamp(event.recorded_time());
        record["prov:endTime"] = core::FormatTimestamp(event.recorded_time());
        if (!event.author().empty()) {
          Json& association = doc_.Relation("wasAssociatedWith");
          association["prov:activity"] = activity;
          association["prov:agent"] = Id(event.author());
          agents_.insert(event.author());
        }
        for (const std::string& invalidated : {claim_id, previous}) {
          if (invalidated.empty()) continue;
          Json& invalidation = doc_.Relation("wasInvalidatedBy");
          invalidation["prov:entity"] = invalidated;
          invalidation["prov:activity"] = activity;
          invalidation["prov:time"] =
              core::FormatTimestamp(event.recorded_time());
        }
      }
      previous = revision;
    }
  }

  // The statements of one chain; links `target` (the claim or a figure
  // revision) to them.
  void AddChain(const HopList& hops, const std::string& prefix,
                const std::string& target) {
    std::string previous;
    for (int k = 0; k < hops.size(); ++k) {
      const v1::AttributionHop& hop = hops[k];
      const std::string statement = absl::StrCat(prefix, "/", k + 1);
      Json& entity = doc_.Record("entity", statement);
      entity["prov:type"] = QName("ct:Statement");
      entity["prov:label"] = absl::StrCat(sources_.DisplayName(hop.source()),
                                          " (", core::EnumLabel(hop.verb()),
                                          ")");
      entity["ct:verb"] = core::EnumLabel(hop.verb());
      if (report::IsAnonymous(hop, sources_)) {
        entity["ct:anonymous"] = true;
        if (!hop.anonymity_reason().empty()) {
          entity["ct:anonymityReason"] = hop.anonymity_reason();
        }
      }
      if (hop.credibility() > 0) entity["ct:credibility"] = hop.credibility();
      if (!hop.appearance().url().empty()) {
        entity["ct:appearance"] = hop.appearance().url();
      }
      doc_.AttributedTo(statement, Id(hop.source()));
      agents_.insert(hop.source());
      if (previous.empty()) {
        doc_.Derivation(target, statement, "prov:PrimarySource");
        doc_.AttributedTo(target, Id(hop.source()));
      } else {
        doc_.Derivation(statement, previous, "prov:Quotation");
      }
      previous = statement;
    }
    if (!previous.empty()) doc_.Derivation(target, previous, "prov:Quotation");
  }

  void AddChains(const v1::Claim& claim, const std::string& claim_id) {
    std::set<std::string> seen;
    const auto key = [](const HopList& hops) {
      std::string out;
      for (const v1::AttributionHop& hop : hops) {
        absl::StrAppend(&out, hop.source(), "\n");
      }
      return out;
    };
    for (const v1::Attribution& attribution : claim.attributions()) {
      if (attribution.hops().empty() ||
          !seen.insert(key(attribution.hops())).second) {
        continue;
      }
      AddChain(attribution.hops(),
               absl::StrCat(claim_id, "/chains/", attribution.attribution_id()),
               claim_id);
    }
  }

  void AddFigures(const SelectedClaim& selected, const std::string& claim_id) {
    std::map<std::string, int> revisions;
    for (const v1::Event& event : selected.events) {
      std::vector<const v1::Figure*> figures;
      if (event.has_claim_created()) {
        for (const v1::Figure& figure : event.claim_created().claim().figures()) {
          figures.push_back(&figure);
        }
      } else if (event.has_figure_revised()) {
        figures.push_back(&event.figure_revised());
      }
      for (const v1::Figure* figure : figures) {
        const int revision = ++revisions[figure->figure_id()];
        const std::string base =
            absl::StrCat(claim_id, "/figures/", figure->figure_id());
        const std::string id = absl::StrCat(base, "/", revision);
        Json& entity = doc_.Record("entity", id);
        entity["prov:type"] = QName("ct:FigureRevision");
        entity["prov:value"] = core::DescribeFigure(*figure);
        if (!figure->label().empty()) entity["prov:label"] = figure->label();
        entity["ct:recordedTime"] = DateTime(event.recorded_time());
        Json& member = doc_.Relation("wasDerivedFrom");
        member["prov:generatedEntity"] = Id(event.name());
        member["prov:usedEntity"] = id;
        if (revision > 1) {
          doc_.Derivation(id, absl::StrCat(base, "/", revision - 1),
                          "prov:Revision");
        }
        AddChain(figure->sources(), absl::StrCat(id, "/sources"), id);
      }
    }
  }

  void AddStances(const SelectedClaim& selected, const std::string& claim_id) {
    int k = 0;
    for (const v1::Event& event : selected.events) {
      std::vector<const v1::Stance*> stances;
      if (event.has_claim_created()) {
        for (const v1::Stance& stance : event.claim_created().claim().stances()) {
          stances.push_back(&stance);
        }
      } else if (event.has_stance_recorded()) {
        stances.push_back(&event.stance_recorded());
      }
      for (const v1::Stance* stance : stances) {
        const std::string id = absl::StrCat(claim_id, "/stances/", ++k);
        Json& entity = doc_.Record("entity", id);
        entity["prov:type"] = QName("ct:Stance");
        entity["ct:position"] = core::EnumLabel(stance->position());
        entity["prov:label"] = absl::StrCat(
            sources_.DisplayName(stance->party()), ": ",
            core::DescribeStance(*stance));
        entity["ct:recordedTime"] = DateTime(event.recorded_time());
        doc_.AttributedTo(id, Id(stance->party()));
        agents_.insert(stance->party());
        Json& about = doc_.Relation("wasDerivedFrom");
        about["prov:generatedEntity"] = Id(event.name());
        about["prov:usedEntity"] = id;
      }
    }
  }

  const SourceDirectory& sources_;
  ProvDocument doc_;
  std::set<std::string> agents_;
};

}  // namespace

ExportResult ExportProvJson(const std::vector<SelectedClaim>& claims,
                            const SourceDirectory& sources) {
  Exporter exporter(sources);
  for (const SelectedClaim& claim : claims) exporter.AddClaim(claim);
  ExportResult result;
  result.items = static_cast<int>(claims.size());
  result.content = DumpJson(exporter.Finish());
  return result;
}

}  // namespace interchange
}  // namespace claimtrail
