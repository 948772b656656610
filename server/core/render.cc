#include "server/core/render.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace claimtrail {
namespace core {
namespace {

// Timestamp range allowed by google.protobuf.Timestamp:
// 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

bool RoundTrips(const std::string& text, double value) {
  return std::strtod(text.c_str(), nullptr) == value;
}

// Inserts "," every three digits of an unsigned run of digits.
std::string GroupDigits(absl::string_view digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// The number a qualifier speaks about, with the fallback order documented on
// DescribeFigure.
std::string FirstNumber(const v1::Figure& figure, bool prefer_lower) {
  if (prefer_lower && figure.has_lower_bound()) {
    return FormatNumberGrouped(figure.lower_bound());
  }
  if (!prefer_lower && figure.has_upper_bound()) {
    return FormatNumberGrouped(figure.upper_bound());
  }
  if (figure.has_amount()) return FormatNumberGrouped(figure.amount());
  if (figure.has_lower_bound()) return FormatNumberGrouped(figure.lower_bound());
  if (figure.has_upper_bound()) return FormatNumberGrouped(figure.upper_bound());
  return "";
}

std::string WithUnit(std::string text, const v1::Figure& figure) {
  if (!figure.unit().empty()) absl::StrAppend(&text, " ", figure.unit());
  return text;
}

// Passive form of a forward relation type, for INVERSE relations.
std::string PassiveLabel(v1::RelationType type) {
  switch (type) {
    case v1::RELATION_TYPE_SAME_AS:
      return "same as";
    case v1::RELATION_TYPE_VARIANT:
      return "variant of";
    case v1::RELATION_TYPE_SUPERSEDES:
      return "superseded by";
    case v1::RELATION_TYPE_CONTRADICTS:
      return "contradicted by";
    case v1::RELATION_TYPE_SUPPORTS:
      return "supported by";
    case v1::RELATION_TYPE_REFINES:
      return "refined by";
    default:
      return absl::StrCat("inverse of ", EnumLabel(type));
  }
}

std::string ActiveLabel(v1::RelationType type) {
  switch (type) {
    case v1::RELATION_TYPE_SAME_AS:
      return "same as";
    case v1::RELATION_TYPE_VARIANT:
      return "variant of";
    default:
      return EnumLabel(type);
  }
}

}  // namespace

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";  // Also -0.
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-4 && magnitude < 1e15) {
    // Fixed notation with the fewest decimals that read back exactly; the
    // fewest never ends in a zero.
    for (int decimals = 0; decimals <= 17; ++decimals) {
      std::string text = absl::StrFormat("%.*f", decimals, value);
      if (RoundTrips(text, value)) return text;
    }
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (RoundTrips(text, value)) return text;
  }
  return absl::StrFormat("%.17g", value);
}

std::string FormatNumberGrouped(double value) {
  std::string plain = FormatNumber(value);
  if (!std::isfinite(value) || absl::StrContains(plain, "e")) return plain;
  absl::string_view rest = plain;
  std::string sign;
  if (!rest.empty() && rest[0] == '-') {
    sign = "-";
    rest.remove_prefix(1);
  }
  const size_t dot = rest.find('.');
  absl::string_view integer = rest.substr(0, dot);
  absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : rest.substr(dot);
  return absl::StrCat(sign, GroupDigits(integer), fraction);
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < kMinTimestampSeconds ||
      timestamp.seconds() > kMaxTimestampSeconds || timestamp.nanos() < 0 ||
      timestamp.nanos() > 999999999) {
    return absl::StrCat("invalid timestamp (seconds=", timestamp.seconds(),
                        ", nanos=", timestamp.nanos(), ")");
  }
  const absl::Time time = absl::FromUnixSeconds(timestamp.seconds()) +
                          absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", time,
                          absl::UTCTimeZone());
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* type,
                      int value) {
  const google::protobuf::EnumValueDescriptor* descriptor =
      type == nullptr ? nullptr : type->FindValueByNumber(value);
  if (descriptor == nullptr) return absl::StrCat(value);
  absl::string_view name = descriptor->name();
  const google::protobuf::EnumValueDescriptor* zero =
      type->FindValueByNumber(0);
  if (zero != nullptr) {
    absl::string_view prefix = zero->name();
    if (absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) {
      absl::ConsumePrefix(&name, prefix);
    }
  }
  std::string label = absl::AsciiStrToLower(name);
  absl::StrReplaceAll({{"_", " "}}, &label);
  return label;
}

