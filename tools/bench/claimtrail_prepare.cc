#include "tools/bench/claimtrail_prepare.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"

namespace claimtrail {
namespace bench {
namespace {

absl::Status ToStatus(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// One synchronous call of `method` with a fresh context.
template <typename Request, typename Response, typename Method>
absl::Status Call(v1::ClaimTrail::Stub* stub, Method method,
                  const CallSetup& setup, const Request& req,
                  absl::string_view what) {
  grpc::ClientContext context;
  setup.Apply(&context);
  Response response;
  return ToStatus((stub->*method)(&context, req, &response), what);
}

absl::Status ApplyFollowUp(v1::ClaimTrail::Stub* stub, const CallSetup& setup,
                           const FollowUp& follow_up) {
  using Stub = v1::ClaimTrail::Stub;
  if (const auto* stance = std::get_if<v1::RecordStanceRequest>(&follow_up)) {
    return Call<v1::RecordStanceRequest, v1::Claim>(
        stub, &Stub::RecordStance, setup, *stance,
        absl::StrCat("RecordStance ", stance->request_id()));
  }
  if (const auto* figure = std::get_if<v1::ReviseFigureRequest>(&follow_up)) {
    return Call<v1::ReviseFigureRequest, v1::Claim>(
        stub, &Stub::ReviseFigure, setup, *figure,
        absl::StrCat("ReviseFigure ", figure->request_id()));
  }
  const auto& appearance = std::get<v1::AddAppearanceRequest>(follow_up);
  return Call<v1::AddAppearanceRequest, v1::Claim>(
      stub, &Stub::AddAppearance, setup, appearance,
      absl::StrCat("AddAppearance ", appearance.request_id()));
}

absl::Status ApplyPlan(v1::ClaimTrail::Stub* stub, const CallSetup& setup,
                       const ClaimPlan& plan) {
  absl::Status created = Call<v1::CreateClaimRequest, v1::Claim>(
      stub, &v1::ClaimTrail::Stub::CreateClaim, setup, plan.create,
      absl::StrCat("CreateClaim ", plan.create.request_id()));
  if (!created.ok()) return created;
  for (const FollowUp& follow_up : plan.follow_ups) {
    absl::Status status = ApplyFollowUp(stub, setup, follow_up);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrepareDataset(const std::shared_ptr<grpc::Channel>& channel,
                            const CallSetup& setup, const DatasetLayout& layout,
                            int parallelism) {
  std::unique_ptr<v1::ClaimTrail::Stub> stub = v1::ClaimTrail::NewStub(channel);
  for (const v1::CreateSourceRequest& req : SourceRequests(layout)) {
    absl::Status status = Call<v1::CreateSourceRequest, v1::Source>(
        stub.get(), &v1::ClaimTrail::Stub::CreateSource, setup, req,
        absl::StrCat("CreateSource ", req.request_id()));
    if (!status.ok()) return status;
  }

  // Task t builds one claim; the slow 100-event claims go first so that
  // they overlap with everything else.
  std::vector<std::function<ClaimPlan()>> tasks;
  for (int i = 0; i < layout.timeline100_claims; ++i) {
    tasks.push_back([&layout, i] { return TimelineClaimPlan(layout, 100, i); });
  }
  for (int i = 0; i < layout.timeline10_claims; ++i) {
    tasks.push_back([&layout, i] { return TimelineClaimPlan(layout, 10, i); });
  }
  for (int i = 0; i < layout.append_claims; ++i) {
    tasks.push_back([&layout, i] { return AppendClaimPlan(layout, i); });
  }
  for (int i = 0; i < layout.claims; ++i) {
    tasks.push_back([&layout, i] { return PlainClaimPlan(layout, i); });
  }

  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    while (!failed.load()) {
      const size_t t = next.fetch_add(1);
      if (t >= tasks.size()) return;
      absl::Status status = ApplyPlan(stub.get(), setup, tasks[t]());
      if (!status.ok()) {
        absl::MutexLock lock(&mu);
        if (first_error.ok()) first_error = status;
        failed = true;
        return;
      }
      done.fetch_add(1);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, parallelism); ++i) workers.emplace_back(worker);
  const int64_t started = NowNs();
  int64_t last_report = started;
  while (done.load() < tasks.size() && !failed.load()) {
    absl::SleepFor(absl::Milliseconds(50));
    if (NowNs() - last_report > 2'000'000'000) {
      last_report = NowNs();
      std::fprintf(stderr, "prepare: %zu/%zu claims\n", done.load(),
                   tasks.size());
    }
  }
  for (std::thread& thread : workers) thread.join();
  if (!first_error.ok()) return first_error;
  std::fprintf(stderr, "prepare: %zu claims (%lld events) ready in %.1f s\n",
               tasks.size(), static_cast<long long>(TotalEvents(layout)),
               (NowNs() - started) / 1e9);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<google::protobuf::Timestamp>> ReadAsOfTimes(
    const std::shared_ptr<grpc::Channel>& channel, const CallSetup& setup,
    const DatasetLayout& layout) {
  std::unique_ptr<v1::ClaimTrail::Stub> stub = v1::ClaimTrail::NewStub(channel);
  std::vector<google::protobuf::Timestamp> out;
  for (int i = 0; i < layout.timeline10_claims; ++i) {
    v1::ListClaimEventsRequest req;
    req.set_parent(Timeline10ClaimName(i));
    req.set_page_size(10);
    grpc::ClientContext context;
    setup.Apply(&context);
    v1::ListClaimEventsResponse response;
    absl::Status status = ToStatus(stub->ListClaimEvents(&context, req, &response),
                                   absl::StrCat("ListClaimEvents ", req.parent()));
    if (!status.ok()) return status;
    if (response.events_size() < 10) {
      return absl::FailedPreconditionError(
          absl::StrCat(req.parent(), " has ", response.events_size(),
                       " events, the layout says 10: prepare the dataset"));
    }
    out.push_back(response.events(4).recorded_time());
  }
  return out;
}

}  // namespace bench
}  // namespace claimtrail
