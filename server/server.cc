#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "proto/claimtrail/v1/admin.grpc.pb.h"
#include "proto/claimtrail/v1/reports_service.grpc.pb.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/admin_token_file.h"
#include "server/core/auth/token_manager.h"
#include "server/core/ledger.h"
#include "server/service/admin_service.h"
#include "server/service/authorizer.h"
#include "server/service/claimtrail_service.h"
#include "server/service/reports_service.h"
#include "server/service/token_authorizer.h"
#include "server/storage/leveldb_storage.h"
#include "server/transport_security.h"
#include "server/util/logging.h"
#include "server/util/status_macros.h"
#include "server/version.h"

namespace claimtrail {
namespace {

absl::Status ValidateOptions(const ServerOptions& options) {
  if (options.listen_address.empty()) {
    return absl::InvalidArgumentError("listen_address: must not be empty");
  }
  if (options.data_dir.empty()) {
    return absl::InvalidArgumentError("data_dir: must not be empty");
  }
  if (options.max_message_bytes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_message_bytes: must be positive, got ",
                     options.max_message_bytes));
  }
  if (options.max_watchers < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_watchers: must not be negative, got ", options.max_watchers));
  }
  if (options.max_watchers_per_principal < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_watchers_per_principal: must not be negative, got ",
                     options.max_watchers_per_principal));
  }
  if (options.rate_limit_rps > 0 && options.rate_limit_burst < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate_limit_burst: must be at least 1, got ",
                     options.rate_limit_burst));
  }
  if (!TlsEnabled(options.tls) && !options.allow_insecure_remote &&
      !IsLoopbackAddress(options.listen_address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen_address: ", options.listen_address,
        " accepts connections from other machines, but TLS is off, so API "
        "tokens and data would cross the network in clear text; give "
        "--tls_cert and --tls_key, listen on 127.0.0.1, or pass --insecure "
        "to accept the risk"));
  }
  return absl::OkStatus();
}

// Issues an admin token into <data_dir>/admin.token when no admin token can
// be used (first start, or every admin token revoked or expired) or when
// `force`. Returns the file's path, or "" when none was needed.
absl::StatusOr<std::string> IssueAdminTokenIfNeeded(
    core::auth::TokenManager& tokens, const std::string& data_dir,
    bool force) {
  if (!force) {
    ASSIGN_OR_RETURN(const bool has_admin, tokens.HasActiveAdminToken());
    if (has_admin) return std::string();
  }
  ASSIGN_OR_RETURN(core::auth::IssuedToken issued,
                   tokens.IssueBootstrapAdminToken(
                       force ? "admin token issued at start on request"
                             : "bootstrap admin token (no usable admin token)"));
  const std::string path = absl::StrCat(data_dir, "/", kAdminTokenFileName);
  const absl::Status written = WriteSecretFile(path, issued.bearer_token);
  if (!written.ok()) {
    // Nobody will ever know this token's secret; make sure it never works.
    v1::RevokeTokenRequest revoke;
    revoke.set_name(issued.token.name());
    revoke.set_reason("its admin.token file could not be written");
    tokens
        .RevokeToken(core::Principal{std::string(core::auth::kServerCreator)},
                     revoke)
        .IgnoreError();
    return written;
  }
  return path;
}

bool IsUnixAddress(absl::string_view address) {
  return absl::StartsWith(address, "unix:") ||
         absl::StartsWith(address, "unix-abstract:");
}

// `dir` as an absolute path (it exists once the storage has opened it).
std::string AbsolutePath(const std::string& dir) {
  char resolved[PATH_MAX];
  if (realpath(dir.c_str(), resolved) == nullptr) return dir;
  return resolved;
}

}  // namespace

ClaimTrailServer::ClaimTrailServer() = default;

