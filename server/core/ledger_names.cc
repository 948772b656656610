#include "server/core/ledger_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

std::string SlugFromDisplayName(absl::string_view display_name,
                                size_t max_length) {
  std::string slug;
  bool pending_dash = false;
  for (char c : display_name) {
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
