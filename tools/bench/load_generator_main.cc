// load_generator: closed-loop load on a running claimtraild, and the
// empty-call baseline (gRPC health Check) on the same server.
//
//   load_generator --server=127.0.0.1:PORT [--server_pid=PID] [--prepare]
//       [--workloads=health,append,get,...] [--in_flight=1,4,16,64,256]
//       [--warmup=1s] [--window=3s] [--json_out=FILE] [--token=T]
//
// For every workload and every in-flight level: a warm-up, then a measured
// window; prints one table row per point as it goes (stderr), the whole
// table at the end (stdout), and the JSON document to --json_out.
// Workloads are described in claimtrail_workloads.h, the dataset in
// dataset_layout.h. Exit code 0 when every point ran (errors inside a point
// are reported in it, not fatal); 1 on a setup failure.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/claimtrail_prepare.h"
#include "tools/bench/claimtrail_workloads.h"
#include "tools/bench/grpc_load.h"

ABSL_FLAG(std::string, server, "", "claimtraild address, host:port. Required.");
ABSL_FLAG(int, server_pid, 0,
          "PID of claimtraild: when set, its CPU per 1,000 ops and its RSS "
          "are measured from /proc.");
ABSL_FLAG(std::string, token, "",
          "Bearer token sent as \"authorization: Bearer <token>\" on every "
          "call. Default: $CLAIMTRAIL_TOKEN.");
ABSL_FLAG(std::vector<std::string>, workloads, {},
          "Workloads to run, in order. Default: all (see "
          "claimtrail_workloads.h).");
