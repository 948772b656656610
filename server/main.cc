// claimtraild: the claimtrail gRPC server.
//
//   claimtraild [--listen=127.0.0.1:50051] [--data_dir=./data]
//               [--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]]
//               [--insecure] [--new_admin_token]
//               [--max_message_bytes=4194304] [--max_watchers=256]
//               [--max_watchers_per_principal=128] [--keepalive_seconds=60]
//               [--rate_limit_rps=10000] [--rate_limit_burst=20000]
//
// Every call needs an API token (docs/SECURITY.md). On first start the
// server issues an admin token into <data_dir>/admin.token (mode 0600) and
// logs the path, never the token. A non-loopback --listen needs TLS, or
// --insecure.
//
// Logs one line when serving ("claimtraild 0.1.0 serving on ADDR (port N),
// data in DIR, TLS|plaintext") and one when stopped; SIGINT or SIGTERM stop
// it gracefully (exit 0). A start-up failure is one error line and exit code 1.
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/server.h"
#include "server/util/logging.h"
#include "server/version.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on: host:port (port 0 picks a free port; the "
          "start line reports it) or unix:/path/to/socket.");
ABSL_FLAG(std::string, data_dir, "./data",
          "Database directory; created if missing. One server per directory.");
ABSL_FLAG(int, max_message_bytes, 4 << 20,
          "Largest request message accepted, in bytes.");
ABSL_FLAG(int, max_watchers, 256, "Most WatchClaims streams open at once.");
ABSL_FLAG(int, max_watchers_per_principal, 128,
          "Most WatchClaims streams one principal may have open at once.");
ABSL_FLAG(int, keepalive_seconds, 60,
          "Ping each client connection after this many idle seconds and drop "
          "it when the ping goes unanswered as long, freeing its watch "
          "slots; 0 turns pings off.");
ABSL_FLAG(double, rate_limit_rps, 10000,
          "Requests per second per principal, sustained; 0 turns the limit "
          "off. Over it calls fail RESOURCE_EXHAUSTED with retry-after-ms.");
ABSL_FLAG(double, rate_limit_burst, 20000,
          "Requests per principal allowed at once after a quiet period.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of the server; with --tls_key, serve TLS "
          "only.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates: require client certificates signed by them "
          "(mutual TLS).");
ABSL_FLAG(bool, insecure, false,
          "Allow plaintext on a non-loopback --listen address (tokens and "
          "data cross the network unencrypted).");
ABSL_FLAG(bool, new_admin_token, false,
          "Issue a fresh admin token into <data_dir>/admin.token at start, "
          "even if admin tokens exist (for a lost token; revoke the old one "
          "with `claimtrail token revoke`).");

namespace {

// In-flight calls get this long to finish after SIGINT/SIGTERM.
constexpr absl::Duration kShutdownGrace = absl::Seconds(10);

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "claimtraild: the claimtrail gRPC server.\n"
      "Usage: claimtraild [--listen=ADDR] [--data_dir=DIR] "
      "[--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]] [--insecure] "
      "[--new_admin_token] [--max_message_bytes=N] [--max_watchers=N] "
      "[--max_watchers_per_principal=N] [--keepalive_seconds=S] "
      "[--rate_limit_rps=R] "
      "[--rate_limit_burst=N]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock
  // detector on: every lock of every mutex (gRPC's per-call ones included)
  // updates a global lock graph, 6-9 % of the server's CPU per call in the
  // benchmark's profiles. The tests keep it on; the server turns it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (args.size() > 1) {
    claimtrail::LogError("claimtraild: unexpected argument \"%s\" (see --help)",
                         args[1]);
    return 1;
  }

  // Block the stop signals before any thread exists: gRPC's threads inherit
  // the mask, so sigwait() below is the only place they are delivered (no
  // async-signal-safety concerns).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  claimtrail::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_watchers = absl::GetFlag(FLAGS_max_watchers);
  options.max_watchers_per_principal =
      absl::GetFlag(FLAGS_max_watchers_per_principal);
  options.keepalive = absl::Seconds(absl::GetFlag(FLAGS_keepalive_seconds));
  options.rate_limit_rps = absl::GetFlag(FLAGS_rate_limit_rps);
  options.rate_limit_burst = absl::GetFlag(FLAGS_rate_limit_burst);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.allow_insecure_remote = absl::GetFlag(FLAGS_insecure);
  options.issue_admin_token = absl::GetFlag(FLAGS_new_admin_token);

  absl::StatusOr<std::unique_ptr<claimtrail::ClaimTrailServer>> server =
      claimtrail::ClaimTrailServer::Start(options);
  if (!server.ok()) {
    claimtrail::LogError("claimtraild: cannot start: %s",
                         server.status().ToString());
    return 1;
  }
  // Tests and scripts that ask for port 0 read "(port N)" from this line.
  const char* transport = (*server)->tls() ? "TLS" : "plaintext";
  if ((*server)->port() > 0) {
    claimtrail::LogInfo(
        "claimtraild %s serving on %s (port %d), data in %s, %s",
        claimtrail::kVersion, (*server)->listen_address(), (*server)->port(),
        (*server)->data_dir(), transport);
  } else {  // A Unix socket has no port.
    claimtrail::LogInfo("claimtraild %s serving on %s, data in %s, %s",
                        claimtrail::kVersion, (*server)->listen_address(),
                        (*server)->data_dir(), transport);
  }

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  (*server)->Shutdown(kShutdownGrace);
  claimtrail::LogInfo("claimtraild %s stopped (%s)", claimtrail::kVersion,
                      signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}
