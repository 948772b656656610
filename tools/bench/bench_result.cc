#include "tools/bench/bench_result.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace claimtrail {
namespace bench {
namespace {

// Nearest-rank percentile of sorted values: the smallest value with at
// least q of the samples at or below it.
double Percentile(const std::vector<int64_t>& sorted, double q) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return static_cast<double>(sorted[rank - 1]);
}

double Round(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

std::string OptionalCell(const std::optional<double>& value, int precision) {
  if (!value.has_value()) return "-";
  return absl::StrFormat("%.*f", precision, *value);
}

}  // namespace

LatencySummary Summarize(std::vector<int64_t>& latencies_ns) {
  LatencySummary out;
  if (latencies_ns.empty()) return out;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  double sum = 0;
  for (int64_t v : latencies_ns) sum += static_cast<double>(v);
  out.p50_us = Percentile(latencies_ns, 0.50) / 1e3;
  out.p99_us = Percentile(latencies_ns, 0.99) / 1e3;
  out.p999_us = Percentile(latencies_ns, 0.999) / 1e3;
  out.mean_us = sum / static_cast<double>(latencies_ns.size()) / 1e3;
  out.max_us = static_cast<double>(latencies_ns.back()) / 1e3;
  return out;
}

nlohmann::ordered_json ToJson(const PointResult& point) {
  nlohmann::ordered_json j;
  j["system"] = point.system;
  j["workload"] = point.workload;
  j["in_flight"] = point.in_flight;
  j["ops"] = point.ops;
  j["errors"] = point.errors;
  if (!point.first_error.empty()) j["first_error"] = point.first_error;
  j["seconds"] = Round(point.seconds, 4);
  j["qps"] = Round(point.qps, 1);
  nlohmann::ordered_json latency;
  latency["p50"] = Round(point.latency.p50_us, 1);
  latency["p99"] = Round(point.latency.p99_us, 1);
  latency["p999"] = Round(point.latency.p999_us, 1);
  latency["mean"] = Round(point.latency.mean_us, 1);
  latency["max"] = Round(point.latency.max_us, 1);
  j["latency_us"] = latency;
  if (point.server_cpu_s_per_kop.has_value()) {
    j["server_cpu_s_per_kop"] = Round(*point.server_cpu_s_per_kop, 4);
  }
  if (point.client_cpu_s_per_kop.has_value()) {
    j["client_cpu_s_per_kop"] = Round(*point.client_cpu_s_per_kop, 4);
  }
  if (point.server_rss_mb.has_value()) {
    j["server_rss_mb"] = Round(*point.server_rss_mb, 1);
  }
  if (point.server_peak_rss_mb.has_value()) {
    j["server_peak_rss_mb"] = Round(*point.server_peak_rss_mb, 1);
  }
  if (point.server_rss_anon_mb.has_value()) {
    j["server_rss_anon_mb"] = Round(*point.server_rss_anon_mb, 1);
  }
  if (point.server_rss_file_mb.has_value()) {
    j["server_rss_file_mb"] = Round(*point.server_rss_file_mb, 1);
  }
  return j;
}

nlohmann::ordered_json ResultDocument(absl::string_view system,
                                      const std::vector<PointResult>& points,
                                      absl::string_view skipped,
                                      const nlohmann::ordered_json& meta) {
  nlohmann::ordered_json doc;
  doc["system"] = std::string(system);
  if (!skipped.empty()) doc["skipped"] = std::string(skipped);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PointResult& point : points) list.push_back(ToJson(point));
  doc["points"] = list;
  doc["meta"] = meta;
  return doc;
}

absl::Status WriteJson(const std::string& path,
                       const nlohmann::ordered_json& doc) {
  // `replace`: an error message with invalid UTF-8 must not abort the run.
  const std::string text =
      doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
      "\n";
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return absl::OkStatus();
  }
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const bool closed = std::fclose(file) == 0;
  if (!ok || !closed) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

std::string TableHeader() {
  return absl::StrFormat("%-16s %-19s %5s %10s %9s %9s %9s %11s %7s",
                         "system", "workload", "infl", "qps", "p50 ms",
                         "p99 ms", "p99.9 ms", "srvCPU s/k", "errors");
}

std::string FormatRow(const PointResult& point) {
  return absl::StrFormat(
      "%-16s %-19s %5d %10.0f %9.3f %9.3f %9.3f %11s %7d", point.system,
      point.workload, point.in_flight, point.qps, point.latency.p50_us / 1e3,
      point.latency.p99_us / 1e3, point.latency.p999_us / 1e3,
      OptionalCell(point.server_cpu_s_per_kop, 3), point.errors);
}

std::string FormatTable(const std::vector<PointResult>& points) {
  std::string out = TableHeader() + "\n";
  for (const PointResult& point : points) {
    absl::StrAppend(&out, FormatRow(point), "\n");
  }
  return out;
}

int FinishRun(absl::string_view tool, absl::string_view system,
              const std::vector<PointResult>& points,
              const nlohmann::ordered_json& meta, const std::string& json_out) {
  std::printf("%s", FormatTable(points).c_str());
  if (json_out.empty()) return 0;
  absl::Status written =
      WriteJson(json_out, ResultDocument(system, points, "", meta));
  if (!written.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(tool).c_str(),
                 written.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace bench
}  // namespace claimtrail
