#include "client/cli/app.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/args.h"
#include "client/cli/command.h"
#include "client/cli/parse.h"
#include "client/cli/text.h"

namespace claimtrail {
namespace cli {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:50051";

bool WantsHelp(const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    if (token == "--") return false;
    if (token == "--help" || token == "-h" || token == "--help=true")
      return true;
  }
  return false;
}

// Positional words among `tokens`, skipping flags (for "help source add").
std::vector<std::string> Words(const std::vector<std::string>& tokens) {
  std::vector<std::string> words;
  for (const std::string& token : tokens) {
    if (token.rfind("-", 0) != 0) words.push_back(token);
  }
  return words;
}

// "claimtrail source" alone: list the group's commands.
std::string GroupHelp(absl::string_view group) {
  std::string out =
      absl::StrCat("usage: claimtrail ", group, " COMMAND ...\n\ncommands:\n");
  for (const Command& command : AllCommands()) {
    if (command.name.rfind(absl::StrCat(group, " "), 0) == 0) {
      absl::StrAppend(&out, "  claimtrail ", command.name, " ",
                      command.synopsis, "\n");
    }
  }
  return out;
}

// "CLAIM", "FIGURE_ID": an upper-case name standing for an argument.
bool IsPlaceholder(absl::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isupper(c) || c == '_';
  });
}

// The names of a command's positional arguments, from its synopsis:
// "CLAIM PARTY POSITION [--statement S] ..." -> CLAIM, PARTY, POSITION;
// "[QUERY...] ..." -> QUERY.
std::vector<std::string> PositionalNames(const Command& command) {
  std::vector<std::string> names;
  for (absl::string_view word : absl::StrSplit(command.synopsis, ' ')) {
    std::string name = absl::StrReplaceAll(word, {{"[", ""}, {"]", ""}});
    name = std::string(absl::StripSuffix(name, "..."));
    if (!IsPlaceholder(name)) break;
    names.push_back(name);
  }
  return names;
}

// A FILE is a path, bytes for the operating system rather than text for
// the server, so it may be any bytes.
bool IsPath(absl::string_view value_name) { return value_name == "FILE"; }

// Every argument and command flag value that becomes text in a request
// must be valid UTF-8: protobuf would log its own error and send it anyway,
// and the server would reject it without naming the argument.
absl::Status CheckUtf8Args(const Command& command, const ParsedArgs& args) {
  const std::vector<std::string> names = PositionalNames(command);
  for (size_t i = 0; i < args.positional().size(); ++i) {
    std::string name = absl::StrCat("argument ", i + 1);
    if (!names.empty()) name = names[std::min(i, names.size() - 1)];
    if (IsPath(name)) continue;
    absl::Status status = CheckUtf8(name, args.positional()[i]);
    if (!status.ok()) return status;
  }
  for (const FlagSpec& flag : command.flags) {
    if (IsPath(flag.value_name)) continue;
    for (const std::string& value : args.GetAll(flag.name)) {
      absl::Status status = CheckUtf8(absl::StrCat("--", flag.name), value);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<client::ClientOptions> ResolveOptions(const ParsedArgs& args,
                                                     const AppEnv& app_env) {
  client::ClientOptions options;
  std::string server = args.GetOr("server", "");
  if (server.empty()) server = app_env.getenv("CLAIMTRAIL_SERVER");
  options.server_address = server.empty() ? kDefaultServer : server;
  if (auto timeout = args.Get("timeout")) {
    absl::StatusOr<absl::Duration> parsed = ParseTimeout("--timeout", *timeout);
    if (!parsed.ok()) return parsed.status();
    options.default_deadline = *parsed;
  }
  absl::Status credentials = ResolveCredentials(
      args, app_env.getenv,
      app_env.read_file ? app_env.read_file : ReadFileFn(ReadLocalFile),
      &options);
  if (!credentials.ok()) return credentials;
  return options;
}

}  // namespace

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsUsageError(status)) return kExitUsage;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kInvalidArgument:
      return kExitInvalidArgument;
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return kExitConflict;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kExitAuth;
    default:
      return kExitOther;
  }
}

