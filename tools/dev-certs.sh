#!/usr/bin/env bash
# Makes a local certificate authority and TLS certificates for claimtraild
# and its clients, with openssl. For tests and trials only: the CA key sits
# next to the certificates, unprotected.
#
# Usage: tools/dev-certs.sh [OUT_DIR] [--days N] [--san NAME ...] [--force]
#   OUT_DIR   where to write (default ./certs; created mode 0700)
#   --days N  validity in days (default 365)
#   --san X   extra subject alternative name for the server certificate,
#             e.g. --san DNS:claims.lan --san IP:192.168.1.20 (repeatable)
#   --force   replace existing files
#
# Writes (keys mode 0600):
#   ca.pem, ca.key          the CA
#   server.pem, server.key  claimtraild's certificate: localhost, 127.0.0.1,
#                           ::1 (and every --san), server auth
#   client.pem, client.key  a client certificate for mutual TLS, client auth
#
# Then:
#   claimtraild --tls_cert=certs/server.pem --tls_key=certs/server.key \
#               [--tls_client_ca=certs/ca.pem]
#   claimtrail --tls_ca=certs/ca.pem \
#              [--tls_cert=certs/client.pem --tls_key=certs/client.key] info
set -euo pipefail

out="./certs"
days=365
force=0
sans=("DNS:localhost" "IP:127.0.0.1" "IP:::1")
out_given=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --san) sans+=("${2:?--san needs a value like DNS:host or IP:addr}"); shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "dev-certs.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
    *)
      [[ $out_given -eq 0 ]] || { echo "dev-certs.sh: one OUT_DIR only" >&2; exit 2; }
      out="$1"; out_given=1; shift ;;
  esac
done
[[ "$days" =~ ^[0-9]+$ && "$days" -gt 0 ]] ||
  { echo "dev-certs.sh: --days must be a positive number" >&2; exit 2; }
command -v openssl >/dev/null ||
  { echo "dev-certs.sh: openssl is missing (apt-get install openssl)" >&2; exit 1; }

files=(ca.pem ca.key server.pem server.key client.pem client.key)
if [[ $force -eq 0 ]]; then
  for f in "${files[@]}"; do
    if [[ -e "$out/$f" ]]; then
      echo "dev-certs.sh: $out/$f exists; pass --force to replace" >&2
      exit 1
    fi
  done
fi

umask 077
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# new_key_and_csr NAME SUBJECT: an EC P-256 key and a signing request.
new_key_and_csr() {
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$work/$1.key" -out "$work/$1.csr" -subj "$2" 2>/dev/null
}

# sign NAME EXTENSIONS: NAME.csr signed by the CA with EXTENSIONS.
sign() {
  printf '%s\n' "$2" >"$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$days" -sha256 \
    -extfile "$work/$1.ext" -out "$work/$1.pem" 2>/dev/null
}

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout "$work/ca.key" -out "$work/ca.pem" -days "$days" -sha256 \
  -subj "/O=claimtrail development/CN=claimtrail dev CA $(date -u +%Y%m%dT%H%M%SZ)" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

san_list=$(IFS=,; echo "${sans[*]}")
new_key_and_csr server "/O=claimtrail development/CN=localhost"
sign server "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san_list"

new_key_and_csr client "/O=claimtrail development/CN=claimtrail-dev-client"
sign client "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

for f in "${files[@]}"; do
  install -m 0600 "$work/$f" "$out/$f"
done
chmod 0644 "$out/ca.pem" "$out/server.pem" "$out/client.pem"
openssl verify -CAfile "$out/ca.pem" "$out/server.pem" "$out/client.pem" >/dev/null
echo "dev-certs.sh: wrote ${files[*]} to $out (server names: $san_list)"
