// `claimtrail watch`: the live change feed, one line per committed event.
#include <atomic>
#include <csignal>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/human.h"
#include "client/cli/parse.h"

namespace claimtrail {
namespace cli {
namespace {

// Set by SIGINT/SIGTERM so the stream ends cleanly (exit 0) instead of the
// process dying mid-line.
std::atomic<bool> interrupted{false};
void OnInterrupt(int) { interrupted.store(true); }

absl::StatusOr<v1::WatchClaimsRequest> BuildWatchRequest(
    const ParsedArgs& args) {
  v1::WatchClaimsRequest request;
  if (auto claim = args.Get("claim")) request.set_claim(ClaimName(*claim));
  if (auto source = args.Get("source")) request.set_source(SourceName(*source));
  if (auto party = args.Get("party")) request.set_party(SourceName(*party));
  if (auto state = args.Get("state")) {
    absl::StatusOr<v1::ClaimState> parsed =
        ParseEnum<v1::ClaimState>("--state", *state);
    if (!parsed.ok()) return parsed.status();
    request.set_state(*parsed);
  }
  for (const std::string& kind : args.GetAll("kind")) {
    absl::StatusOr<v1::EventKind> parsed =
        ParseEnum<v1::EventKind>("--kind", kind);
    if (!parsed.ok()) return parsed.status();
    request.add_kinds(*parsed);
  }
  if (auto after = args.Get("after")) {
    uint64_t sequence = 0;
    if (!absl::SimpleAtoi(*after, &sequence)) {
      return UsageError(absl::StrCat(
          "--after: expects a sequence number, got '", *after, "'"));
    }
    request.set_after_sequence(sequence);
  }
  if (args.GetBool("from-now")) {
    if (args.Has("after"))
      return UsageError("--from-now: conflicts with --after");
    request.set_from_now(true);
  }
  return request;
}

absl::Status RunWatch(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<v1::WatchClaimsRequest> request = BuildWatchRequest(args);
  if (!request.ok()) return request.status();
  absl::StatusOr<int> count = ParseCount("--count", args.GetOr("count", "0"));
  if (!count.ok()) return count.status();

  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  client::WatchOptions options;
  options.cancel = &interrupted;
  int seen = 0;
  return env.client().WatchClaims(
      *request,
      [&](const v1::WatchClaimsResponse& response) {
        env.PrintLine(response, RenderWatchLine(response, env.namer()));
        return *count == 0 || ++seen < *count;
      },
      options);
}

}  // namespace

std::vector<Command> WatchCommands() {
  Command watch;
  watch.name = "watch";
  watch.summary = "Stream events as they are committed.";
  watch.synopsis =
      "[--claim C] [--source S] [--party P] [--state S] [--kind K]... "
      "[--after SEQ | --from-now] [--count N]";
  watch.description =
      "Streams committed events, one line each, as they happen; all given "
      "filters must hold. Without --after or --from-now it first replays the "
      "whole ledger. Stops after --count events, or on Ctrl-C.";
  watch.flags = {
      {"claim", "C", "Only events of this claim."},
      {"source", "S", "Only claims attributed to this source."},
      {"party", "P", "Only claims where this party has a stance."},
      {"state", "S", "Only events after which the claim is in this state."},
      {"kind", "K",
       "Only events of this kind: " +
           EnumChoices(*google::protobuf::GetEnumDescriptor<v1::EventKind>()) +
           ".",
       true},
      {"after", "SEQ",
       "Replay events after sequence SEQ (see 'info'), then stream."},
      {"from-now", "", "Skip the replay; only events committed from now on."},
      {"count", "N", "Exit after N events (for scripts)."}};
  watch.examples = {"claimtrail watch --from-now --party russia",
                    "claimtrail watch --after 42 --count 1 --json"};
  watch.run = RunWatch;
  return {watch};
}

}  // namespace cli
}  // namespace claimtrail
