#include "server/core/interchange/csv_interchange.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "server/core/fold.h"
#include "server/core/interchange/rating_table.h"
#include "server/core/render.h"
#include "server/core/report/csv.h"

namespace claimtrail {
namespace interchange {
namespace {

using HopList = google::protobuf::RepeatedPtrField<v1::AttributionHop>;
using report::AppendCsvRecord;
using report::SelectedClaim;

constexpr char kChainSeparator[] = " | ";
constexpr char kHopSeparator[] = " -> ";

std::string Time(const google::protobuf::Timestamp& time, bool has) {
  return has ? core::FormatTimestamp(time) : "";
}

std::string FormatHop(const v1::AttributionHop& hop) {
  std::string inner = core::EnumLabel(hop.verb());
  if (hop.credibility() > 0) {
    absl::StrAppend(&inner, ", credibility ", hop.credibility());
  }
  if (hop.anonymous()) {
    absl::StrAppend(&inner, ", anonymous");
    if (!hop.anonymity_reason().empty()) {
      absl::StrAppend(&inner, ": ", hop.anonymity_reason());
    }
  }
  return absl::StrCat(hop.source(), " (", inner, ")");
}

std::string FormatChain(const HopList& hops) {
  std::vector<std::string> parts;
  for (const v1::AttributionHop& hop : hops) parts.push_back(FormatHop(hop));
  return absl::StrJoin(parts, kHopSeparator);
}

// A verb in words ("according to") -> enum; nullopt when unknown.
std::optional<v1::AttributionVerb> ParseVerb(absl::string_view words) {
  const std::string wanted = absl::AsciiStrToLower(words);
  for (int value = v1::ATTRIBUTION_VERB_SAID;
       value <= v1::ATTRIBUTION_VERB_LEAKED; ++value) {
    const auto verb = static_cast<v1::AttributionVerb>(value);
    if (core::EnumLabel(verb) == wanted) return verb;
  }
  return std::nullopt;
}

std::string PayloadWords(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kClaimCreated:
      return absl::StrCat("created: ", event.claim_created().claim().text());
    case v1::Event::kClaimUpdated:
      return absl::StrCat(
          "updated ", absl::StrJoin(event.claim_updated().update_mask_paths(),
                                    ", "));
    case v1::Event::kAttributionAdded:
      return absl::StrCat("attribution: ",
                          core::DescribeAttribution(event.attribution_added()));
    case v1::Event::kFigureRevised:
      return absl::StrCat("figure ", event.figure_revised().figure_id(), ": ",
                          core::DescribeFigure(event.figure_revised()));
    case v1::Event::kStanceRecorded:
      return absl::StrCat("stance ", event.stance_recorded().party(), ": ",
                          core::DescribeStance(event.stance_recorded()));
    case v1::Event::kVerdictRecorded: {
      const v1::Verdict& verdict = event.verdict_recorded();
      std::string words =
          absl::StrCat("verdict: ", core::EnumLabel(verdict.rating()));
      if (!verdict.rating_text().empty()) {
        absl::StrAppend(&words, " (", verdict.rating_text(), ")");
      }
      return words;
    }
    case v1::Event::kAppearanceAdded:
      return absl::StrCat("appearance: ",
                          core::DescribeAppearance(event.appearance_added()));
    case v1::Event::kRelationAdded:
      return absl::StrCat(
          "relation: ",
          core::DescribeRelation(event.relation_added().relation()));
    case v1::Event::kMerged:
      return absl::StrCat("merged ", event.merged().merged_claim(), " into ",
                          event.merged().into_claim());
    case v1::Event::kRetracted:
      return absl::StrCat("retracted: ", event.retracted().reason());
    case v1::Event::kRedactedEvent:
      return absl::StrCat("redacted ", event.redacted_event().target_event(),
                          ": ", event.redacted_event().reason());
    case v1::Event::PAYLOAD_NOT_SET:
      break;
  }
  return event.redacted() ? "(redacted)" : "";
}

// ---- Import.

struct RowProblem {
  std::string field;
  std::string message;
};

// Column name -> index, from the header.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header) {
    for (size_t i = 0; i < header.size(); ++i) {
      index_[absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]))] = i;
    }
  }
  bool Has(const std::string& name) const { return index_.count(name) > 0; }
  // The field, with the formula guard of our own exports undone (csv.h) so
  // that "-5 degrees" comes back as it was exported, and whitespace around
  // it dropped.
  std::string Get(const std::vector<std::string>& row,
                  const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end() || it->second >= row.size()) return "";
    return std::string(absl::StripAsciiWhitespace(
        report::RestoreCsvFormulaField(row[it->second])));
  }

 private:
  std::map<std::string, size_t> index_;
};

