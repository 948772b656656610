// ClaimTrailClient: the C++ client library for the claimtrail.v1 API.
//
// One method per RPC, each returning absl::Status(Or) with the server's code
// and message unchanged (grpc::Status -> absl::Status, same code and text).
// What the library adds over the raw stub:
//   - a deadline on every unary call (ClientOptions.default_deadline);
//   - an idempotency key: mutating requests with an empty request_id get a
//     fresh random UUIDv4 before the first attempt;
//   - retries of UNAVAILABLE (the server was unreachable or restarting) with
//     exponential backoff, up to ClientOptions.max_retries, REUSING the same
//     request_id so a retried write is applied at most once (the server
//     answers a repeat with the first response). Other codes are final:
//     retrying INVALID_ARGUMENT or ABORTED cannot succeed, and
//     DEADLINE_EXCEEDED means the time budget is spent;
//   - when ClientOptions.token is set, the metadata
//     "authorization: Bearer <token>" on every call;
//   - TLS from PEM files (ClientOptions.tls), mutual TLS with a client
//     certificate;
//   - the Admin service's token RPCs beside the ClaimTrail ones, over the
//     same channel.
//
// Thread safety: a ClaimTrailClient is immutable after construction; every
// method may be called from any thread concurrently (gRPC stubs are
// thread-safe).
#ifndef CLAIMTRAIL_CLIENT_CLAIMTRAIL_CLIENT_H_
#define CLAIMTRAIL_CLIENT_CLAIMTRAIL_CLIENT_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"
#include "proto/claimtrail/v1/admin.pb.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace client {

struct TlsOptions {
  // Connect over TLS. Implied when any file below is set.
  bool enabled = false;
  // PEM CA certificates that must have signed the server's certificate.
  // Empty: the system's root CAs.
  std::string ca_file;
  // PEM client certificate chain and its private key, for a server that
  // requires mutual TLS. Both or neither.
  std::string cert_file;
  std::string key_file;
  // Check the server's certificate against this name instead of the host
  // of server_address. Empty: the host.
  std::string server_name_override;
};

struct ClientOptions {
  // "host:port" of claimtraild. Used by Connect only.
  std::string server_address = "127.0.0.1:50051";
  // Time budget of one unary call, shared by all its retry attempts.
  absl::Duration default_deadline = absl::Seconds(10);
  // Extra attempts after the first one fails with UNAVAILABLE. 0: no retry.
  int max_retries = 3;
  // Backoff before retry n (1-based) is initial_backoff * 2^(n-1), capped at
  // max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  // Bearer token; when non-empty every call carries the metadata
  // "authorization: Bearer <token>".
  std::string token;
  // TLS for Connect (see TlsOptions). Off: plaintext.
  TlsOptions tls;
  // Channel credentials for Connect; when set they replace `tls`.
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials;
  // How the client waits between retries; tests inject a no-op.
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) {
    absl::SleepFor(d);
  };
};

// Options of one WatchClaims stream.
struct WatchOptions {
  // Deadline of the whole stream. Infinite by default: a change feed is
  // meant to stay open; stop it with `cancel` or the callback instead.
  absl::Duration deadline = absl::InfiniteDuration();
  // When set, WatchClaims returns (OK) soon after *cancel becomes true
  // (polled every `cancel_poll_interval`).
  const std::atomic<bool>* cancel = nullptr;
  absl::Duration cancel_poll_interval = absl::Milliseconds(50);
};

// A fresh random UUIDv4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case
// hex), suitable as a request_id. Thread-safe.
std::string NewRequestId();

// Same code and message. Thread-safe, pure.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The channel credentials Connect uses for `options`: channel_credentials
// if set; else TLS when options.tls asks for it (the PEM files are read
// now); else insecure.
// INVALID_ARGUMENT: a file cannot be read ("tls.ca_file: cannot read ..."),
// or only one of cert_file and key_file is given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFor(const ClientOptions& options);

class ClaimTrailClient {
 public:
  // Opens a channel to options.server_address with ChannelCredentialsFor
  // (options) and returns a client over it.
  // INVALID_ARGUMENT if the address is empty or the TLS options are bad.
  // Does not wait for the server: an unreachable server shows up as
  // UNAVAILABLE on the first call (a TLS handshake failure too).
  static absl::StatusOr<std::unique_ptr<ClaimTrailClient>> Connect(
      const ClientOptions& options);

  // A client over `stub` (a real stub, or a mock in tests) and, for the
  // token RPCs, `admin_stub`. `stub` must not be null; without
  // `admin_stub` the token RPCs answer UNIMPLEMENTED.
  ClaimTrailClient(std::shared_ptr<v1::ClaimTrail::StubInterface> stub,
                   ClientOptions options);
  ClaimTrailClient(std::shared_ptr<v1::ClaimTrail::StubInterface> stub,
                   std::shared_ptr<v1::Admin::StubInterface> admin_stub,
                   ClientOptions options);

  const ClientOptions& options() const { return options_; }

  // ---- Reads. Retried on UNAVAILABLE (reads are naturally idempotent).
  // Errors are the server's: NOT_FOUND names the resource, INVALID_ARGUMENT
  // the field; UNAVAILABLE when the server cannot be reached after all
  // retries; DEADLINE_EXCEEDED when the time budget ran out.
  absl::StatusOr<v1::ServerInfo> GetServerInfo() const;
  absl::StatusOr<v1::Source> GetSource(
      const v1::GetSourceRequest& request) const;
  absl::StatusOr<v1::ListSourcesResponse> ListSources(
      const v1::ListSourcesRequest& request) const;
  absl::StatusOr<v1::Claim> GetClaim(const v1::GetClaimRequest& request) const;
  absl::StatusOr<v1::ListClaimsResponse> ListClaims(
      const v1::ListClaimsRequest& request) const;
  absl::StatusOr<v1::ListClaimEventsResponse> ListClaimEvents(
      const v1::ListClaimEventsRequest& request) const;
  absl::StatusOr<v1::DiffClaimResponse> DiffClaim(
      const v1::DiffClaimRequest& request) const;
  absl::StatusOr<v1::SearchClaimsResponse> SearchClaims(
      const v1::SearchClaimsRequest& request) const;

