// JSON text in and out, over nlohmann::ordered_json (keys keep the order
// they were written in, so exports read well and are byte-stable).
//
// nlohmann/json reports errors by throwing; claimtrail code does not use
// exceptions. ParseJson goes through the non-throwing SAX entry point, and
// callers must check a value's type (is_string(), ...) before reading it
// and use find() rather than at().
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_JSON_TEXT_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_JSON_TEXT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace claimtrail {
namespace interchange {

using Json = nlohmann::ordered_json;

// Parses one JSON document. INVALID_ARGUMENT "`field`: line L, column C:
// ..." on a syntax error (or trailing content).
absl::StatusOr<Json> ParseJson(absl::string_view field, absl::string_view text);

// Pretty-printed (two-space indent) with a final newline. Invalid UTF-8 in
// strings is replaced with U+FFFD rather than failing.
std::string DumpJson(const Json& json);

// The string member `key` of `object`, if it is an object holding a string
// there.
std::optional<std::string> StringMember(const Json& object,
                                        absl::string_view key);

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_JSON_TEXT_H_
