// `claimtrail source add|list|show`: the agents that assert, relay, confirm
// or deny claims.
#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

absl::Status RunSourceAdd(const ParsedArgs& args, CommandEnv& env) {
  v1::CreateSourceRequest request;
  v1::Source& source = *request.mutable_source();
  source.set_display_name(args.positional()[0]);
  if (auto id = args.Get("id")) {
    absl::StatusOr<std::string> source_id =
        NewResourceId("--id", "sources", *id);
    if (!source_id.ok()) return source_id.status();
    request.set_source_id(*source_id);
  }
  if (auto kind = args.Get("kind")) {
    absl::StatusOr<v1::SourceKind> parsed =
        ParseEnum<v1::SourceKind>("--kind", *kind);
    if (!parsed.ok()) return parsed.status();
    source.set_kind(*parsed);
  }
  for (const std::string& alias : args.GetAll("alias"))
    source.add_aliases(alias);
  if (auto affiliation = args.Get("affiliation")) {
    source.set_affiliation(SourceName(*affiliation));
  }
  if (auto reliability = args.Get("reliability")) {
    absl::StatusOr<v1::ReliabilityGrade> grade =
        ParseReliability("--reliability", *reliability);
    if (!grade.ok()) return grade.status();
    source.set_reliability(*grade);
  }
  if (auto country = args.Get("country")) source.set_country(*country);
  if (auto url = args.Get("url")) source.set_url(*url);
  if (auto description = args.Get("description"))
    source.set_description(*description);
  request.set_request_id(RequestIdFor(args, env));
  absl::StatusOr<v1::Source> created = env.client().CreateSource(request);
  if (!created.ok()) return created.status();
  env.Print(*created, RenderSource(*created));
  return absl::OkStatus();
}

absl::Status RunSourceList(const ParsedArgs& args, CommandEnv& env) {
  v1::ListSourcesRequest request;
  request.set_query(args.GetOr("query", ""));
  if (auto kind = args.Get("kind")) {
    absl::StatusOr<v1::SourceKind> parsed =
        ParseEnum<v1::SourceKind>("--kind", *kind);
    if (!parsed.ok()) return parsed.status();
    request.set_kind(*parsed);
  }
  absl::StatusOr<int> limit = ParseCount("--limit", args.GetOr("limit", "0"));
  if (!limit.ok()) return limit.status();
  request.set_page_size(*limit);
  // Sources are few; collect every page unless a limit was asked for.
  v1::ListSourcesResponse all;
  while (true) {
    absl::StatusOr<v1::ListSourcesResponse> page =
        env.client().ListSources(request);
    if (!page.ok()) return page.status();
    for (v1::Source& source : *page->mutable_sources()) {
      *all.add_sources() = std::move(source);
    }
    if (page->next_page_token().empty() || *limit > 0) {
      all.set_next_page_token(page->next_page_token());
      break;
    }
    request.set_page_token(page->next_page_token());
  }
  std::string human;
  for (const v1::Source& source : all.sources()) {
    absl::StrAppend(&human, RenderSourceLine(source), "\n");
  }
  if (all.sources().empty()) human = "no sources\n";
  env.Print(all, human);
  return absl::OkStatus();
}

absl::Status RunSourceShow(const ParsedArgs& args, CommandEnv& env) {
  v1::GetSourceRequest request;
  request.set_name(SourceName(args.positional()[0]));
  absl::StatusOr<v1::Source> source = env.client().GetSource(request);
  if (!source.ok()) return source.status();
  env.Print(*source, RenderSource(*source));
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> SourceCommands() {
  const std::string kinds =
      EnumChoices(*google::protobuf::GetEnumDescriptor<v1::SourceKind>());
  Command add;
  add.name = "source add";
  add.summary = "Create a source (agency, government, outlet, ...).";
  add.synopsis = "NAME --kind KIND [--id ID] [--alias A]... [flags]";
  add.description =
      "Creates a source: a person, official, government, agency, outlet... "
      "that asserts, relays, confirms or denies claims. NAME is its display "
      "name.";
  add.arguments = {
      "NAME  Display name, e.g. \"South Korea's National Intelligence "
      "Service\"."};
  add.flags = Concat(
      {{"id", "ID",
        "Resource id, ID or sources/ID: [a-z0-9-], starts with a letter. "
        "Default: from NAME."},
       {"kind", "KIND", "Kind of agent (required): " + kinds + "."},
       {"alias", "ALIAS", "Another name it goes by (matched by search).", true},
       {"affiliation", "SOURCE",
        "The source it acts on behalf of (id or sources/ID)."},
       {"reliability", "A-F", "Admiralty reliability grade."},
       {"country", "COUNTRY", "Country or region."},
       {"url", "URL", "Home page or profile."},
       {"description", "TEXT", "Free-text description."}},
      RequestIdFlags());
  add.min_positional = add.max_positional = 1;
  add.examples = {
      "claimtrail source add \"South Korea's National Intelligence Service\" "
      "--id nis --kind agency --alias NIS --alias \"South Korea's spy agency\" "
      "--country KR --reliability B"};
  add.run = RunSourceAdd;

  Command list;
  list.name = "source list";
  list.summary = "List sources, optionally matching a name or alias.";
  list.synopsis = "[--query Q] [--kind KIND] [--limit N]";
  list.description =
      "Lists sources by name, optionally those whose name or an alias matches "
      "a query (case-insensitive).";
  list.flags = {{"query", "Q", "Name or alias (whole, or words) to match."},
                {"kind", "KIND", "Only sources of this kind: " + kinds + "."},
                {"limit", "N", "At most N sources (default: all)."}};
  list.examples = {"claimtrail source list --query \"spy agency\""};
  list.run = RunSourceList;

  Command show;
  show.name = "source show";
  show.summary = "Show one source.";
  show.synopsis = "SOURCE";
  show.description = "Shows one source.";
  show.arguments = {"SOURCE  Id or name, e.g. nis or sources/nis."};
  show.min_positional = show.max_positional = 1;
  show.examples = {"claimtrail source show nis"};
  show.run = RunSourceShow;
  return {add, list, show};
}

}  // namespace cli
}  // namespace claimtrail
