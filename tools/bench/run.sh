#!/usr/bin/env bash
# The whole benchmark comparison in one command (docs/BENCHMARKS.md):
#
#   tools/bench/run.sh [--out DIR] [--quick] [--no-install] [--skip-peers]
#
# On loopback, one system at a time (the others stopped), each right after a
# disk fsync probe on the same file system:
#   1. claimtraild (opt build, temp data dir): the empty-call baseline
#      (gRPC health Check) and every claimtrail workload;
#   2. etcd (Debian etcd-server): put, get, range at a past revision;
#   3. PostgreSQL 15 (private cluster, synchronous_commit=on, fsync=on):
#      append, get, as-of, timeline of 100.
# Each workload is swept over 1, 4, 16, 64, 256 calls in flight, with a
# 1 s warm-up and a 3 s measured window per point (about 80 points: 6-7
# minutes on a 2-core machine once the binaries are built). A peer that
# cannot be installed, built or started is reported as skipped, with why.
#
# Prints the table with ratios and the targets; writes DIR/results.json
# (every point, ratios, targets), DIR/table.txt and the logs. DIR defaults to
# a fresh /tmp/claimtrail-bench.XXXXXX.
#
#   --quick       0.3 s warm-up, 1 s windows (a rough look in ~2 minutes)
#   --no-install  do not apt-get install missing peers
#   --skip-peers  claimtrail and the disk only
# Environment: BENCH_WARMUP, BENCH_WINDOW (e.g. 1s, 3s), BENCH_IN_FLIGHT
# (e.g. 1,16,256), CLAIMTRAIL_TOKEN (else the data dir's admin.token is used).
set -uo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)

OUT=""
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
IN_FLIGHT=${BENCH_IN_FLIGHT:-1,4,16,64,256}
STARTED=$(date +%s)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/claimtrail-bench.XXXXXX")
chmod 755 "$WORK"  # PostgreSQL runs as its own user below.
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "run.sh: work dir $WORK, results in $OUT" >&2

SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  [[ -n "${PG_CTL:-}" && -d "$WORK/pg/data" ]] && pg_as_owner "$PG_CTL" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1
}
trap cleanup EXIT

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

# --symlink_prefix=/ : do not repoint the bazel-bin symlink that colleagues'
# fastbuild scripts use; the binaries are found through `bazel info`.
BAZEL_OPTS=(-c opt --symlink_prefix=/)
if ! bazel build "${BAZEL_OPTS[@]}" //server:claimtraild //tools/bench:load_generator //tools/bench:fsync_probe 2>"$WORK/build.log"; then
  tail -30 "$WORK/build.log" >&2
  echo "run.sh: build failed (full log: $WORK/build.log)" >&2
  exit 1
fi
BIN=$(bazel info "${BAZEL_OPTS[@]}" bazel-bin 2>/dev/null)
ETCD_SKIP=""
PG_SKIP=""
if [[ $PEERS -eq 0 ]]; then
  ETCD_SKIP="--skip-peers given"
  PG_SKIP="--skip-peers given"
else
  if ! command -v etcd >/dev/null; then
    ETCD_SKIP="etcd is not installed (Debian package etcd-server)"
  elif ! bazel build "${BAZEL_OPTS[@]}" //tools/bench/etcd:etcd_load 2>"$WORK/build-etcd.log"; then
    ETCD_SKIP="etcd_load did not build (needs golang-etcd-server-dev's protos; $WORK/build-etcd.log)"
  fi
  PG_BINDIR=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
  if [[ -z "$PG_BINDIR" ]]; then
    PG_SKIP="PostgreSQL 15 is not installed (Debian package postgresql-15)"
  elif ! bazel build "${BAZEL_OPTS[@]}" //tools/bench/pg:pg_load 2>"$WORK/build-pg.log"; then
    PG_SKIP="pg_load did not build (needs libpq-dev; $WORK/build-pg.log)"
  fi
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# skipped SYSTEM REASON: the result document of a peer that was not measured.
skipped() {
  echo "run.sh: $1 skipped: $2" >&2
  python3 -c 'import json, sys; json.dump({"system": sys.argv[1], "skipped": sys.argv[2], "points": [], "meta": {}}, open(sys.argv[3], "w"), indent=2)' \
    "$1" "$2" "$WORK/$1.json"
}

probe_disk() {  # probe_disk DIR LABEL
  "$BIN/tools/bench/fsync_probe" --dir="$1" --duration=1s --system_label="disk@$2" \
    --json_out="$WORK/disk-$2.json" >/dev/null || echo "run.sh: fsync probe failed" >&2
}

COMMON=(--in_flight="$IN_FLIGHT" --warmup="$WARMUP" --window="$WINDOW")

