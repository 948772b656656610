// The CLI's command table: each command declares its usage, flags and an
// example (for --help) and a function that runs it against a client.
#ifndef CLAIMTRAIL_CLIENT_CLI_COMMAND_H_
#define CLAIMTRAIL_CLIENT_CLI_COMMAND_H_

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/claimtrail_client.h"
#include "client/cli/args.h"
#include "client/render.h"
#include "google/protobuf/message.h"

namespace claimtrail {
namespace cli {

// What a running command may use. Not thread-safe (one command per process).
class CommandEnv {
 public:
  CommandEnv(std::shared_ptr<client::ClaimTrailClient> client, bool json,
             std::ostream& out)
      : client_(std::move(client)), json_(json), out_(out) {}

  const client::ClaimTrailClient& client() const { return *client_; }
  bool json() const { return json_; }
  std::ostream& out() { return out_; }

  // Display name of a source, fetched once per process; falls back to the
  // resource name when the source cannot be read (output must not fail
  // because a name lookup did).
  std::string SourceDisplayName(const std::string& source);
  client::SourceNamer namer() {
    return
        [this](const std::string& source) { return SourceDisplayName(source); };
  }

  // The request id of the write this command sends, once chosen; empty for
  // reads. Lets main tell the user how to retry an ambiguous failure.
  const std::string& request_id() const { return request_id_; }
  void set_request_id(std::string id) { request_id_ = std::move(id); }

  // Prints `message` as JSON (--json) or `human` text otherwise, with its
  // control characters shown as escapes (EscapeControls). A trailing
  // newline is added when missing.
  void Print(const google::protobuf::Message& message,
             const std::string& human);
  // One compact JSON object per line (for streams), or `human` on one line
  // (EscapeControls' one-line form).
  void PrintLine(const google::protobuf::Message& message,
                 const std::string& human);

 private:
  std::shared_ptr<client::ClaimTrailClient> client_;
  bool json_;
  std::ostream& out_;
  std::map<std::string, std::string> display_names_;
  std::string request_id_;
};

// Prints the claim a command got back (like `show`), or returns the error.
absl::Status PrintClaimResult(const absl::StatusOr<v1::Claim>& claim,
                              CommandEnv& env);

struct Command {
  // "show", or "source add" for grouped commands.
  std::string name;
  // One line for the command list of `claimtrail --help`.
  std::string summary;
  // Arguments after the name in the usage line: "CLAIM [flags]".
  std::string synopsis;
  // What it does, one or a few sentences.
  std::string description;
  // Explains positional arguments, e.g. "POSITION: confirmed, denied, ...".
  std::vector<std::string> arguments;
  std::vector<FlagSpec> flags;
  // Allowed positional argument counts; max -1 is unlimited.
  int min_positional = 0;
  int max_positional = 0;
  std::vector<std::string> examples;
  std::function<absl::Status(const ParsedArgs&, CommandEnv&)> run;
};

// Every command, in help order.
const std::vector<Command>& AllCommands();

// Command groups: first words that need a second ("source").
std::vector<std::string> CommandGroups();

// The command named by `words` ("show" or {"source","add"}), or null.
const Command* FindCommand(const std::vector<std::string>& words);

// Flags every command accepts: --server, --json, --timeout, --token,
// --data_dir, the --tls* flags, --help.
const std::vector<FlagSpec>& GlobalFlags();

// Help texts.
std::string CommandHelp(const Command& command);
std::string MainHelp();

// Command sets, one per source file.
std::vector<Command> InfoCommands();
std::vector<Command> SourceCommands();
std::vector<Command> ClaimAddCommands();
std::vector<Command> ClaimUpdateCommands();
std::vector<Command> ChangeCommands();
std::vector<Command> LineageCommands();
std::vector<Command> ReadCommands();
std::vector<Command> SearchCommands();
std::vector<Command> WatchCommands();
std::vector<Command> TokenCommands();
std::vector<Command> ReportCommands();

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_COMMAND_H_
