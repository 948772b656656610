#include "server/service/reports_service.h"

#include <optional>
#include <utility>

#include "server/service/admission.h"
#include "server/service/status_conversion.h"

namespace claimtrail {
namespace service {

// Counts the call as in flight from the handler's start until gRPC is done
// with it, so that WaitUntilIdle knows when everyone has been answered.
class ReportsService::UnaryReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit UnaryReactor(ReportsService* service) : service_(service) {
    service_->CallStarted();
  }
  void OnDone() override {
    service_->CallDone();
    delete this;
  }

 private:
  ReportsService* const service_;
};

ReportsService::ReportsService(core::Ledger* ledger, Authorizer* authorizer)
    : ledger_(ledger), authorizer_(authorizer) {
  ParseRequestsOf(RpcMethod::kAuditReport, &ReportsService::AuditReport);
  ParseRequestsOf(RpcMethod::kExportClaims, &ReportsService::ExportClaims);
  ParseRequestsOf(RpcMethod::kImportClaims, &ReportsService::ImportClaims);
}

ReportsService::~ReportsService() = default;

void ReportsService::Drain() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
}

bool ReportsService::WaitUntilIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return calls_in_flight_ == 0;
  };
  return mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
}

void ReportsService::CallStarted() {
  absl::MutexLock lock(&mu_);
  ++calls_in_flight_;
}

void ReportsService::CallDone() {
  absl::MutexLock lock(&mu_);
  --calls_in_flight_;
}

std::optional<core::Principal> ReportsService::Admit(
    grpc::CallbackServerContext* ctx, RpcMethod method,
    grpc::ServerUnaryReactor* reactor) {
  bool draining = false;
  {
    absl::MutexLock lock(&mu_);
    draining = draining_;
  }
  absl::StatusOr<core::Principal> who =
      AdmitCall(*authorizer_, ctx, method, draining);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return std::nullopt;
  }
  return *std::move(who);
}

grpc::ServerUnaryReactor* ReportsService::RefuseUnparsed(
    grpc::CallbackServerContext* ctx, RpcMethod method,
    absl::FunctionRef<absl::Status()> explain) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  if (Admit(ctx, method, reactor).has_value()) {
    reactor->Finish(ToGrpcStatus(explain()));
  }
  return reactor;
}

template <typename Response, typename ReadFn>
grpc::ServerUnaryReactor* ReportsService::Read(grpc::CallbackServerContext* ctx,
                                               RpcMethod method,
                                               Response* resp, ReadFn read) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  if (!Admit(ctx, method, reactor).has_value()) return reactor;
  // `resp` and `reactor` stay valid until Finish.
  worker_.Schedule([reactor, resp, read] {
    absl::StatusOr<Response> result = read();
    if (!result.ok()) {
      reactor->Finish(ToGrpcStatus(result.status()));
      return;
    }
    *resp = *std::move(result);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* ReportsService::AuditReport(
    grpc::CallbackServerContext* ctx, const v1::AuditReportRequest* req,
    v1::AuditReport* resp) {
  return Read(ctx, RpcMethod::kAuditReport, resp,
              [this, req] { return ledger_->AuditReport(*req); });
}

grpc::ServerUnaryReactor* ReportsService::ExportClaims(
    grpc::CallbackServerContext* ctx, const v1::ExportRequest* req,
    v1::ExportResponse* resp) {
  return Read(ctx, RpcMethod::kExportClaims, resp,
              [this, req] { return ledger_->Export(*req); });
}

grpc::ServerUnaryReactor* ReportsService::ImportClaims(
    grpc::CallbackServerContext* ctx, const v1::ImportRequest* req,
    v1::ImportResponse* resp) {
  grpc::ServerUnaryReactor* reactor = new UnaryReactor(this);
  std::optional<core::Principal> who =
      Admit(ctx, RpcMethod::kImportClaims, reactor);
  if (!who.has_value()) return reactor;
  // Planning runs on the worker; the writes go through the committer, whose
  // last answer finishes the call. The Ledger logs progress lines.
  worker_.Schedule([this, who = *std::move(who), req, resp, reactor] {
    ledger_->Import(who, *req, /*progress=*/nullptr,
                    [reactor, resp](absl::StatusOr<v1::ImportResponse> result) {
                      if (!result.ok()) {
                        reactor->Finish(ToGrpcStatus(result.status()));
                        return;
                      }
                      *resp = *std::move(result);
                      reactor->Finish(grpc::Status::OK);
                    });
  });
  return reactor;
}

}  // namespace service
}  // namespace claimtrail
