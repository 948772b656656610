// The claimtrail CLI as a function: parse, dispatch, print, map errors to
// exit codes. main.cc wires it to the process; tests call it directly with
// their own streams and client factory.
#ifndef CLAIMTRAIL_CLIENT_CLI_APP_H_
#define CLAIMTRAIL_CLIENT_CLI_APP_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/claimtrail_client.h"
#include "client/cli/credentials.h"

namespace claimtrail {
namespace cli {

// Exit codes, documented in `claimtrail --help`.
enum ExitCode {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitNotFound = 3,
  kExitInvalidArgument = 4,
  kExitConflict = 5,  // ABORTED (stale etag) or ALREADY_EXISTS.
  kExitAuth = 6,      // UNAUTHENTICATED or PERMISSION_DENIED.
};

// The exit code for a command's final status (usage errors -> kExitUsage).
int ExitCodeFor(const absl::Status& status);

// What "error: ..." lines say: "error: NOT_FOUND: claims/x not found" for
// server errors, "error: --kind: unknown value ..." for usage errors.
std::string FormatError(const absl::Status& status);

struct AppEnv {
  // Reads an environment variable; empty when unset.
  std::function<std::string(const char*)> getenv;
  // Makes the client for the resolved options (tests return a client over a
  // mock stub).
  std::function<absl::StatusOr<std::unique_ptr<client::ClaimTrailClient>>(
      const client::ClientOptions&)>
      connect;
  // Reads a file (the admin token file, see credentials.h). Null: the local
  // file system.
  ReadFileFn read_file;
};

// Runs the CLI on `args` (argv without the program name). Output goes to
// `out`, errors and hints to `err`. Returns the process exit code.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const AppEnv& app_env);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_APP_H_
