// Readable renderings of claimtrail.v1 values, for people rather than
// programs: "over 10,000 soldiers", "not confirmed", "2025-03-21T00:00:00Z".
// Client-side on purpose: clients depend on the public proto only, never on
// the server's code. All functions are pure and thread-safe.
#ifndef CLAIMTRAIL_CLIENT_RENDER_H_
#define CLAIMTRAIL_CLIENT_RENDER_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace client {

// A number as people write it: thousands separators, no trailing zeros.
// 10000 -> "10,000"; 2.5 -> "2.5"; -1234567.25 -> "-1,234,567.25".
std::string FormatNumber(double value);

// A figure in words: "over 10,000 soldiers", "between 5,000 and 10,000
// soldiers", "about 3,000 USD". Missing numbers render as "?" so a malformed
// figure is still visible rather than silently dropped.
std::string DescribeFigure(const v1::Figure& figure);

// The label of an enum value: its name without the enum's prefix, lower
// case, words separated by `separator` (" " for prose, "-" for flag values):
// CLAIM_STATE_PARTIALLY_CONFIRMED -> "partially confirmed". Unknown values
// render as their number.
std::string EnumValueLabel(const google::protobuf::EnumDescriptor& descriptor,
                           int value, absl::string_view separator = " ");

template <typename Enum>
std::string EnumLabel(Enum value, absl::string_view separator = " ") {
  return EnumValueLabel(*google::protobuf::GetEnumDescriptor<Enum>(),
                        static_cast<int>(value), separator);
}

// RFC 3339 in UTC ("2025-03-21T08:30:00Z", fractional seconds only when
// present); empty for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// A time the server recorded (an event's recorded time, a claim's update
// time): always nine fractional digits, "2025-03-21T08:30:00.140000000Z",
// so that such times line up in columns. Never rounded: users copy these
// into --as-of, which must include the event. Empty for an unset timestamp.
std::string FormatRecordedTime(const google::protobuf::Timestamp& timestamp);

// Looks up a source's display name from its resource name; returns the
// resource name itself (or anything readable) when the lookup fails.
using SourceNamer = std::function<std::string(const std::string& source)>;

// One hop as "Display Name (said)", with ", anonymous" when anonymous.
std::string DescribeHop(const v1::AttributionHop& hop,
                        const SourceNamer& namer);

// The one-line sourcing summary of a claim, like the brief's: first figure,
// who says so ("per <primary> (verb), via <relay> (verb)": the figure's own
// sources when it has them, else the first attribution chain), then the
// state summary, joined by " — "; parts that are missing are left out. E.g.
// "over 10,000 soldiers — per South Korea's National Intelligence Service
// (said), via straitstimes.com (reported) — unconfirmed by North Korea and
// Russia".
std::string SourcingLine(const v1::Claim& claim, const SourceNamer& namer);

}  // namespace client
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_RENDER_H_
