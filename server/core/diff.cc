// DiffClaims: field-level changes between two claim states.
//
// Reported: every field a user can see change through events, in Claim field
// order. Not reported: bookkeeping set by the server on every event or once
// at creation (name, revision, update_time, etag, create_time, creator,
// record_time of entries, Figure.revision) and state_summary, which is text
// derived from `state` and the stances, both of which are reported.
//
// Repeated entries are matched by identity. An entry present on one side
// only is one change at "collection[key]" with the whole entry rendered; an
// entry on both sides is compared field by field
// ("figures[troops].lower_bound"). Entries are reported in the order of
// `after`, then entries that disappeared in the order of `before`.
#include "server/core/diff.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/core/render.h"

namespace claimtrail {
namespace core {
namespace {

using google::protobuf::RepeatedPtrField;
using google::protobuf::Timestamp;

class ChangeList {
 public:
  // Records a change when the renderings differ.
  void Add(std::string path, std::string before, std::string after) {
    if (before == after) return;
    v1::FieldChange change;
    change.set_path(std::move(path));
    change.set_before(std::move(before));
    change.set_after(std::move(after));
    changes_.push_back(std::move(change));
  }

  std::vector<v1::FieldChange> Take() { return std::move(changes_); }

 private:
  std::vector<v1::FieldChange> changes_;
};

std::string RenderTime(bool present, const Timestamp& timestamp) {
  return present ? FormatTimestamp(timestamp) : "";
}

template <typename Enum>
std::string RenderEnum(Enum value) {
  // The zero value means "unset", rendered as empty like any unset field.
  return static_cast<int>(value) == 0 ? "" : EnumLabel(value);
}

std::string RenderOptionalNumber(bool present, double value) {
  return present ? FormatNumber(value) : "";
}

void DiffInterval(const std::string& path, const v1::TimeInterval& before,
                  const v1::TimeInterval& after, ChangeList* changes) {
  changes->Add(absl::StrCat(path, ".start_time"),
               RenderTime(before.has_start_time(), before.start_time()),
               RenderTime(after.has_start_time(), after.start_time()));
  changes->Add(absl::StrCat(path, ".end_time"),
               RenderTime(before.has_end_time(), before.end_time()),
               RenderTime(after.has_end_time(), after.end_time()));
}

// Keys for a collection's entries, in order. A key seen before gets "#2",
// "#3", ... so that every entry has a distinct key even in a state that
// breaks the uniqueness the fold maintains.
template <typename Entry>
std::vector<std::string> Keys(
    const RepeatedPtrField<Entry>& entries,
    const std::function<std::string(const Entry&)>& key_of) {
  absl::flat_hash_map<std::string, int> seen;
  std::vector<std::string> keys;
  keys.reserve(entries.size());
  for (const Entry& entry : entries) {
    std::string key = key_of(entry);
    const int count = ++seen[key];
    if (count > 1) absl::StrAppend(&key, "#", count);
    keys.push_back(std::move(key));
  }
  return keys;
}

// Diffs a keyed collection: `describe` renders a whole entry (for entries on
// one side only), `diff_fields` compares an entry present on both sides.
template <typename Entry>
void DiffKeyed(
    absl::string_view collection, const RepeatedPtrField<Entry>& before,
    const RepeatedPtrField<Entry>& after,
    const std::function<std::string(const Entry&)>& key_of,
    const std::function<std::string(const Entry&)>& describe,
    const std::function<void(const std::string&, const Entry&, const Entry&,
                             ChangeList*)>& diff_fields,
    ChangeList* changes) {
  const std::vector<std::string> before_keys = Keys(before, key_of);
  const std::vector<std::string> after_keys = Keys(after, key_of);
  absl::flat_hash_map<std::string, int> before_index;
  for (int i = 0; i < before.size(); ++i) before_index[before_keys[i]] = i;
  absl::flat_hash_map<std::string, int> after_index;
  for (int i = 0; i < after.size(); ++i) after_index[after_keys[i]] = i;

  for (int i = 0; i < after.size(); ++i) {
    const std::string path = absl::StrCat(collection, "[", after_keys[i], "]");
    auto it = before_index.find(after_keys[i]);
    if (it == before_index.end()) {
      changes->Add(path, "", describe(after[i]));
    } else {
      diff_fields(path, before[it->second], after[i], changes);
    }
  }
  for (int i = 0; i < before.size(); ++i) {
    if (after_index.contains(before_keys[i])) continue;
    changes->Add(absl::StrCat(collection, "[", before_keys[i], "]"),
                 describe(before[i]), "");
  }
}

void DiffParts(const v1::ClaimParts& before, const v1::ClaimParts& after,
               ChangeList* changes) {
  changes->Add("parts.subject", before.subject(), after.subject());
  changes->Add("parts.predicate", before.predicate(), after.predicate());
  changes->Add("parts.object", before.object(), after.object());
  changes->Add("parts.place", before.place(), after.place());
  DiffInterval("parts.period", before.period(), after.period(), changes);
}

void DiffFigureFields(const std::string& path, const v1::Figure& before,
                      const v1::Figure& after, ChangeList* changes) {
  changes->Add(absl::StrCat(path, ".label"), before.label(), after.label());
  changes->Add(absl::StrCat(path, ".amount"),
               RenderOptionalNumber(before.has_amount(), before.amount()),
               RenderOptionalNumber(after.has_amount(), after.amount()));
  changes->Add(
      absl::StrCat(path, ".lower_bound"),
      RenderOptionalNumber(before.has_lower_bound(), before.lower_bound()),
      RenderOptionalNumber(after.has_lower_bound(), after.lower_bound()));
  changes->Add(
      absl::StrCat(path, ".upper_bound"),
      RenderOptionalNumber(before.has_upper_bound(), before.upper_bound()),
      RenderOptionalNumber(after.has_upper_bound(), after.upper_bound()));
  changes->Add(absl::StrCat(path, ".unit"), before.unit(), after.unit());
  changes->Add(absl::StrCat(path, ".qualifier"), RenderEnum(before.qualifier()),
               RenderEnum(after.qualifier()));
  changes->Add(absl::StrCat(path, ".sources"), DescribeHops(before.sources()),
               DescribeHops(after.sources()));
  DiffInterval(absl::StrCat(path, ".valid_time"), before.valid_time(),
               after.valid_time(), changes);
}

void DiffAttributionFields(const std::string& path,
                           const v1::Attribution& before,
                           const v1::Attribution& after, ChangeList* changes) {
  // An attribution is immutable once recorded; should it differ anyway, show
  // it whole rather than hop by hop.
  changes->Add(path, DescribeAttribution(before), DescribeAttribution(after));
}

void DiffAppearanceFields(const std::string& path, const v1::Appearance& before,
                          const v1::Appearance& after, ChangeList* changes) {
  changes->Add(absl::StrCat(path, ".outlet"), before.outlet(), after.outlet());
  changes->Add(absl::StrCat(path, ".outlet_source"), before.outlet_source(),
               after.outlet_source());
  changes->Add(absl::StrCat(path, ".publish_time"),
               RenderTime(before.has_publish_time(), before.publish_time()),
               RenderTime(after.has_publish_time(), after.publish_time()));
  changes->Add(absl::StrCat(path, ".quote"), before.quote(), after.quote());
  changes->Add(absl::StrCat(path, ".title"), before.title(), after.title());
}

void DiffStanceFields(const std::string& path, const v1::Stance& before,
                      const v1::Stance& after, ChangeList* changes) {
  changes->Add(absl::StrCat(path, ".position"), RenderEnum(before.position()),
               RenderEnum(after.position()));
  changes->Add(absl::StrCat(path, ".statement"), before.statement(),
               after.statement());
  changes->Add(absl::StrCat(path, ".evidence"),
               DescribeAppearance(before.evidence()),
               DescribeAppearance(after.evidence()));
  changes->Add(absl::StrCat(path, ".asserted_time"),
               RenderTime(before.has_asserted_time(), before.asserted_time()),
               RenderTime(after.has_asserted_time(), after.asserted_time()));
}

void DiffRelationFields(const std::string& path, const v1::Relation& before,
                        const v1::Relation& after, ChangeList* changes) {
  changes->Add(absl::StrCat(path, ".note"), before.note(), after.note());
}

void DiffVerdict(const v1::Verdict& before, const v1::Verdict& after,
                 ChangeList* changes) {
  changes->Add("verdict.rating", RenderEnum(before.rating()),
               RenderEnum(after.rating()));
  changes->Add("verdict.rating_text", before.rating_text(),
               after.rating_text());
  changes->Add("verdict.explanation", before.explanation(),
               after.explanation());
  changes->Add("verdict.review_url", before.review_url(), after.review_url());
  changes->Add("verdict.reviewer", before.reviewer(), after.reviewer());
}

std::string DescribeRelationWithNote(const v1::Relation& relation) {
  std::string text = DescribeRelation(relation);
  if (!relation.note().empty()) absl::StrAppend(&text, ": ", relation.note());
  return text;
}

}  // namespace

std::vector<v1::FieldChange> DiffClaims(const v1::Claim& before,
                                        const v1::Claim& after) {
  ChangeList changes;
  changes.Add("text", before.text(), after.text());
  DiffParts(before.parts(), after.parts(), &changes);
  changes.Add("topics", absl::StrJoin(before.topics(), ", "),
              absl::StrJoin(after.topics(), ", "));
  changes.Add("language", before.language(), after.language());

  DiffKeyed<v1::Figure>(
      "figures", before.figures(), after.figures(),
      [](const v1::Figure& f) { return f.figure_id(); },
      [](const v1::Figure& f) { return DescribeFigure(f); }, DiffFigureFields,
      &changes);
  DiffKeyed<v1::Attribution>(
      "attributions", before.attributions(), after.attributions(),
      [](const v1::Attribution& a) { return a.attribution_id(); },
      [](const v1::Attribution& a) { return DescribeAttribution(a); },
      DiffAttributionFields, &changes);
  DiffKeyed<v1::Stance>(
      "stances", before.stances(), after.stances(),
      [](const v1::Stance& s) { return s.party(); },
      [](const v1::Stance& s) { return DescribeStance(s); }, DiffStanceFields,
      &changes);
  DiffVerdict(before.verdict(), after.verdict(), &changes);
  changes.Add("state", RenderEnum(before.state()), RenderEnum(after.state()));
  DiffKeyed<v1::Appearance>(
      "appearances", before.appearances(), after.appearances(),
      [](const v1::Appearance& a) { return a.url(); },
      [](const v1::Appearance& a) { return DescribeAppearance(a); },
      DiffAppearanceFields, &changes);
  DiffKeyed<v1::Relation>(
      "relations", before.relations(), after.relations(),
      [](const v1::Relation& r) { return DescribeRelation(r); },
      DescribeRelationWithNote, DiffRelationFields, &changes);
  changes.Add("retraction_reason", before.retraction_reason(),
              after.retraction_reason());
  changes.Add("merged_into", before.merged_into(), after.merged_into());
  return changes.Take();
}

void SetChanges(std::vector<v1::FieldChange> changes, v1::Event* event) {
  event->clear_changes();
  event->mutable_changes()->Reserve(static_cast<int>(changes.size()));
  for (v1::FieldChange& change : changes) {
    *event->add_changes() = std::move(change);
  }
}

bool HasChanges(const v1::Event& event,
                const std::vector<v1::FieldChange>& changes) {
  if (event.changes_size() != static_cast<int>(changes.size())) return false;
  for (size_t i = 0; i < changes.size(); ++i) {
    if (!google::protobuf::util::MessageDifferencer::Equals(
            event.changes(static_cast<int>(i)), changes[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace core
}  // namespace claimtrail
