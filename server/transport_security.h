// Transport security of claimtraild: TLS credentials from PEM files, and
// whether a listen address is reachable from other machines.
#ifndef CLAIMTRAIL_SERVER_TRANSPORT_SECURITY_H_
#define CLAIMTRAIL_SERVER_TRANSPORT_SECURITY_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/server.h"

namespace claimtrail {

// True when `address` only accepts connections from this machine: a Unix
// socket, "localhost", an IPv4 address in 127.0.0.0/8, or IPv6 ::1 (as
// "[::1]:port"). False for wildcards ("0.0.0.0", "[::]", ":port"), other
// addresses and host names. Pure.
bool IsLoopbackAddress(absl::string_view address);

// Whether `tls` asks for TLS (cert_file or key_file set).
bool TlsEnabled(const TlsServerOptions& tls);

// Server credentials for `tls`: insecure when TLS is off; else TLS with
// the certificate and key, and with client_ca_file, client certificates
// required and verified against it. The files are read and checked now
// (PEM parses, the key matches the certificate), so a mistake is an error
// at start-up rather than failed handshakes later.
// INVALID_ARGUMENT: names the option ("tls.key_file: ...") and the file.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsServerOptions& tls);

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_TRANSPORT_SECURITY_H_
