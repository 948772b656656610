#include "client/render.h"

#include <cctype>
#include <cmath>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace claimtrail {
namespace client {
namespace {

// "1234567" -> "1,234,567" (digits only, no sign).
std::string GroupThousands(absl::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// "ClaimState" -> "CLAIM_STATE_", the prefix protoc style gives its values.
std::string ValuePrefix(absl::string_view enum_name) {
  std::string prefix;
  for (size_t i = 0; i < enum_name.size(); ++i) {
    const char c = enum_name[i];
    if (i != 0 && std::isupper(static_cast<unsigned char>(c))) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(c));
  }
  prefix.push_back('_');
  return prefix;
}

std::string OptionalNumber(bool has, double value) {
  return has ? FormatNumber(value) : "?";
}

}  // namespace

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return absl::StrFormat("%g", value);
  const bool negative = std::signbit(value) && value != 0;
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e15) return absl::StrFormat("%g", value);
  // Six decimals is more precision than any reported figure carries.
  std::string fixed = absl::StrFormat("%.6f", magnitude);
  const size_t dot = fixed.find('.');
  std::string integer_part = fixed.substr(0, dot);
  std::string fraction = fixed.substr(dot + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string out = negative ? "-" : "";
  absl::StrAppend(&out, GroupThousands(integer_part));
  if (!fraction.empty()) absl::StrAppend(&out, ".", fraction);
  return out;
}

std::string DescribeFigure(const v1::Figure& figure) {
  const std::string amount =
      OptionalNumber(figure.has_amount(), figure.amount());
  const std::string lower =
      OptionalNumber(figure.has_lower_bound(), figure.lower_bound());
  const std::string upper =
      OptionalNumber(figure.has_upper_bound(), figure.upper_bound());
  std::string quantity;
  switch (figure.qualifier()) {
    case v1::FIGURE_QUALIFIER_EXACT:
      quantity = amount;
      break;
    case v1::FIGURE_QUALIFIER_OVER:
      quantity = absl::StrCat("over ", lower);
      break;
    case v1::FIGURE_QUALIFIER_ABOUT:
      quantity = absl::StrCat("about ", amount);
      break;
    case v1::FIGURE_QUALIFIER_AT_LEAST:
      quantity = absl::StrCat("at least ", lower);
      break;
    case v1::FIGURE_QUALIFIER_UP_TO:
      quantity = absl::StrCat("up to ", upper);
      break;
    case v1::FIGURE_QUALIFIER_UNDER:
      quantity = absl::StrCat("under ", upper);
      break;
    case v1::FIGURE_QUALIFIER_BETWEEN:
      quantity = absl::StrCat("between ", lower, " and ", upper);
      break;
    default:
      // No qualifier: show whatever numbers there are.
      if (figure.has_amount()) {
        quantity = amount;
      } else if (figure.has_lower_bound() || figure.has_upper_bound()) {
        quantity = absl::StrCat(lower, "-", upper);
      } else {
        quantity = "?";
      }
  }
  if (figure.unit().empty()) return quantity;
  return absl::StrCat(quantity, " ", figure.unit());
}

std::string EnumValueLabel(const google::protobuf::EnumDescriptor& descriptor,
                           int value, absl::string_view separator) {
  const google::protobuf::EnumValueDescriptor* value_descriptor =
      descriptor.FindValueByNumber(value);
  if (value_descriptor == nullptr) return absl::StrCat(value);
  absl::string_view name = value_descriptor->name();
  absl::ConsumePrefix(&name, ValuePrefix(descriptor.name()));
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", separator}});
}

namespace {

// RFC 3339 in UTC with `seconds_format` for the seconds (%E*S or %E9S).
std::string FormatUtc(const google::protobuf::Timestamp& timestamp,
                      absl::string_view seconds_format) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  const absl::Time time = absl::FromUnixSeconds(timestamp.seconds()) +
                          absl::Nanoseconds(timestamp.nanos());
  // RFC3339_full would print "+00:00"; "Z" is the usual UTC spelling.
  return absl::FormatTime(
      absl::StrCat("%Y-%m-%d%ET%H:%M:", seconds_format, "Z"), time,
      absl::UTCTimeZone());
}

}  // namespace

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  return FormatUtc(timestamp, "%E*S");
}

std::string FormatRecordedTime(const google::protobuf::Timestamp& timestamp) {
  return FormatUtc(timestamp, "%E9S");
}

std::string DescribeHop(const v1::AttributionHop& hop,
                        const SourceNamer& namer) {
  std::vector<std::string> notes = {EnumLabel(hop.verb())};
  if (hop.anonymous()) notes.push_back("anonymous");
  return absl::StrCat(namer(hop.source()), " (", absl::StrJoin(notes, ", "),
                      ")");
}

namespace {

// "per <primary> (verb), via <relay> (verb)"; empty for no hops.
std::string PerVia(
    const google::protobuf::RepeatedPtrField<v1::AttributionHop>& hops,
    const SourceNamer& namer) {
  std::vector<std::string> phrases;
  for (int i = 0; i < hops.size(); ++i) {
    phrases.push_back(
        absl::StrCat(i == 0 ? "per " : "via ", DescribeHop(hops[i], namer)));
  }
  return absl::StrJoin(phrases, ", ");
}

}  // namespace

std::string SourcingLine(const v1::Claim& claim, const SourceNamer& namer) {
  std::vector<std::string> parts;
  // Who the line credits: a figure with sources of its own (a revised
  // estimate, say) comes from them, not from the claim's first chain.
  std::string sourcing;
  if (claim.figures_size() > 0) {
    parts.push_back(DescribeFigure(claim.figures(0)));
    sourcing = PerVia(claim.figures(0).sources(), namer);
  }
  if (sourcing.empty() && claim.attributions_size() > 0) {
    sourcing = PerVia(claim.attributions(0).hops(), namer);
  }
  if (!sourcing.empty()) parts.push_back(sourcing);
  if (!claim.state_summary().empty()) {
    parts.push_back(claim.state_summary());
  } else if (claim.state() != v1::CLAIM_STATE_UNSPECIFIED) {
    parts.push_back(EnumLabel(claim.state()));
  }
  return absl::StrJoin(parts, " — ");
}

}  // namespace client
}  // namespace claimtrail
