#include "server/core/interchange/claimreview.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "server/core/interchange/json_text.h"
#include "server/core/interchange/rating_table.h"
#include "server/core/render.h"

namespace claimtrail {
namespace interchange {
namespace {

using report::SelectedClaim;
using report::SourceDirectory;

constexpr char kSchemaOrg[] = "https://schema.org";

// ---- Export.

const char* SchemaTypeOfKind(v1::SourceKind kind) {
  switch (kind) {
    case v1::SOURCE_KIND_PERSON:
    case v1::SOURCE_KIND_OFFICIAL:
      return "Person";
    case v1::SOURCE_KIND_GOVERNMENT:
    case v1::SOURCE_KIND_AGENCY:
      return "GovernmentOrganization";
    case v1::SOURCE_KIND_STATE_MEDIA:
    case v1::SOURCE_KIND_NEWS_OUTLET:
    case v1::SOURCE_KIND_WIRE_SERVICE:
      return "NewsMediaOrganization";
    case v1::SOURCE_KIND_NGO:
      return "NGO";
    default:
      return "Organization";
  }
}

Json AgentJson(const std::string& name, const SourceDirectory& sources) {
  Json agent = Json::object();
  const v1::Source* source = sources.Find(name);
  agent["@type"] = SchemaTypeOfKind(source ? source->kind()
                                           : v1::SOURCE_KIND_UNSPECIFIED);
  agent["name"] = sources.DisplayName(name);
  agent["identifier"] = name;
  if (source != nullptr && !source->url().empty()) agent["url"] = source->url();
  return agent;
}

Json AppearanceJson(const v1::Appearance& appearance) {
  Json work = Json::object();
  work["@type"] = "CreativeWork";
  work["url"] = appearance.url();
  if (!appearance.title().empty()) work["headline"] = appearance.title();
  if (appearance.has_publish_time()) {
    work["datePublished"] = core::FormatTimestamp(appearance.publish_time());
  }
  if (!appearance.outlet().empty()) {
    work["publisher"] = {{"@type", "Organization"},
                         {"name", appearance.outlet()}};
  }
  return work;
}

// The claim's first primary source: of the first attribution, else of the
// first figure with sources.
std::optional<std::string> FirstPrimary(const v1::Claim& claim) {
  for (const v1::Attribution& attribution : claim.attributions()) {
    if (!attribution.hops().empty()) return attribution.hops(0).source();
  }
  for (const v1::Figure& figure : claim.figures()) {
    if (!figure.sources().empty()) return figure.sources(0).source();
  }
  return std::nullopt;
}

// The appearance published first (by publish time; unpublished ones count
// as last, in recorded order).
const v1::Appearance* FirstAppearance(const v1::Claim& claim) {
  const v1::Appearance* first = nullptr;
  for (const v1::Appearance& appearance : claim.appearances()) {
    if (first == nullptr) {
      first = &appearance;
    } else if (appearance.has_publish_time() &&
               (!first->has_publish_time() ||
                FromProtoTime(appearance.publish_time()) <
                    FromProtoTime(first->publish_time()))) {
      first = &appearance;
    }
  }
  return first;
}

Json ReviewJson(const v1::Claim& claim, const SourceDirectory& sources,
                absl::string_view publisher) {
  const v1::Verdict& verdict = claim.verdict();
  Json review = Json::object();
  review["@type"] = "ClaimReview";
  review["identifier"] = claim.name();
  if (!verdict.review_url().empty()) review["url"] = verdict.review_url();
  if (verdict.has_record_time()) {
    review["datePublished"] = core::FormatTimestamp(verdict.record_time());
  }
  review["claimReviewed"] = claim.text();
  if (!claim.language().empty()) review["inLanguage"] = claim.language();
  const std::string author =
      publisher.empty() ? verdict.reviewer() : std::string(publisher);
  if (!author.empty()) {
    review["author"] = {{"@type", "Organization"}, {"name", author}};
  }
  if (!verdict.explanation().empty()) {
    review["reviewBody"] = verdict.explanation();
  }

  Json item = Json::object();
  item["@type"] = "Claim";
  if (std::optional<std::string> primary = FirstPrimary(claim)) {
    item["author"] = AgentJson(*primary, sources);
  }
  const v1::Appearance* first = FirstAppearance(claim);
  if (first != nullptr && first->has_publish_time()) {
    item["datePublished"] = core::FormatTimestamp(first->publish_time());
  }
  if (!claim.appearances().empty()) {
    Json appearances = Json::array();
    for (const v1::Appearance& appearance : claim.appearances()) {
      appearances.push_back(AppearanceJson(appearance));
    }
    item["appearance"] = std::move(appearances);
    item["firstAppearance"] = AppearanceJson(*first);
  }
  review["itemReviewed"] = std::move(item);

  Json rating = Json::object();
  rating["@type"] = "Rating";
  if (std::optional<int> value = RatingValue(verdict.rating())) {
    rating["ratingValue"] = *value;
    rating["bestRating"] = 5;
    rating["worstRating"] = 1;
  }
  // schema.org: `name` is the rating's name, `alternateName` the reviewer's
  // words for it. Both, so that a rating with words of its own and no
  // ratingValue (misleading, unproven) still comes back as itself.
  rating["name"] = CanonicalRatingName(verdict.rating());
  rating["alternateName"] = verdict.rating_text().empty()
                                ? CanonicalRatingName(verdict.rating())
                                : verdict.rating_text();
  review["reviewRating"] = std::move(rating);
  return review;
}

// ---- Import.

// A problem with one review: where and what.
struct ItemProblem {
  std::string field;
  std::string message;
};

bool HasType(const Json& node, absl::string_view type) {
  if (!node.is_object()) return false;
  auto it = node.find("@type");
  if (it == node.end()) return false;
  if (it->is_string()) return it->get<std::string>() == type;
  if (it->is_array()) {
    for (const Json& entry : *it) {
      if (entry.is_string() && entry.get<std::string>() == type) return true;
    }
  }
  return false;
}

std::string TypeOf(const Json& node) {
  std::optional<std::string> type = StringMember(node, "@type");
  return type.value_or("");
}

v1::SourceKind KindOfSchemaType(const std::string& type) {
  if (type == "Person") return v1::SOURCE_KIND_PERSON;
  if (type == "GovernmentOrganization") return v1::SOURCE_KIND_GOVERNMENT;
  if (type == "NewsMediaOrganization") return v1::SOURCE_KIND_NEWS_OUTLET;
  if (type == "NGO") return v1::SOURCE_KIND_NGO;
  return v1::SOURCE_KIND_OTHER;
}

// A schema.org Date or DateTime: RFC 3339, a date-time without a zone
// (taken as UTC: WordPress plugins write local times that way, and nothing
// in the text says which zone), or a bare date (UTC midnight).
std::optional<google::protobuf::Timestamp> ParseDate(const std::string& text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error) ||
      absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", text, absl::UTCTimeZone(), &time,
                      &error) ||
      absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &error)) {
    return ToProtoTime(time);
  }
  return std::nullopt;
}

