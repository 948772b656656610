// Text safety at the CLI's edges: arguments must be valid UTF-8 before they
// go into a request (protobuf would log its own error and send the bytes
// anyway), and stored text is shown to people with control characters made
// visible, so that one user's claim cannot write escape sequences to another
// user's terminal. Pure, thread-safe.
#ifndef CLAIMTRAIL_CLIENT_CLI_TEXT_H_
#define CLAIMTRAIL_CLIENT_CLI_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace cli {

// Where `text` stops being valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF): a byte offset, or text.size() when
// all of it is valid.
size_t Utf8ValidPrefix(absl::string_view text);
inline bool IsValidUtf8(absl::string_view text) {
  return Utf8ValidPrefix(text) == text.size();
}

// `text` with the characters a terminal would act on shown as escapes:
// C0 controls other than tab and newline, and DEL, as "\x1b" (the byte);
// C1 controls (U+0080..U+009F) as "\u009b" (the code point); bytes that are
// not valid UTF-8 as "\xff". With `one_line`, newlines become "\n" too, so a
// listing keeps one item per line. Everything else, including a backslash,
// is unchanged: the output is for reading, not for parsing back (--json is).
std::string EscapeControls(absl::string_view text, bool one_line = false);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_TEXT_H_
