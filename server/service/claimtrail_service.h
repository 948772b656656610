// ClaimTrailService: the thin gRPC adapter over core::Ledger.
//
// Each handler (1) asks the Authorizer who is calling (Admit), (2) refuses a
// call whose deadline has passed or that was cancelled, and (3) hands the
// request to the Ledger. Mutations finish their reactor from the Ledger's
// `done` callback (on the committer thread), so no gRPC thread waits for an
// fsync. Reads call the Ledger synchronously. Every error is the Ledger's
// absl::Status carried over by ToGrpcStatus, code and message unchanged.
//
// WatchClaims streams are WatchReactors; the service caps how many are open
// at once and can end them all for shutdown.
#ifndef CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_
#define CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_

#include <map>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/core/ledger.h"
#include "server/core/principal.h"
#include "server/service/authorizer.h"
#include "server/service/task_thread.h"

namespace claimtrail {
namespace service {

class WatchReactor;

struct ServiceOptions {
  // Most WatchClaims streams open at once; more are RESOURCE_EXHAUSTED.
  int max_watchers = 256;
};

class ClaimTrailService final : public v1::ClaimTrail::CallbackService {
 public:
  // `ledger` and `authorizer` are not owned and must outlive the service.
  // The service must outlive the grpc::Server it is registered with (every
  // call's reactor refers to it).
  ClaimTrailService(core::Ledger* ledger, Authorizer* authorizer,
                    ServiceOptions options);
  ~ClaimTrailService() override;

  // Ends every open WatchClaims stream with UNAVAILABLE (the message gives
  // the sequence to resume after) and refuses new ones. Call before
  // grpc::Server::Shutdown so that shutdown is not held up until its
  // deadline by streams that would never end. Thread-safe, idempotent.
  void StopWatches();

  // Number of WatchClaims streams currently open. Thread-safe.
  int OpenWatchCount() const;

  // ---- claimtrail.v1.ClaimTrail. Contracts: service.proto.
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
  grpc::ServerUnaryReactor* AddAttribution(
      grpc::CallbackServerContext* ctx, const v1::AddAttributionRequest* req,
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
  template <typename Request, typename Response>
  using LedgerMutation = void (core::Ledger::*)(const core::Principal&,
                                                const Request&,
                                                core::Done<Response>);
  // The one gate every handler passes first: authorization, then the call's
  // liveness (DEADLINE_EXCEEDED / CANCELLED if the client no longer waits).
  absl::StatusOr<core::Principal> Admit(const grpc::CallbackServerContext& ctx,
                                        RpcMethod method);

  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* ctx,
                                   RpcMethod method, const Request* req,
                                   Response* resp,
                                   LedgerMutation<Request, Response> mutation);
  // Reads: `read()` returns the response or the Ledger's error.
  template <typename Response, typename ReadFn>
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* ctx,
                                 RpcMethod method, Response* resp,
                                 ReadFn read);

  core::Ledger* const ledger_;
  Authorizer* const authorizer_;
  const ServiceOptions options_;

  mutable absl::Mutex watches_mu_;
  // Open streams, for StopWatches. Weak: a stream owns itself.
  std::map<const WatchReactor*, std::weak_ptr<WatchReactor>> watches_
      ABSL_GUARDED_BY(watches_mu_);
  bool watches_stopped_ ABSL_GUARDED_BY(watches_mu_) = false;

  // Runs watchers' pumps woken by commits. Declared last: destroyed first,
  // finishing queued pumps while everything above is still alive.
  TaskThread waker_;
};

}  // namespace service
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVICE_CLAIMTRAIL_SERVICE_H_
