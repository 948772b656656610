#!/usr/bin/env bash
# The scale targets of docs/BENCHMARKS.md: the same claimtrail workloads on a
# small dataset (1,000 claims x 10 events: ~10k events) and a large one
# (default 1M claims x 10 events: ~10M events), both written offline by
# gen_dataset and measured side by side (both servers up, every point on the
# small dataset then on the large one, --rounds interleaved rounds, default
# 3; scale_report.py takes the medians); the restart time to SERVING and the
# server's RSS on the large one; the indexed search page of 50 at 1M claims.
#
#   tools/bench/scale.sh [--claims=N] [--events_per_claim=K]
#                        [--payload_bytes=B] [--rounds=R] [--out=DIR] [--keep]
#
# Slow and heavy: about 13 minutes on 2 cores (5 generating 10M events, 7
# measuring) and several GB of disk (payloads default to 128 bytes here to
# keep it at that; the event and index counts are what scale). Not part of run.sh. Writes
# DIR/scale.json (a "claimtrail-scale" document that report.py folds into its
# targets) and prints a summary. The data directories are removed at the end
# unless --keep.
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)

CLAIMS=1000000
EVENTS_PER_CLAIM=10
PAYLOAD=128
OUT=""
KEEP=0
ROUNDS=3
for arg in "$@"; do
  case "$arg" in
    --claims=*) CLAIMS="${arg#*=}" ;;
    --events_per_claim=*) EVENTS_PER_CLAIM="${arg#*=}" ;;
    --payload_bytes=*) PAYLOAD="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/claimtrail-scale.XXXXXX")
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "scale.sh: work dir $WORK, results in $OUT" >&2

SERVER_PID=""
# The servers of the side-by-side measurement (see below).
declare -A LOAD_PID LOAD_PORT LOAD_TOKEN
cleanup() {
  local pid
  for pid in "$SERVER_PID" "${LOAD_PID[@]}"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  [[ $KEEP -eq 0 ]] && rm -rf "$WORK/small" "$WORK/large"
}
trap cleanup EXIT

tools/install-deps.sh || exit 1
BAZEL_OPTS=(-c opt --symlink_prefix=/)
if ! bazel build "${BAZEL_OPTS[@]}" //server:claimtraild //tools/bench:load_generator //tools/bench:gen_dataset 2>"$WORK/build.log"; then
  tail -30 "$WORK/build.log" >&2
  exit 1
fi
BIN=$(bazel info "${BAZEL_OPTS[@]}" bazel-bin 2>/dev/null)
SERVER_HELP=$("$BIN/server/claimtraild" --helpfull 2>&1)
SERVER_FLAGS=(--listen=127.0.0.1:0)
[[ "$SERVER_HELP" == *"-rate_limit_rps"* ]] && SERVER_FLAGS+=(--rate_limit_rps=0)

# start_server DIR LOG: starts claimtraild; sets SERVER_PID, PORT and
# START_SECONDS (exec to the "serving" log line, which is written once
# health reports SERVING).
start_server() {
  local t0 t1
  : >"$2"
  t0=$(date +%s%N)
  "$BIN/server/claimtraild" "${SERVER_FLAGS[@]}" --data_dir="$1" 2>>"$2" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 12000); do
    PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$2" | head -n 1)
    [[ -n "$PORT" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$2" >&2; echo "scale.sh: claimtraild exited" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  [[ -n "$PORT" ]] || { echo "scale.sh: claimtraild did not start in 60 s" >&2; exit 1; }
  START_SECONDS=$(python3 -c "print(round(($t1 - $t0) / 1e9, 3))")
  if [[ -f "$1/admin.token" ]]; then
    CLAIMTRAIL_TOKEN=$(tr -d '[:space:]' <"$1/admin.token")
    export CLAIMTRAIL_TOKEN
  fi
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# prepare NAME CLAIMS: generates the dataset, then times its first start
# and a restart.
prepare() {
  local name=$1 claims=$2 dir="$WORK/$1" t0 t1
  t0=$(date +%s)
  # Generation is not measured: run it behind other work on the machine.
  nice -n 10 "$BIN/tools/bench/gen_dataset" --data_dir="$dir" --claims="$claims" \
    --events_per_claim="$EVENTS_PER_CLAIM" --payload_bytes="$PAYLOAD" \
    --progress_interval=30s 2>&1 | tee "$WORK/gen-$name.log" >&2 || exit 1
  t1=$(date +%s)
  echo "$((t1 - t0))" >"$WORK/gen-$name.seconds"
  du -sk "$dir" | cut -f1 >"$WORK/disk-$name.kib"
  start_server "$dir" "$WORK/server-$name.log"  # First start: opens the data.
  echo "$START_SECONDS" >"$WORK/first-start-$name.seconds"
  stop_server
  start_server "$dir" "$WORK/server-$name.log"  # The restart we time.
  echo "$START_SECONDS" >"$WORK/restart-$name.seconds"
  echo "scale.sh: $name: restart to SERVING in $START_SECONDS s" >&2
  stop_server
}

prepare small 1000
prepare large "$CLAIMS"

# Side by side: both servers up, and every (workload, in flight) point is
# measured on the small dataset and right after on the large one, so both
# sides of each ratio see the same background load on this shared machine
# (measuring one dataset after the other moved single ratios by 20-30 %
# between runs). Each point is measured ROUNDS times, interleaved, and
# scale_report.py takes the median. Append runs last: it changes both
# datasets.
declare -A LOAD_CLAIMS=([small]=1000 [large]="$CLAIMS")
for name in small large; do
  start_server "$WORK/$name" "$WORK/server-$name.log"
  LOAD_PID[$name]=$SERVER_PID
  LOAD_PORT[$name]=$PORT
  LOAD_TOKEN[$name]=${CLAIMTRAIL_TOKEN:-}
  SERVER_PID=""
done
for workload in get asof timeline10 timeline100 search_source search_state append; do
  for in_flight in 1 16; do
    for round in $(seq 1 "$ROUNDS"); do
      for name in small large; do
        CLAIMTRAIL_TOKEN=${LOAD_TOKEN[$name]} "$BIN/tools/bench/load_generator" \
          --server="127.0.0.1:${LOAD_PORT[$name]}" --server_pid="${LOAD_PID[$name]}" \
          --prepare=false --claims="${LOAD_CLAIMS[$name]}" \
          --events_per_claim="$EVENTS_PER_CLAIM" --payload_bytes="$PAYLOAD" \
          --system_label="claimtrail-$name" --workloads="$workload" \
          --in_flight="$in_flight" --warmup=1s --window=3s \
          --json_out="$WORK/$name-$workload-$in_flight-$round.json" \
          >/dev/null 2>>"$WORK/load-$name.log" || { tail -5 "$WORK/load-$name.log" >&2; exit 1; }
      done
    done
  done
done
echo "scale.sh: measured both datasets side by side" >&2

python3 "$REPO/tools/bench/scale_report.py" --work="$WORK" --claims="$CLAIMS" \
  --events_per_claim="$EVENTS_PER_CLAIM" --payload_bytes="$PAYLOAD" \
  --json_out="$OUT/scale.json" | tee "$OUT/scale.txt"
