// Commands that find claims: search (ranked text match plus filters) and
// list (claim-id order plus filters).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"

namespace claimtrail {
namespace cli {
namespace {

constexpr absl::string_view kMoreHint =
    "(more results: use --all-pages, or a larger --limit)\n";

// The filters search and list share. Each request type has the same field
// names, so one template fills both.
template <typename Request>
absl::Status FillClaimFilters(const ParsedArgs& args, Request& request) {
  if (auto state = args.Get("state")) {
    absl::StatusOr<v1::ClaimState> parsed =
        ParseEnum<v1::ClaimState>("--state", *state);
    if (!parsed.ok()) return parsed.status();
    request.set_state(*parsed);
  }
  if (auto topic = args.Get("topic")) request.set_topic(*topic);
  if (auto source = args.Get("source")) request.set_source(SourceName(*source));
  if (auto party = args.Get("party")) request.set_party(SourceName(*party));
  absl::StatusOr<int> limit = ParseCount("--limit", args.GetOr("limit", "0"));
  if (!limit.ok()) return limit.status();
  request.set_page_size(*limit);
  return absl::OkStatus();
}

std::vector<FlagSpec> FilterFlags() {
  return {
      {"state", "S",
       "Only claims in this state: " +
           EnumChoices(*google::protobuf::GetEnumDescriptor<v1::ClaimState>()) +
           "."},
      {"topic", "T", "Only claims with this topic."},
      {"source", "SOURCE", "Only claims attributed (any hop) to this source."},
      {"party", "PARTY", "Only claims where this party has a stance."},
      {"limit", "N", "Page size: at most N results per page (default 50)."},
      {"all-pages", "", "Fetch every page, not just the first."}};
}

absl::Status RunSearch(const ParsedArgs& args, CommandEnv& env) {
  v1::SearchClaimsRequest request;
  request.set_query(absl::StrJoin(args.positional(), " "));
  absl::Status status = FillClaimFilters(args, request);
  if (!status.ok()) return status;
  if (auto after = args.Get("created-after")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--created-after", *after);
    if (!time.ok()) return time.status();
    *request.mutable_created_after() = *time;
  }
  if (auto before = args.Get("created-before")) {
    absl::StatusOr<google::protobuf::Timestamp> time =
        ParseTimestamp("--created-before", *before);
    if (!time.ok()) return time.status();
    *request.mutable_created_before() = *time;
  }
  v1::SearchClaimsResponse all;
  while (true) {
    absl::StatusOr<v1::SearchClaimsResponse> page =
        env.client().SearchClaims(request);
    if (!page.ok()) return page.status();
    for (v1::SearchResult& result : *page->mutable_results()) {
      *all.add_results() = std::move(result);
    }
    all.set_next_page_token(page->next_page_token());
    if (page->next_page_token().empty() || !args.GetBool("all-pages")) break;
    request.set_page_token(page->next_page_token());
  }
  std::string human;
  for (const v1::SearchResult& result : all.results()) {
    absl::StrAppend(&human, absl::StrFormat("%.2f  ", result.score()),
                    RenderClaimLine(result.claim()), "\n");
  }
  if (all.results().empty()) human = "no matching claims\n";
  if (!all.next_page_token().empty()) absl::StrAppend(&human, kMoreHint);
  env.Print(all, human);
  return absl::OkStatus();
}

absl::Status RunList(const ParsedArgs& args, CommandEnv& env) {
  v1::ListClaimsRequest request;
  absl::Status status = FillClaimFilters(args, request);
  if (!status.ok()) return status;
  v1::ListClaimsResponse all;
  while (true) {
    absl::StatusOr<v1::ListClaimsResponse> page =
        env.client().ListClaims(request);
    if (!page.ok()) return page.status();
    for (v1::Claim& claim : *page->mutable_claims()) {
      *all.add_claims() = std::move(claim);
    }
    all.set_next_page_token(page->next_page_token());
    if (page->next_page_token().empty() || !args.GetBool("all-pages")) break;
    request.set_page_token(page->next_page_token());
  }
  std::string human;
  for (const v1::Claim& claim : all.claims()) {
    absl::StrAppend(&human, RenderClaimLine(claim), "\n");
  }
  if (all.claims().empty()) human = "no claims\n";
  if (!all.next_page_token().empty()) absl::StrAppend(&human, kMoreHint);
  env.Print(all, human);
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> SearchCommands() {
  Command search;
  search.name = "search";
  search.summary = "Find claims by words and filters.";
  search.synopsis =
      "[QUERY...] [--state S] [--topic T] [--source S] [--party P] "
      "[--limit N] [--all-pages]";
  search.description =
      "Finds claims whose text, topics, figure labels or source names match "
      "the query words, best match first (near-duplicates rank high: was "
      "this claim already logged?), optionally filtered.";
  search.arguments = {"QUERY  Words to match; several arguments are joined."};
  search.flags = FilterFlags();
  search.flags.push_back(
      {"created-after", "T", "Only claims created at or after T."});
  search.flags.push_back(
      {"created-before", "T", "Only claims created at or before T."});
  search.max_positional = -1;
  search.examples = {
      "claimtrail search north korean troops russia",
      "claimtrail search --party russia --state unconfirmed --all-pages"};
  search.run = RunSearch;

  Command list;
  list.name = "list";
  list.summary = "List claims, optionally filtered.";
  list.synopsis =
      "[--state S] [--topic T] [--source S] [--party P] [--limit N] "
      "[--all-pages]";
  list.description =
      "Lists claims in claim-id order, optionally filtered. Ids the server "
      "gives sort in creation order; ids chosen with 'claim add --id' sort "
      "alphabetically among them.";
  list.flags = FilterFlags();
  list.examples = {"claimtrail list --topic north-korea --all-pages"};
  list.run = RunList;
  return {search, list};
}

}  // namespace cli
}  // namespace claimtrail
