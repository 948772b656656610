// The Ledger's reads of sources and claims: GetSource, ListSources,
// GetClaim (now, as of a recorded time, at a valid time), ListClaims,
// ListClaimEvents, DiffClaim, GetServerInfo. They read storage directly and
// never wait for the committer.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/core/as_of.h"
#include "server/core/diff.h"
#include "server/core/fold.h"
#include "server/core/ledger_claim_filter.h"
#include "server/core/ledger_impl.h"
#include "server/core/ledger_names.h"
#include "server/core/limits.h"
#include "server/core/page_token.h"
#include "server/core/validation.h"
#include "server/storage/tokenizer.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kDefaultEventPageSize = 100;
// Most events one ListClaimEvents read asks storage for, beyond a page.
constexpr int kMaxEventChunk = 1024;
constexpr int kSourceScanChunk = 256;

int PageSize(int32_t requested, int default_size) {
  if (requested <= 0) return default_size;
  return std::min<int>(requested, kMaxPageSize);
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone());
}

// Whether `name` matches a ListSources query: equal ignoring ASCII case, or
// containing every word of the query.
bool NameMatches(const std::string& name, const std::string& query_folded,
                 const std::vector<std::string>& query_words) {
  if (storage::FoldCase(name) == query_folded) return true;
  if (query_words.empty()) return false;
  const std::vector<std::string> words = storage::Tokenize(name);
  for (const std::string& word : query_words) {
    if (std::find(words.begin(), words.end(), word) == words.end()) {
      return false;
    }
  }
  return true;
}

template <typename Request>
uint64_t FiltersOf(const Request& req) {
  Request filters = req;
  filters.clear_page_size();
  filters.clear_page_token();
  return FilterFingerprint(filters);
}

// ---- ListClaimEvents. A page is the wanted events after the token's
// revision; a next_page_token is given only when a further wanted event
// exists. Each event's changes are against the claim's full history, also
// when filters skip events.

struct TimelinePage {
  explicit TimelinePage(const v1::ListClaimEventsRequest& request)
      : req(request),
        size(PageSize(request.page_size(), kDefaultEventPageSize)),
        filters(FiltersOf(request)) {}

  // Whether the filters (kinds, recorded_after, recorded_before) keep it.
  bool Wanted(const v1::Event& event) const {
    if (req.kinds_size() > 0 &&
        std::find(req.kinds().begin(), req.kinds().end(), event.kind()) ==
            req.kinds().end()) {
      return false;
    }
    const absl::Time recorded = FromProtoTime(event.recorded_time());
    if (req.has_recorded_after() &&
        recorded < FromProtoTime(req.recorded_after())) {
      return false;
    }
    return !PastRecordedBefore(event);
  }

  // True when neither `event` nor any later one can be wanted: recorded
  // time never decreases along a claim's revisions (as_of.h).
  bool PastRecordedBefore(const v1::Event& event) const {
    return req.has_recorded_before() &&
           FromProtoTime(event.recorded_time()) >
               FromProtoTime(req.recorded_before());
  }

  // Whether `response`, whose events take `bytes`, is a full page: page
  // size reached, or kMaxPageBytes (a default client's 4 MiB must hold it).
  bool Full(const v1::ListClaimEventsResponse& response, size_t bytes) const {
    return response.events_size() == size || bytes >= kMaxPageBytes;
  }

  // Ends `response` (a full page) where it stands.
  void SetNextPageToken(v1::ListClaimEventsResponse* response) const {
    PageToken token;
    token.set_method("ListClaimEvents");
    token.set_filter_fingerprint(filters);
    token.set_after_revision(
        response->events(response->events_size() - 1).revision());
    response->set_next_page_token(EncodePageToken(token));
  }

  const v1::ListClaimEventsRequest& req;
  const int size;
  const uint64_t filters;
  int64_t after_revision = 0;
};

