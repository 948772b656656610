#include "client/cli/command.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/human.h"
#include "client/cli/text.h"
#include "google/protobuf/util/json_util.h"

namespace claimtrail {
namespace cli {
namespace {

std::string FlagsHelp(const std::vector<FlagSpec>& flags) {
  std::string out;
  for (const FlagSpec& flag : flags) {
    std::string left = absl::StrCat("  --", flag.name);
    if (!flag.value_name.empty()) absl::StrAppend(&left, " ", flag.value_name);
    if (flag.repeatable) absl::StrAppend(&left, " ...");
    if (left.size() < 30) {
      left.resize(30, ' ');
    } else {
      absl::StrAppend(&left, "\n", std::string(30, ' '));
    }
    absl::StrAppend(&out, left, flag.help, "\n");
  }
  return out;
}

std::string JsonOf(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = false;
  std::string json;
  google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::StrCat("{\"error\": \"", status.message().as_string(), "\"}");
  }
  return json;
}

}  // namespace

std::string CommandEnv::SourceDisplayName(const std::string& source) {
  auto it = display_names_.find(source);
  if (it != display_names_.end()) return it->second;
  v1::GetSourceRequest request;
  request.set_name(source);
  absl::StatusOr<v1::Source> found = client_->GetSource(request);
  std::string name = found.ok() && !found->display_name().empty()
                         ? found->display_name()
                         : source;
  display_names_[source] = name;
  return name;
}

// Every human-readable output passes here, so stored text (another user's
// claim, note, source name) reaches the terminal with its control
// characters visible instead of acted on. JSON escapes them itself.
void CommandEnv::Print(const google::protobuf::Message& message,
                       const std::string& human) {
  std::string text =
      json_ ? JsonOf(message, /*pretty=*/true) : EscapeControls(human);
  if (text.empty() || text.back() != '\n') text.push_back('\n');
  out_ << text;
  out_.flush();
}

void CommandEnv::PrintLine(const google::protobuf::Message& message,
                           const std::string& human) {
  out_ << (json_ ? JsonOf(message, /*pretty=*/false)
                 : EscapeControls(human, /*one_line=*/true))
       << "\n";
  // Streams are read by scripts as they arrive: flush every line.
  out_.flush();
}

absl::Status PrintClaimResult(const absl::StatusOr<v1::Claim>& claim,
                              CommandEnv& env) {
  if (!claim.ok()) return claim.status();
  env.Print(*claim, RenderClaim(*claim, env.namer()));
  return absl::OkStatus();
}

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"server", "ADDR",
       "Server address host:port (default 127.0.0.1:50051, or env "
       "CLAIMTRAIL_SERVER)."},
      {"json", "", "Print responses as JSON (proto3 JSON mapping)."},
      {"timeout", "DURATION",
       "Deadline of each call, e.g. 10s, 500ms (default 10s)."},
      {"token", "TOKEN",
       "API token, sent as 'authorization: Bearer' metadata (or env "
       "CLAIMTRAIL_TOKEN). Default for a server on this machine: "
       "DATA_DIR/admin.token."},
      {"data_dir", "DIR",
       "The local server's data directory, whose admin.token is used when "
       "no token is given (or env CLAIMTRAIL_DATA_DIR; default ./data)."},
      {"tls", "", "Connect over TLS, trusting the system's root CAs."},
      {"tls_ca", "FILE",
       "Connect over TLS, trusting the CA certificates in FILE (PEM; or env "
       "CLAIMTRAIL_TLS_CA)."},
      {"tls_cert", "FILE",
       "Client certificate for mutual TLS (PEM; or env CLAIMTRAIL_TLS_CERT)."},
      {"tls_key", "FILE",
       "Private key of --tls_cert (PEM; or env CLAIMTRAIL_TLS_KEY)."},
      {"tls_server_name", "NAME",
       "Check the server certificate against NAME instead of the host."},
      {"help", "", "Show help for the command."},
  };
  return *flags;
}

const std::vector<Command>& AllCommands() {
  static const auto* commands = [] {
    auto* all = new std::vector<Command>();
    for (auto set :
         {InfoCommands, SourceCommands, ClaimAddCommands, ClaimUpdateCommands,
          ChangeCommands, LineageCommands, ReadCommands, SearchCommands,
          WatchCommands, TokenCommands, ReportCommands}) {
      for (Command& command : set()) all->push_back(std::move(command));
    }
    return all;
  }();
  return *commands;
}

std::vector<std::string> CommandGroups() {
  return {"source", "claim", "token"};
}

const Command* FindCommand(const std::vector<std::string>& words) {
  const std::string name = absl::StrJoin(words, " ");
  for (const Command& command : AllCommands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string CommandHelp(const Command& command) {
  std::string out = absl::StrCat("usage: claimtrail ", command.name);
  if (!command.synopsis.empty()) absl::StrAppend(&out, " ", command.synopsis);
  absl::StrAppend(&out, "\n\n", command.description, "\n");
  if (!command.arguments.empty()) {
    absl::StrAppend(&out, "\narguments:\n");
    for (const std::string& argument : command.arguments) {
      absl::StrAppend(&out, "  ", argument, "\n");
    }
  }
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nflags:\n", FlagsHelp(command.flags));
  }
  absl::StrAppend(&out, "\nglobal flags:\n", FlagsHelp(GlobalFlags()));
  if (!command.examples.empty()) {
    absl::StrAppend(&out, "\n",
                    command.examples.size() == 1 ? "example" : "examples",
                    ":\n");
    for (const std::string& example : command.examples) {
      absl::StrAppend(&out, "  ", example, "\n");
    }
  }
  return out;
}

std::string MainHelp() {
  std::string out =
      "usage: claimtrail [global flags] COMMAND [arguments] [flags]\n\n"
      "claimtrail records factual claims with who says so, who relayed it, "
      "who\n"
      "confirms or denies it, and how that changed over time.\n\n"
      "commands:\n";
  for (const Command& command : AllCommands()) {
    std::string left = absl::StrCat("  ", command.name);
    left.resize(std::max<size_t>(left.size() + 1, 16), ' ');
    absl::StrAppend(&out, left, command.summary, "\n");
  }
  absl::StrAppend(&out, "\nglobal flags:\n", FlagsHelp(GlobalFlags()),
                  "\nRun 'claimtrail COMMAND --help' for a command's flags and "
                  "an example.\n"
                  "Exit codes: 0 ok, 1 other error, 2 usage, 3 not found, 4 "
                  "invalid argument, 5 conflict (aborted / already exists), "
                  "6 unauthenticated / permission denied.\n"
                  "Output shows control characters in stored text as "
                  "escapes (\\x1b, \\u009b; newlines as \\n in one-line "
                  "listings); --json prints text exactly.\n");
  return out;
}

}  // namespace cli
}  // namespace claimtrail