  // ---- Mutations. An empty request_id is replaced by NewRequestId(); the
  // same id is sent on every retry, so OK means the change was applied
  // exactly once. Errors as for reads, plus ABORTED (stale etag),
  // ALREADY_EXISTS (id taken) and FAILED_PRECONDITION (claim in the wrong
  // state, e.g. merged).
  absl::StatusOr<v1::Source> CreateSource(
      v1::CreateSourceRequest request) const;
  absl::StatusOr<v1::Source> UpdateSource(
      v1::UpdateSourceRequest request) const;
  absl::StatusOr<v1::Claim> CreateClaim(v1::CreateClaimRequest request) const;
  absl::StatusOr<v1::Claim> UpdateClaim(v1::UpdateClaimRequest request) const;
  absl::StatusOr<v1::Claim> AddAttribution(
      v1::AddAttributionRequest request) const;
  absl::StatusOr<v1::Claim> ReviseFigure(v1::ReviseFigureRequest request) const;
  absl::StatusOr<v1::Claim> RecordStance(v1::RecordStanceRequest request) const;
  absl::StatusOr<v1::Claim> RecordVerdict(
      v1::RecordVerdictRequest request) const;
  absl::StatusOr<v1::Claim> AddAppearance(
      v1::AddAppearanceRequest request) const;
  absl::StatusOr<v1::Claim> LinkClaims(v1::LinkClaimsRequest request) const;
  absl::StatusOr<v1::Claim> MergeClaims(v1::MergeClaimsRequest request) const;
  absl::StatusOr<v1::Claim> RetractClaim(v1::RetractClaimRequest request) const;
  absl::StatusOr<v1::Event> RedactEvent(v1::RedactEventRequest request) const;

  // ---- API tokens (claimtrail.v1.Admin; the caller needs the admin role,
  // else PERMISSION_DENIED). CreateToken is sent once, never retried: a
  // repeat would issue a second token. The others retry on UNAVAILABLE
  // (RevokeToken is idempotent).
  absl::StatusOr<v1::CreateTokenResponse> CreateToken(
      const v1::CreateTokenRequest& request) const;
  absl::StatusOr<v1::Token> GetToken(const v1::GetTokenRequest& request) const;
  absl::StatusOr<v1::ListTokensResponse> ListTokens(
      const v1::ListTokensRequest& request) const;
  absl::StatusOr<v1::Token> RevokeToken(
      const v1::RevokeTokenRequest& request) const;

  // ---- Change feed. Calls `on_event` for each response, in order, on the
  // calling thread; returns when the server ends the stream, when
  // `on_event` returns false, or when *watch.cancel becomes true — all OK.
  // If the connection drops (UNAVAILABLE) after some events arrived, the
  // stream is reopened from the last sequence seen (up to max_retries
  // times), so no event is delivered twice or skipped. Errors: the server's
  // (INVALID_ARGUMENT for a malformed filter, NOT_FOUND for an absent claim
  // or source), UNAVAILABLE when the server cannot be reached.
  absl::Status WatchClaims(
      const v1::WatchClaimsRequest& request,
      const std::function<bool(const v1::WatchClaimsResponse&)>& on_event,
      const WatchOptions& watch = WatchOptions()) const;

 private:
  // Signature shared by every unary stub method.
  template <typename Request, typename Response>
  using UnaryRpc = grpc::Status (v1::ClaimTrail::StubInterface::*)(
      grpc::ClientContext*, const Request&, Response*);

  // Runs `rpc` with a deadline, the auth metadata and UNAVAILABLE retries.
  template <typename Request, typename Response>
  absl::StatusOr<Response> CallUnary(UnaryRpc<Request, Response> rpc,
                                     const Request& request) const {
    return CallUnaryOn(*stub_, rpc, request, options_.max_retries);
  }

  // CallUnary on any stub, with at most `max_retries` retries.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> CallUnaryOn(
      Stub& stub,
      grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                Response*),
      const Request& request, int max_retries) const;

  // CallUnaryOn the Admin stub; UNIMPLEMENTED without one.
  template <typename Request, typename Response>
  absl::StatusOr<Response> CallAdmin(
      grpc::Status (v1::Admin::StubInterface::*rpc)(grpc::ClientContext*,
                                                    const Request&, Response*),
      const Request& request, int max_retries) const;

  // Sets the deadline (if finite) and auth metadata on a fresh context.
  void PrepareContext(grpc::ClientContext& context, absl::Time deadline) const;

  // One streaming attempt; `last_sequence` is updated per delivered event.
  // Sets *stopped when the caller asked to stop (callback or cancel flag).
  absl::Status WatchOnce(
      const v1::WatchClaimsRequest& request,
      const std::function<bool(const v1::WatchClaimsResponse&)>& on_event,
      const WatchOptions& watch, absl::Time deadline, uint64_t& last_sequence,
      bool& stopped) const;

  absl::Duration BackoffBefore(int retry) const;

  std::shared_ptr<v1::ClaimTrail::StubInterface> stub_;
  std::shared_ptr<v1::Admin::StubInterface> admin_stub_;
  ClientOptions options_;
};

}  // namespace client
}  // namespace claimtrail

#endif  // CLAIMTRAIL_CLIENT_CLAIMTRAIL_CLIENT_H_
