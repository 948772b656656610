#include "client/reports_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"

namespace claimtrail {
namespace client {

absl::StatusOr<std::unique_ptr<ReportsClient>> ReportsClient::Connect(
    const ClientOptions& options) {
  if (options.server_address.empty()) {
    return absl::InvalidArgumentError("server_address: must not be empty");
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments args;
  if (!options.tls.server_name_override.empty()) {
    args.SetSslTargetNameOverride(options.tls.server_name_override);
  }
  // Reports and exports can be far larger than gRPC's default 4 MiB.
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.server_address, *credentials, args);
  return std::make_unique<ReportsClient>(v1::Reports::NewStub(channel),
                                         options);
}

ReportsClient::ReportsClient(std::shared_ptr<v1::Reports::StubInterface> stub,
                             ClientOptions options)
    : stub_(std::move(stub)), options_(std::move(options)) {}

template <typename Request, typename Response>
absl::StatusOr<Response> ReportsClient::Call(
    grpc::Status (v1::Reports::StubInterface::*rpc)(grpc::ClientContext*,
                                                    const Request&, Response*),
    const Request& request, absl::Duration budget) const {
  const absl::Time deadline = absl::Now() + budget;
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    if (deadline != absl::InfiniteFuture()) {
      context.set_deadline(absl::ToChronoTime(deadline));
    }
    if (!options_.token.empty()) {
      context.AddMetadata("authorization",
                          absl::StrCat("Bearer ", options_.token));
    }
    Response response;
    const grpc::Status status = ((*stub_).*rpc)(&context, request, &response);
    if (status.ok()) return response;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        attempt >= options_.max_retries) {
      return FromGrpcStatus(status);
    }
    absl::Duration backoff = options_.initial_backoff;
    for (int i = 0; i < attempt && backoff < options_.max_backoff; ++i) {
      backoff *= 2;
    }
    backoff = std::min(backoff, options_.max_backoff);
    if (absl::Now() + backoff >= deadline) return FromGrpcStatus(status);
    options_.sleep(backoff);
  }
}

absl::StatusOr<v1::AuditReport> ReportsClient::AuditReport(
    const v1::AuditReportRequest& request) const {
  return Call(&v1::Reports::StubInterface::AuditReport, request,
              options_.default_deadline);
}

absl::StatusOr<v1::ExportResponse> ReportsClient::ExportClaims(
    const v1::ExportRequest& request) const {
  return Call(&v1::Reports::StubInterface::ExportClaims, request,
              options_.default_deadline);
}

absl::StatusOr<v1::ImportResponse> ReportsClient::ImportClaims(
    const v1::ImportRequest& request) const {
  return Call(&v1::Reports::StubInterface::ImportClaims, request,
              std::max(options_.default_deadline, kMinImportDeadline));
}

}  // namespace client
}  // namespace claimtrail
