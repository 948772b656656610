// claimtraild: the claimtrail gRPC server.
//
//   claimtraild [--listen=127.0.0.1:50051] [--data_dir=./data]
//               [--max_message_bytes=4194304] [--max_watchers=256]
//
// Logs one line when serving ("claimtraild 0.1.0 serving on ADDR (port N),
// data in DIR") and one when stopped; SIGINT or SIGTERM stop it gracefully
// (exit 0). A start-up failure is one error line and exit code 1.
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

namespace {

// In-flight calls get this long to finish after SIGINT/SIGTERM.
constexpr absl::Duration kShutdownGrace = absl::Seconds(10);

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "claimtraild: the claimtrail gRPC server.\n"
      "Usage: claimtraild [--listen=ADDR] [--data_dir=DIR] "
      "[--max_message_bytes=N] [--max_watchers=N]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
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

  absl::StatusOr<std::unique_ptr<claimtrail::ClaimTrailServer>> server =
      claimtrail::ClaimTrailServer::Start(options);
  if (!server.ok()) {
    claimtrail::LogError("claimtraild: cannot start: %s",
                         server.status().ToString());
    return 1;
  }
  // Tests and scripts that ask for port 0 read "(port N)" from this line.
  if ((*server)->port() > 0) {
    claimtrail::LogInfo("claimtraild %s serving on %s (port %d), data in %s",
                        claimtrail::kVersion, (*server)->listen_address(),
                        (*server)->port(), (*server)->data_dir());
  } else {  // A Unix socket has no port.
    claimtrail::LogInfo("claimtraild %s serving on %s, data in %s",
                        claimtrail::kVersion, (*server)->listen_address(),
                        (*server)->data_dir());
  }

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  (*server)->Shutdown(kShutdownGrace);
  claimtrail::LogInfo("claimtraild %s stopped (%s)", claimtrail::kVersion,
                      signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}
