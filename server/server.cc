#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <limits.h>
#include <stdlib.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/core/ledger.h"
#include "server/service/authorizer.h"
#include "server/service/claimtrail_service.h"
#include "server/storage/leveldb_storage.h"
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
  return absl::OkStatus();
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
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Storage> storage,
                   storage::OpenLevelDbStorage(storage_options));
  self->data_dir_ = AbsolutePath(options.data_dir);

  core::LedgerOptions ledger_options;
  ledger_options.storage = std::move(storage);
  ledger_options.data_dir = self->data_dir_;
  ledger_options.version = kVersion;
  ASSIGN_OR_RETURN(self->ledger_,
                   core::Ledger::Open(std::move(ledger_options)));

  self->authorizer_ = options.authorizer != nullptr
                          ? std::move(options.authorizer)
                          : std::make_shared<service::AllowAllAuthorizer>();
  service::ServiceOptions service_options;
  service_options.max_watchers = options.max_watchers;
  self->service_ = std::make_unique<service::ClaimTrailService>(
      self->ledger_.get(), self->authorizer_.get(), service_options);

  // Both are process-wide switches read by the next ServerBuilder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &selected_port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  // gRPC binds with SO_REUSEPORT by default, which would let a second
  // claimtraild (with another data directory) silently share the port and
  // split the traffic. One address, one server: fail the bind instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(self->service_.get());
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
    if (!service_->WaitUntilIdle(deadline)) {
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
  service_.reset();
  authorizer_.reset();
  ledger_.reset();  // Answers queued writes, joins the committer, closes DB.
  stopped_.Notify();
}

void ClaimTrailServer::Wait() { stopped_.WaitForNotification(); }

}  // namespace claimtrail
