// Commands that read one claim: show (now, as of a time, or for a valid
// time), history (its timeline), diff (changes between two times).
#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"

namespace claimtrail {
namespace cli {
namespace {

// When the time flag `flag` is given, parses it into the field that
// `mutable_field()` returns; otherwise leaves the field unset.
template <typename MutableField>
absl::Status TimeFlag(const ParsedArgs& args, absl::string_view flag,
                      MutableField mutable_field) {
  std::optional<std::string> text = args.Get(flag);
  if (!text) return absl::OkStatus();
  absl::StatusOr<google::protobuf::Timestamp> time =
      ParseTimestamp(absl::StrCat("--", flag), *text);
  if (!time.ok()) return time.status();
  *mutable_field() = *time;
  return absl::OkStatus();
}

absl::Status RunShow(const ParsedArgs& args, CommandEnv& env) {
  v1::GetClaimRequest request;
  request.set_name(ClaimName(args.positional()[0]));
  absl::Status status =
      TimeFlag(args, "as-of", [&] { return request.mutable_as_of(); });
  if (status.ok())
    status =
        TimeFlag(args, "valid-at", [&] { return request.mutable_valid_at(); });
  if (!status.ok()) return status;
  return PrintClaimResult(env.client().GetClaim(request), env);
}

absl::Status RunHistory(const ParsedArgs& args, CommandEnv& env) {
  v1::ListClaimEventsRequest request;
  request.set_parent(ClaimName(args.positional()[0]));
  for (const std::string& kind : args.GetAll("kind")) {
    absl::StatusOr<v1::EventKind> parsed =
        ParseEnum<v1::EventKind>("--kind", kind);
    if (!parsed.ok()) return parsed.status();
    request.add_kinds(*parsed);
  }
  absl::Status status =
      TimeFlag(args, "after", [&] { return request.mutable_recorded_after(); });
  if (status.ok())
    status = TimeFlag(args, "before",
                      [&] { return request.mutable_recorded_before(); });
  if (!status.ok()) return status;

  // A timeline is read whole: follow every page.
  v1::ListClaimEventsResponse all;
  while (true) {
    absl::StatusOr<v1::ListClaimEventsResponse> page =
        env.client().ListClaimEvents(request);
    if (!page.ok()) return page.status();
    for (v1::Event& event : *page->mutable_events()) {
      *all.add_events() = std::move(event);
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  std::string human;
  for (const v1::Event& event : all.events()) {
    if (!human.empty()) human += "\n";
    absl::StrAppend(&human, RenderEventBlock(event, env.namer()));
  }
  if (all.events().empty()) human = "no events\n";
  env.Print(all, human);
  return absl::OkStatus();
}

// "revision 3 (2025-03-21T10:00:00.000000000Z)", or "(did not exist)".
std::string DescribeVersion(const v1::DiffClaimResponse& response, bool from) {
  const bool present =
      from ? response.has_from_claim() : response.has_to_claim();
  const v1::Claim& claim = from ? response.from_claim() : response.to_claim();
  if (!present || claim.name().empty()) return "(did not exist)";
  return absl::StrCat("revision ", claim.revision(), " (",
                      client::FormatRecordedTime(claim.update_time()), ")");
}

absl::Status RunDiff(const ParsedArgs& args, CommandEnv& env) {
  v1::DiffClaimRequest request;
  request.set_name(ClaimName(args.positional()[0]));
  absl::Status status =
      TimeFlag(args, "from", [&] { return request.mutable_from_time(); });
  if (status.ok())
    status = TimeFlag(args, "to", [&] { return request.mutable_to_time(); });
  if (!status.ok()) return status;
  absl::StatusOr<v1::DiffClaimResponse> diff = env.client().DiffClaim(request);
  if (!diff.ok()) return diff.status();
  std::string human =
      absl::StrCat(request.name(), ": ", DescribeVersion(*diff, true), " -> ",
                   DescribeVersion(*diff, false), "\n");
  for (const v1::FieldChange& change : diff->changes()) {
    absl::StrAppend(&human, RenderChange(change), "\n");
  }
  if (diff->changes().empty()) absl::StrAppend(&human, "  (no changes)\n");
  env.Print(*diff, human);
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> ReadCommands() {
  const std::string claim_arg =
      "CLAIM  Claim id or name, e.g. nk-troops or claims/nk-troops.";
  const std::string time_formats =
      "RFC 3339 (2025-03-21T08:30:00Z) or a date (2025-03-21 = midnight UTC)";
  Command show;
  show.name = "show";
  show.summary = "Show a claim, now or as of a past time.";
  show.synopsis = "CLAIM [--as-of T] [--valid-at T]";
  show.description =
      "Shows a claim: its text, a sourcing line, figures, attributions, "
      "stances, verdict, relations, appearances, state, revision and etag. "
      "--as-of shows what was recorded at a past time; --valid-at only the "
      "changes true in the world at that time.";
  show.arguments = {claim_arg, "T  " + time_formats + "."};
  show.flags = {{"as-of", "T", "The claim as recorded at T (recorded time)."},
                {"valid-at", "T", "Only changes whose valid time contains T."}};
  show.min_positional = show.max_positional = 1;
  show.examples = {"claimtrail show nk-troops",
                   "claimtrail show nk-troops --as-of 2025-04-01"};
  show.run = RunShow;

  Command history;
  history.name = "history";
  history.summary = "Show a claim's timeline with what each event changed.";
  history.synopsis = "CLAIM [--kind K]... [--after T] [--before T]";
  history.description =
      "Shows the claim's timeline: one block per event with its revision, "
      "recorded time, author, kind, note and what it changed.";
  history.arguments = {claim_arg};
  history.flags = {
      {"kind", "K",
       "Only events of this kind: " +
           EnumChoices(*google::protobuf::GetEnumDescriptor<v1::EventKind>()) +
           ".",
       true},
      {"after", "T", "Only events recorded at or after T."},
      {"before", "T", "Only events recorded at or before T."}};
  history.min_positional = history.max_positional = 1;
  history.examples = {"claimtrail history nk-troops",
                      "claimtrail history nk-troops --kind stance-recorded"};
  history.run = RunHistory;

  Command diff;
  diff.name = "diff";
  diff.summary = "Show what changed in a claim between two times.";
  diff.synopsis = "CLAIM [--from T] [--to T]";
  diff.description =
      "Shows the field changes of a claim between two recorded times "
      "(default: from before it existed to now).";
  diff.arguments = {claim_arg, "T  " + time_formats + "."};
  diff.flags = {{"from", "T", "From this recorded time."},
                {"to", "T", "To this recorded time (default: now)."}};
  diff.min_positional = diff.max_positional = 1;
  diff.examples = {
      "claimtrail diff nk-troops --from 2025-03-21 --to 2025-05-01"};
  diff.run = RunDiff;
  return {show, history, diff};
}

}  // namespace cli
}  // namespace claimtrail
