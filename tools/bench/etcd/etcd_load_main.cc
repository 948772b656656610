// etcd_load: the same closed-loop load as load_generator, on etcd's KV API.
//
//   etcd_load --server=127.0.0.1:PORT [--server_pid=PID]
//       [--workloads=put,get,range_at_revision] [--in_flight=1,4,16,64,256]
//
//   put                KV.Put of a ~1 KiB value to one of --keys keys; etcd
//                      acknowledges after its WAL is fsync'd (default
//                      durability), like claimtrail's append.
//   get                KV.Range of one key, latest revision.
//   range_at_revision  KV.Range of one key at an earlier revision (the
//                      as-of read): prepared keys are written twice and read
//                      as of the revision between the two rounds.
//
// Results use the document format of bench_result.h (system "etcd").
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/dataset_layout.h"
#include "tools/bench/grpc_load.h"

ABSL_FLAG(std::string, server, "", "etcd client address, host:port. Required.");
ABSL_FLAG(int, server_pid, 0, "PID of etcd, for CPU and RSS.");
ABSL_FLAG(std::vector<std::string>, workloads,
          std::vector<std::string>({"put", "get", "range_at_revision"}),
          "Workloads to run, in order.");
ABSL_FLAG(std::vector<std::string>, in_flight,
          std::vector<std::string>({"1", "4", "16", "64", "256"}),
          "Concurrency levels to sweep.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Warm-up per point.");
ABSL_FLAG(absl::Duration, window, absl::Seconds(3), "Measured window.");
ABSL_FLAG(int, channels, 4, "gRPC channels (TCP connections).");
ABSL_FLAG(int, threads, 2, "Completion-queue polling threads.");
ABSL_FLAG(int, keys, 1000, "Keys written by put and read by the reads.");
ABSL_FLAG(int, payload_bytes, 1024, "Value size.");
ABSL_FLAG(bool, prepare, true,
          "Write the read keys first. Off: they exist from an earlier run "
          "with the same --keys.");
ABSL_FLAG(bool, prepare_only, false, "Write the read keys and exit.");
ABSL_FLAG(std::string, json_out, "", "Write the JSON results here.");

namespace claimtrail {
namespace bench {
namespace {

using etcdserverpb::KV;

std::string ReadKey(int index) { return absl::StrFormat("bench/r/%06d", index); }
std::string WriteKey(int index) { return absl::StrFormat("bench/w/%06d", index); }

class EtcdWorkload : public GrpcWorkload {
 public:
  explicit EtcdWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
    for (const auto& channel : channels) stubs_.push_back(KV::NewStub(channel));
  }

 protected:
  KV::Stub* stub(int channel) { return stubs_[channel].get(); }

 private:
  std::vector<std::unique_ptr<KV::Stub>> stubs_;
};

class PutWorkload : public EtcdWorkload {
 public:
  PutWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
              int keys, int payload_bytes)
      : EtcdWorkload(channels), keys_(keys), payload_bytes_(payload_bytes) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    etcdserverpb::PutRequest req;
    req.set_key(WriteKey(rng.Below(keys_)));
    req.set_value(PayloadText(rng.Next(), payload_bytes_));
    StartUnary<UnaryCall<etcdserverpb::PutResponse>>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub(channel)->PrepareAsyncPut(context, req, cq);
        },
        out);
  }

 private:
  const int keys_;
  const int payload_bytes_;
};

// A read must find its key: an empty range means the data is not there.
class RangeCall : public UnaryCall<etcdserverpb::RangeResponse> {
 public:
  absl::Status Outcome() const override {
    absl::Status rpc = GrpcCall::Outcome();
    if (!rpc.ok()) return rpc;
    if (response.kvs_size() != 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("range: expected 1 key, got ", response.kvs_size()));
    }
    return absl::OkStatus();
  }
};

class RangeWorkload : public EtcdWorkload {
 public:
  // `revision` 0: latest.
  RangeWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                int keys, int64_t revision)
      : EtcdWorkload(channels), keys_(keys), revision_(revision) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    etcdserverpb::RangeRequest req;
    req.set_key(ReadKey(rng.Below(keys_)));
    req.set_revision(revision_);
    StartUnary<RangeCall>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub(channel)->PrepareAsyncRange(context, req, cq);
        },
        out);
  }

 private:
  const int keys_;
  const int64_t revision_;
};

// The revision between the two rounds of a prepared store: the creation
// revision of the last key of the first round.
absl::StatusOr<int64_t> FindMiddleRevision(
    const std::shared_ptr<grpc::Channel>& channel, const CallSetup& setup,
    int keys) {
  std::unique_ptr<KV::Stub> stub = KV::NewStub(channel);
  etcdserverpb::RangeRequest req;
  req.set_key(ReadKey(keys - 1));
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  setup.Apply(&context);
  grpc::Status status = stub->Range(&context, req, &response);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("Range ", req.key(), ": ", status.error_message()));
  }
  if (response.kvs_size() != 1 || response.kvs(0).version() < 2) {
    return absl::FailedPreconditionError(
        absl::StrCat(req.key(), " was not written twice: run with --prepare"));
  }
  return response.kvs(0).create_revision();
}

