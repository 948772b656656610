#include "tools/bench/closed_loop.h"

#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/proc_stats.h"

namespace claimtrail {
namespace bench {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<std::vector<int>> ParseLevels(
    const std::vector<std::string>& items) {
  std::vector<int> levels;
  for (const std::string& item : items) {
    int level = 0;
    if (!absl::SimpleAtoi(item, &level) || level < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--in_flight: \"", item, "\" is not a positive number"));
    }
    levels.push_back(level);
  }
  return levels;
}

ClosedLoop::ClosedLoop(int slots, Window window)
    : window_(window), records_(slots), running_slots_(slots) {}

void ClosedLoop::Start() {
  window_start_ns_ = NowNs() + absl::ToInt64Nanoseconds(window_.warmup);
  window_end_ns_ = window_start_ns_ + absl::ToInt64Nanoseconds(window_.measure);
  // Enough room that recording never reallocates in the hot path for
  // typical rates.
  for (SlotRecord& record : records_) record.latencies_ns.reserve(4096);
}

bool ClosedLoop::Complete(int slot, int64_t start_ns, bool ok,
                          absl::string_view error) {
  const int64_t now = NowNs();
  if (now >= window_start_ns_ && now < window_end_ns_) {
    SlotRecord& record = records_[slot];
    if (ok) {
      record.latencies_ns.push_back(now - start_ns);
    } else {
      ++record.errors;
    }
  }
  if (!ok) {
    absl::MutexLock lock(&mu_);
    if (first_error_.empty()) first_error_ = std::string(error);
  }
  return now < window_end_ns_;
}

void ClosedLoop::SlotStopped() {
  absl::MutexLock lock(&mu_);
  --running_slots_;
}

void ClosedLoop::Run(const std::function<void()>& at_window_start,
                     const std::function<void()>& at_window_end) {
  auto sleep_until = [](int64_t deadline_ns) {
    const int64_t left = deadline_ns - NowNs();
    if (left > 0) absl::SleepFor(absl::Nanoseconds(left));
  };
  sleep_until(window_start_ns_);
  at_window_start();
  sleep_until(window_end_ns_);
  at_window_end();
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* running) { return *running == 0; }, &running_slots_));
}

int64_t ClosedLoop::ops() const {
  int64_t total = 0;
  for (const SlotRecord& record : records_) total += record.latencies_ns.size();
  return total;
}

int64_t ClosedLoop::errors() const {
  int64_t total = 0;
  for (const SlotRecord& record : records_) total += record.errors;
  return total;
}

std::string ClosedLoop::first_error() const {
  absl::MutexLock lock(&mu_);
  return first_error_;
}

double ClosedLoop::window_seconds() const {
  return absl::ToDoubleSeconds(window_.measure);
}

std::vector<int64_t> ClosedLoop::TakeLatencies() {
  std::vector<int64_t> all;
  all.reserve(ops());
  for (SlotRecord& record : records_) {
    all.insert(all.end(), record.latencies_ns.begin(),
               record.latencies_ns.end());
    record.latencies_ns = {};
  }
  return all;
}

PointResult MeasurePoint(absl::string_view system, absl::string_view workload,
                         int in_flight, const Window& window, int server_pid,
                         const std::function<void(ClosedLoop&)>& start_slots) {
  ClosedLoop loop(in_flight, window);
  double server_cpu_start = -1, server_cpu_end = -1;
  double client_cpu_start = 0, client_cpu_end = 0;
  loop.Start();
  start_slots(loop);
  loop.Run(
      [&] {
        client_cpu_start = SelfCpuSeconds();
        if (server_pid > 0) {
          server_cpu_start = ProcessTreeCpuSeconds(server_pid).value_or(-1);
        }
      },
      [&] {
        client_cpu_end = SelfCpuSeconds();
        if (server_pid > 0) {
          server_cpu_end = ProcessTreeCpuSeconds(server_pid).value_or(-1);
        }
      });

  PointResult point;
  point.system = std::string(system);
  point.workload = std::string(workload);
  point.in_flight = in_flight;
  point.ops = loop.ops();
  point.errors = loop.errors();
  point.first_error = loop.first_error();
  point.seconds = loop.window_seconds();
  point.qps = static_cast<double>(point.ops) / point.seconds;
  std::vector<int64_t> latencies = loop.TakeLatencies();
  point.latency = Summarize(latencies);
  if (point.ops > 0) {
    const double kops = static_cast<double>(point.ops) / 1000.0;
    point.client_cpu_s_per_kop = (client_cpu_end - client_cpu_start) / kops;
    if (server_cpu_start >= 0 && server_cpu_end >= 0) {
      point.server_cpu_s_per_kop = (server_cpu_end - server_cpu_start) / kops;
    }
  }
  if (server_pid > 0) {
    absl::StatusOr<RssBytes> rss = ProcessRss(server_pid);
    if (rss.ok()) {
      point.server_rss_mb = static_cast<double>(rss->current) / (1 << 20);
      point.server_peak_rss_mb = static_cast<double>(rss->peak) / (1 << 20);
      point.server_rss_anon_mb = static_cast<double>(rss->anon) / (1 << 20);
      point.server_rss_file_mb = static_cast<double>(rss->file) / (1 << 20);
    }
  }
  return point;
}

}  // namespace bench
}  // namespace claimtrail