// "NAME (verb, credibility N, anonymous: reason)" -> hop; the source is
// resolved later. `position` is 0 for the primary.
std::optional<RowProblem> ParseHop(absl::string_view text, int position,
                                   const std::string& field,
                                   v1::AttributionHop* hop,
                                   std::string* source_text) {
  text = absl::StripAsciiWhitespace(text);
  std::string inner;
  const size_t open = text.rfind(" (");
  if (!text.empty() && text.back() == ')' && open != absl::string_view::npos) {
    inner = std::string(text.substr(open + 2, text.size() - open - 3));
    text = absl::StripAsciiWhitespace(text.substr(0, open));
  }
  if (text.empty()) return RowProblem{field, "a hop without a source"};
  *source_text = std::string(text);
  hop->set_verb(position == 0 ? v1::ATTRIBUTION_VERB_SAID
                              : v1::ATTRIBUTION_VERB_REPORTED);
  if (inner.empty()) return std::nullopt;
  // Everything after "anonymous:" is the reason, commas included.
  const size_t anonymous = inner.find("anonymous");
  if (anonymous != std::string::npos) {
    hop->set_anonymous(true);
    absl::string_view rest =
        absl::string_view(inner).substr(anonymous + sizeof("anonymous") - 1);
    if (absl::ConsumePrefix(&rest, ":")) {
      hop->set_anonymity_reason(std::string(absl::StripAsciiWhitespace(rest)));
    }
    inner = std::string(absl::StripTrailingAsciiWhitespace(
        absl::StripSuffix(absl::StripTrailingAsciiWhitespace(
                              inner.substr(0, anonymous)),
                          ",")));
  }
  for (absl::string_view part : absl::StrSplit(inner, ',', absl::SkipEmpty())) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) continue;
    if (absl::ConsumePrefix(&part, "credibility")) {
      int credibility = 0;
      if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(part), &credibility)) {
        return RowProblem{field, absl::StrCat("bad credibility in \"", inner,
                                              "\"")};
      }
      hop->set_credibility(credibility);
      continue;
    }
    std::optional<v1::AttributionVerb> verb = ParseVerb(part);
    if (!verb.has_value()) {
      return RowProblem{field, absl::StrCat("unknown verb \"", part,
                                            "\" (said, briefed, reported, "
                                            "according to, alleged, "
                                            "confirmed, estimated, leaked)")};
    }
    hop->set_verb(*verb);
  }
  return std::nullopt;
}

// One data row, parsed but with sources unresolved.
struct Row {
  int item = 0;
  int line = 0;
  std::string key;  // The claim it belongs to: name, else text.
  std::string claim_id;
  v1::Claim claim;  // text, topics, language, appearances.
  // Chains with their hops' source texts.
  std::vector<std::pair<v1::Attribution, std::vector<std::string>>> chains;
  std::optional<v1::Verdict> verdict;
};

