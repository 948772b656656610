// The bootstrap admin token file: <data_dir>/admin.token, one line holding
// the bearer token, readable and writable by the server's user only (0600).
#ifndef CLAIMTRAIL_SERVER_ADMIN_TOKEN_FILE_H_
#define CLAIMTRAIL_SERVER_ADMIN_TOKEN_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace claimtrail {

// Replaces `path` with `secret` + "\n", mode 0600 whatever the umask: writes
// a temporary file beside it (created 0600, never following a symlink),
// fsyncs it, renames it over `path` and fsyncs the directory. A reader sees
// the old file or the new one, never a partial one.
// OK: durable. PERMISSION_DENIED / UNAVAILABLE (I/O) / INTERNAL: nothing
// replaced (the message names the file and the errno text).
absl::Status WriteSecretFile(const std::string& path, absl::string_view secret);

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_ADMIN_TOKEN_FILE_H_
