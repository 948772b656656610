// `claimtrail claim update`: corrects a claim's own words — text, parts,
// topics, language — as one CLAIM_UPDATED event. Only the fields given are
// sent, each named in the update mask, so the rest of the claim is left as
// whoever last changed it left it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/command.h"
#include "client/cli/parse.h"
#include "client/cli/write_flags.h"

namespace claimtrail {
namespace cli {
namespace {

// The update_mask paths the flags given ask for, in the API's order.
absl::StatusOr<std::vector<std::string>> ClaimUpdatePaths(
    const ParsedArgs& args) {
  const bool no_topics = args.GetBool("no-topics");
  if (no_topics && args.Has("topic")) {
    return UsageError("--no-topics: conflicts with --topic");
  }
  std::vector<std::string> paths;
  if (args.Has("text")) paths.push_back("text");
  if (HasPartsFlag(args)) paths.push_back("parts");
  if (no_topics || args.Has("topic")) paths.push_back("topics");
  if (args.Has("language")) paths.push_back("language");
  if (paths.empty()) {
    return UsageError(
        "nothing to update: give --text, a part (--subject, --predicate, "
        "--object, --place, --period-start, --period-end), --topic, "
        "--no-topics or --language");
  }
  return paths;
}

// Reads the claim when the update needs it: for the parts not given (the
// API replaces parts as a whole) and, without --etag, for the etag that
// makes the write conditional on this read, so that a change made in
// between fails with ABORTED instead of being overwritten.
absl::Status ReadCurrentClaim(const ParsedArgs& args, CommandEnv& env,
                              v1::UpdateClaimRequest& request) {
  const bool keep_parts = HasPartsFlag(args);
  if (!keep_parts && args.Has("etag")) return absl::OkStatus();
  v1::GetClaimRequest get;
  get.set_name(request.claim().name());
  absl::StatusOr<v1::Claim> claim = env.client().GetClaim(get);
  if (!claim.ok()) return claim.status();
  if (keep_parts) *request.mutable_claim()->mutable_parts() = claim->parts();
  if (!args.Has("etag")) request.set_etag(claim->etag());
  return absl::OkStatus();
}

absl::Status RunClaimUpdate(const ParsedArgs& args, CommandEnv& env) {
  absl::StatusOr<std::vector<std::string>> paths = ClaimUpdatePaths(args);
  if (!paths.ok()) return paths.status();
  v1::UpdateClaimRequest request;
  request.mutable_claim()->set_name(ClaimName(args.positional()[0]));
  for (const std::string& path : *paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  absl::Status status = FillChangeContext(args, *request.mutable_context());
  if (!status.ok()) return status;
  FillWriteFields(args, env, request);
  status = ReadCurrentClaim(args, env, request);
  if (!status.ok()) return status;

  v1::Claim& claim = *request.mutable_claim();
  if (auto text = args.Get("text")) claim.set_text(*text);
  if (HasPartsFlag(args)) {
    status = FillParts(args, *claim.mutable_parts());
    if (!status.ok()) return status;
  }
  for (const std::string& topic : args.GetAll("topic")) claim.add_topics(topic);
  if (auto language = args.Get("language")) claim.set_language(*language);
  return PrintClaimResult(env.client().UpdateClaim(request), env);
}

}  // namespace

std::vector<Command> ClaimUpdateCommands() {
  Command update;
  update.name = "claim update";
  update.summary = "Correct a claim's text, parts, topics or language.";
  update.synopsis =
      "CLAIM [--text T] [--subject S ...] [--topic T]... [--no-topics] "
      "[--language L] [flags]";
  update.description =
      "Changes the claim's text, parts, topics or language (one "
      "CLAIM_UPDATED event); only the fields given are changed. The topics "
      "given replace all of the claim's topics (--no-topics removes them). "
      "A part given replaces that part and keeps the others (--subject "
      "\"\" clears the subject). Without --etag it reads the claim first "
      "and writes only if the claim has not changed since (exit 5: run it "
      "again). Figures, sourcing, stances and verdicts have their own "
      "commands.";
  update.arguments = {
      "CLAIM  Claim id or name, e.g. nk-troops or claims/nk-troops."};
  update.flags = Concat(
      Concat({{"text", "TEXT",
               "New canonical text of the proposition (1-4096 bytes)."},
              {"topic", "TOPIC",
               "Topic/tag, lower case; the topics given replace the claim's "
               "topics.",
               true},
              {"no-topics", "", "Remove every topic."},
              {"language", "TAG",
               "BCP-47 language of the text, e.g. en (\"\" clears it)."}},
             PartsFlags()),
      ChangeFlags());
  update.min_positional = update.max_positional = 1;
  update.examples = {
      "claimtrail claim update nk-troops --topic north-korea --topic russia "
      "--topic ukraine --note \"tagged the war\"",
      "claimtrail claim update nk-troops --text \"North Korea has sent "
      "troops to Russia.\" --place Kursk"};
  update.run = RunClaimUpdate;
  return {update};
}

}  // namespace cli
}  // namespace claimtrail
