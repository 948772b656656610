#include "server/storage/tokenizer.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace claimtrail {
namespace storage {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A byte that belongs to a word: ASCII alphanumerics and every byte of a
// multibyte UTF-8 sequence (>= 0x80).
bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || IsDigit(c) || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Number of code points: every byte that is not a UTF-8 continuation byte
// starts one.
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

}  // namespace

std::vector<std::string> Tokenize(absl::string_view text) {
  std::vector<std::string> tokens;
  absl::flat_hash_set<std::string> seen;
  std::string word;
  auto flush = [&] {
    if (CodePoints(word) > 1 && !IsStopWord(word) && seen.insert(word).second) {
      tokens.push_back(word);
    }
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsWordByte(c)) {
      word.push_back(AsciiLower(c));
      continue;
    }
    // Inside a number, ',' (thousands) and '.' (decimals) do not end it.
    const bool in_number = !word.empty() && IsDigit(word.back()) &&
                           i + 1 < text.size() && IsDigit(text[i + 1]);
    if (in_number && c == ',') continue;
    if (in_number && c == '.') {
      word.push_back('.');
      continue;
    }
    flush();
  }
  flush();
  return tokens;
}

}  // namespace storage
}  // namespace claimtrail
