#!/bin/bash
# Security end to end through the real `claimtrail` CLI and claimtraild:
# a new user's CLI finds the local admin token by itself; an admin issues
# tokens bound to principals and roles; writes are authored by the token's
# principal; roles are enforced (exit 6); revocation is immediate; and the
# CLI speaks TLS and mutual TLS with tools/dev-certs.sh certificates, from
# flags or environment variables.
#
# Usage (from Bazel): security_cli_test.sh CLAIMTRAILD CLAIMTRAIL DEV_CERTS
set -uo pipefail

# Absolute: the test changes directory to play a new user.
SERVER_BIN=$(realpath "$1")
CLI_BIN=$(realpath "$2")
DEV_CERTS=$(realpath "$3")

WORK="${TEST_TMPDIR:-$(mktemp -d)}/security_cli_test"
rm -rf "$WORK"
mkdir -p "$WORK"
DATA="$WORK/data"
SERVER_PID=""

fail() {
  echo "FAIL: $*" >&2
  if [[ -f "$WORK/server.log" ]]; then
    echo "--- server log:" >&2
    cat "$WORK/server.log" >&2
  fi
  exit 1
}

cleanup() {
  [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
}
trap cleanup EXIT

# start_server [FLAGS...]: claimtraild on a free port over $DATA.
start_server() {
  : >"$WORK/server.log"
  "$SERVER_BIN" --listen=127.0.0.1:0 --data_dir="$DATA" "$@" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$WORK/server.log" | head -n 1)
    [[ -n "$PORT" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "claimtraild exited during start-up"
    sleep 0.05
  done
  [[ -n "$PORT" ]] || fail "claimtraild did not log its port within 10s"
  export CLAIMTRAIL_SERVER="127.0.0.1:$PORT"
}

stop_server() {
  kill -TERM "$SERVER_PID" || fail "cannot signal claimtraild"
  wait "$SERVER_PID" || fail "claimtraild exited with $? after SIGTERM"
  SERVER_PID=""
}

# run_cli ARGS...: sets OUT, ERR and RC.
run_cli() {
  OUT=$("$CLI_BIN" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}
ok() {
  run_cli "$@"
  [[ $RC -eq 0 ]] || fail "claimtrail $* exited $RC: $ERR"
}
# exits CODE ARGS...: the command must exit with CODE.
exits() {
  local code="$1"
  shift
  run_cli "$@"
  [[ $RC -eq $code ]] || fail "claimtrail $* exited $RC, expected $code: $ERR $OUT"
}
contains() {  # contains HAYSTACK NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find [$2] in:
$1"
}
lacks() {  # lacks HAYSTACK NEEDLE WHAT
  [[ "$1" != *"$2"* ]] || fail "$3: did not expect [$2] in:
$1"
}
bearer_of() {  # The bearer token in `token create --json` output.
  echo "$1" | sed -n 's/.*"bearerToken": "\(ct_[0-9a-f_]*\)".*/\1/p'
}

# ---------------------------------------------------------------------------
# A new user in a fresh directory: run the server, then the CLI, nothing else.
cd "$WORK"
DATA="./data"
start_server
contains "$(cat "$WORK/server.log")" "issued an admin token for users/admin into" \
  "the server says where the admin token is"
[[ "$(stat -c %a data/admin.token)" == 600 ]] || fail "admin.token is not 0600"
ADMIN_TOKEN=$(cat data/admin.token)
lacks "$(cat "$WORK/server.log")" "$ADMIN_TOKEN" "the log never shows the token"
ok info
contains "$OUT" "version:" "the CLI found ./data/admin.token by itself"

# Issue tokens.
ok --json token create users/alice --role editor --description "desk laptop"
ALICE=$(bearer_of "$OUT")
[[ -n "$ALICE" ]] || fail "token create --json prints the bearer token: $OUT"
ok token create users/rita --role reader
contains "$OUT" "shown only this once" "the secret is announced as one-time"
RITA=$(echo "$OUT" | grep -o 'ct_[0-9a-f]\{16\}_[0-9a-f]\{64\}')
[[ -n "$RITA" ]] || fail "token create prints the bearer token: $OUT"
ok token list
contains "$OUT" "users/alice  [editor]  active  desk laptop" "token list shows alice"
contains "$OUT" "users/rita  [reader]" "token list shows rita"
lacks "$OUT" "${ALICE:20}" "token list never shows secrets"

# The token's principal is the author, whatever the caller says.
CLAIMTRAIL_TOKEN="$ALICE" ok source add Russia --id russia --kind government
CLAIMTRAIL_TOKEN="$ALICE" ok claim add "Russia has received North Korean troops." \
  --id nk-troops --note "author: users/mallory"
CLAIMTRAIL_TOKEN="$RITA" ok history nk-troops
contains "$OUT" "by users/alice" "the event is authored by the token's principal"
lacks "$OUT" "by users/mallory" "a note cannot set the author"

# Roles: a reader reads but cannot write; only admins manage tokens.
CLAIMTRAIL_TOKEN="$RITA" ok show nk-troops
CLAIMTRAIL_TOKEN="$RITA" exits 6 source add Nobody --id nobody --kind person
contains "$ERR" "PERMISSION_DENIED" "a reader may not write"
contains "$ERR" "requires the editor role" "the error names the role needed"
CLAIMTRAIL_TOKEN="$ALICE" exits 6 token list
contains "$ERR" "requires the admin role" "an editor may not list tokens"

# No token (an empty data dir), or a bad one: UNAUTHENTICATED with a hint.
mkdir -p "$WORK/empty"
CLAIMTRAIL_DATA_DIR="$WORK/empty" exits 6 info
contains "$ERR" "UNAUTHENTICATED" "no token"
contains "$ERR" "admin.token" "the hint says where tokens come from"
exits 6 info --token "ct_0000000000000000_$(printf '0%.0s' $(seq 64))"
contains "$ERR" "UNAUTHENTICATED: invalid API token" "a bad token"
exits 2 info --data_dir "$WORK/empty"
contains "$ERR" "--data_dir: cannot read" "an explicit data dir must hold a token"

# Revocation is immediate, and may name the leaked token itself.
ok token revoke "$ALICE" --reason "laptop lost"
contains "$OUT" "revoked" "revoke prints the revoked record"
CLAIMTRAIL_TOKEN="$ALICE" exits 6 show nk-troops
contains "$ERR" "has been revoked" "a revoked token fails at once"
ok token list
lacks "$OUT" "users/alice" "revoked tokens are hidden by default"
ok token list --all
contains "$OUT" "users/alice  [editor]  revoked" "--all shows revoked tokens"
stop_server

# ---------------------------------------------------------------------------
# TLS: certificates from tools/dev-certs.sh; the CLI from flags and env.
"$DEV_CERTS" "$WORK/certs" >/dev/null || fail "dev-certs.sh failed"
"$DEV_CERTS" "$WORK/other" >/dev/null || fail "dev-certs.sh (second CA) failed"
[[ "$(stat -c %a "$WORK/certs/server.key")" == 600 ]] || fail "keys must be 0600"
start_server --tls_cert="$WORK/certs/server.pem" --tls_key="$WORK/certs/server.key"
ok --tls_ca "$WORK/certs/ca.pem" info
contains "$OUT" "version:" "TLS with the right CA"
CLAIMTRAIL_TLS_CA="$WORK/certs/ca.pem" ok info
CLAIMTRAIL_SERVER="localhost:$PORT" ok --tls_ca "$WORK/certs/ca.pem" info
exits 1 --tls_ca "$WORK/other/ca.pem" info --timeout 5s
contains "$ERR" "UNAVAILABLE" "a wrong CA fails the handshake"
exits 1 info --timeout 5s
contains "$ERR" "UNAVAILABLE" "plaintext to a TLS server fails"
stop_server

# Mutual TLS: the client certificate is required.
start_server --tls_cert="$WORK/certs/server.pem" --tls_key="$WORK/certs/server.key" \
  --tls_client_ca="$WORK/certs/ca.pem"
ok --tls_ca "$WORK/certs/ca.pem" --tls_cert "$WORK/certs/client.pem" \
  --tls_key "$WORK/certs/client.key" info
CLAIMTRAIL_TLS_CA="$WORK/certs/ca.pem" CLAIMTRAIL_TLS_CERT="$WORK/certs/client.pem" \
  CLAIMTRAIL_TLS_KEY="$WORK/certs/client.key" ok info
exits 1 --tls_ca "$WORK/certs/ca.pem" info --timeout 5s
contains "$ERR" "UNAVAILABLE" "no client certificate, no connection"
exits 1 --tls_ca "$WORK/certs/ca.pem" --tls_cert "$WORK/other/client.pem" \
  --tls_key "$WORK/other/client.key" info --timeout 5s
contains "$ERR" "UNAVAILABLE" "a client certificate of another CA is refused"
stop_server

echo "PASS"