// Writes every read key twice; returns the revision between the rounds.
absl::StatusOr<int64_t> Prepare(const std::shared_ptr<grpc::Channel>& channel,
                                const CallSetup& setup, int keys,
                                int payload_bytes) {
  std::unique_ptr<KV::Stub> stub = KV::NewStub(channel);
  int64_t middle = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < keys; ++i) {
      etcdserverpb::PutRequest req;
      req.set_key(ReadKey(i));
      req.set_value(PayloadText(i * 2 + round, payload_bytes));
      etcdserverpb::PutResponse response;
      grpc::ClientContext context;
      setup.Apply(&context);
      grpc::Status status = stub->Put(&context, req, &response);
      if (!status.ok()) {
        return absl::UnavailableError(
            absl::StrCat("prepare: Put ", req.key(), ": ", status.error_message()));
      }
      middle = round == 0 ? response.header().revision() : middle;
    }
  }
  return middle;
}

int Main() {
  const std::string server = absl::GetFlag(FLAGS_server);
  if (server.empty()) {
    std::fprintf(stderr, "etcd_load: --server is required\n");
    return 1;
  }
  absl::StatusOr<std::vector<int>> levels =
      ParseLevels(absl::GetFlag(FLAGS_in_flight));
  if (!levels.ok()) {
    std::fprintf(stderr, "etcd_load: %s\n", levels.status().ToString().c_str());
    return 1;
  }
  GrpcLoadOptions options;
  options.target = server;
  options.channels = absl::GetFlag(FLAGS_channels);
  options.threads = absl::GetFlag(FLAGS_threads);
  absl::StatusOr<std::unique_ptr<GrpcLoadRunner>> runner =
      GrpcLoadRunner::Connect(options);
  if (!runner.ok()) {
    std::fprintf(stderr, "etcd_load: %s\n", runner.status().ToString().c_str());
    return 1;
  }
  const int keys = absl::GetFlag(FLAGS_keys);
  const int payload_bytes = absl::GetFlag(FLAGS_payload_bytes);
  const int64_t start = NowNs();
  const bool prepare =
      absl::GetFlag(FLAGS_prepare) || absl::GetFlag(FLAGS_prepare_only);
  absl::StatusOr<int64_t> middle =
      prepare ? Prepare((*runner)->channels().front(), (*runner)->call_setup(),
                        keys, payload_bytes)
              : FindMiddleRevision((*runner)->channels().front(),
                                   (*runner)->call_setup(), keys);
  if (!middle.ok()) {
    std::fprintf(stderr, "etcd_load: %s\n", middle.status().ToString().c_str());
    return 1;
  }
  if (prepare) {
    std::fprintf(stderr, "etcd_load: prepared %d keys x 2 in %.1f s\n", keys,
                 (NowNs() - start) / 1e9);
  }
  if (absl::GetFlag(FLAGS_prepare_only)) return 0;

  Window window;
  window.warmup = absl::GetFlag(FLAGS_warmup);
  window.measure = absl::GetFlag(FLAGS_window);
  const int server_pid = absl::GetFlag(FLAGS_server_pid);
  const auto& channels = (*runner)->channels();
  std::vector<PointResult> points;
  std::fprintf(stderr, "%s\n", TableHeader().c_str());
  for (const std::string& name : absl::GetFlag(FLAGS_workloads)) {
    std::unique_ptr<GrpcWorkload> workload;
    if (name == "put") {
      workload = std::make_unique<PutWorkload>(channels, keys, payload_bytes);
    } else if (name == "get") {
      workload = std::make_unique<RangeWorkload>(channels, keys, 0);
    } else if (name == "range_at_revision") {
      workload = std::make_unique<RangeWorkload>(channels, keys, *middle);
    } else {
      std::fprintf(stderr, "etcd_load: unknown workload \"%s\"\n", name.c_str());
      return 1;
    }
    for (int level : *levels) {
      PointResult point =
          (*runner)->Run("etcd", name, *workload, level, window, server_pid);
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
  meta["keys"] = keys;
  meta["payload_bytes"] = payload_bytes;
  meta["as_of_revision"] = *middle;
  return FinishRun("etcd_load", "etcd", points, meta,
                   absl::GetFlag(FLAGS_json_out));
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Closed-loop load on etcd's KV API; see tools/bench/etcd/etcd_load_main.cc.");
  absl::ParseCommandLine(argc, argv);
  // As in claimtraild's main: the client's gRPC mutexes skip Abseil's
  // deadlock detector, which Debian's Abseil leaves on (it would take CPU
  // from the server on a 2-core machine).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return claimtrail::bench::Main();
}
