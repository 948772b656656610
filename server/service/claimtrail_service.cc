#include "server/service/claimtrail_service.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/service/admission.h"
#include "server/service/status_conversion.h"
#include "server/service/watch_reactor.h"

namespace claimtrail {
namespace service {

// The reactor of every unary call: counts the call as in flight from the
// handler's start until gRPC is done with it (status sent), so that
// WaitUntilIdle knows when a drained server has answered everyone.
class ClaimTrailService::UnaryReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit UnaryReactor(ClaimTrailService* service) : service_(service) {
    service_->CallStarted();
  }
  void OnDone() override {
    service_->CallDone();
    delete this;
  }

 private:
  ClaimTrailService* const service_;
};

ClaimTrailService::ClaimTrailService(core::Ledger* ledger,
                                     Authorizer* authorizer,
                                     ServiceOptions options)
    : ledger_(ledger), authorizer_(authorizer), options_(options) {
  ParseRequestsOf(RpcMethod::kGetServerInfo, &ClaimTrailService::GetServerInfo);
  ParseRequestsOf(RpcMethod::kCreateSource, &ClaimTrailService::CreateSource);
  ParseRequestsOf(RpcMethod::kGetSource, &ClaimTrailService::GetSource);
  ParseRequestsOf(RpcMethod::kListSources, &ClaimTrailService::ListSources);
  ParseRequestsOf(RpcMethod::kUpdateSource, &ClaimTrailService::UpdateSource);
  ParseRequestsOf(RpcMethod::kCreateClaim, &ClaimTrailService::CreateClaim);
  ParseRequestsOf(RpcMethod::kGetClaim, &ClaimTrailService::GetClaim);
  ParseRequestsOf(RpcMethod::kListClaims, &ClaimTrailService::ListClaims);
  ParseRequestsOf(RpcMethod::kUpdateClaim, &ClaimTrailService::UpdateClaim);
  ParseRequestsOf(RpcMethod::kAddAttribution,
                  &ClaimTrailService::AddAttribution);
  ParseRequestsOf(RpcMethod::kReviseFigure, &ClaimTrailService::ReviseFigure);
  ParseRequestsOf(RpcMethod::kRecordStance, &ClaimTrailService::RecordStance);
  ParseRequestsOf(RpcMethod::kRecordVerdict, &ClaimTrailService::RecordVerdict);
  ParseRequestsOf(RpcMethod::kAddAppearance, &ClaimTrailService::AddAppearance);
  ParseRequestsOf(RpcMethod::kLinkClaims, &ClaimTrailService::LinkClaims);
  ParseRequestsOf(RpcMethod::kMergeClaims, &ClaimTrailService::MergeClaims);
  ParseRequestsOf(RpcMethod::kRetractClaim, &ClaimTrailService::RetractClaim);
  ParseRequestsOf(RpcMethod::kRedactEvent, &ClaimTrailService::RedactEvent);
  ParseRequestsOf(RpcMethod::kListClaimEvents,
                  &ClaimTrailService::ListClaimEvents);
  ParseRequestsOf(RpcMethod::kDiffClaim, &ClaimTrailService::DiffClaim);
  ParseRequestsOf(RpcMethod::kSearchClaims, &ClaimTrailService::SearchClaims);
  ParseRequestsOf(RpcMethod::kWatchClaims, &ClaimTrailService::WatchClaims);
}

ClaimTrailService::~ClaimTrailService() = default;

absl::StatusOr<core::Principal> ClaimTrailService::Admit(
    grpc::CallbackServerContext* ctx, RpcMethod method) {
  bool draining = false;
  {
    absl::MutexLock lock(&mu_);
    draining = draining_;
  }
  return AdmitCall(*authorizer_, ctx, method, draining);
}

grpc::ServerUnaryReactor* ClaimTrailService::RefuseUnparsed(
    grpc::CallbackServerContext* ctx, RpcMethod method,
    absl::FunctionRef<absl::Status()> explain) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  reactor->Finish(ToGrpcStatus(who.ok() ? explain() : who.status()));
  return reactor;
}

