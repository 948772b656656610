#!/bin/bash
# The kill -9 crash test. Each cycle: start claimtraild (port 0) on one fixed
# data directory — after the first cycle that start is a recovery from a
# kill -9 — run the crash driver (64 concurrent writers logging every
# acknowledged write), kill -9 the server at a random moment, and wait for
# the driver. Every --check_every cycles, and after the last, the directory
# is checked offline: claimtrail_crash_verify (every acknowledged write is
# there exactly once) and claimtrail_fsck (clean). The run ends with one more
# start, a clean SIGTERM stop, and the same checks.
#
#   run_crash_cycles.sh --claimtraild=BIN --driver=BIN --verify=BIN
#       --fsck=BIN --work=DIR [--cycles=20] [--writers=64]
#       [--min_kill_ms=200] [--max_kill_ms=1500] [--check_every=5]
#
# Prints a line per cycle and a final summary:
#   crash: N cycles, A acknowledged writes, E events, lost=0 duplicated=0
# Exit 0 when every check passed; 1 (after printing the evidence) otherwise.
set -uo pipefail

CYCLES=20
WRITERS=64
MIN_KILL_MS=200
MAX_KILL_MS=1500
CHECK_EVERY=5
for arg in "$@"; do
  case "$arg" in
    --claimtraild=*) SERVER_BIN="${arg#*=}" ;;
    --driver=*) DRIVER_BIN="${arg#*=}" ;;
    --verify=*) VERIFY_BIN="${arg#*=}" ;;
    --fsck=*) FSCK_BIN="${arg#*=}" ;;
    --work=*) WORK="${arg#*=}" ;;
    --cycles=*) CYCLES="${arg#*=}" ;;
    --writers=*) WRITERS="${arg#*=}" ;;
    --min_kill_ms=*) MIN_KILL_MS="${arg#*=}" ;;
    --max_kill_ms=*) MAX_KILL_MS="${arg#*=}" ;;
    --check_every=*) CHECK_EVERY="${arg#*=}" ;;
    *) echo "run_crash_cycles.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
for var in SERVER_BIN DRIVER_BIN VERIFY_BIN FSCK_BIN WORK; do
  [[ -n "${!var:-}" ]] || { echo "run_crash_cycles.sh: missing $var" >&2; exit 2; }
done

DATA="$WORK/data"
ACKS="$WORK/acks"
mkdir -p "$ACKS"
SERVER_PID=""
PORT=""

fail() {
  echo "FAIL: $*" >&2
  if [[ -f "$WORK/server.log" ]]; then
    echo "--- last server log:" >&2
    tail -n 30 "$WORK/server.log" >&2
  fi
  exit 1
}

cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
}
trap cleanup EXIT

token_args() {
  if [[ -f "$DATA/admin.token" ]]; then echo "--token_file=$DATA/admin.token"; fi
}

start_server() {
  : >"$WORK/server.log"
  "$SERVER_BIN" --listen=127.0.0.1:0 --data_dir="$DATA" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$WORK/server.log" | head -n 1)
    [[ -n "$PORT" ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "claimtraild exited during start-up"
    sleep 0.05
  done
  fail "claimtraild did not log its port within 30s"
}

# Offline checks; the server must be stopped.
check_data_dir() {
  local label="$1"
  local out
  out=$("$VERIFY_BIN" --data_dir="$DATA" "$ACKS"/*.log 2>&1)
  local rc=$?
  echo "$out" | tail -n 1 | sed "s/^/  $label /"
  if [[ $rc -ne 0 ]]; then
    echo "$out" >&2
    fail "$label: acknowledged writes lost or duplicated (verify exit $rc)"
  fi
  LAST_VERIFY="$out"
  out=$("$FSCK_BIN" --data_dir="$DATA" --max_problems=50 2>&1)
  rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "$out" >&2
    fail "$label: fsck exit $rc"
  fi
  LAST_FSCK=$(echo "$out" | tail -n 1)
  echo "  $label $LAST_FSCK"
}

START=$(date +%s)
TOTAL_KILL_MS=0
for cycle in $(seq 1 "$CYCLES"); do
  start_server
  "$DRIVER_BIN" --server="127.0.0.1:$PORT" $(token_args) \
    --ack_log="$ACKS/c$cycle.log" --run_id="c$cycle" --writers="$WRITERS" \
    --duration=60s >"$WORK/driver.log" 2>&1 &
  DRIVER_PID=$!
  kill_ms=$((MIN_KILL_MS + RANDOM % (MAX_KILL_MS - MIN_KILL_MS + 1)))
  TOTAL_KILL_MS=$((TOTAL_KILL_MS + kill_ms))
  sleep "$(printf '%d.%03d' $((kill_ms / 1000)) $((kill_ms % 1000)))"
  kill -KILL "$SERVER_PID" 2>/dev/null || fail "cycle $cycle: server died before the kill"
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
  wait "$DRIVER_PID"
  rc=$?
  if [[ $rc -ne 0 ]]; then
    cat "$WORK/driver.log" >&2
    fail "cycle $cycle: driver exit $rc (unexpected errors)"
  fi
  acked=$(wc -l <"$ACKS/c$cycle.log")
  echo "cycle $cycle: killed after ${kill_ms} ms, $acked writes acknowledged; $(head -n 1 "$WORK/driver.log")"
  if (( cycle % CHECK_EVERY == 0 || cycle == CYCLES )); then
    check_data_dir "after cycle $cycle:"
  fi
done

# A last recovery by the server itself, then a clean stop and the checks.
start_server
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=""
[[ $rc -eq 0 ]] || fail "final claimtraild exited $rc after SIGTERM"
check_data_dir "final:"

acks_total=$(cat "$ACKS"/*.log | cut -f1 | sort -u | wc -l)
events=$(echo "$LAST_VERIFY" | tail -n 1 | sed -n 's/.* of \([0-9]*\) events.*/\1/p')
echo "crash: $CYCLES cycles in $(( $(date +%s) - START )) s, $acks_total acknowledged writes, $events events, lost=0 duplicated=0 (mean kill delay $((TOTAL_KILL_MS / CYCLES)) ms, $WRITERS writers)"
