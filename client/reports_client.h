// ReportsClient: the C++ client of claimtrail.v1.Reports (sourcing audit
// reports, exports, imports), beside ClaimTrailClient and with the same
// ClientOptions: server address, TLS, bearer token, deadline and UNAVAILABLE
// retries with backoff.
//
// Every call is safe to retry: reports and exports are reads, and an
// import's writes carry request_ids derived from the file's content, so a
// repeated import writes nothing new. Errors are the server's, code and
// message unchanged (FromGrpcStatus).
//
// Messages may be large (an HTML report, an export of every claim, an
// import of a big file): the channel accepts responses of any size; the
// server limits requests (claimtraild --max_message_bytes, 4 MiB by
// default), and a larger import is RESOURCE_EXHAUSTED.
//
// Thread safety: immutable after construction; every method may be called
// from any thread concurrently.
#ifndef CLAIMTRAIL_CLIENT_REPORTS_CLIENT_H_
#define CLAIMTRAIL_CLIENT_REPORTS_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/claimtrail_client.h"
#include "proto/claimtrail/v1/report.pb.h"
#include "proto/claimtrail/v1/reports_service.grpc.pb.h"

namespace claimtrail {
namespace client {

// An import's time budget is at least this long, whatever
// ClientOptions.default_deadline says: a large file takes a while to write.
inline constexpr absl::Duration kMinImportDeadline = absl::Minutes(10);

class ReportsClient {
 public:
  // Opens a channel to options.server_address (ChannelCredentialsFor
  // (options)) and returns a client over it. INVALID_ARGUMENT if the address
  // is empty or the TLS options are bad. Does not wait for the server.
  static absl::StatusOr<std::unique_ptr<ReportsClient>> Connect(
      const ClientOptions& options);

  // A client over `stub` (real or mock; not null).
  ReportsClient(std::shared_ptr<v1::Reports::StubInterface> stub,
                ClientOptions options);

  // The audit report (reports_service.proto). Needs the auditor or admin
  // role (else PERMISSION_DENIED). INVALID_ARGUMENT names the field;
  // NOT_FOUND for an absent named claim.
  absl::StatusOr<v1::AuditReport> AuditReport(
      const v1::AuditReportRequest& request) const;

  // The export (reports_service.proto). Needs the auditor or admin role.
  absl::StatusOr<v1::ExportResponse> ExportClaims(
      const v1::ExportRequest& request) const;

  // The import (reports_service.proto). Needs the admin role. OK also when
  // some rows failed: see ImportResponse.errors. Deadline: the larger of
  // default_deadline and kMinImportDeadline.
  absl::StatusOr<v1::ImportResponse> ImportClaims(
      const v1::ImportRequest& request) const;

 private:
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      grpc::Status (v1::Reports::StubInterface::*rpc)(grpc::ClientContext*,
                                                      const Request&,
                                                      Response*),
      const Request& request, absl::Duration budget) const;

  std::shared_ptr<v1::Reports::StubInterface> stub_;
  ClientOptions options_;
};

}  // namespace client
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_REPORTS_CLIENT_H_
