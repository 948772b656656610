// SearchClaims: RankCandidates, and the Ledger method that filters and pages
// the ranking.
//
// Paging: the token holds the last examined (matched, id); the next page
// continues strictly after it in the ranking order. Each page re-ranks from
// the index, so claims created meanwhile show up where they rank, and a
// claim is never returned twice as long as its own words do not change; a
// claim whose text changes between pages may move across the cursor.
#include "server/core/search.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/core/as_of.h"
#include "server/core/ledger_claim_filter.h"
#include "server/core/ledger_impl.h"
#include "server/core/limits.h"
#include "server/core/page_token.h"
#include "server/core/validation.h"
#include "server/storage/tokenizer.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kScanChunk = 1000;

// Up to `limit` claim ids under `value` of `index`.
absl::StatusOr<std::vector<std::string>> ReadPostings(storage::Storage& storage,
                                                      storage::ClaimIndex index,
                                                      const std::string& value,
                                                      int limit) {
  std::vector<std::string> ids;
  std::string after;
  while (static_cast<int>(ids.size()) < limit) {
    const int want = std::min(kScanChunk, limit - static_cast<int>(ids.size()));
    ASSIGN_OR_RETURN(std::vector<std::string> chunk,
                     storage.ScanClaims(index, value, after, want));
    for (std::string& id : chunk) ids.push_back(std::move(id));
    if (static_cast<int>(chunk.size()) < want) break;
    after = ids.back();
  }
  return ids;
}

// For each word, the sources ("sources/x") whose display name or an alias
// contains it.
absl::StatusOr<std::map<std::string, std::vector<std::string>>> SourcesByWord(
    storage::Storage& storage, const std::set<std::string>& words,
    int max_sources) {
  std::map<std::string, std::vector<std::string>> out;
  std::string after;
  int examined = 0;
  while (examined < max_sources) {
    const int want = std::min(kScanChunk, max_sources - examined);
    ASSIGN_OR_RETURN(std::vector<v1::Source> chunk,
                     storage.ScanSources(after, want));
    for (const v1::Source& source : chunk) {
      std::set<std::string> names_words;
      for (std::string& word : storage::Tokenize(source.display_name())) {
        names_words.insert(std::move(word));
      }
      for (const std::string& alias : source.aliases()) {
        for (std::string& word : storage::Tokenize(alias)) {
          names_words.insert(std::move(word));
        }
      }
      for (const std::string& word : names_words) {
        if (words.count(word) > 0) out[word].push_back(source.name());
      }
    }
    examined += static_cast<int>(chunk.size());
    if (static_cast<int>(chunk.size()) < want) break;
    ASSIGN_OR_RETURN(after, ParseSourceName("source", chunk.back().name()));
  }
  return out;
}

// Whether (matched, id) comes strictly after the cursor in ranking order.
bool AfterCursor(const SearchCandidate& candidate, int cursor_matched,
                 const std::string& cursor_id) {
  if (candidate.matched != cursor_matched) {
    return candidate.matched < cursor_matched;
  }
  return candidate.claim_id > cursor_id;
}

}  // namespace

absl::StatusOr<std::vector<SearchCandidate>> RankCandidates(
    storage::Storage& storage, const std::vector<std::string>& words,
    const SearchLimits& limits) {
  const std::set<std::string> word_set(words.begin(), words.end());
  ASSIGN_OR_RETURN(auto sources_by_word,
                   SourcesByWord(storage, word_set, limits.max_sources));
  std::map<std::string, int> matched;
  for (const std::string& word : word_set) {
    std::set<std::string> hits;  // A word counts once per claim.
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ReadPostings(storage, storage::ClaimIndex::kToken, word,
                                  limits.max_postings_per_list));
    hits.insert(ids.begin(), ids.end());
    for (const std::string& source : sources_by_word[word]) {
      ASSIGN_OR_RETURN(ids, ReadPostings(storage, storage::ClaimIndex::kSource,
                                         source, limits.max_postings_per_list));
      hits.insert(ids.begin(), ids.end());
    }
    for (const std::string& id : hits) ++matched[id];
  }
  std::vector<SearchCandidate> ranked;
  ranked.reserve(matched.size());
  for (const auto& [id, count] : matched) ranked.push_back({id, count});
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const SearchCandidate& a, const SearchCandidate& b) {
                     return a.matched > b.matched;
                   });  // Ties keep the map's id order.
  return ranked;
}

