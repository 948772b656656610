#include "client/cli/parse.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/args.h"
#include "client/cli/text.h"

namespace claimtrail {
namespace cli {
namespace {

// Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged).
constexpr int kMinCredibility = 1;
constexpr int kMaxCredibility = 6;

// Lower case with "-" and " " as "_", the shape of EnumValueLabel(.., "_").
std::string NormalizeWord(absl::string_view text) {
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(text)),
      {{"-", "_"}, {" ", "_"}});
}

bool IsExcluded(int value, const std::vector<int>& excluded) {
  for (int e : excluded) {
    if (e == value) return true;
  }
  return false;
}

}  // namespace

absl::Status CheckUtf8(absl::string_view what, absl::string_view text) {
  const size_t valid = Utf8ValidPrefix(text);
  if (valid == text.size()) return absl::OkStatus();
  return UsageError(
      absl::StrCat(what, ": not valid UTF-8 (at byte ", valid, ")"));
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view what,
                                     absl::string_view text) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  if (trimmed == "now") return absl::Now();
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, trimmed, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%d", trimmed, absl::UTCTimeZone(), &time,
                      &error)) {
    return time;
  }
  return UsageError(absl::StrCat(
      what, ": not a time: '", text,
      "' (use RFC 3339 like 2025-03-21T08:30:00Z, or a date like 2025-03-21)"));
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(
    absl::string_view what, absl::string_view text) {
  absl::StatusOr<absl::Time> time = ParseTime(what, text);
  if (!time.ok()) return time.status();
  return ToProtoTime(*time);
}

absl::StatusOr<double> ParseNumber(absl::string_view what,
                                   absl::string_view text) {
  const std::string digits = absl::StrReplaceAll(text, {{",", ""}});
  double value = 0;
  if (!absl::SimpleAtod(digits, &value) || !std::isfinite(value)) {
    return UsageError(absl::StrCat(what, ": not a number: '", text, "'"));
  }
  return value;
}

absl::StatusOr<int> ParseCount(absl::string_view what, absl::string_view text) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 0) {
    return UsageError(
        absl::StrCat(what, ": expects a whole number >= 0, got '", text, "'"));
  }
  return value;
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view what,
                                            absl::string_view text) {
  absl::Duration duration;
  double seconds = 0;
  if (absl::ParseDuration(text, &duration)) {
    // parsed as "10s", "500ms", ...
  } else if (absl::SimpleAtod(text, &seconds)) {
    duration = absl::Seconds(seconds);
  } else {
    return UsageError(absl::StrCat(what, ": not a duration: '", text,
                                   "' (e.g. 10s, 500ms, 2m)"));
  }
  if (duration <= absl::ZeroDuration()) {
    return UsageError(
        absl::StrCat(what, ": must be positive, got '", text, "'"));
  }
  return duration;
}

std::string SourceName(absl::string_view id_or_name) {
  if (absl::StartsWith(id_or_name, "sources/")) return std::string(id_or_name);
  return absl::StrCat("sources/", id_or_name);
}

std::string ClaimName(absl::string_view id_or_name) {
  if (absl::StartsWith(id_or_name, "claims/")) return std::string(id_or_name);
  return absl::StrCat("claims/", id_or_name);
}

absl::StatusOr<std::string> NewResourceId(absl::string_view what,
                                          absl::string_view collection,
                                          absl::string_view id_or_name) {
  absl::string_view id = id_or_name;
  absl::ConsumePrefix(&id, absl::StrCat(collection, "/"));
  if (id.empty()) {
    return UsageError(absl::StrCat(what, ": empty id (leave ", what,
                                   " out for a default id)"));
  }
  return std::string(id);
}

absl::StatusOr<std::string> EventName(absl::string_view what,
                                      absl::string_view text) {
  const std::string name = ClaimName(text);
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int64_t revision = 0;
  if (parts.size() != 4 || parts[1].empty() || parts[2] != "events" ||
      !absl::SimpleAtoi(parts[3], &revision)) {
    return UsageError(
        absl::StrCat(what, ": not an event name: '", text,
                     "' (use CLAIM/events/REVISION, e.g. nk-troops/events/3)"));
  }
  return name;
}

