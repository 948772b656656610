#include "client/cli/human.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/text.h"

namespace claimtrail {
namespace cli {
namespace {

using client::DescribeFigure;
using client::DescribeHop;
using client::EnumLabel;
using client::FormatNumber;
using client::FormatRecordedTime;
using client::FormatTimestamp;
using client::SourceNamer;

std::string OrNone(const std::string& value) {
  return value.empty() ? "(none)" : value;
}

// "label:  value\n", values aligned in one column.
void AppendField(std::string& out, absl::string_view label,
                 absl::string_view value) {
  constexpr size_t kValueColumn = 16;
  std::string head = absl::StrCat(label, ":");
  head.resize(std::max(head.size() + 1, kValueColumn), ' ');
  absl::StrAppend(&out, head, value, "\n");
}

// "https://... (straitstimes.com, published 2025-03-21T00:00:00Z)" plus the
// quote on its own line, indented by `indent`.
std::string DescribeAppearance(const v1::Appearance& appearance,
                               absl::string_view indent) {
  std::vector<std::string> details;
  if (!appearance.outlet().empty()) details.push_back(appearance.outlet());
  if (!appearance.title().empty()) {
    details.push_back(absl::StrCat("\"", appearance.title(), "\""));
  }
  const std::string published = FormatTimestamp(appearance.publish_time());
  if (!published.empty())
    details.push_back(absl::StrCat("published ", published));
  std::string out = appearance.url().empty() ? "(no url)" : appearance.url();
  if (!details.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(details, ", "), ")");
  if (!appearance.quote().empty()) {
    absl::StrAppend(&out, "\n", indent, "\"", appearance.quote(), "\"");
  }
  return out;
}

bool HasAppearance(const v1::Appearance& appearance) {
  return !appearance.url().empty() || !appearance.quote().empty() ||
         !appearance.outlet().empty();
}

std::string DescribeChain(
    const google::protobuf::RepeatedPtrField<v1::AttributionHop>& hops,
    const SourceNamer& namer) {
  std::vector<std::string> parts;
  for (const v1::AttributionHop& hop : hops) {
    parts.push_back(DescribeHop(hop, namer));
  }
  return absl::StrJoin(parts, " -> ");
}

// Hop details beyond the chain line: anonymity reason, credibility, where
// it was seen.
void AppendHopDetails(std::string& out, const v1::AttributionHop& hop,
                      const SourceNamer& namer) {
  const std::string indent = "      ";
  std::vector<std::string> notes;
  if (hop.anonymous() && !hop.anonymity_reason().empty()) {
    notes.push_back(absl::StrCat("anonymous: ", hop.anonymity_reason()));
  }
  if (hop.credibility() != 0) {
    notes.push_back(absl::StrCat("credibility ", hop.credibility()));
  }
  const std::string asserted = FormatTimestamp(hop.asserted_time());
  if (!asserted.empty()) notes.push_back(absl::StrCat("asserted ", asserted));
  if (!notes.empty()) {
    absl::StrAppend(&out, indent, namer(hop.source()), ": ",
                    absl::StrJoin(notes, "; "), "\n");
  }
  if (HasAppearance(hop.appearance())) {
    absl::StrAppend(&out, indent, "seen at ",
                    DescribeAppearance(hop.appearance(), indent + "  "), "\n");
  }
}

std::string DescribeStance(const v1::Stance& stance, const SourceNamer& namer) {
  std::string out =
      absl::StrCat(namer(stance.party()), ": ", EnumLabel(stance.position()));
  if (!stance.statement().empty()) {
    absl::StrAppend(&out, " — \"", stance.statement(), "\"");
  }
  const std::string asserted = FormatTimestamp(stance.asserted_time());
  if (!asserted.empty()) absl::StrAppend(&out, " (asserted ", asserted, ")");
  return out;
}

std::string DescribeVerdict(const v1::Verdict& verdict) {
  std::string out = EnumLabel(verdict.rating());
  if (!verdict.rating_text().empty()) {
    absl::StrAppend(&out, " (\"", verdict.rating_text(), "\")");
  }
  if (!verdict.reviewer().empty())
    absl::StrAppend(&out, " by ", verdict.reviewer());
  if (!verdict.review_url().empty())
    absl::StrAppend(&out, " ", verdict.review_url());
  return out;
}

std::string DescribeRelation(const v1::Relation& relation) {
  std::string type = EnumLabel(relation.type());
  if (relation.type() == v1::RELATION_TYPE_INVERSE) {
    // The other claim holds the forward link: "claims/b supports this".
    std::string out =
        absl::StrCat(relation.target(), " ", EnumLabel(relation.inverse_of()),
                     " this claim");
    if (!relation.note().empty()) absl::StrAppend(&out, " — ", relation.note());
    return out;
  }
  std::string out = absl::StrCat(type, " ", relation.target());
  if (!relation.note().empty()) absl::StrAppend(&out, " — ", relation.note());
  return out;
}

// "2025-06-01T00:00:00Z .. (open)", an unbounded end as "(open)"; empty
// when neither end is set (no valid time given: always true).
std::string DescribeValidTime(const v1::TimeInterval& interval) {
  const std::string start = FormatTimestamp(interval.start_time());
  const std::string end = FormatTimestamp(interval.end_time());
  if (start.empty() && end.empty()) return "";
  return absl::StrCat(start.empty() ? "(open)" : start, " .. ",
                      end.empty() ? "(open)" : end);
}

std::string DescribeFigureLine(const v1::Figure& figure,
                               const SourceNamer& namer) {
  std::string out =
      absl::StrCat(figure.figure_id(), ": ", DescribeFigure(figure));
  if (!figure.label().empty()) absl::StrAppend(&out, " — ", figure.label());
  std::vector<std::string> notes;
  if (figure.revision() > 0)
    notes.push_back(absl::StrCat("revision ", figure.revision()));
  if (figure.sources_size() > 0) {
    notes.push_back(
        absl::StrCat("per ", DescribeChain(figure.sources(), namer)));
  }
  if (!notes.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(notes, ", "), ")");
  return out;
}

}  // namespace

std::string RenderClaim(const v1::Claim& claim, const SourceNamer& namer) {
  std::string out = absl::StrCat(claim.text(), "\n");
  const std::string sourcing = client::SourcingLine(claim, namer);
  if (!sourcing.empty()) absl::StrAppend(&out, sourcing, "\n");
  absl::StrAppend(&out, "\n");
  AppendField(out, "name", claim.name());
  if (!claim.merged_into().empty())
    AppendField(out, "merged into", claim.merged_into());
  if (claim.topics_size() > 0) {
    AppendField(out, "topics", absl::StrJoin(claim.topics(), ", "));
  }
  if (!claim.language().empty()) AppendField(out, "language", claim.language());
  const v1::ClaimParts& parts = claim.parts();
  std::vector<std::string> words;
  for (const std::string* part :
       {&parts.subject(), &parts.predicate(), &parts.object()}) {
    if (!part->empty()) words.push_back(*part);
  }
  if (!parts.place().empty())
    words.push_back(absl::StrCat("in ", parts.place()));
  if (!words.empty()) AppendField(out, "parts", absl::StrJoin(words, " "));
  if (parts.has_period()) {
    AppendField(
        out, "period",
        absl::StrCat(OrNone(FormatTimestamp(parts.period().start_time())),
                     " .. ",
                     OrNone(FormatTimestamp(parts.period().end_time()))));
  }

  if (claim.figures_size() > 0) {
    absl::StrAppend(&out, "figures:\n");
    for (const v1::Figure& figure : claim.figures()) {
      absl::StrAppend(&out, "  ", DescribeFigureLine(figure, namer), "\n");
    }
  }
  if (claim.attributions_size() > 0) {
    absl::StrAppend(&out, "attributions:\n");
    for (const v1::Attribution& attribution : claim.attributions()) {
      absl::StrAppend(&out, "  ", attribution.attribution_id(), ": ",
                      DescribeChain(attribution.hops(), namer));
      if (!attribution.figure_id().empty()) {
        absl::StrAppend(&out, " [figure ", attribution.figure_id(), "]");
      }
      absl::StrAppend(&out, "\n");
      for (const v1::AttributionHop& hop : attribution.hops()) {
        AppendHopDetails(out, hop, namer);
      }
    }
  }
  if (claim.stances_size() > 0) {
    absl::StrAppend(&out, "stances:\n");
    for (const v1::Stance& stance : claim.stances()) {
      absl::StrAppend(&out, "  ", DescribeStance(stance, namer), "\n");
    }
  }
  if (claim.has_verdict() &&
      claim.verdict().rating() != v1::VERDICT_RATING_UNSPECIFIED) {
    AppendField(out, "verdict", DescribeVerdict(claim.verdict()));
    if (!claim.verdict().explanation().empty()) {
      absl::StrAppend(&out, "  ", claim.verdict().explanation(), "\n");
    }
  }
  if (claim.relations_size() > 0) {
    absl::StrAppend(&out, "relations:\n");
    for (const v1::Relation& relation : claim.relations()) {
      absl::StrAppend(&out, "  ", DescribeRelation(relation), "\n");
    }
  }
  if (claim.appearances_size() > 0) {
    absl::StrAppend(&out, "appearances:\n");
    for (const v1::Appearance& appearance : claim.appearances()) {
      absl::StrAppend(&out, "  ", DescribeAppearance(appearance, "    "), "\n");
    }
  }
  std::string state = EnumLabel(claim.state());
  if (!claim.state_summary().empty() && claim.state_summary() != state) {
    absl::StrAppend(&state, " (", claim.state_summary(), ")");
  }
  AppendField(out, "state", state);
  if (!claim.retraction_reason().empty()) {
    AppendField(out, "retracted", claim.retraction_reason());
  }
  AppendField(out, "revision", absl::StrCat(claim.revision()));
  const std::string updated = FormatRecordedTime(claim.update_time());
  if (!updated.empty()) AppendField(out, "updated", updated);
  AppendField(out, "etag", claim.etag());
  return out;
}

std::string RenderSourceLine(const v1::Source& source) {
  std::vector<std::string> notes = {EnumLabel(source.kind())};
  if (!source.country().empty()) notes.push_back(source.country());
  if (source.aliases_size() > 0) {
    notes.push_back(
        absl::StrCat("aka ", absl::StrJoin(source.aliases(), ", ")));
  }
  return absl::StrCat(source.name(), "  ", source.display_name(), " (",
                      absl::StrJoin(notes, "; "), ")");
}

std::string RenderSource(const v1::Source& source) {
  std::string out = absl::StrCat(source.display_name(), "\n\n");
  AppendField(out, "name", source.name());
  AppendField(out, "kind", EnumLabel(source.kind()));
  if (source.aliases_size() > 0) {
    AppendField(out, "aliases", absl::StrJoin(source.aliases(), ", "));
  }
  if (!source.affiliation().empty())
    AppendField(out, "affiliation", source.affiliation());
  if (source.reliability() != v1::RELIABILITY_GRADE_UNSPECIFIED) {
    AppendField(out, "reliability",
                absl::AsciiStrToUpper(EnumLabel(source.reliability())));
  }
  if (!source.country().empty()) AppendField(out, "country", source.country());
  if (!source.url().empty()) AppendField(out, "url", source.url());
  if (!source.description().empty())
    AppendField(out, "description", source.description());
  AppendField(out, "etag", source.etag());
  return out;
}

std::string RenderClaimLine(const v1::Claim& claim) {
  std::string status = EnumLabel(claim.state());
  // A merged duplicate is still listed; say so, or it reads like a claim
  // of its own.
  if (!claim.merged_into().empty()) {
    absl::StrAppend(&status, ", merged into ", claim.merged_into());
  }
  // One claim, one line: a newline in the text would look like another.
  return absl::StrCat(claim.name(), "  [", status, "]  ",
                      EscapeControls(claim.text(), /*one_line=*/true));
}

std::string DescribeEventPayload(const v1::Event& event,
                                 const SourceNamer& namer) {
  if (event.redacted()) return "(redacted)";
  switch (event.payload_case()) {
    case v1::Event::kClaimCreated:
      return absl::StrCat("\"", event.claim_created().claim().text(), "\"");
    case v1::Event::kClaimUpdated:
      return absl::StrCat(
          "updated ",
          absl::StrJoin(event.claim_updated().update_mask_paths(), ", "));
    case v1::Event::kAttributionAdded:
      return DescribeChain(event.attribution_added().hops(), namer);
    case v1::Event::kFigureRevised:
      return DescribeFigureLine(event.figure_revised(), namer);
    case v1::Event::kStanceRecorded:
      return DescribeStance(event.stance_recorded(), namer);
    case v1::Event::kVerdictRecorded:
      return DescribeVerdict(event.verdict_recorded());
    case v1::Event::kAppearanceAdded:
      return DescribeAppearance(event.appearance_added(), "    ");
    case v1::Event::kRelationAdded:
      return DescribeRelation(event.relation_added().relation());
    case v1::Event::kMerged:
      return absl::StrCat(event.merged().merged_claim(), " merged into ",
                          event.merged().into_claim());
    case v1::Event::kRetracted:
      return absl::StrCat("reason: ", event.retracted().reason());
    case v1::Event::kRedactedEvent:
      return absl::StrCat(event.redacted_event().target_event(),
                          " redacted: ", event.redacted_event().reason());
    default:
      return "";
  }
}

std::string RenderChange(const v1::FieldChange& change) {
  return absl::StrCat("  ", change.path(), ": ", OrNone(change.before()),
                      " -> ", OrNone(change.after()));
}

std::string RenderEventBlock(const v1::Event& event, const SourceNamer& namer) {
  std::string out =
      absl::StrCat("revision ", event.revision(), "  ",
                   OrNone(FormatRecordedTime(event.recorded_time())), "  by ",
                   OrNone(event.author()), "  ", EnumLabel(event.kind()), "\n");
  const std::string payload = DescribeEventPayload(event, namer);
  if (!payload.empty()) absl::StrAppend(&out, "  ", payload, "\n");
  if (!event.note().empty())
    absl::StrAppend(&out, "  note: ", event.note(), "\n");
  const std::string asserted = FormatTimestamp(event.asserted_time());
  if (!asserted.empty()) absl::StrAppend(&out, "  asserted: ", asserted, "\n");
  const std::string valid = DescribeValidTime(event.valid_time());
  if (!valid.empty()) absl::StrAppend(&out, "  valid: ", valid, "\n");
  if (HasAppearance(event.evidence())) {
    absl::StrAppend(&out, "  evidence: ",
                    DescribeAppearance(event.evidence(), "    "), "\n");
  }
  for (const v1::FieldChange& change : event.changes()) {
    absl::StrAppend(&out, RenderChange(change), "\n");
  }
  return out;
}

std::string RenderWatchLine(const v1::WatchClaimsResponse& response,
                            const SourceNamer& namer) {
  const v1::Event& event = response.event();
  std::string out = absl::StrCat("#", event.sequence(), " ", event.name(), " ",
                                 EnumLabel(event.kind()));
  // One line per event: multi-line payloads (an appearance's quote) keep
  // their first line only.
  const std::string payload = DescribeEventPayload(event, namer);
  if (!payload.empty()) {
    absl::StrAppend(&out, ": ", payload.substr(0, payload.find('\n')));
  }
  absl::StrAppend(&out, " (state: ", EnumLabel(response.state()), ")");
  return out;
}

std::string RenderServerInfo(const v1::ServerInfo& info) {
  std::string out;
  AppendField(out, "version", info.version());
  AppendField(out, "data dir", info.data_dir());
  AppendField(out, "claims", absl::StrCat(info.claim_count()));
  AppendField(out, "sources", absl::StrCat(info.source_count()));
  AppendField(out, "last sequence", absl::StrCat(info.last_sequence()));
  AppendField(
      out, "data size",
      absl::StrCat(
          FormatNumber(static_cast<double>(info.approximate_data_bytes())),
          " bytes"));
  AppendField(out, "started", OrNone(FormatTimestamp(info.start_time())));
  return out;
}

}  // namespace cli
}  // namespace claimtrail