// A string, a number or absent: ratingValue may be either.
std::optional<double> NumberMember(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    double value = 0;
    if (absl::SimpleAtod(it->get<std::string>(), &value)) return value;
  }
  return std::nullopt;
}

std::optional<ItemProblem> ReadDate(const Json& object, const char* key,
                                    const std::string& field,
                                    google::protobuf::Timestamp* out,
                                    bool* has) {
  *has = false;
  if (!object.contains(key)) return std::nullopt;
  std::optional<std::string> text = StringMember(object, key);
  std::optional<google::protobuf::Timestamp> date;
  if (text.has_value()) date = ParseDate(*text);
  if (!date.has_value()) {
    return ItemProblem{field, "not an ISO 8601 date or date-time"};
  }
  *out = *date;
  *has = true;
  return std::nullopt;
}

std::optional<ItemProblem> ReadAppearance(const Json& node,
                                          const std::string& field,
                                          v1::Appearance* appearance) {
  if (node.is_string()) {
    appearance->set_url(node.get<std::string>());
    return std::nullopt;
  }
  if (!node.is_object()) {
    return ItemProblem{field, "expected a URL or a CreativeWork"};
  }
  std::optional<std::string> url = StringMember(node, "url");
  if (!url.has_value() || url->empty()) {
    return ItemProblem{absl::StrCat(field, ".url"), "missing"};
  }
  appearance->set_url(*url);
  if (auto title = StringMember(node, "headline")) appearance->set_title(*title);
  auto publisher = node.find("publisher");
  if (publisher != node.end()) {
    if (publisher->is_string()) {
      appearance->set_outlet(publisher->get<std::string>());
    } else if (auto name = StringMember(*publisher, "name")) {
      appearance->set_outlet(*name);
    }
  }
  bool has = false;
  google::protobuf::Timestamp published;
  if (auto problem = ReadDate(node, "datePublished",
                              absl::StrCat(field, ".datePublished"),
                              &published, &has)) {
    return problem;
  }
  if (has) *appearance->mutable_publish_time() = published;
  return std::nullopt;
}

