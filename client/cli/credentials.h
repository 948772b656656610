// How the CLI finds its credentials: the bearer token and the TLS files.
//
// Token, first found wins:
//   1. --token TOKEN
//   2. env CLAIMTRAIL_TOKEN
//   3. the server's bootstrap admin token, DIR/admin.token, where DIR is
//      --data_dir, else env CLAIMTRAIL_DATA_DIR, else ./data. Read only when
//      the server address is on this machine (loopback or a Unix socket),
//      unless --data_dir is given explicitly: the admin token must not be
//      sent to some other server by accident. A missing or unreadable file
//      is an error only with an explicit --data_dir.
// TLS: --tls_ca / --tls_cert / --tls_key / --tls_server_name, else env
// CLAIMTRAIL_TLS_CA / CLAIMTRAIL_TLS_CERT / CLAIMTRAIL_TLS_KEY; --tls (or
// any of the files) turns TLS on.
#ifndef CLAIMTRAIL_CLIENT_CLI_CREDENTIALS_H_
#define CLAIMTRAIL_CLIENT_CLI_CREDENTIALS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/claimtrail_client.h"
#include "client/cli/args.h"

namespace claimtrail {
namespace cli {

inline constexpr char kDefaultDataDir[] = "./data";
inline constexpr char kAdminTokenFileName[] = "admin.token";

// Reads a whole file; any error when it cannot.
using ReadFileFn =
    std::function<absl::StatusOr<std::string>(const std::string& path)>;

// Reads `path` from the local file system. NOT_FOUND / PERMISSION_DENIED /
// UNAVAILABLE with the path and the errno text.
absl::StatusOr<std::string> ReadLocalFile(const std::string& path);

// True for addresses only this machine can reach: "localhost", 127.x.x.x,
// "[::1]", with or without a port, and "unix:" sockets. Pure.
bool IsLocalServerAddress(absl::string_view address);

// Fills options->token and options->tls from `args`, `getenv` and the
// admin token file (see the file comment). options->server_address must be
// resolved already. Usage errors name the flag.
absl::Status ResolveCredentials(
    const ParsedArgs& args,
    const std::function<std::string(const char*)>& getenv,
    const ReadFileFn& read_file, client::ClientOptions* options);

}  // namespace cli
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLI_CREDENTIALS_H_