# ---- 1. claimtrail.
DATA="$WORK/claimtrail"
mkdir -p "$DATA"
probe_disk "$DATA" claimtrail
SERVER_FLAGS=(--listen=127.0.0.1:0 --data_dir="$DATA")
# A capacity benchmark: no per-principal rate limit (when the server has one).
# (Output captured first: `grep -q` closing the pipe early would fail the
# pipeline under pipefail.)
SERVER_HELP=$("$BIN/server/claimtraild" --helpfull 2>&1)
if [[ "$SERVER_HELP" == *"-rate_limit_rps"* ]]; then
  SERVER_FLAGS+=(--rate_limit_rps=0)
fi
"$BIN/server/claimtraild" "${SERVER_FLAGS[@]}" 2>"$WORK/claimtraild.log" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$WORK/claimtraild.log" | head -n 1)
  [[ -n "$PORT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.05
done
if [[ -z "$PORT" ]]; then
  cat "$WORK/claimtraild.log" >&2
  echo "run.sh: claimtraild did not start" >&2
  exit 1
fi
if [[ -z "${CLAIMTRAIL_TOKEN:-}" && -f "$DATA/admin.token" ]]; then
  CLAIMTRAIL_TOKEN=$(tr -d '[:space:]' <"$DATA/admin.token")
  export CLAIMTRAIL_TOKEN
fi
echo "run.sh: claimtrail on port $PORT" >&2
if ! "$BIN/tools/bench/load_generator" --server="127.0.0.1:$PORT" --server_pid="$SERVER_PID" \
    "${COMMON[@]}" --json_out="$WORK/claimtrail.json" >/dev/null 2>"$WORK/claimtrail-load.log"; then
  tail -5 "$WORK/claimtrail-load.log" >&2
  echo "run.sh: the claimtrail load generator failed (log: $WORK/claimtrail-load.log)" >&2
  exit 1
fi
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""

# ---- 2. etcd.
if [[ -z "$ETCD_SKIP" ]]; then
  mkdir -p "$WORK/etcd"
  probe_disk "$WORK/etcd" etcd
  CLIENT_PORT=$(free_port)
  PEER_PORT=$(free_port)
  # Defaults otherwise: every write is fsync'd to the WAL before the reply.
  etcd --name bench --data-dir "$WORK/etcd/data" \
    --listen-client-urls "http://127.0.0.1:$CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" \
    --quota-backend-bytes=$((8 << 30)) >"$WORK/etcd.log" 2>&1 &
  SERVER_PID=$!
  if "$BIN/tools/bench/etcd/etcd_load" --server="127.0.0.1:$CLIENT_PORT" --server_pid="$SERVER_PID" \
      "${COMMON[@]}" --json_out="$WORK/etcd.json" >/dev/null 2>"$WORK/etcd-load.log"; then
    :
  else
    skipped etcd "etcd did not start or the load failed: $(tail -1 "$WORK/etcd-load.log")"
  fi
  kill -TERM "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
else
  skipped etcd "$ETCD_SKIP"
fi

# ---- 3. PostgreSQL.
# initdb refuses to run as root: the cluster belongs to the postgres user
# then.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ -z "$PG_SKIP" ]]; then
  PG_CTL="$PG_BINDIR/pg_ctl"
  mkdir -p "$WORK/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres "$WORK/pg"
  probe_disk "$WORK/pg" postgresql
  PG_PORT=$(free_port)
  if ! pg_as_owner "$PG_BINDIR/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 >"$WORK/pg-initdb.log" 2>&1; then
    skipped postgresql "initdb failed: $(tail -1 "$WORK/pg-initdb.log")"
  elif ! pg_as_owner "$PG_CTL" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -t 30 \
      -o "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=300" \
      start >"$WORK/pg-ctl.log" 2>&1; then
    skipped postgresql "the server did not start: $(tail -1 "$WORK/pg/server.log" 2>/dev/null)"
  else
    PG_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
    if ! "$BIN/tools/bench/pg/pg_load" --conninfo="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" \
        --server_pid="$PG_PID" "${COMMON[@]}" --json_out="$WORK/postgresql.json" >/dev/null 2>"$WORK/pg-load.log"; then
      skipped postgresql "the load failed: $(tail -1 "$WORK/pg-load.log")"
    fi
    pg_as_owner "$PG_CTL" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1
  fi
else
  skipped postgresql "$PG_SKIP"
fi

# ---- Report.
ELAPSED=$(($(date +%s) - STARTED))
python3 "$REPO/tools/bench/report.py" --json_out="$OUT/results.json" \
  --note="run.sh: warm-up $WARMUP, window $WINDOW per point, in flight $IN_FLIGHT; $(nproc) cores; ${ELAPSED} s total" \
  "$WORK"/disk-*.json "$WORK/claimtrail.json" "$WORK/etcd.json" "$WORK/postgresql.json" | tee "$OUT/table.txt"
echo "run.sh: done in ${ELAPSED} s; $OUT/results.json" >&2
