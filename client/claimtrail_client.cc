#include "client/claimtrail_client.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace claimtrail {
namespace client {
namespace {

std::chrono::system_clock::time_point ToChrono(absl::Time t) {
  return std::chrono::system_clock::from_time_t(0) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             absl::ToChronoNanoseconds(t - absl::UnixEpoch()));
}

absl::StatusOr<std::string> ReadPemFile(absl::string_view option,
                                        const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": ", path, " is not a PEM file"));
  }
  return text.str();
}

// Fills request_id with a fresh UUID when the caller left it empty.
template <typename Request>
void EnsureRequestId(Request& request) {
  if (request.request_id().empty()) request.set_request_id(NewRequestId());
}

}  // namespace

std::string NewRequestId() {
  // absl::BitGen is seeded from OS entropy per instance; one per thread keeps
  // this thread-safe without a lock.
  thread_local absl::BitGen gen;
  uint64_t high = absl::Uniform<uint64_t>(gen);
  uint64_t low = absl::Uniform<uint64_t>(gen);
  // RFC 4122 section 4.4: version 4 in bits 12-15 of time_hi_and_version,
  // variant 10 in the top bits of clock_seq_hi_and_reserved.
  high = (high & ~uint64_t{0xF000}) | uint64_t{0x4000};
  low = (low & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32,
                         (high >> 16) & 0xFFFF, high & 0xFFFF, low >> 48,
                         low & uint64_t{0xFFFFFFFFFFFF});
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  // grpc::StatusCode and absl::StatusCode share the canonical numbering.
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFor(const ClientOptions& options) {
  if (options.channel_credentials) return options.channel_credentials;
  const TlsOptions& tls = options.tls;
  if (!tls.enabled && tls.ca_file.empty() && tls.cert_file.empty() &&
      tls.key_file.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        tls.cert_file.empty() ? "tls.cert_file" : "tls.key_file",
        ": required with ",
        tls.cert_file.empty() ? "tls.key_file" : "tls.cert_file"));
  }
  grpc::SslCredentialsOptions ssl;
  if (!tls.ca_file.empty()) {
    absl::StatusOr<std::string> ca = ReadPemFile("tls.ca_file", tls.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!tls.cert_file.empty()) {
    absl::StatusOr<std::string> cert =
        ReadPemFile("tls.cert_file", tls.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPemFile("tls.key_file", tls.key_file);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::unique_ptr<ClaimTrailClient>> ClaimTrailClient::Connect(
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
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.server_address, *credentials, args);
  return std::make_unique<ClaimTrailClient>(v1::ClaimTrail::NewStub(channel),
                                            v1::Admin::NewStub(channel),
                                            options);
}

ClaimTrailClient::ClaimTrailClient(
    std::shared_ptr<v1::ClaimTrail::StubInterface> stub, ClientOptions options)
    : ClaimTrailClient(std::move(stub), nullptr, std::move(options)) {}

ClaimTrailClient::ClaimTrailClient(
    std::shared_ptr<v1::ClaimTrail::StubInterface> stub,
    std::shared_ptr<v1::Admin::StubInterface> admin_stub,
    ClientOptions options)
    : stub_(std::move(stub)),
      admin_stub_(std::move(admin_stub)),
      options_(std::move(options)) {}

void ClaimTrailClient::PrepareContext(grpc::ClientContext& context,
                                      absl::Time deadline) const {
  if (deadline != absl::InfiniteFuture()) {
    context.set_deadline(ToChrono(deadline));
  }
  if (!options_.token.empty()) {
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", options_.token));
  }
}

absl::Duration ClaimTrailClient::BackoffBefore(int retry) const {
  absl::Duration backoff = options_.initial_backoff;
  for (int i = 1; i < retry && backoff < options_.max_backoff; ++i) {
    backoff *= 2;
  }
  return std::min(backoff, options_.max_backoff);
}

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> ClaimTrailClient::CallUnaryOn(
    Stub& stub,
    grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, int max_retries) const {
  // One budget for all attempts: a caller's timeout bounds the whole call.
  const absl::Time deadline = absl::Now() + options_.default_deadline;
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    PrepareContext(context, deadline);
    Response response;
    grpc::Status status = (stub.*rpc)(&context, request, &response);
    if (status.ok()) return response;
    const bool retryable = status.error_code() == grpc::StatusCode::UNAVAILABLE;
    if (!retryable || attempt >= max_retries) {
      return FromGrpcStatus(status);
    }
    const absl::Duration backoff = BackoffBefore(attempt + 1);
    if (absl::Now() + backoff >= deadline) return FromGrpcStatus(status);
    options_.sleep(backoff);
  }
}

absl::StatusOr<v1::ServerInfo> ClaimTrailClient::GetServerInfo() const {
  return CallUnary(&v1::ClaimTrail::StubInterface::GetServerInfo,
                   v1::GetServerInfoRequest());
}

absl::StatusOr<v1::Source> ClaimTrailClient::GetSource(
    const v1::GetSourceRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::GetSource, request);
}

