// Parsing of the CLI's argument values into claimtrail.v1 messages: times,
// resource names, enum words, attribution hops, figures, stances.
//
// The CLI checks syntax only (is it a number, a known word, a time?); what
// the server validates (required fields, bounds order, lengths) is left to
// the server so the user sees one authoritative message naming the field.
// Every error is a UsageError whose message starts with the flag or
// argument, e.g. "--over: not a number: 'ten'". Pure, thread-safe.
#ifndef CLAIMTRAIL_CLIENT_CLI_PARSE_H_
#define CLAIMTRAIL_CLIENT_CLI_PARSE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/render.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/util/proto_time.h"

namespace claimtrail {
namespace cli {

// OK when `text` is valid UTF-8; otherwise a usage error naming `what` and
// the byte offset (the bytes themselves are not echoed to the terminal).
absl::Status CheckUtf8(absl::string_view what, absl::string_view text);

// RFC 3339 ("2025-03-21T08:30:00Z", "...+09:00", fractional seconds), a
// date ("2025-03-21" = midnight UTC), or "now".
absl::StatusOr<absl::Time> ParseTime(absl::string_view what,
                                     absl::string_view text);
// Both at once, for flags that fill a Timestamp field.
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(
    absl::string_view what, absl::string_view text);

// "10000", "10,000", "2.5", "-3". Not NaN or infinite.
absl::StatusOr<double> ParseNumber(absl::string_view what,
                                   absl::string_view text);

// A non-negative whole number, e.g. for --limit and --count.
absl::StatusOr<int> ParseCount(absl::string_view what, absl::string_view text);

// "10s", "500ms", "1m" (Go-style durations) or plain seconds ("30").
// Must be positive.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view what,
                                            absl::string_view text);

// Bare ids or full names: "nis" -> "sources/nis", "sources/nis" unchanged.
std::string SourceName(absl::string_view id_or_name);
// "nk-troops" -> "claims/nk-troops", "claims/nk-troops" unchanged.
std::string ClaimName(absl::string_view id_or_name);
// The id a create request takes, from an id or a full name, for --id:
// "nk-troops" or "claims/nk-troops" -> "nk-troops" (`collection` "claims").
// Every other command accepts either form, so --id does too. An empty id is
// a usage error: leaving --id out is how to ask for a default id.
absl::StatusOr<std::string> NewResourceId(absl::string_view what,
                                          absl::string_view collection,
                                          absl::string_view id_or_name);
// "claims/X/events/N" or "X/events/N" -> "claims/X/events/N". Syntax only.
absl::StatusOr<std::string> EventName(absl::string_view what,
                                      absl::string_view text);

// Enum values by their label words: case-insensitive, "-", "_" and " "
// interchangeable, and a unique prefix is enough ("declined" ->
// DECLINED_TO_COMMENT). UNSPECIFIED is never accepted; neither are values
// listed in `excluded`. The error lists the choices.
absl::StatusOr<int> ParseEnumValue(absl::string_view what,
                                   absl::string_view text,
                                   const google::protobuf::EnumDescriptor& e,
                                   const std::vector<int>& excluded = {});
template <typename Enum>
absl::StatusOr<Enum> ParseEnum(absl::string_view what, absl::string_view text,
                               const std::vector<int>& excluded = {}) {
  absl::StatusOr<int> value = ParseEnumValue(
      what, text, *google::protobuf::GetEnumDescriptor<Enum>(), excluded);
  if (!value.ok()) return value.status();
  return static_cast<Enum>(*value);
}
// The accepted words of an enum, for help texts: "said, briefed, ...".
std::string EnumChoices(const google::protobuf::EnumDescriptor& e,
                        const std::vector<int>& excluded = {});

// Admiralty reliability letter "A".."F" (case-insensitive).
absl::StatusOr<v1::ReliabilityGrade> ParseReliability(absl::string_view what,
                                                      absl::string_view text);

// An attribution hop: "SOURCE:VERB[:anon[=REASON]][:cred=N]", e.g.
// "nis:said", "sources/officials:said:anon=not authorized to speak:cred=3".
// A reason may itself contain ':'. N is 1-6; 0 (the wire's "not given") is
// rejected rather than stored as no grade.
absl::StatusOr<v1::AttributionHop> ParseHop(absl::string_view what,
                                            absl::string_view spec);

// A figure from the figure command's flags. `qualifier_flag` is one of
// "amount" (EXACT), "about", "over", "at-least", "up-to", "under" (one
// number each) or "between" (two numbers, lower first). Numbers go to the
// field the qualifier needs (amount / lower_bound / upper_bound).
absl::StatusOr<v1::Figure> BuildFigure(absl::string_view figure_id,
                                       absl::string_view qualifier_flag,
                                       const std::vector<double>& numbers,
                                       absl::string_view unit,
                                       absl::string_view label);
// The qualifier flags BuildFigure understands, in help order.
const std::vector<std::string>& FigureQualifierFlags();

// A compact figure for `claim add --figure`:
// "ID:QUALIFIER:N[..M][:UNIT[:LABEL]]", e.g. "troops:over:10000:soldiers" or
// "troops:between:5000..10000:soldiers:North Korean soldiers in Russia".
// UNIT is optional (and may be empty), as Figure.unit is for the server.
absl::StatusOr<v1::Figure> ParseFigureSpec(absl::string_view what,
                                           absl::string_view spec);

// "PARTY=POSITION", e.g. "north-korea=not-confirmed".
absl::StatusOr<v1::Stance> ParseStanceSpec(absl::string_view what,
                                           absl::string_view spec);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_PARSE_H_