absl::StatusOr<int> ParseEnumValue(absl::string_view what,
                                   absl::string_view text,
                                   const google::protobuf::EnumDescriptor& e,
                                   const std::vector<int>& excluded) {
  const std::string wanted = NormalizeWord(text);
  std::vector<int> prefix_matches;
  for (int i = 0; i < e.value_count() && !wanted.empty(); ++i) {
    const int number = e.value(i)->number();
    if (number == 0 || IsExcluded(number, excluded)) continue;
    const std::string label = client::EnumValueLabel(e, number, "_");
    if (label == wanted) return number;
    if (absl::StartsWith(label, wanted)) prefix_matches.push_back(number);
  }
  if (prefix_matches.size() == 1) return prefix_matches[0];
  return UsageError(
      absl::StrCat(what, ": ", prefix_matches.empty() ? "unknown" : "ambiguous",
                   " value '", text, "'; one of: ", EnumChoices(e, excluded)));
}

std::string EnumChoices(const google::protobuf::EnumDescriptor& e,
                        const std::vector<int>& excluded) {
  std::vector<std::string> labels;
  for (int i = 0; i < e.value_count(); ++i) {
    const int number = e.value(i)->number();
    if (number == 0 || IsExcluded(number, excluded)) continue;
    labels.push_back(client::EnumValueLabel(e, number, "-"));
  }
  return absl::StrJoin(labels, ", ");
}

absl::StatusOr<v1::ReliabilityGrade> ParseReliability(absl::string_view what,
                                                      absl::string_view text) {
  const std::string letter =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  if (letter.size() != 1 || letter[0] < 'A' || letter[0] > 'F') {
    return UsageError(
        absl::StrCat(what, ": expects a grade A-F, got '", text, "'"));
  }
  return static_cast<v1::ReliabilityGrade>(v1::RELIABILITY_GRADE_A +
                                           (letter[0] - 'A'));
}

absl::StatusOr<v1::AttributionHop> ParseHop(absl::string_view what,
                                            absl::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, ':');
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
    return UsageError(absl::StrCat(
        what, ": expects SOURCE:VERB[:anon=REASON][:cred=N], got '", spec,
        "'"));
  }
  v1::AttributionHop hop;
  hop.set_source(SourceName(parts[0]));
  absl::StatusOr<v1::AttributionVerb> verb =
      ParseEnum<v1::AttributionVerb>(absl::StrCat(what, " verb"), parts[1]);
  if (!verb.ok()) return verb.status();
  hop.set_verb(*verb);
  bool in_reason = false;
  for (size_t i = 2; i < parts.size(); ++i) {
    absl::string_view part = parts[i];
    if (part == "anon" || absl::StartsWith(part, "anon=")) {
      hop.set_anonymous(true);
      absl::ConsumePrefix(&part, "anon");
      absl::ConsumePrefix(&part, "=");
      hop.set_anonymity_reason(std::string(part));
      in_reason = true;
    } else if (absl::ConsumePrefix(&part, "cred=")) {
      // 0 is the wire's "not given": stored silently as no grade, so it is
      // not a value a user can mean. Leave cred= out instead.
      int credibility = 0;
      if (!absl::SimpleAtoi(part, &credibility) ||
          credibility < kMinCredibility || credibility > kMaxCredibility) {
        return UsageError(absl::StrCat(what, ": cred= expects a number ",
                                       kMinCredibility, "-", kMaxCredibility,
                                       ", got '", part, "'"));
      }
      hop.set_credibility(credibility);
      in_reason = false;
    } else if (in_reason) {
      // The reason contained ':'; put it back.
      hop.set_anonymity_reason(absl::StrCat(hop.anonymity_reason(), ":", part));
    } else {
      return UsageError(absl::StrCat(what, ": unknown hop option '", part,
                                     "' (expected anon=REASON or cred=N)"));
    }
  }
  return hop;
}

const std::vector<std::string>& FigureQualifierFlags() {
  static const auto* flags = new std::vector<std::string>{
      "amount", "about", "over", "at-least", "up-to", "under", "between"};
  return *flags;
}

