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
#include "server/core/page_token.h"
#include "server/core/validation.h"
#include "server/storage/tokenizer.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kDefaultEventPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Most claims or sources one list call examines (see ScanFiltered).
constexpr int kMaxExamined = 10000;
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
bool NameMatches(const std::string& name, const std::string& query_lower,
                 const std::vector<std::string>& query_words) {
  if (absl::AsciiStrToLower(name) == query_lower) return true;
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
  const std::string query_lower = absl::AsciiStrToLower(req.query());
  const std::vector<std::string> query_words = storage::Tokenize(req.query());
  auto matches = [&](const v1::Source& source) {
    if (req.kind() != v1::SOURCE_KIND_UNSPECIFIED &&
        source.kind() != req.kind()) {
      return false;
    }
    if (req.query().empty()) return true;
    if (NameMatches(source.display_name(), query_lower, query_words)) {
      return true;
    }
    for (const std::string& alias : source.aliases()) {
      if (NameMatches(alias, query_lower, query_words)) return true;
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
      if (response.sources_size() < page_size && examined < kMaxExamined) {
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
  ASSIGN_OR_RETURN(FilteredPage page, ScanFiltered(*storage_, filter, after,
                                                   page_size, kMaxExamined));
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
  const int page_size = PageSize(req.page_size(), kDefaultEventPageSize);
  const uint64_t filters = FiltersOf(req);
  int64_t after_revision = 0;
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(
        PageToken token,
        DecodePageToken(req.page_token(), "ListClaimEvents", filters));
    after_revision = token.after_revision();
  }
  ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadAllEvents(*storage_, id));
  if (events.empty()) {
    return absl::NotFoundError(absl::StrCat(ClaimName(id), " not found"));
  }
  auto wanted = [&req](const v1::Event& event) {
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
    if (req.has_recorded_before() &&
        recorded > FromProtoTime(req.recorded_before())) {
      return false;
    }
    return true;
  };

  // Changes need the state before each event, so fold from revision 1 even
  // when the page starts later (histories are short; pages re-fold).
  v1::ListClaimEventsResponse response;
  v1::Claim state;
  for (const v1::Event& event : events) {
    v1::Claim before = state;
    RETURN_IF_ERROR(ApplyEvent(event, &state));
    if (event.revision() <= after_revision || !wanted(event)) continue;
    if (response.events_size() == page_size) {
      // A further wanted event exists: this page ends before it.
      PageToken token;
      token.set_method("ListClaimEvents");
      token.set_filter_fingerprint(filters);
      token.set_after_revision(
          response.events(response.events_size() - 1).revision());
      response.set_next_page_token(EncodePageToken(token));
      break;
    }
    v1::Event* out = response.add_events();
    *out = event;
    for (v1::FieldChange& change : DiffClaims(before, state)) {
      *out->add_changes() = std::move(change);
    }
  }
  return response;
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