absl::StatusOr<v1::ListSourcesResponse> ClaimTrailClient::ListSources(
    const v1::ListSourcesRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::ListSources, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::GetClaim(
    const v1::GetClaimRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::GetClaim, request);
}

absl::StatusOr<v1::ListClaimsResponse> ClaimTrailClient::ListClaims(
    const v1::ListClaimsRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::ListClaims, request);
}

absl::StatusOr<v1::ListClaimEventsResponse> ClaimTrailClient::ListClaimEvents(
    const v1::ListClaimEventsRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::ListClaimEvents, request);
}

absl::StatusOr<v1::DiffClaimResponse> ClaimTrailClient::DiffClaim(
    const v1::DiffClaimRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::DiffClaim, request);
}

absl::StatusOr<v1::SearchClaimsResponse> ClaimTrailClient::SearchClaims(
    const v1::SearchClaimsRequest& request) const {
  return CallUnary(&v1::ClaimTrail::StubInterface::SearchClaims, request);
}

absl::StatusOr<v1::Source> ClaimTrailClient::CreateSource(
    v1::CreateSourceRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::CreateSource, request);
}

absl::StatusOr<v1::Source> ClaimTrailClient::UpdateSource(
    v1::UpdateSourceRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::UpdateSource, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::CreateClaim(
    v1::CreateClaimRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::CreateClaim, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::UpdateClaim(
    v1::UpdateClaimRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::UpdateClaim, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::AddAttribution(
    v1::AddAttributionRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::AddAttribution, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::ReviseFigure(
    v1::ReviseFigureRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::ReviseFigure, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::RecordStance(
    v1::RecordStanceRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::RecordStance, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::RecordVerdict(
    v1::RecordVerdictRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::RecordVerdict, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::AddAppearance(
    v1::AddAppearanceRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::AddAppearance, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::LinkClaims(
    v1::LinkClaimsRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::LinkClaims, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::MergeClaims(
    v1::MergeClaimsRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::MergeClaims, request);
}

absl::StatusOr<v1::Claim> ClaimTrailClient::RetractClaim(
    v1::RetractClaimRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::RetractClaim, request);
}

absl::StatusOr<v1::Event> ClaimTrailClient::RedactEvent(
    v1::RedactEventRequest request) const {
  EnsureRequestId(request);
  return CallUnary(&v1::ClaimTrail::StubInterface::RedactEvent, request);
}

template <typename Request, typename Response>
absl::StatusOr<Response> ClaimTrailClient::CallAdmin(
    grpc::Status (v1::Admin::StubInterface::*rpc)(grpc::ClientContext*,
                                                  const Request&, Response*),
    const Request& request, int max_retries) const {
  if (admin_stub_ == nullptr) {
    return absl::UnimplementedError("this client has no Admin stub");
  }
  return CallUnaryOn(*admin_stub_, rpc, request, max_retries);
}

absl::StatusOr<v1::CreateTokenResponse> ClaimTrailClient::CreateToken(
    const v1::CreateTokenRequest& request) const {
  return CallAdmin(&v1::Admin::StubInterface::CreateToken, request,
                   /*max_retries=*/0);
}

absl::StatusOr<v1::Token> ClaimTrailClient::GetToken(
    const v1::GetTokenRequest& request) const {
  return CallAdmin(&v1::Admin::StubInterface::GetToken, request,
                   options_.max_retries);
}

absl::StatusOr<v1::ListTokensResponse> ClaimTrailClient::ListTokens(
    const v1::ListTokensRequest& request) const {
  return CallAdmin(&v1::Admin::StubInterface::ListTokens, request,
                   options_.max_retries);
}

absl::StatusOr<v1::Token> ClaimTrailClient::RevokeToken(
    const v1::RevokeTokenRequest& request) const {
  return CallAdmin(&v1::Admin::StubInterface::RevokeToken, request,
                   options_.max_retries);
}

absl::Status ClaimTrailClient::WatchClaims(
    const v1::WatchClaimsRequest& request,
    const std::function<bool(const v1::WatchClaimsResponse&)>& on_event,
    const WatchOptions& watch) const {
  const absl::Time deadline = watch.deadline == absl::InfiniteDuration()
                                  ? absl::InfiniteFuture()
                                  : absl::Now() + watch.deadline;
  v1::WatchClaimsRequest attempt_request = request;
  uint64_t last_sequence = 0;
  int failures = 0;
  while (true) {
    bool stopped = false;
    const uint64_t sequence_before = last_sequence;
    absl::Status status = WatchOnce(attempt_request, on_event, watch, deadline,
                                    last_sequence, stopped);
    if (stopped || status.ok()) return absl::OkStatus();
    if (status.code() != absl::StatusCode::kUnavailable) return status;
    // Progress resets the budget: the retries are for consecutive failures.
    if (last_sequence != sequence_before) failures = 0;
    if (++failures > options_.max_retries) return status;
    if (last_sequence > 0) {
      // Resume right after the last delivered event: no gap, no repeat.
      attempt_request.set_after_sequence(last_sequence);
      attempt_request.set_from_now(false);
    }
    const absl::Duration backoff = BackoffBefore(failures);
    if (absl::Now() + backoff >= deadline) return status;
    options_.sleep(backoff);
    if (watch.cancel != nullptr && watch.cancel->load()) {
      return absl::OkStatus();
    }
  }
}

absl::Status ClaimTrailClient::WatchOnce(
    const v1::WatchClaimsRequest& request,
    const std::function<bool(const v1::WatchClaimsResponse&)>& on_event,
    const WatchOptions& watch, absl::Time deadline, uint64_t& last_sequence,
    bool& stopped) const {
  grpc::ClientContext context;
  PrepareContext(context, deadline);

  // Read() blocks, so a cancel flag needs a second thread that notices it
  // and cancels the call, which makes Read() return false.
  absl::Mutex mu;
  bool finished = false;
  bool cancelled_by_flag = false;
  std::thread canceller;
  if (watch.cancel != nullptr) {
    canceller = std::thread([&] {
      absl::MutexLock lock(&mu);
      while (!finished) {
        if (watch.cancel->load()) {
          cancelled_by_flag = true;
          context.TryCancel();
          return;
        }
        mu.AwaitWithTimeout(absl::Condition(&finished),
                            watch.cancel_poll_interval);
      }
    });
  }
  auto stop_canceller = [&] {
    if (!canceller.joinable()) return;
    {
      absl::MutexLock lock(&mu);
      finished = true;
    }
    canceller.join();
  };

  std::unique_ptr<grpc::ClientReaderInterface<v1::WatchClaimsResponse>> reader =
      stub_->WatchClaims(&context, request);
  v1::WatchClaimsResponse response;
  bool callback_stopped = false;
  while (reader->Read(&response)) {
    last_sequence = response.event().sequence();
    if (!on_event(response)) {
      callback_stopped = true;
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  stop_canceller();
  {
    absl::MutexLock lock(&mu);
    // The flag may have ended the stream before the canceller noticed it.
    stopped = callback_stopped || cancelled_by_flag ||
              (watch.cancel != nullptr && watch.cancel->load());
  }
  if (stopped) return absl::OkStatus();
  return FromGrpcStatus(status);
}

}  // namespace client
}  // namespace claimtrail