void AddAppearance(v1::Appearance appearance, v1::Claim* claim) {
  for (const v1::Appearance& existing : claim->appearances()) {
    if (existing.url() == appearance.url()) return;
  }
  *claim->add_appearances() = std::move(appearance);
}

// What one review says, before any source is planned.
struct Review {
  v1::CreateClaimRequest create;
  v1::Verdict verdict;
  v1::ChangeContext verdict_context;
  std::string author_name;
  v1::SourceKind author_kind = v1::SOURCE_KIND_OTHER;
};

// The rating by reviewRating.ratingValue on its worstRating..bestRating
// scale (default 1..5). nullopt without a problem when there is no
// ratingValue; a problem when it is outside the scale.
std::optional<ItemProblem> RatingByValue(
    const Json& rating, std::optional<v1::VerdictRating>* mapped) {
  *mapped = std::nullopt;
  std::optional<double> value = NumberMember(rating, "ratingValue");
  if (!value.has_value()) return std::nullopt;
  const double best = NumberMember(rating, "bestRating").value_or(5);
  const double worst = NumberMember(rating, "worstRating").value_or(1);
  *mapped = RatingFromValue(*value, worst, best);
  if (!mapped->has_value()) {
    return ItemProblem{"reviewRating.ratingValue",
                       absl::StrCat("outside worstRating..bestRating (", worst,
                                    "..", best, ")")};
  }
  return std::nullopt;
}

std::optional<ItemProblem> ReadRating(const Json& review, Review* out) {
  auto rating = review.find("reviewRating");
  if (rating == review.end() || !rating->is_object()) {
    return ItemProblem{"reviewRating", "missing (a Rating object is required)"};
  }
  std::optional<std::string> alternate = StringMember(*rating, "alternateName");
  if (alternate.has_value() && alternate->empty()) alternate.reset();
  std::optional<std::string> named = StringMember(*rating, "name");
  if (named.has_value() && named->empty()) named.reset();
  v1::Verdict& verdict = out->verdict;
  std::optional<v1::VerdictRating> by_value;
  const std::optional<ItemProblem> unusable_value =
      RatingByValue(*rating, &by_value);
  const std::optional<std::string>& words = alternate ? alternate : named;
  if (words.has_value()) {
    std::optional<v1::VerdictRating> by_name = RatingFromName(*words);
    if (!by_name.has_value() && alternate && named) {
      by_name = RatingFromName(*named);
    }
    // Words outside the table are a publisher's own scale (our export writes
    // the verdict's rating_text there, with the rating's own name in
    // `name`): `name`, else the ratingValue when usable, says where they
    // stand. An unusable value does not sink the review.
    verdict.set_rating(
        by_name.value_or(by_value.value_or(v1::VERDICT_RATING_UNPROVEN)));
    // The reviewer's words are kept unless they are exactly our own name for
    // the rating (so that export -> import gives back the same verdict).
    if (*words != CanonicalRatingName(verdict.rating())) {
      verdict.set_rating_text(*words);
    }
    return std::nullopt;
  }
  if (unusable_value.has_value()) return unusable_value;
  if (!by_value.has_value()) {
    return ItemProblem{"reviewRating",
                       "neither alternateName, name nor ratingValue given"};
  }
  verdict.set_rating(*by_value);
  return std::nullopt;
}

