// The one word tokenizer of claimtrail. The storage layer uses it to build
// the kToken index; the core's search uses it on queries. Both must agree, so
// there is exactly one implementation.
#ifndef CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_
#define CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace storage {

// Splits `text` into normalized, distinct words, in order of first
// occurrence:
// - ASCII letters are lower-cased; other letters are kept as they are
//   (UTF-8 multibyte sequences count as word characters, so "Kursk-Oblast"
//   and "Курск" are words; non-ASCII case is not folded).
// - Any other ASCII byte (space, punctuation, symbols) separates words.
// - Numbers: a ',' between two digits is dropped ("10,000" -> "10000") and a
//   '.' between two digits is kept ("3.5" -> "3.5"), so figures match
//   however they are written in text and query alike.
// - Words of one character (code point) and a short list of English stop
//   words ("the", "of", ...) are dropped; "not" and "no" are kept because
//   they change a claim's meaning.
// Never fails; invalid UTF-8 bytes are treated as word characters.
std::vector<std::string> Tokenize(absl::string_view text);

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_
