#include "tools/bench/grpc_load.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace bench {

CallSetup::CallSetup(absl::string_view token, absl::Duration timeout)
    : authorization_(token.empty() ? "" : absl::StrCat("Bearer ", token)),
      timeout_(timeout) {}

void CallSetup::Apply(grpc::ClientContext* context) const {
  if (!authorization_.empty()) {
    context->AddMetadata("authorization", authorization_);
  }
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
}

absl::Status GrpcCall::Outcome() const {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

// One closed-loop slot: issues a call, and on its completion (delivered on
// the slot's queue, hence always on the same thread) records it and issues
// the next.
struct GrpcLoadRunner::Slot {
  int index = 0;
  int channel = 0;
  grpc::CompletionQueue* cq = nullptr;
  GrpcWorkload* workload = nullptr;
  const CallSetup* setup = nullptr;
  ClosedLoop* loop = nullptr;
  Rng rng{0};
  int64_t start_ns = 0;
  std::unique_ptr<GrpcCall> call;

  void Issue() {
    start_ns = NowNs();
    workload->Start(channel, cq, this, rng, *setup, &call);
  }

  void OnDone(bool ok) {
    absl::Status outcome =
        ok ? call->Outcome()
           : absl::UnavailableError("completion queue reported failure");
    const bool more =
        loop->Complete(index, start_ns, outcome.ok(), outcome.ToString());
    call.reset();
    if (more) {
      Issue();
    } else {
      loop->SlotStopped();  // Last touch of the loop by this slot.
    }
  }
};

GrpcLoadRunner::GrpcLoadRunner(const GrpcLoadOptions& options)
    : options_(options), setup_(options.token, options.call_timeout) {}

absl::StatusOr<std::unique_ptr<GrpcLoadRunner>> GrpcLoadRunner::Connect(
    const GrpcLoadOptions& options) {
  if (options.channels < 1 || options.threads < 1) {
    return absl::InvalidArgumentError("channels and threads must be >= 1");
  }
  std::unique_ptr<GrpcLoadRunner> runner(new GrpcLoadRunner(options));
  const auto deadline =
      absl::ToChronoTime(absl::Now() + options.connect_timeout);
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments args;
    // A distinct argument per channel: its own subchannel, its own socket.
    args.SetInt("claimtrail.bench.channel_index", i);
    args.SetMaxReceiveMessageSize(-1);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        options.target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(deadline)) {
      return absl::UnavailableError(absl::StrCat(
          "cannot connect to ", options.target, " within ",
          absl::FormatDuration(options.connect_timeout)));
    }
    runner->channels_.push_back(std::move(channel));
  }
  for (int i = 0; i < options.threads; ++i) {
    runner->queues_.push_back(std::make_unique<grpc::CompletionQueue>());
    runner->pollers_.emplace_back(&GrpcLoadRunner::Poll,
                                  runner->queues_.back().get());
  }
  return runner;
}

GrpcLoadRunner::~GrpcLoadRunner() {
  for (auto& cq : queues_) cq->Shutdown();
  for (std::thread& poller : pollers_) poller.join();
}

void GrpcLoadRunner::Poll(grpc::CompletionQueue* cq) {
  void* tag = nullptr;
  bool ok = false;
  while (cq->Next(&tag, &ok)) static_cast<Slot*>(tag)->OnDone(ok);
}

PointResult GrpcLoadRunner::Run(absl::string_view system,
                                absl::string_view workload_name,
                                GrpcWorkload& workload, int in_flight,
                                const Window& window, int server_pid) {
  std::vector<Slot> slots(in_flight);
  return MeasurePoint(
      system, workload_name, in_flight, window, server_pid,
      [&](ClosedLoop& loop) {
        for (int i = 0; i < in_flight; ++i) {
          Slot& slot = slots[i];
          slot.index = i;
          slot.channel = i % static_cast<int>(channels_.size());
          slot.cq = queues_[i % queues_.size()].get();
          slot.workload = &workload;
          slot.setup = &setup_;
          slot.loop = &loop;
          slot.rng = Rng(0x51ED270B27A1ULL * (i + 1) + NowNs());
        }
        for (Slot& slot : slots) slot.Issue();
      });
}

}  // namespace bench
}  // namespace claimtrail