// Whether `event`'s stored changes are the ones a timeline shows. Events
// store their changes when committed (AppendClaimEvent), so a non-empty list
// is complete. An empty one is complete for redacted events and redactions,
// which change nothing a diff reports (fold.cc), and for events from
// `complete_from` on (Storage::CompleteChangesFrom: an event that changed
// nothing, such as a party restating its position). For an older event it
// may mean "written before changes were stored" as well as "changed
// nothing".
bool HasCompleteChanges(const v1::Event& event, uint64_t complete_from) {
  return event.changes_size() > 0 || event.redacted() ||
         event.kind() == v1::EVENT_KIND_REDACTED ||
         (complete_from > 0 && event.sequence() >= complete_from);
}

// NOT_FOUND unless claim `id` has events.
absl::Status RequireClaimEvents(storage::Storage& storage,
                                const std::string& id) {
  ASSIGN_OR_RETURN(std::vector<v1::Event> first, storage.ReadEvents(id, 1, 1));
  if (first.empty()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  return absl::OkStatus();
}

// The page as stored: reads only from the token's revision on, and neither
// folds nor diffs. nullopt when an event of the page has no complete stored
// changes (HasCompleteChanges): then only a fold from revision 1 can give
// them (TimelineByFold).
absl::StatusOr<std::optional<v1::ListClaimEventsResponse>>
TimelineFromStoredChanges(storage::Storage& storage, const std::string& id,
                          const TimelinePage& page) {
  // Without filters one read holds the page and the event after it, which
  // says whether a next page exists. Filters that skip events need further
  // reads, each twice as large, so that a rare kind costs a few reads.
  int chunk = page.size + 1;
  const uint64_t complete_from = storage.CompleteChangesFrom();
  v1::ListClaimEventsResponse response;
  size_t bytes = 0;
  int64_t from = page.after_revision + 1;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                     storage.ReadEvents(id, from, chunk));
    if (events.empty() && from == page.after_revision + 1) {
      // Nothing after the token: an empty page, if the claim exists.
      RETURN_IF_ERROR(RequireClaimEvents(storage, id));
    }
    const int64_t last_read = events.empty() ? 0 : events.back().revision();
    for (v1::Event& event : events) {
      if (page.PastRecordedBefore(event)) return response;
      if (!page.Wanted(event)) continue;
      if (page.Full(response, bytes)) {
        page.SetNextPageToken(&response);
        return response;
      }
      if (!HasCompleteChanges(event, complete_from)) return std::nullopt;
      bytes += event.ByteSizeLong();
      *response.add_events() = std::move(event);
    }
    if (static_cast<int>(events.size()) < chunk) return response;
    from = last_read + 1;
    chunk = std::max(chunk, std::min(2 * chunk, kMaxEventChunk));
  }
}

// The page from a fold of the whole history, diffing each listed event's
// states: for histories written before events stored their changes.
absl::StatusOr<v1::ListClaimEventsResponse> TimelineByFold(
    storage::Storage& storage, const std::string& id,
    const TimelinePage& page) {
  ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadAllEvents(storage, id));
  if (events.empty()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  v1::ListClaimEventsResponse response;
  size_t bytes = 0;
  v1::Claim state;
  for (const v1::Event& event : events) {
    const bool listed =
        event.revision() > page.after_revision && page.Wanted(event);
    // Only an event that joins the page needs the state before it.
    std::optional<v1::Claim> before;
    if (listed && !page.Full(response, bytes)) before = state;
    RETURN_IF_ERROR(ApplyEvent(event, &state));
    if (!listed) continue;
    if (!before.has_value()) {
      // A further wanted event exists: this page ends before it.
      page.SetNextPageToken(&response);
      break;
    }
    v1::Event* out = response.add_events();
    *out = event;
    // Replaces whatever the event stored, so that a history mixing events
    // with and without stored changes is shown one way.
    SetChanges(DiffClaims(*before, state), out);
    bytes += out->ByteSizeLong();
  }
  return response;
}

}  // namespace

SourceLookup Ledger::Impl::StorageSourceLookup() {
  storage::Storage* storage = storage_.get();
  return
      [storage](
          const std::string& id) -> absl::StatusOr<std::optional<v1::Source>> {
        absl::StatusOr<v1::Source> source = storage->ReadSource(id);
        if (source.ok()) return std::optional<v1::Source>(*std::move(source));
        if (absl::IsNotFound(source.status()))
          return std::optional<v1::Source>();
        return source.status();
      };
}

