#!/usr/bin/env bash
# The whole benchmark comparison in one command (docs/BENCHMARKS.md):
#
#   tools/bench/run.sh [--out DIR] [--quick] [--no-install] [--skip-peers]
#
# Starts, on loopback, with temp data dirs on the same file system:
#   claimtraild (opt build), the durable floor (tools/bench/floor: the
#   append call answered by gRPC and a synced LevelDB write, nothing
#   else), etcd (Debian etcd-server, default durability: WAL fsync'd
#   before each reply) and PostgreSQL 15 (a private cluster, fsync=on,
#   synchronous_commit=on),
# prepares each one's dataset, then for each concurrency level (1, 4, 16,
# 64, 256 calls in flight) measures back to back: the disk's fsync rate,
# claimtrail's workloads and the empty-call baseline (gRPC health Check on
# the same server), the floor's append, etcd's, then PostgreSQL's.
# Level-major order keeps the points that a ratio compares minutes apart at
# most, so a background load that comes and goes on a shared machine hits
# both sides alike.
#
# Every point: 1 s warm-up, 3 s measured window. About 85 points: some 7
# minutes of measuring on a 2-core machine, plus the first `bazel build -c
# opt` (minutes, once). A peer that cannot be installed, built or started is
# reported as skipped, with why; nothing is faked.
#
# Prints every point, the QPS ratios (claimtrail / empty call, / floor,
# / etcd, / PostgreSQL) and the targets; writes DIR/results.json (all of it),
# DIR/table.txt and the logs. DIR defaults to a fresh
# /tmp/claimtrail-bench.XXXXXX.
#
#   --quick       0.3 s warm-up and 1 s windows (a rough look in ~3 minutes)
#   --no-install  do not apt-get install missing peers
#   --skip-peers  claimtrail, the floor and the disk only
#   --baseline-server BIN
#                 also run claimtrail's workloads on the claimtraild binary
#                 BIN (e.g. built from an earlier commit), right after this
#                 build's at each level, as system "claimtrail@baseline":
#                 the before/after ratios of a change, in one run
# Environment: BENCH_WARMUP, BENCH_WINDOW (e.g. 1s, 3s), BENCH_IN_FLIGHT
# (e.g. "1 16 256"), CLAIMTRAIL_TOKEN (else the data dir's admin.token).
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)

OUT=""
BASELINE_BIN=""
QUICK=0
INSTALL=1
PEERS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#--out=}"; shift ;;
    --quick) QUICK=1; shift ;;
    --no-install) INSTALL=0; shift ;;
    --skip-peers) PEERS=0; shift ;;
    --baseline-server) BASELINE_BIN="$2"; shift 2 ;;
    --baseline-server=*) BASELINE_BIN="${1#--baseline-server=}"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

WARMUP=${BENCH_WARMUP:-1s}
WINDOW=${BENCH_WINDOW:-3s}
if [[ $QUICK -eq 1 ]]; then
  WARMUP=${BENCH_WARMUP:-0.3s}
  WINDOW=${BENCH_WINDOW:-1s}
fi
LEVELS=${BENCH_IN_FLIGHT:-1 4 16 64 256}
LEVELS=${LEVELS//,/ }
STARTED=$(date +%s)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/claimtrail-bench.XXXXXX")
chmod 755 "$WORK"  # PostgreSQL runs as its own user below.
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "run.sh: work dir $WORK, results in $OUT" >&2

CT_PID=""
BASE_PID=""
FLOOR_PID=""
FLOOR_SKIP=""
ETCD_PID=""
PG_CTL=""
# initdb refuses to run as root: the cluster then belongs to postgres.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pid() {
  if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
  fi
}
cleanup() {
  stop_pid "$CT_PID"
  stop_pid "$BASE_PID"
  stop_pid "$FLOOR_PID"
  stop_pid "$ETCD_PID"
  if [[ -n "$PG_CTL" ]]; then
    pg_as_owner "$PG_CTL" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1
  fi
}
trap cleanup EXIT

