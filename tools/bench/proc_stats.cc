#include "tools/bench/proc_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace claimtrail {
namespace bench {
namespace {

struct StatLine {
  int ppid = 0;
  int64_t ticks = 0;  // utime + stime.
};

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

// Parses /proc/<pid>/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
bool ReadStat(int pid, StatLine* out) {
  std::string text;
  if (!ReadFile(absl::StrCat("/proc/", pid, "/stat"), &text)) return false;
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return false;
  // After ") ": state(3) ppid(4) ... utime(14) stime(15).
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(text).substr(close + 2), ' ');
  if (fields.size() < 13) return false;
  int64_t utime = 0, stime = 0;
  if (!absl::SimpleAtoi(fields[1], &out->ppid) ||
      !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return false;
  }
  out->ticks = utime + stime;
  return true;
}

}  // namespace

absl::StatusOr<double> ProcessTreeCpuSeconds(int pid) {
  StatLine root;
  if (!ReadStat(pid, &root)) {
    return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  }
  // One pass over /proc: parent links of everyone, then walk down from pid.
  std::map<int, std::vector<int>> children;
  std::map<int, int64_t> ticks;
  if (DIR* dir = opendir("/proc")) {
    while (dirent* entry = readdir(dir)) {
      int child = 0;
      if (!absl::SimpleAtoi(entry->d_name, &child)) continue;
      StatLine line;
      if (!ReadStat(child, &line)) continue;  // Exited meanwhile.
      children[line.ppid].push_back(child);
      ticks[child] = line.ticks;
    }
    closedir(dir);
  }
  int64_t total = root.ticks;
  std::vector<int> stack = children[pid];
  while (!stack.empty()) {
    const int next = stack.back();
    stack.pop_back();
    total += ticks[next];
    for (int grandchild : children[next]) stack.push_back(grandchild);
  }
  return static_cast<double>(total) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

absl::StatusOr<RssBytes> ProcessRss(int pid) {
  std::string text;
  if (!ReadFile(absl::StrCat("/proc/", pid, "/status"), &text)) {
    return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  }
  RssBytes out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    int64_t* target = nullptr;
    if (absl::ConsumePrefix(&line, "VmRSS:")) target = &out.current;
    if (absl::ConsumePrefix(&line, "VmHWM:")) target = &out.peak;
    if (absl::ConsumePrefix(&line, "RssAnon:")) target = &out.anon;
    if (absl::ConsumePrefix(&line, "RssFile:")) target = &out.file;
    if (target == nullptr) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, " kB");
    int64_t kib = 0;
    if (absl::SimpleAtoi(line, &kib)) *target = kib * 1024;
  }
  return out;
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace bench
}  // namespace claimtrail