ABSL_FLAG(std::vector<std::string>, in_flight,
          std::vector<std::string>({"1", "4", "16", "64", "256"}),
          "Concurrency levels (calls in flight) to sweep.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "Warm-up before each measured window.");
ABSL_FLAG(absl::Duration, window, absl::Seconds(3), "Measured window.");
ABSL_FLAG(int, channels, 4, "gRPC channels (TCP connections).");
ABSL_FLAG(int, threads, 2, "Completion-queue polling threads.");
ABSL_FLAG(bool, prepare, true,
          "Create the dataset first (idempotent). Off for a data directory "
          "made by gen_dataset with the same layout flags.");
ABSL_FLAG(bool, prepare_only, false,
          "Prepare the dataset (and read the as-of times) and exit.");
ABSL_FLAG(int, prepare_parallelism, 32, "Claims built at once by --prepare.");
ABSL_FLAG(int, sources, 20, "Layout: attribution sources.");
ABSL_FLAG(int, claims, 2000, "Layout: plain claims (get, search).");
ABSL_FLAG(int, events_per_claim, 1, "Layout: events per plain claim.");
ABSL_FLAG(int, timeline10_claims, 100, "Layout: claims with 10 events.");
ABSL_FLAG(int, timeline100_claims, 20, "Layout: claims with 100 events.");
ABSL_FLAG(int, append_claims, 1000, "Layout: claims appended to.");
ABSL_FLAG(int, payload_bytes, 1024,
          "Free text per event (append statements, prepared follow-ups).");
ABSL_FLAG(std::string, system_label, "claimtrail",
          "The `system` field of the results.");
ABSL_FLAG(std::string, json_out, "", "Write the JSON results here.");

namespace claimtrail {
namespace bench {
namespace {

int Main() {
  const std::string server = absl::GetFlag(FLAGS_server);
  if (server.empty()) {
    std::fprintf(stderr, "load_generator: --server is required\n");
    return 1;
  }
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) {
    if (const char* env = std::getenv("CLAIMTRAIL_TOKEN")) token = env;
  }
  absl::StatusOr<std::vector<int>> levels =
      ParseLevels(absl::GetFlag(FLAGS_in_flight));
  if (!levels.ok()) {
    std::fprintf(stderr, "load_generator: %s\n",
                 levels.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> workloads = absl::GetFlag(FLAGS_workloads);
  if (workloads.empty()) workloads = ClaimTrailWorkloadNames();

  WorkloadData data;
  data.layout.sources = absl::GetFlag(FLAGS_sources);
  data.layout.claims = absl::GetFlag(FLAGS_claims);
  data.layout.events_per_claim = absl::GetFlag(FLAGS_events_per_claim);
  data.layout.timeline10_claims = absl::GetFlag(FLAGS_timeline10_claims);
  data.layout.timeline100_claims = absl::GetFlag(FLAGS_timeline100_claims);
  data.layout.append_claims = absl::GetFlag(FLAGS_append_claims);
  data.layout.payload_bytes = absl::GetFlag(FLAGS_payload_bytes);

  GrpcLoadOptions options;
  options.target = server;
  options.channels = absl::GetFlag(FLAGS_channels);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.token = token;
  absl::StatusOr<std::unique_ptr<GrpcLoadRunner>> runner =
      GrpcLoadRunner::Connect(options);
  if (!runner.ok()) {
    std::fprintf(stderr, "load_generator: %s\n",
                 runner.status().ToString().c_str());
    return 1;
  }
  const auto& channel = (*runner)->channels().front();
  const CallSetup& setup = (*runner)->call_setup();

  bool needs_data = absl::GetFlag(FLAGS_prepare_only);
  bool needs_as_of = absl::GetFlag(FLAGS_prepare_only);
  for (const std::string& name : workloads) {
    needs_data |= name != "health";
    needs_as_of |= NeedsAsOfTimes(name);
  }
  if (needs_data && absl::GetFlag(FLAGS_prepare)) {
    absl::Status prepared = PrepareDataset(
        channel, setup, data.layout, absl::GetFlag(FLAGS_prepare_parallelism));
    if (!prepared.ok()) {
      std::fprintf(stderr, "load_generator: prepare: %s\n",
                   prepared.ToString().c_str());
      return 1;
    }
  }
  if (needs_as_of) {
    absl::StatusOr<std::vector<google::protobuf::Timestamp>> times =
        ReadAsOfTimes(channel, setup, data.layout);
    if (!times.ok()) {
      std::fprintf(stderr, "load_generator: %s\n",
                   times.status().ToString().c_str());
      return 1;
    }
    data.timeline10_as_of = *std::move(times);
  }

  if (absl::GetFlag(FLAGS_prepare_only)) return 0;

  Window window;
  window.warmup = absl::GetFlag(FLAGS_warmup);
  window.measure = absl::GetFlag(FLAGS_window);
  const std::string system = absl::GetFlag(FLAGS_system_label);
  const int server_pid = absl::GetFlag(FLAGS_server_pid);
  std::vector<PointResult> points;
  std::fprintf(stderr, "%s\n", TableHeader().c_str());
  for (const std::string& name : workloads) {
    absl::StatusOr<std::unique_ptr<GrpcWorkload>> workload =
        MakeClaimTrailWorkload(name, (*runner)->channels(), data);
    if (!workload.ok()) {
      std::fprintf(stderr, "load_generator: %s\n",
                   workload.status().ToString().c_str());
      return 1;
    }
    for (int level : *levels) {
      PointResult point =
          (*runner)->Run(system, name, **workload, level, window, server_pid);
      std::fprintf(stderr, "%s\n", FormatRow(point).c_str());
      if (point.errors > 0) {
        std::fprintf(stderr, "  first error: %s\n", point.first_error.c_str());
      }
      points.push_back(std::move(point));
    }
  }

  nlohmann::ordered_json meta;
  meta["server"] = server;
  meta["warmup_s"] = absl::ToDoubleSeconds(window.warmup);
  meta["window_s"] = absl::ToDoubleSeconds(window.measure);
  meta["channels"] = options.channels;
  meta["threads"] = options.threads;
  meta["claims"] = data.layout.claims;
  meta["events_per_claim"] = data.layout.events_per_claim;
  meta["total_events_prepared"] = TotalEvents(data.layout);
  meta["payload_bytes"] = data.layout.payload_bytes;
  return FinishRun("load_generator", system, points, meta,
                   absl::GetFlag(FLAGS_json_out));
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Closed-loop load on claimtraild; see tools/bench/load_generator_main.cc "
      "and docs/BENCHMARKS.md.");
  absl::ParseCommandLine(argc, argv);
  // As in claimtraild's main: the client's gRPC mutexes skip Abseil's
  // deadlock detector, which Debian's Abseil leaves on (it would take CPU
  // from the server on a 2-core machine).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return claimtrail::bench::Main();
}
