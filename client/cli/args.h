// Command-line parsing for the claimtrail CLI: subcommands with their own
// flags, repeatable flags, flags with two values (--between N M), and
// positional arguments anywhere. absl/flags is global and single-command, so
// the CLI has this small parser instead.
//
// Accepted forms: "--name value", "--name=value", boolean "--name" (or
// "--name=true|false"), "--" ends flags. Errors are usage errors (see
// UsageError) whose message starts with the flag, e.g. "--kind: missing
// value". Thread-compatible.
#ifndef CLAIMTRAIL_CLIENT_CLI_ARGS_H_
#define CLAIMTRAIL_CLIENT_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace claimtrail {
namespace cli {

struct FlagSpec {
  // Name without the dashes, e.g. "kind".
  std::string name;
  // Placeholder for the value(s) in help, e.g. "KIND" or "N M". Empty: a
  // boolean flag that takes no value.
  std::string value_name;
  // One line of help.
  std::string help;
  // May be given more than once (values accumulate in order).
  bool repeatable = false;
  // Values per occurrence: 1, or 2 for flags like --between N M.
  int arity = 1;
};

// A usage error: INVALID_ARGUMENT marked as the CLI's own (not the server's),
// so main can tell the two apart for exit codes and hints.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

class ParsedArgs {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(absl::string_view flag) const;
  // The last value given for `flag`, if any.
  std::optional<std::string> Get(absl::string_view flag) const;
  std::string GetOr(absl::string_view flag, absl::string_view fallback) const;
  // Every value given, in order (for arity 2: flattened pairs).
  std::vector<std::string> GetAll(absl::string_view flag) const;
  // A boolean flag: present and not "=false".
  bool GetBool(absl::string_view flag) const;

  void Add(const std::string& flag, std::string value);
  void AddPositional(std::string value) {
    positional_.push_back(std::move(value));
  }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

// Parses `args` against `flags`. Usage errors name the flag: unknown flags,
// missing values, a non-repeatable flag given twice, a bad boolean.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<FlagSpec>& flags,
                                     const std::vector<std::string>& args);

// Splits the command words from the rest: skips `global_flags` (and their
// values) wherever they are, then takes the first positional word, and a
// second one too when the first is in `groups` ("source add"). `rest` keeps
// every other token, in order, for ParseArgs.
struct CommandSplit {
  std::vector<std::string> command_words;
  std::vector<std::string> rest;
};
CommandSplit SplitCommand(const std::vector<FlagSpec>& global_flags,
                          const std::vector<std::string>& groups,
                          const std::vector<std::string>& args);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_ARGS_H_
