// Human-readable renderings of claimtrail values, shared by timelines
// (DiffClaims), state summaries, the CLI and reports. Pure, deterministic,
// thread-safe.
#ifndef CLAIMTRAIL_SERVER_CORE_RENDER_H_
#define CLAIMTRAIL_SERVER_CORE_RENDER_H_

#include <string>

#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace core {

// The shortest decimal that reads back as `value`, without exponent for
// ordinary magnitudes and without trailing zeros: 10000 -> "10000",
// 2.5 -> "2.5", 0.1 -> "0.1". NaN and infinities as "nan", "inf", "-inf".
std::string FormatNumber(double value);

// As FormatNumber, with thousands separators in the integer part:
// 10000 -> "10,000", -1234.5 -> "-1,234.5".
std::string FormatNumberGrouped(double value);

// RFC 3339 in UTC, fractional seconds only when non-zero:
// "2025-03-21T00:00:00Z", "2025-03-21T08:30:00.25Z". Values outside the
// Timestamp range are shown as "invalid timestamp (seconds=…, nanos=…)".
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// An enum value as lower-case words without the enum's prefix:
// CLAIM_STATE_PARTIALLY_CONFIRMED -> "partially confirmed". The prefix is
// the name of the enum's zero value minus "UNSPECIFIED". A number that is not
// a value of the enum is shown as the number.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type,
                      int value);

template <typename Enum>
std::string EnumLabel(Enum value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<Enum>(),
                   static_cast<int>(value));
}

// A figure as the source put it, with thousands separators and unit:
// "over 10,000 soldiers", "about 3,000 soldiers", "between 1,000 and 2,000
// USD", "at least 5", "up to 12,000 soldiers", "under 500 soldiers",
// "10,000 soldiers" (exact). Missing numbers fall back to whatever the figure
// has (amount, then bounds); a figure without numbers is
// "unknown number of soldiers" (or "unknown amount" without a unit).
std::string DescribeFigure(const v1::Figure& figure);

// An attribution chain, primary source first:
// "sources/nis (said) -> sources/straitstimes (reported)". Anonymous hops
// are marked "(said, anonymous)".
std::string DescribeHops(
    const google::protobuf::RepeatedPtrField<v1::AttributionHop>& hops);

// An attribution: its chain, plus "(figure troops)" when it supports one
// figure.
std::string DescribeAttribution(const v1::Attribution& attribution);

// An appearance in one line: outlet, quoted title, publish time and URL,
// whichever are set, separated by ", ".
std::string DescribeAppearance(const v1::Appearance& appearance);

// A relation from the holding claim's point of view: "supports claims/b";
// an INVERSE relation in the passive: "supported by claims/a",
// "same as claims/a".
std::string DescribeRelation(const v1::Relation& relation);

// A stance: its position, and the party's words when given:
// `confirmed: "We sent troops"`.
std::string DescribeStance(const v1::Stance& stance);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_RENDER_H_