std::optional<RowProblem> ParseRow(const Columns& columns,
                                   const std::vector<std::string>& fields,
                                   Row* row) {
  const std::string text = columns.Get(fields, "text");
  if (text.empty()) return RowProblem{"text", "missing"};
  row->claim.set_text(text);
  std::string name = columns.Get(fields, "name");
  if (name.empty()) name = columns.Get(fields, "claim_id");
  if (!name.empty()) {
    absl::string_view id = name;
    absl::ConsumePrefix(&id, "claims/");
    row->claim_id = std::string(id);
    row->key = absl::StrCat("claims/", id);
  } else {
    row->key = text;
  }
  for (absl::string_view topic :
       absl::StrSplit(columns.Get(fields, "topics"), ';', absl::SkipEmpty())) {
    topic = absl::StripAsciiWhitespace(topic);
    if (!topic.empty()) row->claim.add_topics(std::string(topic));
  }
  row->claim.set_language(columns.Get(fields, "language"));

  const std::string chains = columns.Get(fields, "attributions");
  for (absl::string_view chain_text :
       absl::StrSplit(chains, kChainSeparator, absl::SkipWhitespace())) {
    std::pair<v1::Attribution, std::vector<std::string>> chain;
    int position = 0;
    for (absl::string_view hop_text :
         absl::StrSplit(chain_text, kHopSeparator)) {
      std::string source;
      v1::AttributionHop* hop = chain.first.add_hops();
      if (auto problem = ParseHop(hop_text, position++, "attributions", hop,
                                  &source)) {
        return problem;
      }
      chain.second.push_back(std::move(source));
    }
    row->chains.push_back(std::move(chain));
  }

  const std::string urls = columns.Get(fields, "appearance_urls");
  bool first = true;
  for (absl::string_view url :
       absl::StrSplit(urls, kChainSeparator, absl::SkipWhitespace())) {
    v1::Appearance* appearance = row->claim.add_appearances();
    appearance->set_url(std::string(absl::StripAsciiWhitespace(url)));
    if (!first) continue;
    first = false;
    appearance->set_outlet(columns.Get(fields, "outlet"));
    appearance->set_title(columns.Get(fields, "title"));
    appearance->set_quote(columns.Get(fields, "quote"));
    const std::string published = columns.Get(fields, "published");
    if (!published.empty()) {
      absl::Time time;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, published, &time, &error)) {
        return RowProblem{"published", absl::StrCat("not RFC 3339: ", error)};
      }
      *appearance->mutable_publish_time() = ToProtoTime(time);
    }
  }

  const std::string rating = columns.Get(fields, "verdict");
  if (!rating.empty()) {
    v1::Verdict verdict;
    std::optional<v1::VerdictRating> mapped = RatingFromName(rating);
    verdict.set_rating(mapped.value_or(v1::VERDICT_RATING_UNPROVEN));
    std::string words = columns.Get(fields, "verdict_text");
    if (words.empty() && !mapped.has_value()) words = rating;
    verdict.set_rating_text(words);
    verdict.set_review_url(columns.Get(fields, "review_url"));
    row->verdict = std::move(verdict);
  }
  return std::nullopt;
}

// The first "sources/{source}" a row's chains name that neither exists
// (options.source_exists) nor is planned by this import; nullopt when there
// is none. The real import's CreateClaim would fail with NOT_FOUND; finding
// it while planning makes a dry run report the same.
std::optional<std::string> MissingSource(const Row& row,
                                         const ImportOptions& options,
                                         const ImportPlan& plan) {
  if (!options.source_exists) return std::nullopt;
  for (const auto& chain : row.chains) {
    for (const std::string& text : chain.second) {
      if (!absl::StartsWith(text, "sources/") || options.source_exists(text)) {
        continue;
      }
      const absl::string_view id = absl::StripPrefix(text, "sources/");
      bool planned = false;
      for (const v1::CreateSourceRequest& source : plan.sources) {
        planned = planned || source.source_id() == id;
      }
      if (!planned) return text;
    }
  }
  return std::nullopt;
}

bool SameHops(const HopList& a, const HopList& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (a[i].SerializeAsString() != b[i].SerializeAsString()) return false;
  }
  return true;
}

// Adds a row's content to the claim it belongs to.
void MergeInto(const Row& row, const std::vector<v1::Attribution>& chains,
               v1::Claim* claim) {
  for (const v1::Attribution& chain : chains) {
    bool seen = false;
    for (const v1::Attribution& existing : claim->attributions()) {
      seen = seen || SameHops(existing.hops(), chain.hops());
    }
    if (!seen) *claim->add_attributions() = chain;
  }
  for (const v1::Appearance& appearance : row.claim.appearances()) {
    bool seen = false;
    for (const v1::Appearance& existing : claim->appearances()) {
      seen = seen || existing.url() == appearance.url();
    }
    if (!seen) *claim->add_appearances() = appearance;
  }
}

}  // namespace

