// `claimtrail source add|list|show|update`: the agents that assert, relay,
// confirm or deny claims.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

// Sets the source fields given as flags on `source` and returns their
// UpdateSource mask paths, in the API's order. --name and --no-aliases are
// update's only (add takes NAME as its argument). An empty --affiliation or
// --reliability leaves the field empty: for update, that clears it.
absl::StatusOr<std::vector<std::string>> FillSourceFields(
    const ParsedArgs& args, v1::Source& source) {
  if (args.GetBool("no-aliases") && args.Has("alias")) {
    return UsageError("--no-aliases: conflicts with --alias");
  }
  std::vector<std::string> paths;
  if (auto name = args.Get("name")) {
    source.set_display_name(*name);
    paths.push_back("display_name");
  }
  if (auto kind = args.Get("kind")) {
    absl::StatusOr<v1::SourceKind> parsed =
        ParseEnum<v1::SourceKind>("--kind", *kind);
    if (!parsed.ok()) return parsed.status();
    source.set_kind(*parsed);
    paths.push_back("kind");
  }
  if (args.Has("alias") || args.GetBool("no-aliases")) {
    for (const std::string& alias : args.GetAll("alias")) {
      source.add_aliases(alias);
    }
    paths.push_back("aliases");
  }
  if (auto affiliation = args.Get("affiliation")) {
    if (!affiliation->empty()) source.set_affiliation(SourceName(*affiliation));
    paths.push_back("affiliation");
  }
  if (auto reliability = args.Get("reliability")) {
    if (!reliability->empty()) {
      absl::StatusOr<v1::ReliabilityGrade> grade =
          ParseReliability("--reliability", *reliability);
      if (!grade.ok()) return grade.status();
      source.set_reliability(*grade);
    }
    paths.push_back("reliability");
  }
  if (auto country = args.Get("country")) {
    source.set_country(*country);
    paths.push_back("country");
  }
  if (auto url = args.Get("url")) {
    source.set_url(*url);
    paths.push_back("url");
  }
  if (auto description = args.Get("description")) {
    source.set_description(*description);
    paths.push_back("description");
  }
  return paths;
}

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
  absl::StatusOr<std::vector<std::string>> filled =
      FillSourceFields(args, source);
  if (!filled.ok()) return filled.status();
  request.set_request_id(RequestIdFor(args, env));
  absl::StatusOr<v1::Source> created = env.client().CreateSource(request);
  if (!created.ok()) return created.status();
  env.Print(*created, RenderSource(*created));
  return absl::OkStatus();
}

// The UpdateSource request for the flags given: only those fields, named in
// the update mask, so the source's other fields stay as they are.
absl::StatusOr<v1::UpdateSourceRequest> BuildSourceUpdate(
    const ParsedArgs& args) {
  v1::UpdateSourceRequest request;
  v1::Source& source = *request.mutable_source();
  source.set_name(SourceName(args.positional()[0]));
  absl::StatusOr<std::vector<std::string>> paths =
      FillSourceFields(args, source);
  if (!paths.ok()) return paths.status();
  if (paths->empty()) {
    return UsageError(
        "nothing to update: give --name, --kind, --alias, --no-aliases, "
        "--affiliation, --reliability, --country, --url or --description");
  }
  for (const std::string& path : *paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  if (auto etag = args.Get("etag")) request.set_etag(*etag);
  return request;
}

absl::Status RunSourceUpdate(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<v1::UpdateSourceRequest> request = BuildSourceUpdate(args);
  if (!request.ok()) return request.status();
  request->set_request_id(RequestIdFor(args, env));
  if (!args.Has("etag")) {
    // Conditional on this read: a change made in between fails with
    // ABORTED instead of being overwritten.
    v1::GetSourceRequest get;
    get.set_name(request->source().name());
    absl::StatusOr<v1::Source> current = env.client().GetSource(get);
    if (!current.ok()) return current.status();
    request->set_etag(current->etag());
  }
  absl::StatusOr<v1::Source> updated = env.client().UpdateSource(*request);
  if (!updated.ok()) return updated.status();
  env.Print(*updated, RenderSource(*updated));
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

  Command update;
  update.name = "source update";
  update.summary = "Change a source's name, aliases, kind, reliability, ...";
  update.synopsis =
      "SOURCE [--name N] [--alias A]... [--no-aliases] [--kind KIND] "
      "[--reliability A-F] [--country C] [--affiliation SOURCE] [flags]";
  update.description =
      "Changes the fields given and keeps the others. The aliases given "
      "replace all of the source's aliases (--no-aliases removes them); "
      "\"\" clears --affiliation, --reliability, --country, --url or "
      "--description. Without --etag it reads the source first and writes "
      "only if the source has not changed since (exit 5: run it again). "
      "Sources have no history (a known limitation): the change applies to "
      "every claim and report that names the source, as-of ones too, and "
      "no note is kept.";
  update.arguments = {show.arguments[0]};
  update.flags = Concat(
      {{"name", "NAME", "New display name."},
       {"alias", "ALIAS",
        "Another name it goes by; the aliases given replace the source's "
        "aliases.",
        true},
       {"no-aliases", "", "Remove every alias."},
       {"kind", "KIND", "Kind of agent: " + kinds + "."},
       {"reliability", "A-F", "Admiralty reliability grade."},
       {"country", "COUNTRY", "Country or region."},
       {"affiliation", "SOURCE",
        "The source it acts on behalf of (id or sources/ID)."},
       {"url", "URL", "Home page or profile."},
       {"description", "TEXT", "Free-text description."},
       {"etag", "ETAG",
        "Apply only if the source is still at this version (from 'source "
        "show'); a stale etag fails with ABORTED."}},
      RequestIdFlags());
  update.min_positional = update.max_positional = 1;
  update.examples = {
      "claimtrail source update nis --reliability A --alias NIS "
      "--alias \"South Korea's spy agency\" --alias \"Korea's NIS\""};
  update.run = RunSourceUpdate;
  return {add, list, show, update};
}

}  // namespace cli
}  // namespace claimtrail
