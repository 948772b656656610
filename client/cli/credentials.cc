#include "client/cli/credentials.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace claimtrail {
namespace cli {
namespace {

// The flag's value, else the environment variable's, else "".
std::string FlagOrEnv(const ParsedArgs& args, absl::string_view flag,
                      const std::function<std::string(const char*)>& getenv,
                      const char* env_var) {
  std::string value = args.GetOr(flag, "");
  return value.empty() ? getenv(env_var) : value;
}

}  // namespace

absl::StatusOr<std::string> ReadLocalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    const std::string message =
        absl::StrCat("cannot read ", path, ": ", std::strerror(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES || error == EPERM) {
      return absl::PermissionDeniedError(message);
    }
    return absl::UnavailableError(message);
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool IsLocalServerAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  absl::string_view host = address;
  absl::ConsumePrefix(&host, "dns:///");
  if (absl::ConsumePrefix(&host, "[")) {
    host = host.substr(0, host.find(']'));
    return host == "::1";
  }
  host = host.substr(0, host.rfind(':'));
  const std::string name = absl::AsciiStrToLower(host);
  if (name == "localhost") return true;
  // 127.0.0.0/8: four dotted numbers, the first 127.
  if (!absl::StartsWith(name, "127.")) return false;
  int dots = 0;
  for (char c : name) {
    if (c == '.') {
      ++dots;
    } else if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  return dots == 3;
}

absl::Status ResolveCredentials(
    const ParsedArgs& args,
    const std::function<std::string(const char*)>& getenv,
    const ReadFileFn& read_file, client::ClientOptions* options) {
  client::TlsOptions& tls = options->tls;
  tls.enabled = args.GetBool("tls");
  tls.ca_file = FlagOrEnv(args, "tls_ca", getenv, "CLAIMTRAIL_TLS_CA");
  tls.cert_file = FlagOrEnv(args, "tls_cert", getenv, "CLAIMTRAIL_TLS_CERT");
  tls.key_file = FlagOrEnv(args, "tls_key", getenv, "CLAIMTRAIL_TLS_KEY");
  tls.server_name_override = args.GetOr("tls_server_name", "");
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return UsageError(tls.cert_file.empty()
                          ? "--tls_cert: required with --tls_key"
                          : "--tls_key: required with --tls_cert");
  }

  options->token = FlagOrEnv(args, "token", getenv, "CLAIMTRAIL_TOKEN");
  if (!options->token.empty()) return absl::OkStatus();

  const std::optional<std::string> explicit_dir = args.Get("data_dir");
  if (!explicit_dir.has_value() &&
      !IsLocalServerAddress(options->server_address)) {
    return absl::OkStatus();
  }
  std::string dir = explicit_dir.value_or(getenv("CLAIMTRAIL_DATA_DIR"));
  if (dir.empty()) dir = kDefaultDataDir;
  const std::string path = absl::StrCat(dir, "/", kAdminTokenFileName);
  absl::StatusOr<std::string> contents = read_file(path);
  if (!contents.ok()) {
    if (explicit_dir.has_value()) {
      return UsageError(absl::StrCat(
          "--data_dir: ", contents.status().message(),
          " (the server writes it on first start; or pass --token)"));
    }
    return absl::OkStatus();  // The server will say what is missing.
  }
  options->token = std::string(absl::StripAsciiWhitespace(*contents));
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace claimtrail