absl::StatusOr<v1::Figure> BuildFigure(absl::string_view figure_id,
                                       absl::string_view qualifier_flag,
                                       const std::vector<double>& numbers,
                                       absl::string_view unit,
                                       absl::string_view label) {
  v1::Figure figure;
  figure.set_figure_id(std::string(figure_id));
  figure.set_unit(std::string(unit));
  figure.set_label(std::string(label));
  size_t expected = 1;
  if (qualifier_flag == "amount" || qualifier_flag == "exact" ||
      qualifier_flag == "exactly") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_EXACT);
  } else if (qualifier_flag == "about") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_ABOUT);
  } else if (qualifier_flag == "over") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_OVER);
  } else if (qualifier_flag == "at-least") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_AT_LEAST);
  } else if (qualifier_flag == "up-to") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_UP_TO);
  } else if (qualifier_flag == "under") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_UNDER);
  } else if (qualifier_flag == "between") {
    figure.set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
    expected = 2;
  } else {
    return UsageError(absl::StrCat(
        "unknown figure qualifier '", qualifier_flag,
        "'; one of: ", absl::StrJoin(FigureQualifierFlags(), ", ")));
  }
  if (numbers.size() != expected) {
    return UsageError(absl::StrCat("--", qualifier_flag, ": expects ", expected,
                                   expected == 1 ? " number" : " numbers",
                                   ", got ", numbers.size()));
  }
  switch (figure.qualifier()) {
    case v1::FIGURE_QUALIFIER_EXACT:
    case v1::FIGURE_QUALIFIER_ABOUT:
      figure.set_amount(numbers[0]);
      break;
    case v1::FIGURE_QUALIFIER_OVER:
    case v1::FIGURE_QUALIFIER_AT_LEAST:
      figure.set_lower_bound(numbers[0]);
      break;
    case v1::FIGURE_QUALIFIER_UP_TO:
    case v1::FIGURE_QUALIFIER_UNDER:
      figure.set_upper_bound(numbers[0]);
      break;
    default:  // BETWEEN. Order is the server's to check: it names the field.
      figure.set_lower_bound(numbers[0]);
      figure.set_upper_bound(numbers[1]);
  }
  return figure;
}

absl::StatusOr<v1::Figure> ParseFigureSpec(absl::string_view what,
                                           absl::string_view spec) {
  std::vector<std::string> parts =
      absl::StrSplit(spec, absl::MaxSplits(':', 4));
  if (parts.size() < 3) {
    return UsageError(absl::StrCat(
        what, ": expects ID:QUALIFIER:N[..M][:UNIT[:LABEL]], got '", spec,
        "'"));
  }
  std::vector<double> numbers;
  for (absl::string_view number : absl::StrSplit(parts[2], "..")) {
    absl::StatusOr<double> value = ParseNumber(what, number);
    if (!value.ok()) return value.status();
    numbers.push_back(*value);
  }
  // "at_least", "At Least" and "at-least" all name the --at-least form.
  const std::string qualifier =
      absl::StrReplaceAll(NormalizeWord(parts[1]), {{"_", "-"}});
  absl::StatusOr<v1::Figure> figure = BuildFigure(
      parts[0], qualifier, numbers, parts.size() > 3 ? parts[3] : "",
      parts.size() > 4 ? parts[4] : "");
  if (!figure.ok()) {
    return UsageError(absl::StrCat(what, ": ", figure.status().message()));
  }
  return figure;
}

absl::StatusOr<v1::Stance> ParseStanceSpec(absl::string_view what,
                                           absl::string_view spec) {
  std::vector<std::string> parts =
      absl::StrSplit(spec, absl::MaxSplits('=', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return UsageError(
        absl::StrCat(what, ": expects PARTY=POSITION, got '", spec, "'"));
  }
  v1::Stance stance;
  stance.set_party(SourceName(parts[0]));
  absl::StatusOr<v1::StancePosition> position =
      ParseEnum<v1::StancePosition>(what, parts[1]);
  if (!position.ok()) return position.status();
  stance.set_position(*position);
  return stance;
}

}  // namespace cli
}  // namespace claimtrail