ExportResult ExportClaimsCsv(const std::vector<SelectedClaim>& claims) {
  ExportResult result;
  AppendCsvRecord({"name", "text", "topics", "language", "state",
                   "state_summary", "create_time", "update_time",
                   "attributions", "figure_attributions", "figures", "stances",
                   "verdict", "verdict_text", "review_url", "appearance_urls",
                   "retraction_reason", "merged_into"},
                  &result.content);
  for (const SelectedClaim& selected : claims) {
    const v1::Claim& claim = selected.claim;
    std::vector<std::string> chains, figure_chains, figures, stances, urls;
    for (const v1::Attribution& attribution : claim.attributions()) {
      if (attribution.figure_id().empty()) {
        chains.push_back(FormatChain(attribution.hops()));
      } else {
        figure_chains.push_back(absl::StrCat(
            attribution.figure_id(), ": ", FormatChain(attribution.hops())));
      }
    }
    for (const v1::Figure& figure : claim.figures()) {
      figures.push_back(
          absl::StrCat(figure.figure_id(), ": ", core::DescribeFigure(figure)));
    }
    for (const v1::Stance& stance : claim.stances()) {
      stances.push_back(
          absl::StrCat(stance.party(), ": ", core::EnumLabel(stance.position())));
    }
    for (const v1::Appearance& appearance : claim.appearances()) {
      urls.push_back(appearance.url());
    }
    const bool has_verdict = claim.has_verdict();
    AppendCsvRecord(
        {claim.name(), claim.text(), absl::StrJoin(claim.topics(), "; "),
         claim.language(), core::EnumLabel(claim.state()),
         claim.state_summary(), Time(claim.create_time(), true),
         Time(claim.update_time(), true),
         absl::StrJoin(chains, kChainSeparator),
         absl::StrJoin(figure_chains, kChainSeparator),
         absl::StrJoin(figures, "; "), absl::StrJoin(stances, "; "),
         has_verdict ? core::EnumLabel(claim.verdict().rating()) : "",
         has_verdict ? claim.verdict().rating_text() : "",
         has_verdict ? claim.verdict().review_url() : "",
         absl::StrJoin(urls, kChainSeparator), claim.retraction_reason(),
         claim.merged_into()},
        &result.content);
    ++result.items;
  }
  return result;
}

ExportResult ExportEventsCsv(const std::vector<SelectedClaim>& claims) {
  ExportResult result;
  AppendCsvRecord({"claim", "revision", "sequence", "kind", "recorded_time",
                   "asserted_time", "valid_start", "valid_end", "author",
                   "note", "request_id", "redacted", "state_after", "change",
                   "evidence_url"},
                  &result.content);
  for (const SelectedClaim& selected : claims) {
    // The state after each event, from the fold (the history folded when it
    // was selected, so this cannot fail).
    v1::Claim state;
    for (const v1::Event& event : selected.events) {
      if (!core::ApplyEvent(event, &state).ok()) state.set_state(event.claim_state());
      AppendCsvRecord(
          {selected.claim.name(), absl::StrCat(event.revision()),
           absl::StrCat(event.sequence()), core::EnumLabel(event.kind()),
           Time(event.recorded_time(), true),
           Time(event.asserted_time(), event.has_asserted_time()),
           Time(event.valid_time().start_time(),
                event.valid_time().has_start_time()),
           Time(event.valid_time().end_time(),
                event.valid_time().has_end_time()),
           event.author(), event.note(), event.request_id(),
           event.redacted() ? "yes" : "no",
           core::EnumLabel(state.state()), PayloadWords(event),
           event.evidence().url()},
          &result.content);
      ++result.items;
    }
  }
  return result;
}

