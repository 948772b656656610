#!/bin/bash
# scale_report.py on a hand-made scale.sh work directory: three interleaved
# rounds per (workload, in flight) and dataset, as scale.sh now writes them.
# Checks that each point is the median of its rounds (one outlier round must
# not decide a ratio), that RSS takes the largest round, and that the
# targets are decided from those folded points: met when the medians are
# within 1.2x, missed when they are not.
#
# Usage (from Bazel): scale_report_test.sh SCALE_REPORT_PY
set -uo pipefail

REPORT="$1"
WORK="${TEST_TMPDIR:-$(mktemp -d)}/scale_report"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# make_work DIR LARGE_GET_P50S: a work dir whose large `get` rounds have
# the given p50s (microseconds); small `get` rounds are 200, 210 and an
# outlier of 900.
make_work() {
  local dir=$1 large_p50s=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  echo 300 >"$dir/gen-large.seconds"
  echo 0.08 >"$dir/first-start-large.seconds"
  echo 0.04 >"$dir/restart-large.seconds"
  echo 3790000 >"$dir/disk-large.kib"
  python3 - "$dir" "$large_p50s" <<'PY'
import json, os, sys
work, large_p50s = sys.argv[1], [float(v) for v in sys.argv[2].split(",")]
def point(system, workload, p50, rss):
    return {"system": system, "workload": workload, "in_flight": 1,
            "ops": 1000, "errors": 0, "seconds": 3.0, "qps": 1e6 / p50,
            "latency_us": {"p50": p50, "p99": 2 * p50, "p999": 3 * p50,
                           "mean": p50, "max": 4 * p50},
            "server_cpu_s_per_kop": 0.1, "client_cpu_s_per_kop": 0.1,
            "server_rss_mb": rss, "server_peak_rss_mb": rss,
            "server_rss_anon_mb": rss - 20, "server_rss_file_mb": 20}
def write(name, workload, round_, p50, rss):
    path = os.path.join(work, f"{name}-{workload}-1-{round_}.json")
    with open(path, "w") as f:
        json.dump({"points": [point(f"claimtrail-{name}", workload, p50, rss)]}, f)
for round_, (small, large) in enumerate(zip([200, 210, 900], large_p50s), 1):
    write("small", "get", round_, small, 50)
    write("large", "get", round_, large, [100, 180, 120][round_ - 1])
    for workload in ("search_source", "search_state"):
        write("small", workload, round_, 600, 50)
        write("large", workload, round_, 650, 100)
PY
}

run_report() {
  python3 "$REPORT" --work="$1" --claims=1000000 --events_per_claim=10 \
    --payload_bytes=128 --json_out="$1/scale.json" >"$1/scale.txt" ||
    fail "scale_report.py exited with $? on $1"
}

# Medians: small 210, large 230 -> 1.10x, met; the rounds' own ratios
# (1.15, 1.14, 0.11) would each say something else.
make_work "$WORK/met" "230,240,100"
run_report "$WORK/met"
python3 - "$WORK/met/scale.json" <<'PY' || fail "folded points or targets wrong: $(cat "$WORK/met/scale.txt")"
import json, sys
doc = json.load(open(sys.argv[1]))
gets = {p["system"]: p for p in doc["points"] if p["workload"] == "get"}
assert gets["claimtrail-small"]["latency_us"]["p50"] == 210, gets
assert gets["claimtrail-large"]["latency_us"]["p50"] == 230, gets
assert all(p["rounds"] == 3 for p in doc["points"]), doc["points"]
assert doc["meta"]["peak_rss_mb"] == 180, doc["meta"]
targets = {t["target"]: t for t in doc["meta"]["targets"]}
latency = [t for name, t in targets.items() if "within 1.2x" in name]
assert len(latency) == 1 and latency[0]["status"] == "met", latency
assert "p50 1.10x" in latency[0]["detail"], latency[0]
assert all(t["status"] == "met" for t in targets.values()), targets
PY
grep -q "get                1      0.210      0.230   1.10" "$WORK/met/scale.txt" ||
  fail "table lacks the folded get row: $(cat "$WORK/met/scale.txt")"

# Medians: small 210, large 260 -> 1.24x, missed.
make_work "$WORK/missed" "250,260,270"
run_report "$WORK/missed"
python3 - "$WORK/missed/scale.json" <<'PY' || fail "a 1.24x ratio was not reported missed: $(cat "$WORK/missed/scale.txt")"
import json, sys
doc = json.load(open(sys.argv[1]))
latency = [t for t in doc["meta"]["targets"] if "within 1.2x" in t["target"]]
assert latency[0]["status"] == "missed" and "p50 1.24x" in latency[0]["detail"], latency
PY

echo "PASS"
