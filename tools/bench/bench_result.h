// Results of benchmark points: latency summaries, JSON and a readable table.
//
// Every driver (claimtrail, etcd, PostgreSQL, the disk probe) emits the same
// JSON document, so tools/bench/report.py can put them side by side:
//   {"system": "...", "skipped": "<reason>"?, "points": [PointResult...],
//    "meta": {...}}
#ifndef CLAIMTRAIL_TOOLS_BENCH_BENCH_RESULT_H_
#define CLAIMTRAIL_TOOLS_BENCH_BENCH_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace claimtrail {
namespace bench {

struct LatencySummary {
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double mean_us = 0;
  double max_us = 0;
};

// Percentiles (nearest rank) of `latencies_ns`, which it sorts. All zero
// when empty.
LatencySummary Summarize(std::vector<int64_t>& latencies_ns);

// One measured point: a workload at one concurrency on one system.
struct PointResult {
  std::string system;    // "claimtrail", "etcd", "postgresql", "disk".
  std::string workload;  // "append", "get", "health", ...
  int in_flight = 0;
  // Successful operations completed inside the measured window, and failed
  // ones (first_error says why).
  int64_t ops = 0;
  int64_t errors = 0;
  std::string first_error;
  double seconds = 0;  // Length of the measured window.
  double qps = 0;      // ops / seconds.
  LatencySummary latency;
  // CPU seconds (user + system) per 1,000 successful ops, of the server
  // process tree and of this client process, over the window. Unset when
  // not measured.
  std::optional<double> server_cpu_s_per_kop;
  std::optional<double> client_cpu_s_per_kop;
  // Server resident set size at the end of the window, and its peak; and
  // the end one's anonymous (heap) and file-backed (mapped files) parts.
  std::optional<double> server_rss_mb;
  std::optional<double> server_peak_rss_mb;
  std::optional<double> server_rss_anon_mb;
  std::optional<double> server_rss_file_mb;
};

nlohmann::ordered_json ToJson(const PointResult& point);

// The document of one driver run. `skipped` non-empty: the system could not
// be measured, and says why.
nlohmann::ordered_json ResultDocument(absl::string_view system,
                                      const std::vector<PointResult>& points,
                                      absl::string_view skipped,
                                      const nlohmann::ordered_json& meta);

// Writes `doc` (pretty-printed) to `path`; "-" means stdout.
absl::Status WriteJson(const std::string& path,
                       const nlohmann::ordered_json& doc);

// A fixed-width table, one line per point, with a header.
std::string FormatTable(const std::vector<PointResult>& points);
// One line of that table (for progress output).
std::string FormatRow(const PointResult& point);
std::string TableHeader();

// The end of every driver run: prints the table to stdout and, when
// `json_out` is non-empty, writes ResultDocument(system, points, "", meta)
// there. Returns the process exit code: 0, or 1 (after a message on stderr
// prefixed with `tool`) when the JSON cannot be written.
int FinishRun(absl::string_view tool, absl::string_view system,
              const std::vector<PointResult>& points,
              const nlohmann::ordered_json& meta, const std::string& json_out);

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_BENCH_RESULT_H_
