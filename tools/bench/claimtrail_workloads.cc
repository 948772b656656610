#include "tools/bench/claimtrail_workloads.h"

#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"

namespace claimtrail {
namespace bench {
namespace {

using Stub = v1::ClaimTrail::Stub;

constexpr int kSearchPageSize = 50;

// Stubs of the ClaimTrail service, one per channel.
class ClaimTrailWorkload : public GrpcWorkload {
 public:
  ClaimTrailWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                     const WorkloadData& data)
      : data_(data) {
    for (const auto& channel : channels) {
      stubs_.push_back(v1::ClaimTrail::NewStub(channel));
    }
  }

 protected:
  Stub* stub(int channel) { return stubs_[channel].get(); }
  const WorkloadData& data() const { return data_; }

 private:
  std::vector<std::unique_ptr<Stub>> stubs_;
  const WorkloadData data_;
};

// ---- health: the empty call, through the generic (ByteBuffer) API, so that
// no generated health stubs are needed.

// The serialized grpc.health.v1.HealthCheckResponse{status: SERVING}.
constexpr char kServing[] = {0x08, 0x01};

class HealthCall : public UnaryCall<grpc::ByteBuffer> {
 public:
  absl::Status Outcome() const override {
    absl::Status rpc = GrpcCall::Outcome();
    if (!rpc.ok()) return rpc;
    std::vector<grpc::Slice> slices;
    if (!response.Dump(&slices).ok()) {
      return absl::InternalError("health: unreadable response");
    }
    std::string bytes;
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    if (bytes != absl::string_view(kServing, sizeof(kServing))) {
      return absl::FailedPreconditionError("health: server is not SERVING");
    }
    return absl::OkStatus();
  }
};

// HealthCheckRequest{service: ""} serializes to no bytes. (A default
// ByteBuffer is "no message" rather than an empty one.)
grpc::ByteBuffer EmptyMessage() {
  grpc::Slice empty;
  return grpc::ByteBuffer(&empty, 1);
}

class HealthWorkload : public GrpcWorkload {
 public:
  explicit HealthWorkload(
      const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
    for (const auto& channel : channels) {
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
  }

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    grpc::GenericStub* stub = stubs_[channel].get();
    StartUnary<HealthCall>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub->PrepareUnaryCall(context, kMethod, EmptyMessage(),
                                        cq);
        },
        out);
  }

 private:
  static inline const std::string kMethod = "/grpc.health.v1.Health/Check";
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
};

// ---- append: one durable event with a ~1 KiB payload.

// request_ids unique across runs and threads: a per-process random prefix
// and a counter.
class RequestIds {
 public:
  explicit RequestIds(uint64_t prefix) : prefix_(prefix) {}
  std::string Next() {
    return absl::StrFormat("bench-run-%016x-%d", prefix_,
                           counter_.fetch_add(1, std::memory_order_relaxed));
  }

 private:
  const uint64_t prefix_;
  std::atomic<int64_t> counter_{0};
};

class AppendWorkload : public ClaimTrailWorkload {
 public:
  AppendWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                 const WorkloadData& data)
      : ClaimTrailWorkload(channels, data),
        ids_(static_cast<uint64_t>(NowNs()) ^ 0xA99E4D5ULL) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    StartAppend(stub(channel), data().layout, ids_, cq, tag, rng, setup, out);
  }

  static void StartAppend(Stub* stub, const DatasetLayout& layout,
                          RequestIds& ids, grpc::CompletionQueue* cq, void* tag,
                          Rng& rng, const CallSetup& setup,
                          std::unique_ptr<GrpcCall>* out) {
    v1::RecordStanceRequest req;
    req.set_claim(AppendClaimName(rng.Below(layout.append_claims)));
    v1::Stance* stance = req.mutable_stance();
    stance->set_party(std::string(kWriterSource));
    stance->set_position(v1::STANCE_POSITION_NOT_CONFIRMED);
    stance->set_statement(PayloadText(rng.Next(), layout.payload_bytes));
    req.set_request_id(ids.Next());
    req.mutable_context()->set_note("benchmark append");
    StartUnary<UnaryCall<v1::Claim>>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub->PrepareAsyncRecordStance(context, req, cq);
        },
        out);
  }

 private:
  RequestIds ids_;
};

// ---- reads.

class GetWorkload : public ClaimTrailWorkload {
 public:
  using ClaimTrailWorkload::ClaimTrailWorkload;

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    StartGet(stub(channel), data().layout, cq, tag, rng, setup, out);
  }

  static void StartGet(Stub* stub, const DatasetLayout& layout,
                       grpc::CompletionQueue* cq, void* tag, Rng& rng,
                       const CallSetup& setup, std::unique_ptr<GrpcCall>* out) {
    v1::GetClaimRequest req;
    req.set_name(PlainClaimName(rng.Below(layout.claims)));
    StartUnary<UnaryCall<v1::Claim>>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub->PrepareAsyncGetClaim(context, req, cq);
        },
        out);
  }
};

class AsOfWorkload : public ClaimTrailWorkload {
 public:
  using ClaimTrailWorkload::ClaimTrailWorkload;

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    const int index = rng.Below(data().layout.timeline10_claims);
    v1::GetClaimRequest req;
    req.set_name(Timeline10ClaimName(index));
    *req.mutable_as_of() = data().timeline10_as_of[index];
    StartUnary<UnaryCall<v1::Claim>>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub(channel)->PrepareAsyncGetClaim(context, req, cq);
        },
        out);
  }
};

