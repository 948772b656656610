#!/bin/bash
# Interop: a stock Python gRPC client (Debian's python3-grpcio and
# python3-protobuf under /usr/bin/python3) against the real claimtraild.
# Stubs are generated at test time from our .proto files and Debian's
# grpc-proto package, exactly as a third-party client would.
set -euo pipefail

PYTHON=/usr/bin/python3  # Not `python3` on PATH: it may lack Debian's packages.
PROTOC=/usr/bin/protoc
GRPC_PYTHON_PLUGIN=/usr/bin/grpc_python_plugin
GRPC_PROTOS=/usr/share/grpc-proto

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

[[ -x "$PYTHON" ]] || fail "$PYTHON is missing (run tools/install-deps.sh)"
"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "$PYTHON cannot import grpc and google.protobuf: install python3-grpcio and python3-protobuf (tools/install-deps.sh)"
[[ -x "$PROTOC" ]] || fail "$PROTOC is missing: install protobuf-compiler (tools/install-deps.sh)"
[[ -x "$GRPC_PYTHON_PLUGIN" ]] ||
  fail "$GRPC_PYTHON_PLUGIN is missing: install protobuf-compiler-grpc (tools/install-deps.sh)"
for proto in grpc/health/v1/health.proto grpc/reflection/v1alpha/reflection.proto; do
  [[ -f "$GRPC_PROTOS/$proto" ]] ||
    fail "$GRPC_PROTOS/$proto is missing: install grpc-proto (tools/install-deps.sh)"
done

RUNFILES="${TEST_SRCDIR}/${TEST_WORKSPACE}"
GEN="${TEST_TMPDIR}/pygen"
rm -rf "$GEN"
mkdir -p "$GEN"

# Our protos keep their import paths (proto/claimtrail/v1/...), so their
# modules live in the package proto.claimtrail.v1; __init__.py files make it
# a regular package that wins over any other `proto` on sys.path.
(cd "$RUNFILES" &&
  "$PROTOC" -I. -I/usr/include \
    --python_out="$GEN" --grpc_python_out="$GEN" \
    --plugin=protoc-gen-grpc_python="$GRPC_PYTHON_PLUGIN" \
    proto/claimtrail/v1/resources.proto proto/claimtrail/v1/service.proto)
touch "$GEN/proto/__init__.py" "$GEN/proto/claimtrail/__init__.py" \
  "$GEN/proto/claimtrail/v1/__init__.py"

# Health and reflection are mapped to packages of their own: under their
# real path they would be `grpc.health...`, shadowed by grpcio's `grpc`.
# The proto packages (and so the service names on the wire) are unchanged.
"$PROTOC" \
  -Ict_health="$GRPC_PROTOS/grpc/health/v1" \
  -Ict_reflection="$GRPC_PROTOS/grpc/reflection/v1alpha" \
  --python_out="$GEN" --grpc_python_out="$GEN" \
  --plugin=protoc-gen-grpc_python="$GRPC_PYTHON_PLUGIN" \
  ct_health/health.proto ct_reflection/reflection.proto
touch "$GEN/ct_health/__init__.py" "$GEN/ct_reflection/__init__.py"

export PYTHONPATH="$GEN:$RUNFILES/tests/e2e/python"
export PYTHONDONTWRITEBYTECODE=1
export CLAIMTRAILD="$RUNFILES/server/claimtraild"
exec "$PYTHON" "$RUNFILES/tests/e2e/python/interop_test.py" -v