# skipped SYSTEM REASON: the result document of a system not measured.
skipped() {
  echo "run.sh: $1 skipped: $2" >&2
  python3 -c 'import json, sys; json.dump({"system": sys.argv[1], "skipped": sys.argv[2], "points": [], "meta": {}}, open(sys.argv[3], "w"), indent=2)' \
    "$1" "$2" "$WORK/$1-skipped.json"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- Packages and binaries.
tools/install-deps.sh || exit 1
if [[ $PEERS -eq 1 && $INSTALL -eq 1 ]]; then
  missing=()
  for p in etcd-server golang-etcd-server-dev postgresql libpq-dev; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "run.sh: installing peers: ${missing[*]}" >&2
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
      echo "run.sh: could not install ${missing[*]} (see $WORK/apt.log); those peers will be skipped" >&2
  fi
fi

# --symlink_prefix=/ : leave the bazel-bin symlink (colleagues' fastbuild)
# alone; the binaries are found through `bazel info`.
BAZEL_OPTS=(-c opt --symlink_prefix=/)
if ! bazel build "${BAZEL_OPTS[@]}" //server:claimtraild //tools/bench:load_generator //tools/bench:fsync_probe \
    //tools/bench/floor:durable_floor_server 2>"$WORK/build.log"; then
  tail -30 "$WORK/build.log" >&2
  echo "run.sh: build failed (full log: $WORK/build.log)" >&2
  exit 1
fi
BIN=$(bazel info "${BAZEL_OPTS[@]}" bazel-bin 2>/dev/null)
ETCD_SKIP=""
PG_SKIP=""
PG_BINDIR=/usr/lib/postgresql/15/bin
if [[ $PEERS -eq 0 ]]; then
  ETCD_SKIP="--skip-peers given"
  PG_SKIP="--skip-peers given"
else
  if ! command -v etcd >/dev/null; then
    ETCD_SKIP="etcd is not installed (Debian package etcd-server)"
  elif ! bazel build "${BAZEL_OPTS[@]}" //tools/bench/etcd:etcd_load 2>"$WORK/build-etcd.log"; then
    ETCD_SKIP="etcd_load did not build (needs golang-etcd-server-dev's protos; $WORK/build-etcd.log)"
  fi
  if [[ ! -x "$PG_BINDIR/postgres" ]]; then
    PG_SKIP="PostgreSQL 15 is not installed (Debian package postgresql-15)"
  elif ! bazel build "${BAZEL_OPTS[@]}" //tools/bench/pg:pg_load 2>"$WORK/build-pg.log"; then
    PG_SKIP="pg_load did not build (needs libpq-dev; $WORK/build-pg.log)"
  fi
fi
BUILT=$(date +%s)
# Other work on the machine moves every figure; the report records it.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- Servers up, datasets prepared.
# logged_port LOG PID: the N of the "(port N)" that claimtraild and the
# durable floor log once serving; empty if PID exits or 10 s pass first.
logged_port() {
  local port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$1" | head -n 1)
    [[ -n "$port" ]] && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.05
  done
  echo "$port"
}
# start_claimtrail BINARY NAME: starts BINARY on a fresh data dir
# $WORK/NAME, prepares the dataset; sets STARTED_PID and STARTED_LOAD (the
# load generator's command line for it).
start_claimtrail() {
  local bin="$1" name="$2" data="$WORK/$2"
  mkdir -p "$data"
  local flags=(--listen=127.0.0.1:0 --data_dir="$data")
  # A capacity benchmark: no per-principal rate limit (when the server has
  # one). Output captured first: `grep -q` closing the pipe early would fail
  # the pipeline under pipefail.
  local help
  help=$("$bin" --helpfull 2>&1)
  [[ "$help" == *"-rate_limit_rps"* ]] && flags+=(--rate_limit_rps=0)
  : >"$WORK/$name.log"
  "$bin" "${flags[@]}" 2>"$WORK/$name.log" &
  STARTED_PID=$!
  local port
  port=$(logged_port "$WORK/$name.log" "$STARTED_PID")
  if [[ -z "$port" ]]; then
    cat "$WORK/$name.log" >&2
    echo "run.sh: $bin did not start" >&2
    exit 1
  fi
  local token="${CLAIMTRAIL_TOKEN:-}"
  [[ -z "$token" && -f "$data/admin.token" ]] && token=$(tr -d '[:space:]' <"$data/admin.token")
  STARTED_LOAD=("$BIN/tools/bench/load_generator" --server="127.0.0.1:$port"
    --server_pid="$STARTED_PID" --token="$token" --system_label="$name")
  if ! "${STARTED_LOAD[@]}" --prepare_only 2>"$WORK/$name-prepare.log"; then
    tail -5 "$WORK/$name-prepare.log" >&2
    echo "run.sh: preparing $name's dataset failed" >&2
    exit 1
  fi
}
CT_DATA="$WORK/claimtrail"
start_claimtrail "$BIN/server/claimtraild" claimtrail
CT_PID=$STARTED_PID
CT_LOAD=("${STARTED_LOAD[@]}")
if [[ -n "$BASELINE_BIN" ]]; then
  start_claimtrail "$BASELINE_BIN" claimtrail@baseline
  BASE_PID=$STARTED_PID
  BASE_LOAD=("${STARTED_LOAD[@]}")
fi

# The durable floor (tools/bench/floor): the append call served by gRPC and
# LevelDB alone. It needs no dataset.
mkdir -p "$WORK/floor"
"$BIN/tools/bench/floor/durable_floor_server" --data_dir="$WORK/floor" 2>"$WORK/floor.log" &
FLOOR_PID=$!
FLOOR_PORT=$(logged_port "$WORK/floor.log" "$FLOOR_PID")
if [[ -z "$FLOOR_PORT" ]]; then
  FLOOR_SKIP="the durable floor did not start: $(tail -1 "$WORK/floor.log")"
  stop_pid "$FLOOR_PID"
  FLOOR_PID=""
else
  FLOOR_LOAD=("$BIN/tools/bench/load_generator" --server="127.0.0.1:$FLOOR_PORT"
    --server_pid="$FLOOR_PID" --system_label=floor --prepare=false --workloads=append)
fi

if [[ -z "$ETCD_SKIP" ]]; then
  ETCD_PORT=$(free_port)
  ETCD_PEER_PORT=$(free_port)
  etcd --name bench --data-dir "$WORK/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER_PORT" \
    --quota-backend-bytes=$((8 << 30)) >"$WORK/etcd.log" 2>&1 &
  ETCD_PID=$!
  ETCD_LOAD=("$BIN/tools/bench/etcd/etcd_load" --server="127.0.0.1:$ETCD_PORT" --server_pid="$ETCD_PID")
  if ! "${ETCD_LOAD[@]}" --prepare_only 2>"$WORK/etcd-prepare.log"; then
    ETCD_SKIP="etcd did not start or could not be prepared: $(tail -1 "$WORK/etcd-prepare.log")"
    stop_pid "$ETCD_PID"
    ETCD_PID=""
  fi
fi

if [[ -z "$PG_SKIP" ]]; then
  mkdir -p "$WORK/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres "$WORK/pg"
  PG_PORT=$(free_port)
  if ! pg_as_owner "$PG_BINDIR/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 >"$WORK/pg-initdb.log" 2>&1; then
    PG_SKIP="initdb failed: $(tail -1 "$WORK/pg-initdb.log")"
  elif ! pg_as_owner "$PG_BINDIR/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 30 \
      -o "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=300" \
      start >"$WORK/pg-ctl.log" 2>&1; then
    PG_SKIP="the server did not start: $(tail -1 "$WORK/pg/server.log" 2>/dev/null)"
  else
    PG_CTL="$PG_BINDIR/pg_ctl"
    PG_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
    PG_LOAD=("$BIN/tools/bench/pg/pg_load" --conninfo="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" --server_pid="$PG_PID")
    if ! "${PG_LOAD[@]}" --setup_only 2>"$WORK/pg-setup.log"; then
      PG_SKIP="setting up the table failed: $(tail -1 "$WORK/pg-setup.log")"
    fi
  fi
fi
[[ -n "$FLOOR_SKIP" ]] && skipped floor "$FLOOR_SKIP"
[[ -n "$ETCD_SKIP" ]] && skipped etcd "$ETCD_SKIP"
[[ -n "$PG_SKIP" ]] && skipped postgresql "$PG_SKIP"

# ---- Level by level: disk, claimtrail, etcd, PostgreSQL.
WINDOW_FLAGS=(--warmup="$WARMUP" --window="$WINDOW")
for level in $LEVELS; do
  echo "run.sh: $level in flight" >&2
  "$BIN/tools/bench/fsync_probe" --dir="$CT_DATA" --duration=1s --system_label="disk@$level" \
    --json_out="$WORK/disk-$level.json" >/dev/null || echo "run.sh: fsync probe failed" >&2
  if ! "${CT_LOAD[@]}" --prepare=false --in_flight="$level" "${WINDOW_FLAGS[@]}" \
      --json_out="$WORK/claimtrail-$level.json" >/dev/null 2>>"$WORK/claimtrail-load.log"; then
    tail -5 "$WORK/claimtrail-load.log" >&2
    echo "run.sh: the claimtrail load generator failed (log: $WORK/claimtrail-load.log)" >&2
    exit 1
  fi
  if [[ -n "$BASELINE_BIN" ]] && ! "${BASE_LOAD[@]}" --prepare=false --in_flight="$level" "${WINDOW_FLAGS[@]}" \
      --json_out="$WORK/claimtrail@baseline-$level.json" >/dev/null 2>>"$WORK/baseline-load.log"; then
    tail -5 "$WORK/baseline-load.log" >&2
    echo "run.sh: the load generator failed on the baseline server" >&2
    exit 1
  fi
  if [[ -z "$FLOOR_SKIP" ]] && ! "${FLOOR_LOAD[@]}" --in_flight="$level" "${WINDOW_FLAGS[@]}" \
      --json_out="$WORK/floor-$level.json" >/dev/null 2>>"$WORK/floor-load.log"; then
    skipped floor "load_generator failed on the floor at $level in flight: $(tail -1 "$WORK/floor-load.log")"
    FLOOR_SKIP="failed"
  fi
  if [[ -z "$ETCD_SKIP" ]] && ! "${ETCD_LOAD[@]}" --prepare=false --in_flight="$level" "${WINDOW_FLAGS[@]}" \
      --json_out="$WORK/etcd-$level.json" >/dev/null 2>>"$WORK/etcd-load.log"; then
    skipped etcd "etcd_load failed at $level in flight: $(tail -1 "$WORK/etcd-load.log")"
    ETCD_SKIP="failed"
  fi
  if [[ -z "$PG_SKIP" ]] && ! "${PG_LOAD[@]}" --setup=false --in_flight="$level" "${WINDOW_FLAGS[@]}" \
      --json_out="$WORK/postgresql-$level.json" >/dev/null 2>>"$WORK/pg-load.log"; then
    skipped postgresql "pg_load failed at $level in flight: $(tail -1 "$WORK/pg-load.log")"
    PG_SKIP="failed"
  fi
done

# ---- Report.
FINISHED=$(date +%s)
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
NOTE="run.sh $(date -u +%Y-%m-%dT%H:%MZ): warm-up $WARMUP, window $WINDOW per point, in flight ${LEVELS// /,}; \
$(nproc) cores ($CPU_MODEL), kernel $(uname -r), $(df -T "$WORK" | awk 'NR==2 {print $2}') on $(df "$WORK" | awk 'NR==2 {print $1}'); \
load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg); \
build $((BUILT - STARTED)) s, measurement $((FINISHED - BUILT)) s"
cleanup
CT_PID=""; BASE_PID=""; FLOOR_PID=""; ETCD_PID=""; PG_CTL=""
# In level order, so that the table is too.
results=()
for system in disk claimtrail claimtrail@baseline floor etcd postgresql; do
  for level in $LEVELS; do
    [[ -f "$WORK/$system-$level.json" ]] && results+=("$WORK/$system-$level.json")
  done
  [[ -f "$WORK/$system-skipped.json" ]] && results+=("$WORK/$system-skipped.json")
done
python3 "$REPO/tools/bench/report.py" --json_out="$OUT/results.json" --note="$NOTE" \
  "${results[@]}" | tee "$OUT/table.txt"
echo "run.sh: done in $((FINISHED - STARTED)) s; $OUT/results.json" >&2