absl::StatusOr<std::unique_ptr<ClaimTrailServer>> ClaimTrailServer::Start(
    ServerOptions options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  std::unique_ptr<ClaimTrailServer> self(new ClaimTrailServer());
  absl::MutexLock lock(&self->shutdown_mu_);
  self->listen_address_ = options.listen_address;

  // Storage errors (in use, permission, corruption) already say what is
  // wrong with which directory; pass them on unchanged.
  storage::LevelDbOptions storage_options;
  storage_options.path = options.data_dir;
  storage_options.env = options.env;
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   ServerCredentialsFor(options.tls));
  self->tls_ = TlsEnabled(options.tls);
  ASSIGN_OR_RETURN(storage::LevelDbDatabase database,
                   storage::OpenLevelDbDatabase(storage_options));
  self->data_dir_ = AbsolutePath(options.data_dir);
  // Built before the Ledger takes the storage; destroyed before it (see
  // Shutdown), since the token store lives inside the storage.
  self->tokens_ = std::make_unique<core::auth::TokenManager>(database.tokens);

  core::LedgerOptions ledger_options;
  ledger_options.storage = std::move(database.storage);
  ledger_options.data_dir = self->data_dir_;
  ledger_options.version = kVersion;
  ASSIGN_OR_RETURN(self->ledger_,
                   core::Ledger::Open(std::move(ledger_options)));

  ASSIGN_OR_RETURN(self->issued_admin_token_file_,
                   IssueAdminTokenIfNeeded(*self->tokens_, self->data_dir_,
                                           options.issue_admin_token));
  if (!self->issued_admin_token_file_.empty()) {
    // Where the token is, never the token itself: logs travel further than
    // a 0600 file.
    LogInfo(
        "issued an admin token for %s into %s (mode 0600, readable only by "
        "this user); the claimtrail CLI on this machine finds it with "
        "--data_dir or CLAIMTRAIL_DATA_DIR",
        core::auth::kBootstrapAdminPrincipal, self->issued_admin_token_file_);
  }
  if (!self->tls_ && !IsLoopbackAddress(options.listen_address)) {
    LogWarning(
        "--insecure: serving plaintext on %s, reachable from other machines; "
        "API tokens and data cross the network unencrypted",
        options.listen_address);
  }

  if (options.authorizer != nullptr) {
    self->authorizer_ = std::move(options.authorizer);
  } else {
    core::auth::RateLimit rate_limit;
    rate_limit.requests_per_second = options.rate_limit_rps;
    rate_limit.burst = options.rate_limit_burst;
    self->authorizer_ = std::make_shared<service::TokenAuthorizer>(
        self->tokens_.get(), rate_limit);
  }
  service::ServiceOptions service_options;
  service_options.max_watchers = options.max_watchers;
  service_options.max_watchers_per_principal =
      options.max_watchers_per_principal;
  self->service_ = std::make_unique<service::ClaimTrailService>(
      self->ledger_.get(), self->authorizer_.get(), service_options);
  // A revocation also ends the watch streams opened with the token.
  service::ClaimTrailService* claimtrail_service = self->service_.get();
  self->admin_service_ = std::make_unique<service::AdminService>(
      self->tokens_.get(), self->authorizer_.get(),
      [claimtrail_service] { claimtrail_service->ReauthorizeWatches(); });
  self->reports_service_ = std::make_unique<service::ReportsService>(
      self->ledger_.get(), self->authorizer_.get());

  // Both are process-wide switches read by the next ServerBuilder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(options.listen_address, credentials,
                           &selected_port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  // gRPC binds with SO_REUSEPORT by default, which would let a second
  // claimtraild (with another data directory) silently share the port and
  // split the traffic. One address, one server: fail the bind instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options.keepalive > absl::ZeroDuration()) {
    const int64_t ms = absl::ToInt64Milliseconds(options.keepalive);
    builder.AddChannelArgument(
        GRPC_ARG_KEEPALIVE_TIME_MS,
        static_cast<int>(std::min<int64_t>(ms, INT_MAX)));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                               static_cast<int>(std::min<int64_t>(ms, 20000)));
    // A watch stream with no news sends no data; gRPC stops pinging such a
    // connection after two pings unless told not to.
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  }
  builder.RegisterService(self->service_.get());
  builder.RegisterService(self->admin_service_.get());
  builder.RegisterService(self->reports_service_.get());
  self->server_ = builder.BuildAndStart();
  if (self->server_ == nullptr || selected_port == 0) {
    self->server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     ": the address is in use, malformed or not permitted"));
  }
  // gRPC reports 1 for a Unix socket, which has no port.
  self->port_ = IsUnixAddress(options.listen_address) ? 0 : selected_port;

  grpc::HealthCheckServiceInterface* health =
      self->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(v1::ClaimTrail::service_full_name(), true);
  health->SetServingStatus(v1::Admin::service_full_name(), true);
  health->SetServingStatus(v1::Reports::service_full_name(), true);
  return self;
}

ClaimTrailServer::~ClaimTrailServer() { Shutdown(absl::ZeroDuration()); }

void ClaimTrailServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (stopped_.HasBeenNotified()) return;
  if (server_ != nullptr) {
    const absl::Time deadline = absl::Now() + grace;
    // Load balancers and probes see NOT_SERVING first; later status changes
    // are ignored.
    server_->GetHealthCheckService()->Shutdown();
    // New calls are refused (UNAVAILABLE) and watch streams end; admitted
    // calls get until the deadline to be answered.
    service_->Drain();
    admin_service_->Drain();
    reports_service_->Drain();
    // An import in flight is answered from the committer, so its call is
    // idle only once its writes are: wait for it before the Ledger stops.
    if (!service_->WaitUntilIdle(deadline) ||
        !reports_service_->WaitUntilIdle(deadline)) {
      LogWarning("shutdown: calls still in flight after %s; cancelling them",
                 absl::FormatDuration(grace));
    }
    // Everyone admitted has been answered: close the connections now rather
    // than wait for idle clients to acknowledge GOAWAY (gRPC would wait up
    // to its deadline, seconds for a client that is not polling).
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_->Wait();
  }
  server_.reset();
  admin_service_.reset();  // Refers to service_.
  reports_service_.reset();
  service_.reset();
  authorizer_.reset();
  tokens_.reset();
  ledger_.reset();  // Answers queued writes, joins the committer, closes DB.
  stopped_.Notify();
}

void ClaimTrailServer::Wait() { stopped_.WaitForNotification(); }

}  // namespace claimtrail