v1::Claim Ledger::Impl::WithStoredSummary(v1::Claim claim) {
  FillStateSummary(StorageSourceLookup(), &claim);
  return claim;
}

absl::StatusOr<v1::Claim> Ledger::Impl::ReadStoredClaim(const std::string& id) {
  absl::StatusOr<v1::Claim> claim = storage_->ReadClaim(id);
  if (absl::IsNotFound(claim.status())) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  return claim;
}

absl::StatusOr<v1::Source> Ledger::Impl::GetSource(
    const v1::GetSourceRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  ASSIGN_OR_RETURN(std::string id, ParseSourceName("name", req.name()));
  absl::StatusOr<v1::Source> source = storage_->ReadSource(id);
  if (absl::IsNotFound(source.status())) {
    return absl::NotFoundError(absl::StrCat(SourceName(id), " not found"));
  }
  return source;
}

absl::StatusOr<v1::ListSourcesResponse> Ledger::Impl::ListSources(
    const v1::ListSourcesRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  const int page_size = PageSize(req.page_size(), kDefaultPageSize);
  const uint64_t filters = FiltersOf(req);
  std::string after;
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(PageToken token,
                     DecodePageToken(req.page_token(), "ListSources", filters));
    after = token.after_id();
  }
  const std::string query_folded = storage::FoldCase(req.query());
  const std::vector<std::string> query_words = storage::Tokenize(req.query());
  auto matches = [&](const v1::Source& source) {
    if (req.kind() != v1::SOURCE_KIND_UNSPECIFIED &&
        source.kind() != req.kind()) {
      return false;
    }
    if (req.query().empty()) return true;
    if (NameMatches(source.display_name(), query_folded, query_words)) {
      return true;
    }
    for (const std::string& alias : source.aliases()) {
      if (NameMatches(alias, query_folded, query_words)) return true;
    }
    return false;
  };

  v1::ListSourcesResponse response;
  int examined = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::Source> chunk,
                     storage_->ScanSources(after, kSourceScanChunk));
    for (size_t i = 0; i < chunk.size(); ++i) {
      ASSIGN_OR_RETURN(after, ParseSourceName("name", chunk[i].name()));
      ++examined;
      if (matches(chunk[i])) *response.add_sources() = std::move(chunk[i]);
      if (response.sources_size() < page_size &&
          examined < kMaxClaimsExamined) {
        continue;
      }
      const bool last = i + 1 == chunk.size() &&
                        static_cast<int>(chunk.size()) < kSourceScanChunk;
      if (!last) {
        ASSIGN_OR_RETURN(std::vector<v1::Source> more,
                         storage_->ScanSources(after, 1));
        if (!more.empty()) {
          PageToken token;
          token.set_method("ListSources");
          token.set_filter_fingerprint(filters);
          token.set_after_id(after);
          response.set_next_page_token(EncodePageToken(token));
        }
      }
      return response;
    }
    if (static_cast<int>(chunk.size()) < kSourceScanChunk) return response;
  }
}

