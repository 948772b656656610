// Size and count limits of the public API, as documented in the .proto
// comments. Lengths are in bytes of UTF-8. Validation (validation.cc) enforces
// them; other layers (CLI, reports) may use them to check early.
#ifndef CLAIMTRAIL_SERVER_CORE_LIMITS_H_
#define CLAIMTRAIL_SERVER_CORE_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace claimtrail {
namespace core {

// Claim text (Claim.text).
inline constexpr size_t kMaxClaimTextBytes = 4096;
// Short strings: names, outlets, claim parts, rating text, aliases.
inline constexpr size_t kMaxShortStringBytes = 256;
// Titles and figure labels.
inline constexpr size_t kMaxTitleBytes = 512;
// URLs.
inline constexpr size_t kMaxUrlBytes = 2048;
// Quotes, statements, notes, descriptions, retraction and redaction reasons.
inline constexpr size_t kMaxLongTextBytes = 4096;
// Verdict explanations.
inline constexpr size_t kMaxExplanationBytes = 8192;
// Anonymity reasons and relation notes.
inline constexpr size_t kMaxReasonBytes = 1024;
// Figure units and source countries.
inline constexpr size_t kMaxUnitBytes = 64;
// BCP-47 language tags.
inline constexpr size_t kMaxLanguageBytes = 35;

// Topics per claim, and bytes per topic.
inline constexpr int kMaxTopics = 32;
inline constexpr size_t kMaxTopicBytes = 64;
// Aliases per source.
inline constexpr int kMaxAliases = 32;
// Hops per attribution chain (at least one) and per figure's sources.
inline constexpr int kMinHops = 1;
inline constexpr int kMaxHops = 16;
// Figures, attributions, stances and appearances in one CreateClaim, and in
// one claim: the RPCs that add one (ReviseFigure with a new figure_id,
// AddAttribution, RecordStance for a new party, AddAppearance) refuse to go
// past it either.
inline constexpr int kMaxEntriesPerCreate = 64;
// Information credibility (Admiralty code); 0 means not given.
inline constexpr int32_t kMaxCredibility = 6;

// Page sizes; 0 means the method's default.
inline constexpr int32_t kMaxPageSize = 1000;
// The page size of a list or search that gives none (page_size 0).
inline constexpr int32_t kDefaultPageSize = 50;
// Most claims or sources one list or search call examines (ScanFiltered),
// so that a rare filter cannot make one call scan the whole ledger; the
// page may then be short, with a next_page_token.
inline constexpr int kMaxClaimsExamined = 10000;
// The most bytes a page of ListClaims, SearchClaims or ListClaimEvents
// carries before it stops early, with a next_page_token (page_size is a
// maximum, AIP-158): a page of large claims must still fit gRPC's default
// 4 MiB receive limit, which every client in every language starts with.
inline constexpr size_t kMaxPageBytes = 2 << 20;
// The most bytes one stored claim or event may take, serialized. Each is
// answered whole (GetClaim, a timeline page of one, a watch message), so
// each must fit a default client's 4 MiB, and an event carries its change
// list beside its payload, about twice what it adds. A write that would
// store more is refused (AppendClaimEvent).
inline constexpr size_t kMaxStoredRecordBytes = 1 << 20;
// Opaque page tokens as they come back from clients.
inline constexpr size_t kMaxPageTokenBytes = 4096;
// Etags are opaque to clients, but every etag the server hands out (ClaimEtag
// in fold.h, SourceEtag in idempotency.h) is this many lowercase hex digits.
inline constexpr size_t kEtagHexDigits = 16;
// Search and list queries.
inline constexpr size_t kMaxQueryBytes = 4096;

// request_id: 1-128 characters of [A-Za-z0-9._:-].
inline constexpr size_t kMaxRequestIdBytes = 128;
// Resource ids (claims/{id}, sources/{id}) and figure ids: 1-63 characters.
inline constexpr size_t kMaxIdBytes = 63;

// Asserted times may be this far ahead of the server's clock.
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);

// google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LIMITS_H_
