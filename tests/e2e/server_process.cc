#include "tests/e2e/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace claimtrail {
namespace testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args,
                            const std::string& log_path) {
  std::vector<std::string> argv_storage = {ClaimtraildPath()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("posix_spawn ", argv[0], ": error ", error));
  }
  return pid;
}

// waitpid with a timeout: true (and *status) once exited, false if still
// running at the deadline.
bool WaitFor(pid_t pid, absl::Duration timeout, int* status) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const pid_t done = waitpid(pid, status, WNOHANG);
    if (done == pid) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

// The port from a start line "... serving on ADDR (port N), ...", or 0.
int PortFromLog(const std::string& log) {
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (line.find(" serving on ") == absl::string_view::npos) continue;
    const size_t at = line.find("(port ");
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = line.substr(at + 6);
    rest = rest.substr(0, rest.find(')'));
    int port = 0;
    if (absl::SimpleAtoi(rest, &port)) return port;
  }
  return 0;
}

}  // namespace

std::string ClaimtraildPath() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "claimtrail",
                      "/server/claimtraild");
}

std::string FreshTempDir(const std::string& name) {
  static std::atomic<int> counter{0};
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base != nullptr ? base : "/tmp", "/", name,
                                 "-", getpid(), "-", counter++);
  mkdir(dir.c_str(), 0755);
  return dir;
}

absl::StatusOr<ServerProcess> ServerProcess::Start(
    const std::vector<std::string>& args, const std::string& log_path,
    absl::Duration timeout) {
  absl::StatusOr<pid_t> pid = Spawn(args, log_path);
  if (!pid.ok()) return pid.status();
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    const int port = PortFromLog(ReadFile(log_path));
    if (port > 0) return ServerProcess(*pid, port, log_path);
    int status = 0;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      return absl::FailedPreconditionError(
          absl::StrCat("claimtraild exited before serving (status ", status,
                       "); log:\n", ReadFile(log_path)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(*pid, SIGKILL);
  int status = 0;
  waitpid(*pid, &status, 0);
  return absl::DeadlineExceededError(absl::StrCat(
      "claimtraild printed no start line; log:\n", ReadFile(log_path)));
}

absl::StatusOr<int> ServerProcess::Run(const std::vector<std::string>& args,
                                       const std::string& log_path,
                                       absl::Duration timeout) {
  absl::StatusOr<pid_t> pid = Spawn(args, log_path);
  if (!pid.ok()) return pid.status();
  int status = 0;
  if (!WaitFor(*pid, timeout, &status)) {
    kill(*pid, SIGKILL);
    waitpid(*pid, &status, 0);
    return absl::DeadlineExceededError(
        absl::StrCat("claimtraild did not exit; log:\n", ReadFile(log_path)));
  }
  return status;
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      log_path_(std::move(other.log_path_)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

std::string ServerProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

absl::StatusOr<int> ServerProcess::StopWith(int signal,
                                            absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  kill(pid_, signal);
  int status = 0;
  const bool exited = WaitFor(pid_, timeout, &status);
  if (!exited) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  if (!exited) {
    return absl::DeadlineExceededError(absl::StrCat(
        "claimtraild did not exit after signal ", signal, "; log:\n", Log()));
  }
  return status;
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

}  // namespace testing
}  // namespace claimtrail
