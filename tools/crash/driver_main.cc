// claimtrail_crash_driver: concurrent writers against a running claimtraild,
// logging every acknowledged write (after the acknowledgement) to --ack_log.
//
//   claimtrail_crash_driver --server=127.0.0.1:PORT --ack_log=FILE
//       --run_id=r1 [--writers=64] [--duration=30s] [--token_file=F]
//       [--rate=0] [--read_fraction=0] [--keep_going] [--stats_file=F]
//
// Crash mode (default): a writer stops at its first UNAVAILABLE or
// DEADLINE_EXCEEDED (the server was killed); the driver exits when all have
// stopped or --duration passes. Soak mode (--keep_going): writers go on
// through errors, counting them, until --duration passes; --rate caps the
// total operations per second and --stats_file is rewritten every second
// with "elapsed_s,ok,errors" for the soak script to sample.
//
// Exit code 0 unless a call failed with a code other than UNAVAILABLE /
// DEADLINE_EXCEEDED / CANCELLED (in crash mode) or the ack log could not be
// written; such failures are printed, one line per code, with an example.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/claimtrail_client.h"
#include "tools/crash/ack_log.h"
#include "tools/crash/workload.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "claimtraild address.");
ABSL_FLAG(std::string, token_file, "",
          "File holding a bearer token (e.g. DATA_DIR/admin.token); used "
          "when it exists.");
ABSL_FLAG(std::string, ack_log, "", "Where acknowledged writes go. Required.");
ABSL_FLAG(std::string, run_id, "r0",
          "Unique per run on one data directory; [a-z0-9], short.");
ABSL_FLAG(int, writers, 64, "Concurrent writers.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(30), "Longest run time.");
ABSL_FLAG(double, rate, 0, "Total operations per second; 0: unthrottled.");
ABSL_FLAG(double, read_fraction, 0, "Share of operations that are reads.");
ABSL_FLAG(bool, keep_going, false, "Soak mode: continue through errors.");
ABSL_FLAG(std::string, stats_file, "", "Soak mode: counters, every second.");

namespace claimtrail {
namespace crash {
namespace {

bool IsServerGone(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable ||
         code == absl::StatusCode::kDeadlineExceeded ||
         code == absl::StatusCode::kCancelled;
}

class Counters {
 public:
  void Ok() { ok_.fetch_add(1, std::memory_order_relaxed); }
  void Error(const absl::Status& status, bool unexpected) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mu_);
    auto& [count, example] = by_code_[status.code()];
    if (count++ == 0) example = std::string(status.message());
    if (unexpected) ++unexpected_;
  }
  int64_t ok() const { return ok_.load(std::memory_order_relaxed); }
  int64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  int64_t unexpected() const {
    std::lock_guard<std::mutex> lock(mu_);
    return unexpected_;
  }
  std::string Summary() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& [code, entry] : by_code_) {
      absl::StrAppend(&out, "  ", absl::StatusCodeToString(code), ": ",
                      entry.first, " (e.g. ", entry.second, ")\n");
    }
    return out;
  }

 private:
  std::atomic<int64_t> ok_{0};
  std::atomic<int64_t> errors_{0};
  mutable std::mutex mu_;
  std::map<absl::StatusCode, std::pair<int64_t, std::string>> by_code_;
  int64_t unexpected_ = 0;
};

std::string ReadToken(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(buffer.str()));
}

void WriteStats(const std::string& path, absl::Duration elapsed,
                const Counters& counters) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << absl::ToInt64Seconds(elapsed) << "," << counters.ok() << ","
        << counters.errors() << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

int Main() {
  const std::string ack_path = absl::GetFlag(FLAGS_ack_log);
  if (ack_path.empty()) {
    std::fprintf(stderr, "crash_driver: --ack_log is required\n");
    return 2;
  }
  auto acks = AckLogWriter::Open(ack_path);
  if (!acks.ok()) {
    std::fprintf(stderr, "crash_driver: %s\n", acks.status().ToString().c_str());
    return 2;
  }
  const bool keep_going = absl::GetFlag(FLAGS_keep_going);
  client::ClientOptions options;
  options.server_address = absl::GetFlag(FLAGS_server);
  options.token = ReadToken(absl::GetFlag(FLAGS_token_file));
  // Crash mode: no retries, so writers notice the kill at once. (A retry
  // would reuse the request id and be just as safe, only slower.)
  options.max_retries = keep_going ? 3 : 0;
  options.default_deadline = absl::Seconds(10);
  auto client = client::ClaimTrailClient::Connect(options);
  if (!client.ok()) {
    std::fprintf(stderr, "crash_driver: %s\n",
                 client.status().ToString().c_str());
    return 2;
  }

  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::GetFlag(FLAGS_duration);
  if (absl::Status setup = EnsureSharedSources(**client, **acks);
      !setup.ok()) {
    std::fprintf(stderr, "crash_driver: setup: %s\n",
                 setup.ToString().c_str());
    return IsServerGone(setup.code()) ? 0 : 1;
  }

  const int writers = absl::GetFlag(FLAGS_writers);
  const double rate = absl::GetFlag(FLAGS_rate);
  const absl::Duration interval =
      rate > 0 ? absl::Seconds(writers / rate) : absl::ZeroDuration();
  Counters counters;
  std::atomic<int> running{writers};
  std::vector<std::thread> threads;
  for (int i = 0; i < writers; ++i) {
    threads.emplace_back([&, i] {
      Writer writer(**client, **acks, absl::GetFlag(FLAGS_run_id), i,
                    absl::GetFlag(FLAGS_read_fraction));
      // Stagger the throttled writers over one interval.
      absl::Time next = absl::Now() + interval * i / writers;
      while (absl::Now() < end) {
        if (interval > absl::ZeroDuration()) {
          absl::SleepFor(next - absl::Now());
          next = std::max(next + interval, absl::Now() - interval);
        }
        absl::Status status = writer.Step();
        if (status.ok()) {
          counters.Ok();
          continue;
        }
        const bool gone = IsServerGone(status.code());
        counters.Error(status, keep_going ? false : !gone);
        if (!keep_going && gone) break;
      }
      running.fetch_sub(1);
    });
  }
  const std::string stats_path = absl::GetFlag(FLAGS_stats_file);
  absl::Time last_stats = absl::InfinitePast();
  while (running.load() > 0) {
    absl::SleepFor(absl::Milliseconds(200));
    if (!stats_path.empty() && absl::Now() - last_stats >= absl::Seconds(1)) {
      last_stats = absl::Now();
      WriteStats(stats_path, absl::Now() - start, counters);
    }
  }
  for (std::thread& thread : threads) thread.join();
  if (!stats_path.empty()) WriteStats(stats_path, absl::Now() - start, counters);

  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf(
      "crash_driver: %lld ok, %lld errors in %.1f s (%.0f ops/s), %d "
      "writers\n%s",
      static_cast<long long>(counters.ok()),
      static_cast<long long>(counters.errors()), seconds,
      counters.ok() / std::max(seconds, 1e-3), writers,
      counters.Summary().c_str());
  if ((*acks)->failures() > 0) {
    std::fprintf(stderr, "crash_driver: %lld ack log writes failed\n",
                 static_cast<long long>((*acks)->failures()));
    return 1;
  }
  return counters.unexpected() > 0 ? 1 : 0;
}

}  // namespace
}  // namespace crash
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return claimtrail::crash::Main();
}
