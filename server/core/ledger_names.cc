#include "server/core/ledger_names.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace claimtrail {
namespace core {

std::string ClaimName(absl::string_view claim_id) {
  return absl::StrCat("claims/", claim_id);
}

std::string SourceName(absl::string_view source_id) {
  return absl::StrCat("sources/", source_id);
}

std::string EventName(absl::string_view claim_id, int64_t revision) {
  return absl::StrCat("claims/", claim_id, "/events/", revision);
}

std::string ClaimIdForSequence(uint64_t sequence) {
  return absl::StrFormat("c%010x", sequence);
}

namespace {

// `text` in Latin letters, then in ASCII ("조선중앙통신" -> "joseonjung-
// angtongsin", "Министерство" -> "Ministerstvo", "Ü" -> "U"): ICU's
// "Any-Latin; Latin-ASCII" transliteration. ASCII text is returned as it
// is, and so is everything when ICU cannot build the transliterator.
std::string ToAscii(absl::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80;
  });
  if (ascii) return std::string(text);
  static absl::Mutex mu(absl::kConstInit);
  // A Transliterator is not safe for concurrent use; sources are created
  // rarely, so one shared instance behind a lock will do.
  static icu::Transliterator* const transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* made = icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII", UTRANS_FORWARD, status);
    return U_SUCCESS(status) ? made : nullptr;
  }();
  if (transliterator == nullptr) return std::string(text);
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  {
    absl::MutexLock lock(&mu);
    transliterator->transliterate(unicode);
  }
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

}  // namespace

std::string SlugFromDisplayName(absl::string_view display_name,
                                size_t max_length) {
  std::string slug;
  bool pending_dash = false;
  for (char c : ToAscii(display_name)) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      if (pending_dash && !slug.empty()) slug.push_back('-');
      pending_dash = false;
      slug.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else if (c != '\'') {
      // Apostrophes join ("Korea's" -> "koreas"); anything else separates.
      pending_dash = true;
    }
  }
  if (slug.empty()) return "source";
  if (!absl::ascii_isalpha(static_cast<unsigned char>(slug[0]))) {
    slug = absl::StrCat("s-", slug);
  }
  if (slug.size() > max_length) {
    slug.resize(max_length);
    const size_t dash = slug.rfind('-');
    if (dash != std::string::npos && dash > max_length / 2) slug.resize(dash);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
  }
  return slug;
}

}  // namespace core
}  // namespace claimtrail
