#!/usr/bin/env bash
# Installs the Debian packages claimtrail needs to build, run and test, and
# only those that are missing. Safe to run repeatedly; quiet when all is there.
#
# Usage: tools/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
  # Build: Bazel 4.2.3 and the compiler.
  bazel-bootstrap g++
  # Libraries (headers + link libraries) wrapped by //third_party.
  libabsl-dev libprotobuf-dev protobuf-compiler libgrpc++-dev
  protobuf-compiler-grpc libleveldb-dev libgtest-dev libgmock-dev
  # The server's allocator (third_party/BUILD says why).
  libjemalloc-dev
  # JSON for the interchange formats (ClaimReview JSON-LD, PROV-JSON).
  nlohmann-json3-dev
  # Unicode case folding and normalization for search (third_party/BUILD).
  libicu-dev
  # Interop tests: a client we did not write (Python gRPC), stock protos.
  python3 python3-grpcio python3-protobuf grpc-proto
  # Consumers we did not write: W3C PROV validation, headless rendering of
  # the HTML report (and PIL to check the screenshot).
  python3-prov chromium python3-pil
  # TLS certificates for tests and trials (tools/dev-certs.sh); libcrypto.
  openssl libssl-dev
  # libFuzzer targets (clang with its fuzzer and sanitizer runtimes).
  clang-14 libclang-rt-14-dev
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "error: missing packages (${missing[*]}) and not root; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq >/dev/null; then
  echo "error: apt-get update failed; check the network or apt sources" >&2
  exit 1
fi
if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "error: could not install: ${missing[*]}" >&2
  echo "  try: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
