// The harness's own logic: percentiles, concurrency-level parsing, /proc
// readings and the closed loop's window accounting.
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/proc_stats.h"

namespace claimtrail {
namespace bench {
namespace {

using ::testing::HasSubstr;

TEST(SummarizeTest, NearestRankPercentilesInMicroseconds) {
  std::vector<int64_t> ns;
  for (int i = 1000; i >= 1; --i) ns.push_back(i * 1000);  // 1..1000 us.
  const LatencySummary s = Summarize(ns);
  EXPECT_DOUBLE_EQ(s.p50_us, 500);
  EXPECT_DOUBLE_EQ(s.p99_us, 990);
  EXPECT_DOUBLE_EQ(s.p999_us, 999);
  EXPECT_DOUBLE_EQ(s.max_us, 1000);
  EXPECT_DOUBLE_EQ(s.mean_us, 500.5);
}

TEST(SummarizeTest, EmptyIsAllZero) {
  std::vector<int64_t> none;
  const LatencySummary s = Summarize(none);
  EXPECT_EQ(s.p50_us, 0);
  EXPECT_EQ(s.p999_us, 0);
}

TEST(SummarizeTest, OneSampleIsEveryPercentile) {
  std::vector<int64_t> one = {42000};
  const LatencySummary s = Summarize(one);
  EXPECT_DOUBLE_EQ(s.p50_us, 42);
  EXPECT_DOUBLE_EQ(s.p999_us, 42);
}

TEST(ParseLevelsTest, AcceptsPositiveIntegersInOrder) {
  absl::StatusOr<std::vector<int>> levels = ParseLevels({"1", "64", "4"});
  ASSERT_TRUE(levels.ok()) << levels.status();
  EXPECT_EQ(*levels, std::vector<int>({1, 64, 4}));
}

TEST(ParseLevelsTest, RejectsZeroAndWords) {
  EXPECT_THAT(ParseLevels({"0"}).status().message(), HasSubstr("\"0\""));
  EXPECT_EQ(ParseLevels({"four"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ResultJsonTest, CarriesNumbersAndOptionalFields) {
  PointResult point;
  point.system = "claimtrail";
  point.workload = "get";
  point.in_flight = 4;
  point.ops = 3000;
  point.seconds = 3;
  point.qps = 1000;
  point.latency.p50_us = 123.44;
  point.server_cpu_s_per_kop = 0.05;
  const nlohmann::ordered_json j = ToJson(point);
  EXPECT_EQ(j["qps"], 1000.0);
  EXPECT_EQ(j["latency_us"]["p50"], 123.4);
  EXPECT_EQ(j["server_cpu_s_per_kop"], 0.05);
  EXPECT_FALSE(j.contains("server_rss_mb"));
  EXPECT_FALSE(j.contains("first_error"));
  EXPECT_THAT(FormatRow(point), HasSubstr("claimtrail"));
}

TEST(ProcStatsTest, OwnCpuGrowsWhileBusy) {
  const absl::StatusOr<double> before = ProcessTreeCpuSeconds(getpid());
  ASSERT_TRUE(before.ok()) << before.status();
  // Spin until this process has used 300 ms of CPU by the kernel's own
  // per-process clock (not wall time: on a loaded machine 300 ms of wall
  // time may hold far less CPU time).
  const auto cpu_now = [] {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
  };
  const double cpu_end = cpu_now() + 0.3;
  volatile uint64_t sink = 0;
  while (cpu_now() < cpu_end) sink = sink + 1;
  const absl::StatusOr<double> after = ProcessTreeCpuSeconds(getpid());
  ASSERT_TRUE(after.ok());
  // Clock ticks are 10 ms; 300 ms of CPU shows as well over 0.1 s.
  EXPECT_GT(*after - *before, 0.1);
  EXPECT_GT(SelfCpuSeconds(), 0.1);
}

TEST(ProcStatsTest, RssOfSelfAndMissingProcess) {
  const absl::StatusOr<RssBytes> rss = ProcessRss(getpid());
  ASSERT_TRUE(rss.ok()) << rss.status();
  EXPECT_GT(rss->current, 0);
  EXPECT_GE(rss->peak, rss->current);
  EXPECT_GT(rss->anon, 0);
  EXPECT_LE(rss->anon + rss->file, rss->current + (1 << 20));  // kB rounding.
  // PIDs are below pid_max (at most 2^22); this one cannot exist.
  EXPECT_EQ(ProcessRss(1 << 30).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ProcessTreeCpuSeconds(1 << 30).status().code(),
            absl::StatusCode::kNotFound);
}

// A driver whose operations each take ~1 ms on their own thread per slot.
TEST(ClosedLoopTest, CountsOnlyCompletionsInsideTheWindow) {
  Window window;
  window.warmup = absl::Milliseconds(100);
  window.measure = absl::Milliseconds(300);
  std::vector<std::thread> threads;
  std::atomic<int> issued{0};
  const PointResult point = MeasurePoint(
      "test", "sleep", 2, window, /*server_pid=*/getpid(),
      [&](ClosedLoop& loop) {
        for (int slot = 0; slot < 2; ++slot) {
          threads.emplace_back([&loop, &issued, slot] {
            bool more = true;
            while (more) {
              const int64_t start = NowNs();
              ++issued;
              absl::SleepFor(absl::Milliseconds(1));
              more = loop.Complete(slot, start, /*ok=*/true, "");
            }
            loop.SlotStopped();
          });
        }
      });
  for (std::thread& thread : threads) thread.join();
  // 2 slots x ~1 ms ops over 300 ms: a few hundred counted on an idle
  // machine (a loaded one stretches the sleeps, hence the low bar), and
  // fewer than were issued (the warm-up's are not counted).
  EXPECT_GT(point.ops, 20);
  EXPECT_LT(point.ops, issued.load());
  EXPECT_EQ(point.errors, 0);
  EXPECT_DOUBLE_EQ(point.seconds, 0.3);
  EXPECT_NEAR(point.qps, point.ops / 0.3, 1e-6);
  EXPECT_GE(point.latency.p50_us, 1000);
  EXPECT_TRUE(point.server_cpu_s_per_kop.has_value());
  EXPECT_TRUE(point.server_rss_mb.has_value());
}

TEST(ClosedLoopTest, ErrorsAreCountedWithTheFirstMessage) {
  Window window;
  window.warmup = absl::ZeroDuration();
  window.measure = absl::Milliseconds(50);
  std::thread worker;
  int calls = 0;
  const PointResult point = MeasurePoint(
      "test", "fail", 1, window, /*server_pid=*/0, [&](ClosedLoop& loop) {
        worker = std::thread([&loop, &calls] {
          bool more = true;
          while (more) {
            absl::SleepFor(absl::Milliseconds(1));
            more = loop.Complete(0, NowNs(), /*ok=*/false,
                                 calls++ == 0 ? "first" : "later");
          }
          loop.SlotStopped();
        });
      });
  worker.join();
  EXPECT_EQ(point.ops, 0);
  EXPECT_GT(point.errors, 0);
  EXPECT_EQ(point.first_error, "first");
  EXPECT_EQ(point.qps, 0);
  EXPECT_FALSE(point.server_cpu_s_per_kop.has_value());
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail
