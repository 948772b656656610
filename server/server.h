// ClaimTrailServer: the composition root of claimtraild. Opens the storage,
// the Ledger over it and the API tokens beside it, and serves the ClaimTrail,
// Admin and Reports services plus standard gRPC health checking and server
// reflection on one address, over TLS when configured.
//
// Secure defaults (docs/SECURITY.md): every ClaimTrail and Admin call needs
// an API token; when the data directory holds no usable admin token (first
// start), one is issued into <data_dir>/admin.token (mode 0600); a
// non-loopback address without TLS is refused unless allow_insecure_remote.
//
// Shutdown order (each step needs the ones after it still alive):
//   health NOT_SERVING -> drain the service (new calls UNAVAILABLE, watch
//   streams end) -> wait for admitted calls, up to the grace period ->
//   grpc::Server::Shutdown (closes connections, cancels what is left) ->
//   services -> authorizer -> token manager -> Ledger (drains the
//   committer) -> storage (closes LevelDB; owned by the Ledger).
#ifndef CLAIMTRAIL_SERVER_SERVER_H_
#define CLAIMTRAIL_SERVER_SERVER_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace leveldb {
class Env;
}  // namespace leveldb

namespace claimtrail {
namespace core {
class Ledger;
namespace auth {
class TokenManager;
}  // namespace auth
}  // namespace core
namespace service {
class AdminService;
class Authorizer;
class ClaimTrailService;
class ReportsService;
}  // namespace service

// Name of the bootstrap admin token file in the data directory.
inline constexpr char kAdminTokenFileName[] = "admin.token";

struct TlsServerOptions {
  // PEM certificate chain and private key of the server. Both set: serve
  // TLS only. Both empty: plaintext.
  std::string cert_file;
  std::string key_file;
  // PEM CA certificates. Set: mutual TLS; every client must present a
  // certificate that chains to one of them, or the handshake fails.
  std::string client_ca_file;
};

struct ServerOptions {
  // "host:port" (port 0 picks a free port; see ClaimTrailServer::port()) or
  // "unix:/path/to/socket".
  std::string listen_address = "127.0.0.1:50051";
  // Database directory; created (with parents) if missing.
  std::string data_dir = "./data";
  // Largest request message accepted; larger ones are RESOURCE_EXHAUSTED.
  int max_message_bytes = 4 << 20;
  // Most WatchClaims streams open at once; more are RESOURCE_EXHAUSTED.
  int max_watchers = 256;
  // Most WatchClaims streams open at once per principal.
  int max_watchers_per_principal = 128;
  // HTTP/2 keepalive: a connection idle this long is pinged, and dropped
  // (its calls cancelled, its watch slots freed) when the ping is not
  // answered within as long again, at most 20 s. A client that hangs or a
  // host that vanishes would otherwise hold its watch slots forever.
  // <= 0: no pings.
  absl::Duration keepalive = absl::Seconds(60);
  // Requests per second per principal, sustained (<= 0: no limit) and in a
  // burst; over it calls are RESOURCE_EXHAUSTED with "retry-after-ms".
  double rate_limit_rps = 10000;
  double rate_limit_burst = 20000;
  // TLS (see TlsServerOptions). Off by default.
  TlsServerOptions tls;
  // Serve plaintext on a non-loopback address. Off: Start refuses that
  // (INVALID_ARGUMENT), since tokens would cross the network in clear.
  bool allow_insecure_remote = false;
  // Issue a fresh admin token into <data_dir>/admin.token even if an active
  // admin token exists (recovery of a lost token; earlier ones stay valid).
  bool issue_admin_token = false;
  // Who may call what. nullptr: TokenAuthorizer over the data directory's
  // API tokens (the secure default). Tests substitute their own. Shared so
  // that the options stay copyable.
  std::shared_ptr<service::Authorizer> authorizer;
  // LevelDB's file-system seam; nullptr: leveldb::Env::Default(). Tests pass
  // a FaultInjectionEnv. Not owned; must outlive the server.
  leveldb::Env* env = nullptr;
};

class ClaimTrailServer {
 public:
  // Opens the data directory and starts serving.
  // OK: serving; health reports SERVING for "" and "claimtrail.v1.ClaimTrail".
  // INVALID_ARGUMENT: an option is out of range, a TLS file is unreadable or
  //   not valid PEM (or key and certificate do not match), or the address is
  //   not loopback while TLS is off and allow_insecure_remote is not set
  //   (message names the option).
  // FAILED_PRECONDITION: the data directory is in use by another process (or
  //   has a newer format); PERMISSION_DENIED: it cannot be created or
  //   written; DATA_LOSS: the database is corrupt. (Storage's messages.)
  // UNAVAILABLE: the address cannot be listened on (message names it).
  static absl::StatusOr<std::unique_ptr<ClaimTrailServer>> Start(
      ServerOptions options);

  // Shuts down with no grace period if Shutdown() was not called.
  ~ClaimTrailServer();

  ClaimTrailServer(const ClaimTrailServer&) = delete;
  ClaimTrailServer& operator=(const ClaimTrailServer&) = delete;

  // The TCP port listened on (the chosen one when the address asked for
  // port 0); 0 for a Unix socket.
  int port() const { return port_; }
  // The listen address as given in the options.
  const std::string& listen_address() const { return listen_address_; }
  // The data directory, as an absolute path.
  const std::string& data_dir() const { return data_dir_; }
  // Path of the admin token file written at this start (first start, or
  // issue_admin_token); empty when none was written.
  const std::string& issued_admin_token_file() const {
    return issued_admin_token_file_;
  }
  // Whether the server speaks TLS.
  bool tls() const { return tls_; }

  // Gracefully stops: health NOT_SERVING, new calls and open WatchClaims
  // streams get UNAVAILABLE, calls in flight get up to `grace` to be
  // answered (then are cancelled), connections close, then the Ledger
  // drains and the storage closes.
  // Blocks until all of that is done. Thread-safe; later calls return at
  // once (after the first has finished). Must not be called from an RPC
  // handler.
  void Shutdown(absl::Duration grace);

  // Blocks until Shutdown() has completed (called from another thread).
  void Wait();

 private:
  ClaimTrailServer();

  std::string listen_address_;
  std::string data_dir_;
  std::string issued_admin_token_file_;
  bool tls_ = false;
  int port_ = 0;

  absl::Mutex shutdown_mu_;
  absl::Notification stopped_;
  // Declared in construction order; Shutdown() destroys them in reverse.
  // The Ledger owns the storage, and so the token store tokens_ reads:
  // tokens_ is destroyed first.
  std::unique_ptr<core::Ledger> ledger_ ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<core::auth::TokenManager> tokens_
      ABSL_GUARDED_BY(shutdown_mu_);
  std::shared_ptr<service::Authorizer> authorizer_
      ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<service::ClaimTrailService> service_
      ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<service::AdminService> admin_service_
      ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<service::ReportsService> reports_service_
      ABSL_GUARDED_BY(shutdown_mu_);
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_SERVER_H_