// A timeline page must hold exactly the events asked for: a short page means
// the data is not what the workload claims to measure.
class TimelineCall : public UnaryCall<v1::ListClaimEventsResponse> {
 public:
  int expected = 0;
  absl::Status Outcome() const override {
    absl::Status rpc = GrpcCall::Outcome();
    if (!rpc.ok()) return rpc;
    if (response.events_size() != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("timeline: expected ", expected, " events, got ",
                       response.events_size(), " (dataset not prepared?)"));
    }
    return absl::OkStatus();
  }
};

class TimelineWorkload : public ClaimTrailWorkload {
 public:
  TimelineWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const WorkloadData& data, int events)
      : ClaimTrailWorkload(channels, data), events_(events) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    v1::ListClaimEventsRequest req;
    req.set_parent(events_ == 100
                       ? Timeline100ClaimName(
                             rng.Below(data().layout.timeline100_claims))
                       : Timeline10ClaimName(
                             rng.Below(data().layout.timeline10_claims)));
    req.set_page_size(events_);
    StartUnary<TimelineCall>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub(channel)->PrepareAsyncListClaimEvents(context, req, cq);
        },
        out, [this](TimelineCall* call) { call->expected = events_; });
  }

 private:
  const int events_;
};

// A full page is what the target is about ("a page of 50").
class SearchCall : public UnaryCall<v1::SearchClaimsResponse> {
 public:
  absl::Status Outcome() const override {
    absl::Status rpc = GrpcCall::Outcome();
    if (!rpc.ok()) return rpc;
    if (response.results_size() != kSearchPageSize) {
      return absl::FailedPreconditionError(absl::StrCat(
          "search: expected a full page of ", kSearchPageSize, ", got ",
          response.results_size(), " (dataset too small?)"));
    }
    return absl::OkStatus();
  }
};

enum class SearchBy { kSource, kState };

class SearchWorkload : public ClaimTrailWorkload {
 public:
  SearchWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                 const WorkloadData& data, SearchBy by)
      : ClaimTrailWorkload(channels, data), by_(by) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    v1::SearchClaimsRequest req;
    if (by_ == SearchBy::kSource) {
      req.set_source(AttributionSourceName(rng.Below(data().layout.sources)));
    } else {
      req.set_state(v1::CLAIM_STATE_CONFIRMED);
    }
    req.set_page_size(kSearchPageSize);
    StartUnary<SearchCall>(
        setup, tag,
        [&](grpc::ClientContext* context) {
          return stub(channel)->PrepareAsyncSearchClaims(context, req, cq);
        },
        out);
  }

 private:
  const SearchBy by_;
};

// ---- mix: 90 % reads (get), 10 % durable appends.

class MixWorkload : public ClaimTrailWorkload {
 public:
  MixWorkload(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
              const WorkloadData& data)
      : ClaimTrailWorkload(channels, data),
        ids_(static_cast<uint64_t>(NowNs()) ^ 0x31C5ULL) {}

  void Start(int channel, grpc::CompletionQueue* cq, void* tag, Rng& rng,
             const CallSetup& setup, std::unique_ptr<GrpcCall>* out) override {
    if (rng.Below(10) == 0) {
      AppendWorkload::StartAppend(stub(channel), data().layout, ids_, cq, tag,
                                  rng, setup, out);
    } else {
      GetWorkload::StartGet(stub(channel), data().layout, cq, tag, rng, setup,
                            out);
    }
  }

 private:
  RequestIds ids_;
};

}  // namespace

std::vector<std::string> ClaimTrailWorkloadNames() {
  return {"health",      "append",        "get",
          "asof",        "timeline10",    "timeline100",
          "search_source", "search_state", "mix"};
}

bool NeedsAsOfTimes(absl::string_view name) { return name == "asof"; }

absl::StatusOr<std::unique_ptr<GrpcWorkload>> MakeClaimTrailWorkload(
    absl::string_view name,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const WorkloadData& data) {
  if (name == "health") return std::make_unique<HealthWorkload>(channels);
  if (name == "append") return std::make_unique<AppendWorkload>(channels, data);
  if (name == "get") return std::make_unique<GetWorkload>(channels, data);
  if (name == "asof") {
    if (static_cast<int>(data.timeline10_as_of.size()) <
        data.layout.timeline10_claims) {
      return absl::FailedPreconditionError("asof: as-of times not loaded");
    }
    return std::make_unique<AsOfWorkload>(channels, data);
  }
  if (name == "timeline10") {
    return std::make_unique<TimelineWorkload>(channels, data, 10);
  }
  if (name == "timeline100") {
    return std::make_unique<TimelineWorkload>(channels, data, 100);
  }
  if (name == "search_source") {
    return std::make_unique<SearchWorkload>(channels, data, SearchBy::kSource);
  }
  if (name == "search_state") {
    return std::make_unique<SearchWorkload>(channels, data, SearchBy::kState);
  }
  if (name == "mix") return std::make_unique<MixWorkload>(channels, data);
  return absl::InvalidArgumentError(
      absl::StrCat("workloads: unknown workload \"", name, "\""));
}

}  // namespace bench
}  // namespace claimtrail