absl::StatusOr<v1::SearchClaimsResponse> Ledger::Impl::SearchClaims(
    const v1::SearchClaimsRequest& req) {
  RETURN_IF_ERROR(Validate(req));
  const int page_size = req.page_size() <= 0
                            ? kDefaultPageSize
                            : std::min<int>(req.page_size(), kMaxPageSize);
  v1::SearchClaimsRequest filters_only = req;
  filters_only.clear_page_size();
  filters_only.clear_page_token();
  const uint64_t filters = FilterFingerprint(filters_only);
  PageToken cursor;
  if (!req.page_token().empty()) {
    ASSIGN_OR_RETURN(
        cursor, DecodePageToken(req.page_token(), "SearchClaims", filters));
  }
  ClaimFilter filter;
  filter.state = req.state();
  filter.topic = req.topic();
  filter.source = req.source();
  filter.party = req.party();
  if (req.has_created_after()) {
    filter.created_after = FromProtoTime(req.created_after());
  }
  if (req.has_created_before()) {
    filter.created_before = FromProtoTime(req.created_before());
  }
  PageToken next;
  next.set_method("SearchClaims");
  next.set_filter_fingerprint(filters);
  v1::SearchClaimsResponse response;

  const std::vector<std::string> words = storage::Tokenize(req.query());
  if (words.empty() && !absl::StripAsciiWhitespace(req.query()).empty()) {
    // Listing every claim as a perfect match would tell a fact-checker
    // asking "was this already logged?" that it was.
    return absl::InvalidArgumentError(absl::StrCat(
        "query: no searchable words in \"", req.query(),
        "\" (words of one letter and common English words such as \"the\" "
        "are not indexed); leave the query empty to list claims by the "
        "filters alone"));
  }
  if (words.empty()) {
    // No query: a filtered listing in id order.
    ASSIGN_OR_RETURN(FilteredPage page,
                     ScanFiltered(*storage_, filter, cursor.after_id(),
                                  page_size, kMaxClaimsExamined));
    for (v1::Claim& claim : page.claims) {
      v1::SearchResult* result = response.add_results();
      *result->mutable_claim() = WithStoredSummary(std::move(claim));
      result->set_score(1.0);
    }
    if (!page.resume_after.empty()) {
      next.set_after_id(page.resume_after);
      response.set_next_page_token(EncodePageToken(next));
    }
    return response;
  }

  ASSIGN_OR_RETURN(std::vector<SearchCandidate> ranked,
                   RankCandidates(*storage_, words));
  size_t start = 0;
  if (!req.page_token().empty()) {
    while (start < ranked.size() &&
           !AfterCursor(ranked[start], cursor.after_matched(),
                        cursor.after_id())) {
      ++start;
    }
  }
  int examined = 0;
  size_t bytes = 0;
  for (size_t i = start; i < ranked.size(); ++i) {
    const SearchCandidate& candidate = ranked[i];
    if (response.results_size() == page_size ||
        examined == kMaxClaimsExamined || bytes >= kMaxPageBytes) {
      next.set_after_id(ranked[i - 1].claim_id);
      next.set_after_matched(ranked[i - 1].matched);
      response.set_next_page_token(EncodePageToken(next));
      break;
    }
    ++examined;
    absl::StatusOr<v1::Claim> claim = storage_->ReadClaim(candidate.claim_id);
    if (absl::IsNotFound(claim.status())) continue;
    RETURN_IF_ERROR(claim.status());
    if (!filter.Matches(*claim)) continue;
    v1::SearchResult* result = response.add_results();
    *result->mutable_claim() = WithStoredSummary(*std::move(claim));
    result->set_score(static_cast<double>(candidate.matched) /
                      static_cast<double>(words.size()));
    bytes += result->ByteSizeLong();
  }
  return response;
}

}  // namespace core
}  // namespace claimtrail
