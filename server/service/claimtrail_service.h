// ClaimTrailService: the thin gRPC adapter over core::Ledger.
//
// Every handler first passes Admit, the one gate: the Authorizer says who is
// calling (and whether they may), a draining server answers UNAVAILABLE, and
// a call whose deadline has passed or that was cancelled is refused before
// anything is written. Then the request goes to the Ledger. Mutations finish
// their reactor from the Ledger's `done` callback (on the committer thread),
// so no gRPC thread waits for an fsync; reads call the Ledger synchronously.
// Every error is the Ledger's absl::Status carried over by ToGrpcStatus, code
// and message unchanged.
//
// WatchClaims streams are WatchReactors; the service caps how many are open
// at once, in all and per principal. For shutdown, Drain() refuses new calls and ends open streams, and
// WaitUntilIdle() tells when every admitted call has been answered.
#ifndef CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_
#define CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/core/ledger.h"
#include "server/core/principal.h"
#include "server/service/authorizer.h"
#include "server/service/parsing_service.h"
#include "server/service/task_thread.h"

namespace claimtrail {
namespace service {

class WatchReactor;

struct ServiceOptions {
  // Most WatchClaims streams open at once; more are RESOURCE_EXHAUSTED.
  int max_watchers = 256;
  // Most WatchClaims streams one principal may have open at once; more are
  // RESOURCE_EXHAUSTED (so one caller cannot take every stream).
  int max_watchers_per_principal = 128;
};

class ClaimTrailService final
    : public ParsingService<ClaimTrailService, v1::ClaimTrail> {
 public:
  // `ledger` and `authorizer` are not owned and must outlive the service.
  // The service must outlive the grpc::Server it is registered with (every
  // call's reactor refers to it).
  ClaimTrailService(core::Ledger* ledger, Authorizer* authorizer,
                    ServiceOptions options);
  ~ClaimTrailService() override;

  // Starts draining for shutdown: from now on every new call is answered
  // UNAVAILABLE ("server is shutting down"), and every open WatchClaims
  // stream ends with UNAVAILABLE (the message says how to resume). Calls
  // already admitted run to completion. Thread-safe, idempotent.
  void Drain();

  // Waits until no call is in flight (every admitted call's reactor is done,
  // every watch stream closed) or `deadline` passes. True when idle.
  // Thread-safe. Meant for after Drain(), so that grpc::Server::Shutdown need
  // not wait out its deadline on idle client connections.
  bool WaitUntilIdle(absl::Time deadline);

  // Asks the Authorizer again about every open WatchClaims stream, and ends
  // those it now refuses (UNAUTHENTICATED or PERMISSION_DENIED, e.g. their
  // token was just revoked) with its status. Call after a revocation, so
  // that it takes effect on streams opened before it too. Thread-safe; must
  // not be called from an Authorizer.
  void ReauthorizeWatches();

  // ---- claimtrail.v1.ClaimTrail. Contracts: service.proto. Each handler
  // gets a request that parsed; unary ones may use it until their reactor
  // is done, WatchClaims only until it returns (it keeps a copy).
  grpc::ServerUnaryReactor* GetServerInfo(grpc::CallbackServerContext* ctx,
                                          const v1::GetServerInfoRequest* req,
                                          v1::ServerInfo* resp) override;
  grpc::ServerUnaryReactor* CreateSource(grpc::CallbackServerContext* ctx,
                                         const v1::CreateSourceRequest* req,
                                         v1::Source* resp) override;
  grpc::ServerUnaryReactor* GetSource(grpc::CallbackServerContext* ctx,
                                      const v1::GetSourceRequest* req,
                                      v1::Source* resp) override;
  grpc::ServerUnaryReactor* ListSources(grpc::CallbackServerContext* ctx,
                                        const v1::ListSourcesRequest* req,
                                        v1::ListSourcesResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateSource(grpc::CallbackServerContext* ctx,
                                         const v1::UpdateSourceRequest* req,
                                         v1::Source* resp) override;
  grpc::ServerUnaryReactor* CreateClaim(grpc::CallbackServerContext* ctx,
                                        const v1::CreateClaimRequest* req,
                                        v1::Claim* resp) override;
  grpc::ServerUnaryReactor* GetClaim(grpc::CallbackServerContext* ctx,
                                     const v1::GetClaimRequest* req,
                                     v1::Claim* resp) override;
  grpc::ServerUnaryReactor* ListClaims(grpc::CallbackServerContext* ctx,
                                       const v1::ListClaimsRequest* req,
                                       v1::ListClaimsResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateClaim(grpc::CallbackServerContext* ctx,
                                        const v1::UpdateClaimRequest* req,
                                        v1::Claim* resp) override;
  grpc::ServerUnaryReactor* AddAttribution(grpc::CallbackServerContext* ctx,
                                           const v1::AddAttributionRequest* req,
                                           v1::Claim* resp) override;
  grpc::ServerUnaryReactor* ReviseFigure(grpc::CallbackServerContext* ctx,
                                         const v1::ReviseFigureRequest* req,
                                         v1::Claim* resp) override;
  grpc::ServerUnaryReactor* RecordStance(grpc::CallbackServerContext* ctx,
                                         const v1::RecordStanceRequest* req,
                                         v1::Claim* resp) override;
  grpc::ServerUnaryReactor* RecordVerdict(grpc::CallbackServerContext* ctx,
                                          const v1::RecordVerdictRequest* req,
                                          v1::Claim* resp) override;
  grpc::ServerUnaryReactor* AddAppearance(grpc::CallbackServerContext* ctx,
                                          const v1::AddAppearanceRequest* req,
                                          v1::Claim* resp) override;
  grpc::ServerUnaryReactor* LinkClaims(grpc::CallbackServerContext* ctx,
                                       const v1::LinkClaimsRequest* req,
                                       v1::Claim* resp) override;
  grpc::ServerUnaryReactor* MergeClaims(grpc::CallbackServerContext* ctx,
                                        const v1::MergeClaimsRequest* req,
                                        v1::Claim* resp) override;
  grpc::ServerUnaryReactor* RetractClaim(grpc::CallbackServerContext* ctx,
                                         const v1::RetractClaimRequest* req,
                                         v1::Claim* resp) override;
  grpc::ServerUnaryReactor* RedactEvent(grpc::CallbackServerContext* ctx,
                                        const v1::RedactEventRequest* req,
                                        v1::Event* resp) override;
  grpc::ServerUnaryReactor* ListClaimEvents(
      grpc::CallbackServerContext* ctx, const v1::ListClaimEventsRequest* req,
      v1::ListClaimEventsResponse* resp) override;
  grpc::ServerUnaryReactor* DiffClaim(grpc::CallbackServerContext* ctx,
                                      const v1::DiffClaimRequest* req,
                                      v1::DiffClaimResponse* resp) override;
  grpc::ServerUnaryReactor* SearchClaims(
      grpc::CallbackServerContext* ctx, const v1::SearchClaimsRequest* req,
      v1::SearchClaimsResponse* resp) override;
  grpc::ServerWriteReactor<v1::WatchClaimsResponse>* WatchClaims(
      grpc::CallbackServerContext* ctx,
      const v1::WatchClaimsRequest* req) override;

 private:
  friend class ParsingService<ClaimTrailService, v1::ClaimTrail>;

  template <typename Request, typename Response>
  using LedgerMutation = void (core::Ledger::*)(const core::Principal&,
                                                const Request&,
                                                core::Done<Response>);
  class UnaryReactor;

  // The one gate every handler passes first: authorization, then whether
  // the server still takes calls (UNAVAILABLE while draining), then the
  // call's liveness (DEADLINE_EXCEEDED / CANCELLED if the client no longer
  // waits). A refusal with a retry delay adds the "retry-after-ms" trailing
  // metadata to `ctx`.
  absl::StatusOr<core::Principal> Admit(grpc::CallbackServerContext* ctx,
                                        RpcMethod method);

  // A call whose request did not parse: admitted as any call (its refusal
  // wins), then finished with explain()'s INVALID_ARGUMENT (ParsingService).
  grpc::ServerUnaryReactor* RefuseUnparsed(
      grpc::CallbackServerContext* ctx, RpcMethod method,
      absl::FunctionRef<absl::Status()> explain);
  grpc::ServerWriteReactor<v1::WatchClaimsResponse>* RefuseUnparsedStream(
      grpc::CallbackServerContext* ctx, RpcMethod method,
      absl::FunctionRef<absl::Status()> explain);

  // Mutations: admitted, then handed to the Ledger; answered from `done`.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* ctx,
                                   RpcMethod method, const Request* req,
                                   Response* resp,
                                   LedgerMutation<Request, Response> mutation);
  // Reads: `read()` returns the response or the Ledger's error.
  template <typename Response, typename ReadFn>
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* ctx,
                                 RpcMethod method, Response* resp, ReadFn read);

  // A unary call's reactor is created / done.
  void CallStarted();
  void CallDone();

  core::Ledger* const ledger_;
  Authorizer* const authorizer_;
  const ServiceOptions options_;

  absl::Mutex mu_;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  // Unary calls whose reactor is not done yet.
  int calls_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // Open streams, for Drain and the limits. Weak: a stream owns itself.
  struct OpenWatch {
    std::weak_ptr<WatchReactor> reactor;
    std::string principal;
    // The call's context: valid while the entry exists (the entry is erased
    // in the reactor's OnDone, before gRPC releases the context).
    const grpc::CallbackServerContext* ctx;
  };
  std::map<const WatchReactor*, OpenWatch> watches_ ABSL_GUARDED_BY(mu_);

  // Runs watchers' pumps woken by commits. Declared last: destroyed first,
  // finishing queued pumps while everything above is still alive.
  TaskThread waker_;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_
