#!/bin/bash
# Smoke test of the benchmark harness: claimtraild on port 0 with a temp data
# dir, the load generator for a tiny window (health, append, get at 1 and 4
# in flight, with a small prepared dataset), the durable floor's append, the
# fsync probe, and report.py over all of them. Asserts that every point
# produced numbers (ops, QPS and latencies > 0, no errors, server CPU
# measured) — never how fast.
#
# Usage (from Bazel): load_generator_smoke_test.sh CLAIMTRAILD LOAD_GENERATOR
#                     FSYNC_PROBE REPORT_PY DURABLE_FLOOR_SERVER
set -uo pipefail

SERVER_BIN="$1"
LOAD_BIN="$2"
PROBE_BIN="$3"
REPORT="$4"
FLOOR_BIN="$5"

WORK="${TEST_TMPDIR:-$(mktemp -d)}/bench_smoke"
rm -rf "$WORK"
mkdir -p "$WORK"
DATA="$WORK/data"
SERVER_PID=""
FLOOR_PID=""

fail() {
  echo "FAIL: $*" >&2
  for log in server.log load.log floor.log floor-load.log; do
    [[ -f "$WORK/$log" ]] && { echo "--- $log:" >&2; cat "$WORK/$log" >&2; }
  done
  exit 1
}

stop() {
  [[ -n "$1" ]] && kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null
}
cleanup() {
  stop "$SERVER_PID"
  stop "$FLOOR_PID"
}
trap cleanup EXIT

# logged_port LOG PID NAME: the N of the "(port N)" that both servers log
# once serving; fails the test if PID exits or 20 s pass first.
logged_port() {
  local port=""
  for _ in $(seq 1 400); do
    port=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$1" | head -n 1)
    [[ -n "$port" ]] && { echo "$port"; return 0; }
    kill -0 "$2" 2>/dev/null || fail "$3 exited during start-up"
    sleep 0.05
  done
  fail "$3 did not log its port within 20s"
}

SERVER_FLAGS=(--listen=127.0.0.1:0 --data_dir="$DATA")
SERVER_HELP=$("$SERVER_BIN" --helpfull 2>&1)
if [[ "$SERVER_HELP" == *"-rate_limit_rps"* ]]; then
  SERVER_FLAGS+=(--rate_limit_rps=0)
fi
"$SERVER_BIN" "${SERVER_FLAGS[@]}" 2>"$WORK/server.log" &
SERVER_PID=$!
PORT=$(logged_port "$WORK/server.log" "$SERVER_PID" claimtraild) || exit 1
# Once the server requires tokens, the bootstrap admin token is in the data
# directory.
if [[ -f "$DATA/admin.token" ]]; then
  CLAIMTRAIL_TOKEN=$(tr -d '[:space:]' <"$DATA/admin.token")
  export CLAIMTRAIL_TOKEN
fi

"$LOAD_BIN" --server="127.0.0.1:$PORT" --server_pid="$SERVER_PID" \
  --workloads=health,append,get --in_flight=1,4 --warmup=0.1s --window=0.3s \
  --claims=30 --timeline10_claims=2 --timeline100_claims=1 --append_claims=10 \
  --json_out="$WORK/claimtrail.json" >"$WORK/table.txt" 2>"$WORK/load.log" ||
  fail "load_generator exited with $?"
grep -q "append" "$WORK/table.txt" || fail "no table on stdout"

mkdir -p "$WORK/floor"
"$FLOOR_BIN" --data_dir="$WORK/floor" 2>"$WORK/floor.log" &
FLOOR_PID=$!
FLOOR_PORT=$(logged_port "$WORK/floor.log" "$FLOOR_PID" durable_floor_server) || exit 1
"$LOAD_BIN" --server="127.0.0.1:$FLOOR_PORT" --server_pid="$FLOOR_PID" \
  --system_label=floor --prepare=false --workloads=append --in_flight=1,4 \
  --warmup=0.1s --window=0.3s --append_claims=10 \
  --json_out="$WORK/floor.json" >/dev/null 2>"$WORK/floor-load.log" ||
  fail "load_generator against the floor exited with $?"
stop "$FLOOR_PID"
FLOOR_PID=""

"$PROBE_BIN" --dir="$DATA" --duration=0.2s --warmup=0.05s \
  --system_label=disk@claimtrail --json_out="$WORK/disk.json" >/dev/null ||
  fail "fsync_probe exited with $?"

python3 - "$WORK/claimtrail.json" "$WORK/disk.json" "$WORK/floor.json" <<'PY' || fail "results lack numbers"
import json, sys
claimtrail = json.load(open(sys.argv[1]))
disk = json.load(open(sys.argv[2]))
floor = json.load(open(sys.argv[3]))
want = {("claimtrail", w, n) for w in ("health", "append", "get") for n in (1, 4)}
want |= {("floor", "append", n) for n in (1, 4)}
points = claimtrail["points"] + floor["points"]
got = {(p["system"], p["workload"], p["in_flight"]) for p in points}
assert got == want, f"points {sorted(got)} != {sorted(want)}"
for p in points:
    name = f"{p['system']}: {p['workload']}@{p['in_flight']}"
    assert p["errors"] == 0, f"{name}: errors: {p.get('first_error')}"
    assert p["ops"] > 0 and p["qps"] > 0, f"{name}: no ops"
    for q in ("p50", "p99", "p999"):
        assert p["latency_us"][q] > 0, f"{name}: latency {q} is 0"
    assert p["latency_us"]["p50"] <= p["latency_us"]["p99"] <= p["latency_us"]["p999"], name
    assert p["server_cpu_s_per_kop"] >= 0, f"{name}: no server CPU"
    assert p["server_rss_mb"] > 0, f"{name}: no server RSS"
modes = {p["workload"] for p in disk["points"]}
assert modes == {"append_fdatasync", "append_fsync", "overwrite_fdatasync"}, modes
for p in disk["points"]:
    assert p["ops"] > 0 and p["latency_us"]["p50"] > 0, p
PY

python3 "$REPORT" --json_out="$WORK/report.json" "$WORK/disk.json" \
  "$WORK/claimtrail.json" "$WORK/floor.json" "$WORK/missing-peer.json" >"$WORK/report.txt" ||
  fail "report.py exited with $?"
grep -q "append ÷ empty call" "$WORK/report.txt" || fail "report has no ratio rows: $(cat "$WORK/report.txt")"
grep -q "append ÷ durable floor" "$WORK/report.txt" || fail "report has no floor ratio: $(cat "$WORK/report.txt")"
grep -q "durable floor p50" "$WORK/report.txt" || fail "the latency target omits the floor: $(cat "$WORK/report.txt")"
grep -q "missing-peer.json: missing" "$WORK/report.txt" || fail "report hides a missing file"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["targets"] and r["ratios"]' \
  "$WORK/report.json" || fail "report JSON lacks targets or ratios"

echo "PASS"