absl::StatusOr<v1::Claim> Ledger::Impl::GetClaim(
    const v1::GetClaimRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  ASSIGN_OR_RETURN(std::string id, ParseClaimName("name", req.name()));
  if (!req.has_as_of() && !req.has_valid_at()) {
    ASSIGN_OR_RETURN(v1::Claim claim, ReadStoredClaim(id));
    return WithStoredSummary(std::move(claim));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadAllEvents(*storage_, id));
  if (events.empty()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  absl::Span<const v1::Event> known = events;
  if (req.has_as_of()) {
    const absl::Time as_of = FromProtoTime(req.as_of());
    known = RecordedBy(known, as_of);
    if (known.empty()) {
      return absl::NotFoundError(
          absl::StrCat(ClaimName(id), " did not exist at ", Rfc3339(as_of)));
    }
  }
  absl::StatusOr<v1::Claim> claim =
      req.has_valid_at() ? FoldValidAt(known, FromProtoTime(req.valid_at()))
                         : Fold(known);
  RETURN_IF_ERROR(claim.status());
  return WithStoredSummary(*std::move(claim));
}

absl::StatusOr<v1::ListClaimsResponse> Ledger::Impl::ListClaims(
    const v1::ListClaimsRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  const int page_size = PageSize(req.page_size(), kDefaultPageSize);
  const uint64_t filters = FiltersOf(req);
  std::string after;
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(PageToken token,
                     DecodePageToken(req.page_token(), "ListClaims", filters));
    after = token.after_id();
  }
  ClaimFilter filter;
  filter.state = req.state();
  filter.topic = req.topic();
  filter.source = req.source();
  filter.party = req.party();
  ASSIGN_OR_RETURN(
      FilteredPage page,
      ScanFiltered(*storage_, filter, after, page_size, kMaxClaimsExamined));
  v1::ListClaimsResponse response;
  for (v1::Claim& claim : page.claims) {
    *response.add_claims() = WithStoredSummary(std::move(claim));
  }
  if (!page.resume_after.empty()) {
    PageToken token;
    token.set_method("ListClaims");
    token.set_filter_fingerprint(filters);
    token.set_after_id(page.resume_after);
    response.set_next_page_token(EncodePageToken(token));
  }
  return response;
}

absl::StatusOr<v1::ListClaimEventsResponse> Ledger::Impl::ListClaimEvents(
    const v1::ListClaimEventsRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  ASSIGN_OR_RETURN(std::string id, ParseClaimName("parent", req.parent()));
  TimelinePage page(req);
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(
        PageToken token,
        DecodePageToken(req.page_token(), "ListClaimEvents", page.filters));
    page.after_revision = token.after_revision();
  }
  ASSIGN_OR_RETURN(std::optional<v1::ListClaimEventsResponse> stored,
                   TimelineFromStoredChanges(*storage_, id, page));
  if (stored.has_value()) return *std::move(stored);
  return TimelineByFold(*storage_, id, page);
}

absl::StatusOr<v1::DiffClaimResponse> Ledger::Impl::DiffClaim(
    const v1::DiffClaimRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  ASSIGN_OR_RETURN(std::string id, ParseClaimName("name", req.name()));
  ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadAllEvents(*storage_, id));
  if (events.empty()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  absl::Span<const v1::Event> to = events;
  if (req.has_to_time()) {
    to = RecordedBy(to, FromProtoTime(req.to_time()));
    if (to.empty()) {
      return absl::NotFoundError(
          absl::StrCat(ClaimName(id), " did not exist at ",
                       Rfc3339(FromProtoTime(req.to_time()))));
    }
  }
  absl::Span<const v1::Event> from;
  if (req.has_from_time()) {
    from = RecordedBy(events, FromProtoTime(req.from_time()));
  }
  v1::DiffClaimResponse response;
  v1::Claim from_claim;
  if (!from.empty()) {
    ASSIGN_OR_RETURN(from_claim, Fold(from));
  }
  ASSIGN_OR_RETURN(v1::Claim to_claim, Fold(to));
  for (v1::FieldChange& change : DiffClaims(from_claim, to_claim)) {
    *response.add_changes() = std::move(change);
  }
  if (!from.empty()) {
    *response.mutable_from_claim() = WithStoredSummary(std::move(from_claim));
  }
  *response.mutable_to_claim() = WithStoredSummary(std::move(to_claim));
  return response;
}

absl::StatusOr<v1::ServerInfo> Ledger::Impl::GetServerInfo() {
  const storage::StorageStats stats = storage_->Stats();
  v1::ServerInfo info;
  info.set_version(version_);
  info.set_data_dir(data_dir_);
  info.set_claim_count(stats.claim_count);
  info.set_source_count(stats.source_count);
  info.set_last_sequence(stats.last_sequence);
  info.set_approximate_data_bytes(stats.approximate_bytes);
  *info.mutable_start_time() = ToProtoTime(start_time_);
  return info;
}

}  // namespace core
}  // namespace claimtrail
