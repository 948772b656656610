// Resource names and server-assigned ids.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_NAMES_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_NAMES_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace core {

std::string ClaimName(absl::string_view claim_id);    // "claims/{id}"
std::string SourceName(absl::string_view source_id);  // "sources/{id}"
std::string EventName(absl::string_view claim_id, int64_t revision);

// The id the server gives a claim whose creating event has global sequence
// `sequence`: "c" + 10 lower-case hex digits, so that ids of server-named
// claims sort in creation order (ListClaims pages by id).
std::string ClaimIdForSequence(uint64_t sequence);

// A source id derived from a display name: the name transliterated to
// ASCII (ICU's "Any-Latin; Latin-ASCII"), letters and digits lower-cased,
// every other run of characters one '-' (an apostrophe joins), trimmed;
// starts with a letter ("s-" is prepended otherwise; "source" when nothing
// is left); at most `max_length` characters, cut at a word boundary where
// possible. "National Intelligence Service" ->
// "national-intelligence-service", "Министерство обороны России" ->
// "ministerstvo-oborony-rossii". Thread-safe.
std::string SlugFromDisplayName(absl::string_view display_name,
                                size_t max_length = 63);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_NAMES_H_