std::string DescribeFigure(const v1::Figure& figure) {
  const bool any_number =
      figure.has_amount() || figure.has_lower_bound() || figure.has_upper_bound();
  if (!any_number) {
    return figure.unit().empty()
               ? "unknown amount"
               : absl::StrCat("unknown number of ", figure.unit());
  }
  switch (figure.qualifier()) {
    case v1::FIGURE_QUALIFIER_OVER:
      return WithUnit(absl::StrCat("over ", FirstNumber(figure, true)), figure);
    case v1::FIGURE_QUALIFIER_AT_LEAST:
      return WithUnit(absl::StrCat("at least ", FirstNumber(figure, true)),
                      figure);
    case v1::FIGURE_QUALIFIER_UP_TO:
      return WithUnit(absl::StrCat("up to ", FirstNumber(figure, false)),
                      figure);
    case v1::FIGURE_QUALIFIER_UNDER:
      return WithUnit(absl::StrCat("under ", FirstNumber(figure, false)),
                      figure);
    case v1::FIGURE_QUALIFIER_ABOUT:
      if (figure.has_amount()) {
        return WithUnit(
            absl::StrCat("about ", FormatNumberGrouped(figure.amount())),
            figure);
      }
      break;  // Shown as a range below.
    case v1::FIGURE_QUALIFIER_EXACT:
      if (figure.has_amount()) {
        return WithUnit(FormatNumberGrouped(figure.amount()), figure);
      }
      break;
    default:
      break;
  }
  // BETWEEN, or a qualifier whose number is missing: whatever is there.
  if (figure.has_lower_bound() && figure.has_upper_bound()) {
    return WithUnit(absl::StrCat("between ",
                                 FormatNumberGrouped(figure.lower_bound()),
                                 " and ",
                                 FormatNumberGrouped(figure.upper_bound())),
                    figure);
  }
  if (figure.has_amount()) {
    return WithUnit(FormatNumberGrouped(figure.amount()), figure);
  }
  if (figure.has_lower_bound()) {
    return WithUnit(
        absl::StrCat("at least ", FormatNumberGrouped(figure.lower_bound())),
        figure);
  }
  return WithUnit(
      absl::StrCat("up to ", FormatNumberGrouped(figure.upper_bound())),
      figure);
}

std::string DescribeHops(
    const google::protobuf::RepeatedPtrField<v1::AttributionHop>& hops) {
  std::vector<std::string> parts;
  parts.reserve(hops.size());
  for (const v1::AttributionHop& hop : hops) {
    std::string how = EnumLabel(hop.verb());
    if (hop.anonymous()) absl::StrAppend(&how, ", anonymous");
    parts.push_back(absl::StrCat(hop.source(), " (", how, ")"));
  }
  return absl::StrJoin(parts, " -> ");
}

std::string DescribeAttribution(const v1::Attribution& attribution) {
  std::string text = DescribeHops(attribution.hops());
  if (!attribution.figure_id().empty()) {
    absl::StrAppend(&text, " (figure ", attribution.figure_id(), ")");
  }
  return text;
}

std::string DescribeAppearance(const v1::Appearance& appearance) {
  std::vector<std::string> parts;
  if (!appearance.outlet().empty()) parts.push_back(appearance.outlet());
  if (!appearance.title().empty()) {
    parts.push_back(absl::StrCat("\"", appearance.title(), "\""));
  }
  if (appearance.has_publish_time()) {
    parts.push_back(FormatTimestamp(appearance.publish_time()));
  }
  if (!appearance.url().empty()) parts.push_back(appearance.url());
  return absl::StrJoin(parts, ", ");
}

std::string DescribeRelation(const v1::Relation& relation) {
  const std::string label = relation.type() == v1::RELATION_TYPE_INVERSE
                                ? PassiveLabel(relation.inverse_of())
                                : ActiveLabel(relation.type());
  return absl::StrCat(label, " ", relation.target());
}

std::string DescribeStance(const v1::Stance& stance) {
  std::string text = EnumLabel(stance.position());
  if (!stance.statement().empty()) {
    absl::StrAppend(&text, ": \"", stance.statement(), "\"");
  }
  return text;
}

}  // namespace core
}  // namespace claimtrail