std::optional<ItemProblem> ReadItemReviewed(const Json& review, Review* out) {
  auto item = review.find("itemReviewed");
  if (item == review.end()) return std::nullopt;
  if (!item->is_object()) return ItemProblem{"itemReviewed", "not an object"};
  v1::Claim* claim = out->create.mutable_claim();

  auto author = item->find("author");
  if (author != item->end()) {
    const Json* first = &*author;
    if (author->is_array()) {
      if (author->empty()) first = nullptr;
      else first = &(*author)[0];
    }
    if (first != nullptr && first->is_string()) {
      out->author_name = first->get<std::string>();
    } else if (first != nullptr && first->is_object()) {
      out->author_name = StringMember(*first, "name").value_or("");
      out->author_kind = KindOfSchemaType(TypeOf(*first));
      if (out->author_name.empty()) {
        return ItemProblem{"itemReviewed.author.name", "missing"};
      }
    } else if (first != nullptr) {
      return ItemProblem{"itemReviewed.author",
                         "expected a name or a Person/Organization"};
    }
  }

  auto appearances = item->find("appearance");
  if (appearances != item->end()) {
    if (appearances->is_array()) {
      for (size_t i = 0; i < appearances->size(); ++i) {
        v1::Appearance appearance;
        if (auto problem = ReadAppearance(
                (*appearances)[i],
                absl::StrCat("itemReviewed.appearance[", i, "]"),
                &appearance)) {
          return problem;
        }
        AddAppearance(std::move(appearance), claim);
      }
    } else {
      v1::Appearance appearance;
      if (auto problem = ReadAppearance(*appearances, "itemReviewed.appearance",
                                        &appearance)) {
        return problem;
      }
      AddAppearance(std::move(appearance), claim);
    }
  }
  auto first = item->find("firstAppearance");
  if (first != item->end()) {
    v1::Appearance appearance;
    if (auto problem = ReadAppearance(*first, "itemReviewed.firstAppearance",
                                      &appearance)) {
      return problem;
    }
    AddAppearance(std::move(appearance), claim);
  }
  bool has = false;
  google::protobuf::Timestamp said;
  if (auto problem = ReadDate(*item, "datePublished",
                              "itemReviewed.datePublished", &said, &has)) {
    return problem;
  }
  if (has) *out->create.mutable_context()->mutable_asserted_time() = said;
  return std::nullopt;
}

std::optional<ItemProblem> ReadReview(const Json& review, Review* out) {
  std::optional<std::string> text = StringMember(review, "claimReviewed");
  if (text.has_value()) {
    text = std::string(absl::StripAsciiWhitespace(*text));
  }
  if (!text.has_value() || text->empty()) {
    return ItemProblem{"claimReviewed", "missing (the claim's text)"};
  }
  v1::Claim* claim = out->create.mutable_claim();
  claim->set_text(*text);
  if (auto language = StringMember(review, "inLanguage")) {
    claim->set_language(*language);
  }
  if (auto problem = ReadItemReviewed(review, out)) return problem;
  if (auto problem = ReadRating(review, out)) return problem;
  if (auto url = StringMember(review, "url")) out->verdict.set_review_url(*url);
  if (auto body = StringMember(review, "reviewBody")) {
    out->verdict.set_explanation(*body);
  }
  bool has = false;
  google::protobuf::Timestamp published;
  if (auto problem =
          ReadDate(review, "datePublished", "datePublished", &published, &has)) {
    return problem;
  }
  if (has) *out->verdict_context.mutable_asserted_time() = published;
  auto author = review.find("author");
  if (author != review.end()) {
    std::optional<std::string> name =
        author->is_string() ? std::optional<std::string>(author->get<std::string>())
                            : StringMember(*author, "name");
    if (name.has_value() && !name->empty()) {
      out->verdict_context.set_note(
          absl::StrCat("imported from a ClaimReview by ", *name));
    }
  }
  if (out->verdict_context.note().empty()) {
    out->verdict_context.set_note("imported from a ClaimReview");
  }
  out->create.mutable_context()->set_note("imported from a ClaimReview");
  return std::nullopt;
}

