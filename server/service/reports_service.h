// ReportsService: claimtrail.v1.Reports (sourcing audit reports, exports,
// imports) as a thin gRPC adapter over core::Ledger.
//
// Every handler first passes the same gate as ClaimTrail's (AdmitCall:
// Authorizer, draining, liveness); roles come from the Authorizer's one
// table (auditor for reports and exports, admin for imports). The work then
// runs on the service's own worker thread, not on a gRPC callback thread:
// a report or an export reads every selected claim's history, and an import
// parses up to 64 MiB before its writes go to the Ledger's committer. One
// worker also means one such job at a time, so a burst of reports cannot
// starve the server's other calls. An import's call is answered from the
// Ledger's `done` (on the committer thread) once every write is answered.
// Errors are the Ledger's absl::Status carried over by ToGrpcStatus.
// Requests are parsed by the service itself (ParsingService): bytes the
// protobuf parser refuses are INVALID_ARGUMENT naming the field, after
// admission.
#ifndef CLAIMTRAIL_SERVER_SERVICE_REPORTS_SERVICE_H_
#define CLAIMTRAIL_SERVER_SERVICE_REPORTS_SERVICE_H_

#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/reports_service.grpc.pb.h"
#include "server/core/ledger.h"
#include "server/core/principal.h"
#include "server/service/authorizer.h"
#include "server/service/parsing_service.h"
#include "server/service/task_thread.h"

namespace claimtrail {
namespace service {

class ReportsService final
    : public ParsingService<ReportsService, v1::Reports> {
 public:
  // `ledger` and `authorizer` are not owned and must outlive the service.
  // The service must outlive the grpc::Server it is registered with, and
  // the Ledger must outlive the answer of every import in flight (see
  // WaitUntilIdle).
  ReportsService(core::Ledger* ledger, Authorizer* authorizer);
  // Runs the jobs already queued, then joins the worker.
  ~ReportsService() override;

  // From now on every new call is answered UNAVAILABLE ("server is shutting
  // down"); calls already admitted run to completion. Thread-safe.
  void Drain();

  // Waits until every admitted call has been answered, or `deadline`
  // passes. True when idle. Thread-safe.
  bool WaitUntilIdle(absl::Time deadline);

  // ---- claimtrail.v1.Reports. Contracts: reports_service.proto.
  grpc::ServerUnaryReactor* AuditReport(grpc::CallbackServerContext* ctx,
                                        const v1::AuditReportRequest* req,
                                        v1::AuditReport* resp) override;
  grpc::ServerUnaryReactor* ExportClaims(grpc::CallbackServerContext* ctx,
                                         const v1::ExportRequest* req,
                                         v1::ExportResponse* resp) override;
  grpc::ServerUnaryReactor* ImportClaims(grpc::CallbackServerContext* ctx,
                                         const v1::ImportRequest* req,
                                         v1::ImportResponse* resp) override;

 private:
  friend class ParsingService<ReportsService, v1::Reports>;
  class UnaryReactor;

  // Admits the call; on refusal finishes `reactor` and returns nullopt.
  std::optional<core::Principal> Admit(grpc::CallbackServerContext* ctx,
                                       RpcMethod method,
                                       grpc::ServerUnaryReactor* reactor);
  // A call whose request did not parse: admitted as any call (its refusal
  // wins), then finished with explain()'s INVALID_ARGUMENT (ParsingService).
  grpc::ServerUnaryReactor* RefuseUnparsed(
      grpc::CallbackServerContext* ctx, RpcMethod method,
      absl::FunctionRef<absl::Status()> explain);
  // A read: admitted, then `read()` on the worker, answered from there.
  template <typename Response, typename ReadFn>
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* ctx,
                                 RpcMethod method, Response* resp, ReadFn read);

  void CallStarted();
  void CallDone();

  core::Ledger* const ledger_;
  Authorizer* const authorizer_;

  absl::Mutex mu_;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  // Calls whose reactor is not done yet.
  int calls_in_flight_ ABSL_GUARDED_BY(mu_) = 0;

  // Runs reports, exports and import planning. Declared last: destroyed
  // first, finishing queued jobs while everything above is still alive.
  TaskThread worker_;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_REPORTS_SERVICE_H_