grpc::ServerWriteReactor<v1::WatchClaimsResponse>*
ClaimTrailService::RefuseUnparsedStream(
    grpc::CallbackServerContext* ctx, RpcMethod method,
    absl::FunctionRef<absl::Status()> explain) {
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  return new FinishedWatchReactor(
      ToGrpcStatus(who.ok() ? explain() : who.status()));
}

void ClaimTrailService::CallStarted() {
  absl::MutexLock lock(&mu_);
  ++calls_in_flight_;
}

void ClaimTrailService::CallDone() {
  absl::MutexLock lock(&mu_);
  --calls_in_flight_;
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* ClaimTrailService::Mutate(
    grpc::CallbackServerContext* ctx, RpcMethod method, const Request* req,
    Response* resp, LedgerMutation<Request, Response> mutation) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  // `req`, `resp` and `reactor` stay valid until Finish: `done` runs exactly
  // once, on the committer thread, after the write is durable or failed.
  (ledger_->*mutation)(*who, *req,
                       [reactor, resp](absl::StatusOr<Response> result) {
                         if (!result.ok()) {
                           reactor->Finish(ToGrpcStatus(result.status()));
                           return;
                         }
                         *resp = *std::move(result);
                         reactor->Finish(grpc::Status::OK);
                       });
  return reactor;
}

template <typename Response, typename ReadFn>
grpc::ServerUnaryReactor* ClaimTrailService::Read(
    grpc::CallbackServerContext* ctx, RpcMethod method, Response* resp,
    ReadFn read) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  absl::StatusOr<core::Principal> who = Admit(ctx, method);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  absl::StatusOr<Response> result = read();
  if (!result.ok()) {
    reactor->Finish(ToGrpcStatus(result.status()));
    return reactor;
  }
  *resp = *std::move(result);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

// ---- Reads.

grpc::ServerUnaryReactor* ClaimTrailService::GetServerInfo(
    grpc::CallbackServerContext* ctx, const v1::GetServerInfoRequest* req,
    v1::ServerInfo* resp) {
  return Read(ctx, RpcMethod::kGetServerInfo, resp,
              [this] { return ledger_->GetServerInfo(); });
}