void PlanReview(const Json& node, int item, const ImportOptions& options,
                ImportPlan* plan) {
  Review review;
  if (std::optional<ItemProblem> problem = ReadReview(node, &review)) {
    plan->errors.push_back(ItemError(item, 0, problem->field, problem->message));
    return;
  }
  const size_t sources_before = plan->sources.size();
  PlannedClaim planned;
  planned.item = item;
  std::optional<std::string> existing;
  if (options.find_claim) {
    existing = options.find_claim(review.create.claim().text());
  }
  if (!existing.has_value()) {
    // The same claim reviewed twice in one file: created once.
    const std::string name = absl::StrCat(
        "claims/", ClaimIdFromText(review.create.claim().text()));
    for (const PlannedClaim& earlier : plan->claims) {
      if (earlier.claim == name) existing = name;
    }
  }
  if (existing.has_value()) {
    planned.claim = *existing;
  } else {
    if (!review.author_name.empty()) {
      const std::string source = PlanSource(
          review.author_name, review.author_kind, options, plan);
      v1::AttributionHop* hop =
          review.create.mutable_claim()->add_attributions()->add_hops();
      hop->set_source(source);
      hop->set_verb(v1::ATTRIBUTION_VERB_SAID);
    }
    review.create.set_claim_id(ClaimIdFromText(review.create.claim().text()));
    planned.claim = absl::StrCat("claims/", review.create.claim_id());
    planned.create = std::move(review.create);
  }
  v1::RecordVerdictRequest verdict;
  *verdict.mutable_verdict() = review.verdict;
  *verdict.mutable_context() = review.verdict_context;
  planned.verdict = std::move(verdict);
  DropVerdictAlreadyRecorded(options, &planned);
  AcceptItem(std::move(planned), sources_before, plan);
}

}  // namespace

ExportResult ExportClaimReview(const std::vector<SelectedClaim>& claims,
                               const SourceDirectory& sources,
                               absl::string_view review_publisher) {
  ExportResult result;
  Json graph = Json::array();
  for (const SelectedClaim& selected : claims) {
    if (!selected.claim.has_verdict()) {
      ++result.skipped;
      continue;
    }
    graph.push_back(ReviewJson(selected.claim, sources, review_publisher));
    ++result.items;
  }
  Json feed = Json::object();
  feed["@context"] = kSchemaOrg;
  feed["@graph"] = std::move(graph);
  result.content = DumpJson(feed);
  return result;
}

absl::StatusOr<ImportPlan> PlanClaimReviewImport(absl::string_view content,
                                                 const ImportOptions& options) {
  absl::StatusOr<Json> document = ParseJson("content", content);
  if (!document.ok()) return document.status();
  const Json* items = nullptr;
  Json single = Json::array();
  if (document->is_array()) {
    items = &*document;
  } else if (document->is_object() && document->contains("@graph")) {
    items = &(*document)["@graph"];
    if (!items->is_array()) {
      return absl::InvalidArgumentError("content: @graph is not an array");
    }
  } else if (document->is_object()) {
    single.push_back(*document);
    items = &single;
  } else {
    return absl::InvalidArgumentError(
        "content: expected a ClaimReview object, an array of them, or an "
        "object with @graph");
  }

  ImportPlan plan;
  int item = 0;
  for (const Json& node : *items) {
    // Graphs may hold other nodes (e.g. the publisher's Organization).
    if (node.is_object() && node.contains("@type") &&
        !HasType(node, "ClaimReview")) {
      continue;
    }
    ++item;
    ++plan.items_read;
    if (!node.is_object()) {
      plan.errors.push_back(ItemError(item, 0, "", "not a JSON object"));
      continue;
    }
    if (!node.contains("@type")) {
      plan.errors.push_back(
          ItemError(item, 0, "@type", "missing (expected \"ClaimReview\")"));
      continue;
    }
    PlanReview(node, item, options, &plan);
  }
  return plan;
}

}  // namespace interchange
}  // namespace claimtrail
