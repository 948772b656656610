// GrpcLoadRunner: closed-loop load over gRPC's asynchronous CompletionQueue
// API, for any service (claimtrail, the health service, etcd).
//
// Layout: `channels` channels to the target, each its own TCP connection
// (a distinct channel argument keeps gRPC from sharing one subchannel), and
// `threads` completion queues, one polling thread each. Slot i of a point
// uses channel i % channels and queue i % threads, so its calls never
// overlap and its completions always arrive on one thread.
#ifndef CLAIMTRAIL_TOOLS_BENCH_GRPC_LOAD_H_
#define CLAIMTRAIL_TOOLS_BENCH_GRPC_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/dataset_layout.h"

namespace claimtrail {
namespace bench {

// Per-call settings every workload applies to its ClientContext.
class CallSetup {
 public:
  CallSetup(absl::string_view token, absl::Duration timeout);
  // Adds "authorization: Bearer <token>" (when a token is set) and the
  // deadline.
  void Apply(grpc::ClientContext* context) const;

 private:
  std::string authorization_;
  absl::Duration timeout_;
};

// One RPC in flight.
class GrpcCall {
 public:
  virtual ~GrpcCall() = default;
  // OK when the RPC succeeded and its response is what the workload
  // expects. Called once, after completion.
  virtual absl::Status Outcome() const;

  grpc::ClientContext context;
  grpc::Status status;
};

template <typename Response>
class UnaryCall : public GrpcCall {
 public:
  Response response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

// Starts a unary call of type CallT (a UnaryCall<Response> or a subclass):
// stores it in *out first (so that its completion, possibly handled by
// another thread at once, finds it there), applies `setup`, then
// `prepare(&context)` (a stub's PrepareAsyncX bound to request and queue),
// StartCall and Finish with `tag`.
// `init(call)` runs before the call starts (it may set what Outcome checks).
template <typename CallT, typename PrepareFn, typename InitFn>
void StartUnary(const CallSetup& setup, void* tag, PrepareFn prepare,
                std::unique_ptr<GrpcCall>* out, InitFn init) {
  auto owned = std::make_unique<CallT>();
  CallT* call = owned.get();
  *out = std::move(owned);
  init(call);
  setup.Apply(&call->context);
  call->reader = prepare(&call->context);
  call->reader->StartCall();
  call->reader->Finish(&call->response, &call->status, tag);
}

template <typename CallT, typename PrepareFn>
void StartUnary(const CallSetup& setup, void* tag, PrepareFn prepare,
                std::unique_ptr<GrpcCall>* out) {
  StartUnary<CallT>(setup, tag, prepare, out, [](CallT*) {});
}

// A kind of operation: builds and starts one RPC.
class GrpcWorkload {
 public:
  virtual ~GrpcWorkload() = default;
  // Starts one call over channel `channel` on `cq`, completing with `tag`,
  // storing it in *out before it starts (see StartUnary). May be called
  // from several threads at once, each with its own `rng`.
  virtual void Start(int channel, grpc::CompletionQueue* cq, void* tag,
                     Rng& rng, const CallSetup& setup,
                     std::unique_ptr<GrpcCall>* out) = 0;
};

struct GrpcLoadOptions {
  // "host:port".
  std::string target;
  int channels = 4;
  int threads = 2;
  // Bearer token for every call; empty: none.
  std::string token;
  // Deadline of each call.
  absl::Duration call_timeout = absl::Seconds(30);
  // How long Connect waits for every channel to be ready.
  absl::Duration connect_timeout = absl::Seconds(10);
};

class GrpcLoadRunner {
 public:
  // Opens the channels and waits until each is connected.
  // UNAVAILABLE if a channel does not become ready in time.
  static absl::StatusOr<std::unique_ptr<GrpcLoadRunner>> Connect(
      const GrpcLoadOptions& options);

  // Stops the polling threads (no point may be running).
  ~GrpcLoadRunner();

  const std::vector<std::shared_ptr<grpc::Channel>>& channels() const {
    return channels_;
  }
  const CallSetup& call_setup() const { return setup_; }

  // Measures `workload` at `in_flight` concurrent calls (see ClosedLoop);
  // `server_pid` > 0 adds its CPU and RSS. Not thread-safe: one point at a
  // time.
  PointResult Run(absl::string_view system, absl::string_view workload_name,
                  GrpcWorkload& workload, int in_flight, const Window& window,
                  int server_pid);

 private:
  struct Slot;

  explicit GrpcLoadRunner(const GrpcLoadOptions& options);
  static void Poll(grpc::CompletionQueue* cq);

  const GrpcLoadOptions options_;
  const CallSetup setup_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::thread> pollers_;
};

}  // namespace bench
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_BENCH_GRPC_LOAD_H_
