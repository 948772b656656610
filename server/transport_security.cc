#include "server/transport_security.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace {

absl::StatusOr<std::string> ReadFile(absl::string_view option,
                                     const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": cannot read ", path, ": ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x509) const { X509_free(x509); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<BIO, BioDeleter> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The first certificate of `pem`, or null.
std::unique_ptr<X509, X509Deleter> FirstCertificate(const std::string& pem) {
  auto bio = MemoryBio(pem);
  return std::unique_ptr<X509, X509Deleter>(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

absl::Status CheckCertificates(absl::string_view option,
                               const std::string& path,
                               const std::string& pem) {
  if (FirstCertificate(pem) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": ", path, " holds no PEM certificate"));
  }
  return absl::OkStatus();
}

absl::Status CheckKeyPair(const TlsServerOptions& tls,
                          const std::string& cert_pem,
                          const std::string& key_pem) {
  RETURN_IF_ERROR(CheckCertificates("tls.cert_file", tls.cert_file, cert_pem));
  auto bio = MemoryBio(key_pem);
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
          : nullptr);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls.key_file: ", tls.key_file,
                     " holds no unencrypted PEM private key"));
  }
  auto cert = FirstCertificate(cert_pem);
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls.key_file: ", tls.key_file,
                     " is not the key of the certificate in ", tls.cert_file));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  absl::string_view host = address;
  // gRPC also accepts URI forms of the same addresses.
  for (absl::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&host, scheme)) break;
  }
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t end = host.find(']');
    if (end == absl::string_view::npos) return false;
    host = host.substr(0, end);
  } else {
    const size_t colon = host.rfind(':');
    if (colon != absl::string_view::npos) host = host.substr(0, colon);
  }
  const std::string name = absl::AsciiStrToLower(host);
  if (name == "localhost") return true;
  unsigned char v4[4];
  if (inet_pton(AF_INET, name.c_str(), v4) == 1) return v4[0] == 127;
  unsigned char v6[16];
  if (inet_pton(AF_INET6, name.c_str(), v6) == 1) {
    static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                                0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char kMappedV4[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6, kLoopback, 16) == 0) return true;
    return std::memcmp(v6, kMappedV4, 12) == 0 && v6[12] == 127;
  }
  return false;
}

bool TlsEnabled(const TlsServerOptions& tls) {
  return !tls.cert_file.empty() || !tls.key_file.empty();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsServerOptions& tls) {
  if (!TlsEnabled(tls)) {
    if (!tls.client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "tls.client_ca_file: needs tls.cert_file and tls.key_file (client "
          "certificates are only checked over TLS)");
    }
    return grpc::InsecureServerCredentials();
  }
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        tls.cert_file.empty() ? "tls.cert_file" : "tls.key_file",
        ": required with ",
        tls.cert_file.empty() ? "tls.key_file" : "tls.cert_file"));
  }
  ASSIGN_OR_RETURN(std::string cert, ReadFile("tls.cert_file", tls.cert_file));
  ASSIGN_OR_RETURN(std::string key, ReadFile("tls.key_file", tls.key_file));
  RETURN_IF_ERROR(CheckKeyPair(tls, cert, key));
  grpc::SslServerCredentialsOptions ssl(
      tls.client_ca_file.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs,
                     ReadFile("tls.client_ca_file", tls.client_ca_file));
    RETURN_IF_ERROR(CheckCertificates("tls.client_ca_file",
                                      tls.client_ca_file, ssl.pem_root_certs));
  }
  ssl.pem_key_cert_pairs.push_back({std::move(key), std::move(cert)});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace claimtrail