std::string FormatError(const absl::Status& status) {
  // A server message may quote stored text; show it as output is shown.
  const std::string message = EscapeControls(status.message());
  if (IsUsageError(status)) return absl::StrCat("error: ", message);
  return absl::StrCat("error: ", absl::StatusCodeToString(status.code()), ": ",
                      message);
}

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const AppEnv& app_env) {
  CommandSplit split = SplitCommand(GlobalFlags(), CommandGroups(), args);
  std::vector<std::string>& words = split.command_words;
  if (words.empty()) {
    if (WantsHelp(split.rest)) {
      out << MainHelp();
      return kExitOk;
    }
    err << MainHelp();
    return kExitUsage;
  }
  if (words[0] == "help") {
    // "claimtrail help [source] [add]"
    std::vector<std::string> topic = Words(split.rest);
    if (words.size() > 1) topic.insert(topic.begin(), words[1]);
    const Command* command = topic.empty() ? nullptr : FindCommand(topic);
    if (command == nullptr && topic.size() > 1) {
      command = FindCommand({topic[0], topic[1]});
    }
    if (command == nullptr && topic.size() > 0)
      command = FindCommand({topic[0]});
    out << (command != nullptr ? CommandHelp(*command) : MainHelp());
    return kExitOk;
  }

  const Command* command = FindCommand(words);
  if (command == nullptr) {
    const std::vector<std::string> groups = CommandGroups();
    if (words.size() == 1 &&
        std::find(groups.begin(), groups.end(), words[0]) != groups.end()) {
      (WantsHelp(split.rest) ? out : err) << GroupHelp(words[0]);
      return WantsHelp(split.rest) ? kExitOk : kExitUsage;
    }
    err << "error: unknown command '" << absl::StrJoin(words, " ")
        << "'; run 'claimtrail --help' for the list\n";
    return kExitUsage;
  }
  const std::string help_hint =
      absl::StrCat("run 'claimtrail ", command->name, " --help' for usage\n");
  if (WantsHelp(split.rest)) {
    out << CommandHelp(*command);
    return kExitOk;
  }

  std::vector<FlagSpec> flags = command->flags;
  flags.insert(flags.end(), GlobalFlags().begin(), GlobalFlags().end());
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(flags, split.rest);
  if (!parsed.ok()) {
    err << FormatError(parsed.status()) << "\n" << help_hint;
    return ExitCodeFor(parsed.status());
  }
  const int given = static_cast<int>(parsed->positional().size());
  if (given < command->min_positional ||
      (command->max_positional >= 0 && given > command->max_positional)) {
    err << "error: " << command->name << ": expects " << command->synopsis
        << " (got " << given << " argument" << (given == 1 ? "" : "s") << ")\n"
        << help_hint;
    return kExitUsage;
  }

  absl::Status text = CheckUtf8Args(*command, *parsed);
  if (!text.ok()) {
    err << FormatError(text) << "\n" << help_hint;
    return ExitCodeFor(text);
  }

  absl::StatusOr<client::ClientOptions> options =
      ResolveOptions(*parsed, app_env);
  if (!options.ok()) {
    err << FormatError(options.status()) << "\n" << help_hint;
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<client::ClaimTrailClient>> client =
      app_env.connect(*options);
  if (!client.ok()) {
    err << FormatError(client.status()) << "\n";
    return ExitCodeFor(client.status());
  }
  CommandEnv env(std::shared_ptr<client::ClaimTrailClient>(std::move(*client)),
                 parsed->GetBool("json"), out);
  absl::Status status = command->run(*parsed, env);
  if (status.ok()) return kExitOk;
  err << FormatError(status) << "\n";
  if (IsUsageError(status)) {
    err << help_hint;
  } else if (status.code() == absl::StatusCode::kUnauthenticated &&
             options->token.empty()) {
    // Only when none was sent: for a token sent (revoked, expired, wrong)
    // the server's message says what is wrong with it, and "pass --token"
    // would mislead.
    err << "the server needs an API token: pass --token or set "
           "CLAIMTRAIL_TOKEN; on the server's machine, --data_dir DIR (or "
           "CLAIMTRAIL_DATA_DIR) finds its admin token in DIR/admin.token\n";
  } else if (!env.request_id().empty() &&
             (status.code() == absl::StatusCode::kUnavailable ||
              status.code() == absl::StatusCode::kDeadlineExceeded)) {
    // The write may or may not have been applied; the same request id makes
    // a retry safe either way.
    err << "the change may or may not have been applied; to retry safely, "
           "repeat the command with --request-id "
        << env.request_id() << "\n";
  }
  return ExitCodeFor(status);
}

}  // namespace cli
}  // namespace claimtrail