absl::StatusOr<ImportPlan> PlanCsvClaimsImport(absl::string_view content,
                                               const ImportOptions& options) {
  absl::StatusOr<std::vector<report::CsvRecord>> records =
      report::ParseCsv(content);
  if (!records.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("content: ", records.status().message()));
  }
  if (records->empty()) {
    return absl::InvalidArgumentError("content: empty (a header row is "
                                      "required)");
  }
  const Columns columns((*records)[0].fields);
  if (!columns.Has("text")) {
    return absl::InvalidArgumentError(
        "content: line 1: the header has no \"text\" column");
  }

  // Parse every row, group by claim, then plan claim by claim so that all
  // of a claim's chains go into one CreateClaim.
  ImportPlan plan;
  std::vector<std::string> order;
  std::map<std::string, std::vector<Row>> groups;
  for (size_t i = 1; i < records->size(); ++i) {
    const report::CsvRecord& record = (*records)[i];
    Row row;
    row.item = static_cast<int>(i);
    row.line = record.line;
    ++plan.items_read;
    if (auto problem = ParseRow(columns, record.fields, &row)) {
      plan.errors.push_back(
          ItemError(row.item, row.line, problem->field, problem->message));
      continue;
    }
    if (groups.count(row.key) == 0) order.push_back(row.key);
    groups[row.key].push_back(std::move(row));
  }

  for (const std::string& key : order) {
    const std::vector<Row>& rows = groups[key];
    const Row& first = rows.front();
    std::optional<std::string> existing;
    if (first.claim_id.empty() && options.find_claim) {
      existing = options.find_claim(first.claim.text());
    }
    // Rows are accepted one by one (a bad row must not sink its claim's
    // good rows): each accepted row extends the claim planned so far.
    v1::Claim claim;
    claim.set_text(first.claim.text());
    *claim.mutable_topics() = first.claim.topics();
    claim.set_language(first.claim.language());
    std::optional<v1::Verdict> verdict;
    int accepted_index = -1;
    for (const Row& row : rows) {
      if (std::optional<std::string> missing =
              MissingSource(row, options, plan)) {
        plan.errors.push_back(ItemError(row.item, row.line, "attributions",
                                        absl::StrCat(*missing, " not found")));
        continue;
      }
      const size_t sources_before = plan.sources.size();
      std::vector<v1::Attribution> chains;
      for (const auto& [chain, source_texts] : row.chains) {
        v1::Attribution resolved = chain;
        for (int i = 0; i < resolved.hops_size(); ++i) {
          const std::string& text = source_texts[i];
          resolved.mutable_hops(i)->set_source(
              absl::StartsWith(text, "sources/")
                  ? text
                  : PlanSource(text, v1::SOURCE_KIND_OTHER, options, &plan));
        }
        chains.push_back(std::move(resolved));
      }
      v1::Claim extended = claim;
      MergeInto(row, chains, &extended);
      PlannedClaim planned;
      planned.item = row.item;
      planned.line = row.line;
      if (existing.has_value()) {
        planned.claim = *existing;
      } else {
        v1::CreateClaimRequest create;
        create.set_claim_id(first.claim_id.empty()
                                ? ClaimIdFromText(first.claim.text())
                                : first.claim_id);
        *create.mutable_claim() = extended;
        create.mutable_context()->set_note("imported from CSV");
        planned.claim = absl::StrCat("claims/", create.claim_id());
        planned.create = std::move(create);
      }
      const std::optional<v1::Verdict> row_verdict =
          row.verdict.has_value() ? row.verdict : verdict;
      if (row_verdict.has_value()) {
        v1::RecordVerdictRequest request;
        *request.mutable_verdict() = *row_verdict;
        request.mutable_context()->set_note("imported from CSV");
        planned.verdict = std::move(request);
      }
      DropVerdictAlreadyRecorded(options, &planned);
      const size_t claims_before = plan.claims.size();
      if (!AcceptItem(std::move(planned), sources_before, &plan)) continue;
      // The claim's accepted state so far replaces its earlier plan entry.
      claim = std::move(extended);
      verdict = row_verdict;
      if (accepted_index >= 0) {
        PlannedClaim latest = std::move(plan.claims[claims_before]);
        latest.item = plan.claims[accepted_index].item;
        latest.line = plan.claims[accepted_index].line;
        plan.claims[accepted_index] = std::move(latest);
        plan.claims.pop_back();
      } else {
        accepted_index = static_cast<int>(claims_before);
      }
    }
  }
  return plan;
}

}  // namespace interchange
}  // namespace claimtrail