grpc::ServerUnaryReactor* ClaimTrailService::GetSource(
    grpc::CallbackServerContext* ctx, const v1::GetSourceRequest* req,
    v1::Source* resp) {
  return Read(ctx, RpcMethod::kGetSource, resp,
              [this, req] { return ledger_->GetSource(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::ListSources(
    grpc::CallbackServerContext* ctx, const v1::ListSourcesRequest* req,
    v1::ListSourcesResponse* resp) {
  return Read(ctx, RpcMethod::kListSources, resp,
              [this, req] { return ledger_->ListSources(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::GetClaim(
    grpc::CallbackServerContext* ctx, const v1::GetClaimRequest* req,
    v1::Claim* resp) {
  return Read(ctx, RpcMethod::kGetClaim, resp,
              [this, req] { return ledger_->GetClaim(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::ListClaims(
    grpc::CallbackServerContext* ctx, const v1::ListClaimsRequest* req,
    v1::ListClaimsResponse* resp) {
  return Read(ctx, RpcMethod::kListClaims, resp,
              [this, req] { return ledger_->ListClaims(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::ListClaimEvents(
    grpc::CallbackServerContext* ctx, const v1::ListClaimEventsRequest* req,
    v1::ListClaimEventsResponse* resp) {
  return Read(ctx, RpcMethod::kListClaimEvents, resp,
              [this, req] { return ledger_->ListClaimEvents(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::DiffClaim(
    grpc::CallbackServerContext* ctx, const v1::DiffClaimRequest* req,
    v1::DiffClaimResponse* resp) {
  return Read(ctx, RpcMethod::kDiffClaim, resp,
              [this, req] { return ledger_->DiffClaim(*req); });
}

grpc::ServerUnaryReactor* ClaimTrailService::SearchClaims(
    grpc::CallbackServerContext* ctx, const v1::SearchClaimsRequest* req,
    v1::SearchClaimsResponse* resp) {
  return Read(ctx, RpcMethod::kSearchClaims, resp,
              [this, req] { return ledger_->SearchClaims(*req); });
}

// ---- Mutations.

grpc::ServerUnaryReactor* ClaimTrailService::CreateSource(
    grpc::CallbackServerContext* ctx, const v1::CreateSourceRequest* req,
    v1::Source* resp) {
  return Mutate(ctx, RpcMethod::kCreateSource, req, resp,
                &core::Ledger::CreateSource);
}

grpc::ServerUnaryReactor* ClaimTrailService::UpdateSource(
    grpc::CallbackServerContext* ctx, const v1::UpdateSourceRequest* req,
    v1::Source* resp) {
  return Mutate(ctx, RpcMethod::kUpdateSource, req, resp,
                &core::Ledger::UpdateSource);
}

grpc::ServerUnaryReactor* ClaimTrailService::CreateClaim(
    grpc::CallbackServerContext* ctx, const v1::CreateClaimRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kCreateClaim, req, resp,
                &core::Ledger::CreateClaim);
}

grpc::ServerUnaryReactor* ClaimTrailService::UpdateClaim(
    grpc::CallbackServerContext* ctx, const v1::UpdateClaimRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kUpdateClaim, req, resp,
                &core::Ledger::UpdateClaim);
}

grpc::ServerUnaryReactor* ClaimTrailService::AddAttribution(
    grpc::CallbackServerContext* ctx, const v1::AddAttributionRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kAddAttribution, req, resp,
                &core::Ledger::AddAttribution);
}

grpc::ServerUnaryReactor* ClaimTrailService::ReviseFigure(
    grpc::CallbackServerContext* ctx, const v1::ReviseFigureRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kReviseFigure, req, resp,
                &core::Ledger::ReviseFigure);
}

grpc::ServerUnaryReactor* ClaimTrailService::RecordStance(
    grpc::CallbackServerContext* ctx, const v1::RecordStanceRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kRecordStance, req, resp,
                &core::Ledger::RecordStance);
}

grpc::ServerUnaryReactor* ClaimTrailService::RecordVerdict(
    grpc::CallbackServerContext* ctx, const v1::RecordVerdictRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kRecordVerdict, req, resp,
                &core::Ledger::RecordVerdict);
}

grpc::ServerUnaryReactor* ClaimTrailService::AddAppearance(
    grpc::CallbackServerContext* ctx, const v1::AddAppearanceRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kAddAppearance, req, resp,
                &core::Ledger::AddAppearance);
}

grpc::ServerUnaryReactor* ClaimTrailService::LinkClaims(
    grpc::CallbackServerContext* ctx, const v1::LinkClaimsRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kLinkClaims, req, resp,
                &core::Ledger::LinkClaims);
}

grpc::ServerUnaryReactor* ClaimTrailService::MergeClaims(
    grpc::CallbackServerContext* ctx, const v1::MergeClaimsRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kMergeClaims, req, resp,
                &core::Ledger::MergeClaims);
}

grpc::ServerUnaryReactor* ClaimTrailService::RetractClaim(
    grpc::CallbackServerContext* ctx, const v1::RetractClaimRequest* req,
    v1::Claim* resp) {
  return Mutate(ctx, RpcMethod::kRetractClaim, req, resp,
                &core::Ledger::RetractClaim);
}

grpc::ServerUnaryReactor* ClaimTrailService::RedactEvent(
    grpc::CallbackServerContext* ctx, const v1::RedactEventRequest* req,
    v1::Event* resp) {
  return Mutate(ctx, RpcMethod::kRedactEvent, req, resp,
                &core::Ledger::RedactEvent);
}

// ---- Change feed.

grpc::ServerWriteReactor<v1::WatchClaimsResponse>*
ClaimTrailService::WatchClaims(grpc::CallbackServerContext* ctx,
                               const v1::WatchClaimsRequest* req) {
  absl::StatusOr<core::Principal> who = Admit(ctx, RpcMethod::kWatchClaims);
  if (!who.ok()) return new FinishedWatchReactor(ToGrpcStatus(who.status()));
  absl::Status valid = ledger_->ValidateWatch(*req);
  if (!valid.ok()) return new FinishedWatchReactor(ToGrpcStatus(valid));

  const uint64_t cursor =
      req->from_now() ? ledger_->LastSequence() : req->after_sequence();
  std::shared_ptr<WatchReactor> reactor;
  {
    absl::MutexLock lock(&mu_);
    if (draining_) {
      return new FinishedWatchReactor(
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       "WatchClaims: server is shutting down"));
    }
    if (static_cast<int>(watches_.size()) >= options_.max_watchers) {
      return new FinishedWatchReactor(
          grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                       absl::StrCat("too many open WatchClaims streams (limit ",
                                    options_.max_watchers, "); retry later")));
    }
    int mine = 0;
    for (const auto& entry : watches_) {
      if (entry.second.principal == who->name) ++mine;
    }
    if (mine >= options_.max_watchers_per_principal) {
      return new FinishedWatchReactor(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat(who->name, " has too many open WatchClaims streams "
                       "(limit ", options_.max_watchers_per_principal,
                       " per principal); close one or retry later")));
    }
    reactor = WatchReactor::Create(ledger_, &waker_, *req, cursor,
                                   [this](const WatchReactor* done) {
                                     absl::MutexLock lock(&mu_);
                                     watches_.erase(done);
                                   });
    watches_.emplace(reactor.get(), OpenWatch{reactor, who->name, ctx});
  }
  reactor->Begin();
  // The reactor owns itself until OnDone.
  return reactor.get();
}

void ClaimTrailService::Drain() {
  std::vector<std::shared_ptr<WatchReactor>> open;
  {
    absl::MutexLock lock(&mu_);
    draining_ = true;
    for (const auto& entry : watches_) {
      if (std::shared_ptr<WatchReactor> reactor = entry.second.reactor.lock()) {
        open.push_back(std::move(reactor));
      }
    }
  }
  for (const std::shared_ptr<WatchReactor>& reactor : open) {
    reactor->Stop(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "server is shutting down; reconnect and resume with after_sequence "
        "set to the last sequence received"));
  }
}

void ClaimTrailService::ReauthorizeWatches() {
  std::vector<std::pair<std::shared_ptr<WatchReactor>, absl::Status>> refused;
  {
    // Under mu_: an entry's context stays valid only while it is listed.
    absl::MutexLock lock(&mu_);
    for (const auto& entry : watches_) {
      std::shared_ptr<WatchReactor> reactor = entry.second.reactor.lock();
      if (reactor == nullptr) continue;
      absl::StatusOr<core::Principal> who =
          authorizer_->Authorize(*entry.second.ctx, RpcMethod::kWatchClaims);
      // Only a verdict about the caller ends a stream; a rate limit or a
      // storage hiccup does not.
      if (absl::IsUnauthenticated(who.status()) ||
          absl::IsPermissionDenied(who.status())) {
        refused.emplace_back(std::move(reactor), who.status());
      }
    }
  }
  for (auto& [reactor, status] : refused) {
    reactor->Stop(ToGrpcStatus(status));
  }
}

bool ClaimTrailService::WaitUntilIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(
                                   +[](ClaimTrailService* self) {
                                     return self->calls_in_flight_ == 0 &&
                                            self->watches_.empty();
                                   },
                                   this),
                               deadline);
}

}  // namespace service
}  // namespace claimtrail
