// ServerProcess: runs the real claimtraild binary for end-to-end tests.
//
// The daemon's stdout and stderr go to a log file; Start() waits for the
// start line ("claimtraild ... serving on ADDR (port N) ...") and reads the
// port from it, so tests listen on port 0 and never collide.
#ifndef CLAIMTRAIL_TESTS_E2E_SERVER_PROCESS_H_
#define CLAIMTRAIL_TESTS_E2E_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace claimtrail {
namespace testing {

// Path of //server:claimtraild in the test's runfiles.
std::string ClaimtraildPath();

// A fresh directory under $TEST_TMPDIR named after `name`.
std::string FreshTempDir(const std::string& name);

class ServerProcess {
 public:
  // Starts claimtraild with `args`, logging to `log_path`, and waits up to
  // `timeout` for its start line.
  // OK: running; port() is the port it reported.
  // FAILED_PRECONDITION: it exited before serving (the message has the exit
  //   code and the log). DEADLINE_EXCEEDED: no start line in time (killed).
  static absl::StatusOr<ServerProcess> Start(
      const std::vector<std::string>& args, const std::string& log_path,
      absl::Duration timeout = absl::Seconds(30));

  // Runs claimtraild with `args` to completion (killed after `timeout`).
  // Returns its exit status as from waitpid().
  static absl::StatusOr<int> Run(const std::vector<std::string>& args,
                                 const std::string& log_path,
                                 absl::Duration timeout = absl::Seconds(30));

  ServerProcess(ServerProcess&& other) noexcept;
  ServerProcess& operator=(ServerProcess&& other) = delete;
  // Kills the process if it is still running.
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string target() const;

  // Sends `signal` and waits up to `timeout` for the exit. Returns the
  // waitpid() status. DEADLINE_EXCEEDED if it did not exit (then killed).
  absl::StatusOr<int> StopWith(int signal,
                               absl::Duration timeout = absl::Seconds(30));

  // The log so far.
  std::string Log() const;

 private:
  ServerProcess(pid_t pid, int port, std::string log_path)
      : pid_(pid), port_(port), log_path_(std::move(log_path)) {}

  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

}  // namespace testing
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_E2E_SERVER_PROCESS_H_
