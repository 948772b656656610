#!/bin/bash
# Soak test: claimtraild under steady load for a long time, sampling its
# memory and the clients' error count.
#
#   tools/soak/run.sh [--duration=3600] [--interval=10] [--measure=30]
#       [--writers=64] [--read_fraction=0.2] [--out=DIR]
#       [--claimtraild=BIN] [--driver=BIN] [--fsck=BIN]
#
# 1. Starts claimtraild (port 0) on a fresh data directory in DIR.
# 2. Measures the maximum load: the crash driver's writers (plus reads, see
#    --read_fraction) unthrottled for --measure seconds.
# 3. Runs the same mix at half that rate for --duration seconds, sampling
#    every --interval seconds into DIR/soak.csv:
#      elapsed_s,rss_kb,ops_total,errors_total,ops_per_s,data_kb,threads,fds
# 4. Stops the server (SIGTERM), runs claimtrail_fsck on the directory, and
#    prints a summary (RSS at start / max / end, ops, errors, fsck).
# Binaries default to bazel-bin/ (build //server:claimtraild,
# //tools/crash:claimtrail_crash_driver and //tools/fsck:claimtrail_fsck).
# Exit 0 when the run completed with no errors and fsck clean.
set -uo pipefail
cd "$(dirname "$0")/../.."

DURATION=3600
INTERVAL=10
MEASURE=30
WRITERS=64
READ_FRACTION=0.2
OUT="${TMPDIR:-/tmp}/claimtrail-soak"
SERVER_BIN=bazel-bin/server/claimtraild
DRIVER_BIN=bazel-bin/tools/crash/claimtrail_crash_driver
FSCK_BIN=bazel-bin/tools/fsck/claimtrail_fsck
for arg in "$@"; do
  case "$arg" in
    --duration=*) DURATION="${arg#*=}" ;;
    --interval=*) INTERVAL="${arg#*=}" ;;
    --measure=*) MEASURE="${arg#*=}" ;;
    --writers=*) WRITERS="${arg#*=}" ;;
    --read_fraction=*) READ_FRACTION="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    --claimtraild=*) SERVER_BIN="${arg#*=}" ;;
    --driver=*) DRIVER_BIN="${arg#*=}" ;;
    --fsck=*) FSCK_BIN="${arg#*=}" ;;
    *) echo "soak: unknown argument $arg" >&2; exit 2 ;;
  esac
done

DATA="$OUT/data"
rm -rf "$DATA"
mkdir -p "$OUT"
SERVER_PID=""
DRIVER_PID=""
cleanup() {
  [[ -n "$DRIVER_PID" ]] && kill "$DRIVER_PID" 2>/dev/null
  [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
}
trap cleanup EXIT

"$SERVER_BIN" --listen=127.0.0.1:0 --data_dir="$DATA" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$OUT/server.log" | head -n 1)
  [[ -n "$PORT" ]] && break
  sleep 0.05
done
[[ -n "$PORT" ]] || { echo "soak: claimtraild did not start" >&2; cat "$OUT/server.log" >&2; exit 1; }
TOKEN_ARGS=()
[[ -f "$DATA/admin.token" ]] && TOKEN_ARGS=(--token_file="$DATA/admin.token")

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l; }

echo "soak: claimtraild pid $SERVER_PID on port $PORT, data in $DATA"
echo "soak: measuring the maximum rate for ${MEASURE}s ($WRITERS writers, read fraction $READ_FRACTION)"
"$DRIVER_BIN" --server="127.0.0.1:$PORT" "${TOKEN_ARGS[@]}" --ack_log="$OUT/acks-measure.log" \
  --run_id=m --writers="$WRITERS" --read_fraction="$READ_FRACTION" --keep_going \
  --duration="${MEASURE}s" >"$OUT/measure.log" 2>&1
MAX_RATE=$(sed -n 's/.*(\([0-9][0-9]*\) ops\/s).*/\1/p' "$OUT/measure.log" | head -n 1)
[[ -n "$MAX_RATE" && "$MAX_RATE" -gt 0 ]] || { echo "soak: could not measure the rate" >&2; cat "$OUT/measure.log" >&2; exit 1; }
RATE=$((MAX_RATE / 2))
echo "soak: maximum $MAX_RATE ops/s ($(head -n 1 "$OUT/measure.log")); soaking at $RATE ops/s for ${DURATION}s"

STATS="$OUT/driver.stats"
rm -f "$STATS"
"$DRIVER_BIN" --server="127.0.0.1:$PORT" "${TOKEN_ARGS[@]}" --ack_log="$OUT/acks-soak.log" \
  --run_id=s --writers="$WRITERS" --read_fraction="$READ_FRACTION" --keep_going \
  --rate="$RATE" --duration="${DURATION}s" --stats_file="$STATS" >"$OUT/soak-driver.log" 2>&1 &
DRIVER_PID=$!

CSV="$OUT/soak.csv"
echo "elapsed_s,rss_kb,ops_total,errors_total,ops_per_s,data_kb,threads,fds" >"$CSV"
START=$(date +%s)
last_ops=0
last_t=0
while kill -0 "$DRIVER_PID" 2>/dev/null; do
  sleep "$INTERVAL"
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "soak: claimtraild died" >&2; break; }
  now=$(( $(date +%s) - START ))
  IFS=, read -r _ ops errors <"$STATS" 2>/dev/null || { ops=0; errors=0; }
  rate=$(( (ops - last_ops) / (now - last_t > 0 ? now - last_t : 1) ))
  last_ops=$ops
  last_t=$now
  # du's complaints about a table that compaction removed while it counted
  # are noise; the size is still right to a few MB.
  echo "$now,$(rss_kb),$ops,$errors,$rate,$(du -sk "$DATA" 2>/dev/null | cut -f1),$(threads),$(fds)" >>"$CSV"
done
wait "$DRIVER_PID"
DRIVER_RC=$?
DRIVER_PID=""
ELAPSED=$(( $(date +%s) - START ))

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_RC=$?
SERVER_PID=""
"$FSCK_BIN" --data_dir="$DATA" --max_problems=20 >"$OUT/fsck.log" 2>&1
FSCK_RC=$?

awk -F, -v elapsed="$ELAPSED" -v rate="$RATE" -v max="$MAX_RATE" '
  NR == 2 { first = $2 }
  NR > 1 { if ($2 > peak) peak = $2; last = $2; ops = $3; errors = $4; n++ }
  END {
    printf "soak: %d s at %d ops/s target (max %d): %d ops, %d errors, %d samples; server RSS %d kB at first sample, peak %d kB, %d kB at the end\n",
      elapsed, rate, max, ops, errors, n, first, peak, last
  }' "$CSV"
echo "soak: driver: $(head -n 1 "$OUT/soak-driver.log")"
echo "soak: server exit $SERVER_RC after SIGTERM; fsck: $(tail -n 1 "$OUT/fsck.log")"
errors=$(tail -n 1 "$CSV" | cut -d, -f4)
[[ $DRIVER_RC -eq 0 && $SERVER_RC -eq 0 && $FSCK_RC -eq 0 && "${errors:-1}" -eq 0 ]]
