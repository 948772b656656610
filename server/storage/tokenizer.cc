#include "server/storage/tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace claimtrail {
namespace storage {
namespace {

// ICU's NFKC_Casefold normalizer: a process-wide singleton that ICU owns;
// nullptr only if ICU's data cannot be loaded (then words fold as ASCII).
const icu::Normalizer2* CaseFolder() {
  static const icu::Normalizer2* const folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance =
        icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? instance : nullptr;
  }();
  return folder;
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string AsciiFold(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Letters, marks and digits of any script.
bool IsWordCodePoint(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

int CodePoints(absl::string_view word) {
  int n = 0;
  for (char c : word) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Deliberately short: a long list hurts recall on short claims. Words that
// flip meaning ("not", "no", "never") are not here.
bool IsStopWord(absl::string_view word) {
  static const auto* const kStopWords = new absl::flat_hash_set<std::string>{
      "an",   "and",  "are",   "as",  "at",    "be",   "been",  "but",
      "by",   "for",  "from",  "had", "has",   "have", "he",    "her",
      "his",  "in",   "into",  "is",  "it",    "its",  "of",    "on",
      "or",   "she",  "that",  "the", "their", "them", "there", "these",
      "they", "this", "those", "to",  "was",   "were", "which", "who",
      "will", "with", "would"};
  return kStopWords->contains(word);
}

// Decodes the code point at `*i` and advances past it; U_SENTINEL (< 0) for
// bytes that are not valid UTF-8.
UChar32 Next(absl::string_view text, int32_t* i) {
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), *i,
          static_cast<int32_t>(text.size()), c);
  return c;
}

}  // namespace

std::string FoldCase(absl::string_view text) {
  const icu::Normalizer2* folder = CaseFolder();
  if (IsAscii(text) || folder == nullptr) return AsciiFold(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded =
      folder->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                            text.data(), static_cast<int32_t>(text.size()))),
                        status);
  if (U_FAILURE(status)) return AsciiFold(text);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::vector<std::string> Tokenize(absl::string_view text) {
  std::vector<std::string> tokens;
  absl::flat_hash_set<std::string> seen;
  std::string word;  // The word's bytes as written; folded when it ends.
  UChar32 last = U_SENTINEL;  // The word's last code point.
  auto flush = [&] {
    if (!word.empty()) {
      std::string folded = FoldCase(word);
      if (CodePoints(folded) > 1 && !IsStopWord(folded) &&
          seen.insert(folded).second) {
        tokens.push_back(std::move(folded));
      }
    }
    word.clear();
    last = U_SENTINEL;
  };
  int32_t i = 0;
  const int32_t size = static_cast<int32_t>(text.size());
  while (i < size) {
    const int32_t start = i;
    const UChar32 c = Next(text, &i);
    if (c >= 0 && IsWordCodePoint(c)) {
      word.append(text.data() + start, i - start);
      last = c;
      continue;
    }
    // Inside a number, ',' (thousands) and '.' (decimals) do not end it.
    if ((c == ',' || c == '.') && last >= 0 && u_isdigit(last) && i < size) {
      int32_t peek = i;
      const UChar32 following = Next(text, &peek);
      if (following >= 0 && u_isdigit(following)) {
        if (c == '.') word.push_back('.');
        continue;
      }
    }
    flush();
  }
  flush();
  return tokens;
}

}  // namespace storage
}  // namespace claimtrail
