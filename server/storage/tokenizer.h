// The one word tokenizer of claimtrail. The storage layer uses it to build
// the kToken index; the core's search uses it on queries. Both must agree, so
// there is exactly one implementation, and the index records which version
// of it wrote its words (kTokenizerVersion).
#ifndef CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_
#define CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace storage {

// Splits `text` into normalized, distinct words, in order of first
// occurrence:
// - A word is a run of letters, combining marks and digits (Unicode general
//   categories L, M and N), in any script; every other character (space,
//   punctuation, symbols, also "’", "—" and "。") separates words.
// - Each word is folded with Unicode's NFKC_Casefold, so case, width and
//   composition do not matter: "Северная" = "северная", "STRASSE" =
//   "straße", "ＮＩＳ" = "nis", a precomposed "é" = "e" + U+0301.
// - Numbers: a ',' between two digits is dropped ("10,000" -> "10000") and a
//   '.' between two digits is kept ("3.5" -> "3.5"), so figures match
//   however they are written in text and query alike.
// - Words of one character (code point, after folding) and a short list of
//   English stop words ("the", "of", ...) are dropped; "not" and "no" are
//   kept because they change a claim's meaning.
// Never fails; bytes that are not valid UTF-8 separate words. Thread-safe.
std::vector<std::string> Tokenize(absl::string_view text);

// `text` folded whole as Tokenize folds each word (NFKC_Casefold), for
// comparing names regardless of case and width. Bytes that are not valid
// UTF-8 become U+FFFD. Thread-safe.
std::string FoldCase(absl::string_view text);

// The version of Tokenize's output. A change to the words Tokenize makes of
// any text must increment it: storage records the version its token index
// was written with and rebuilds an index of another version when it opens
// (leveldb_storage.cc, WORD INDEX VERSION). 1: ASCII-only lower-casing,
// every non-ASCII byte a word character; 2: the rules above.
inline constexpr int kTokenizerVersion = 2;

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_TOKENIZER_H_
