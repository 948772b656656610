#!/bin/bash
# End to end: sourcing reports, exports and imports through the real
# `claimtrail` CLI against the real claimtraild (port 0, temp data dirs).
# Logs the brief's running example (BRIEF §2), reports on it as of the
# moment it was logged and after both confirmations, renders HTML, exports
# PROV-JSON for the W3C PROV library (Debian's python3-prov, a consumer we
# did not write), and carries a ClaimReview export into a second server.
#
# Recorded time is the server's clock, so "as of publication" is a recorded
# time taken between events; the brief's calendar dates are covered by the
# Ledger's tests with a fake clock (tests/server/core/ledger_reports_test.cc).
#
# Usage (from Bazel): report_cli_test.sh CLAIMTRAILD CLAIMTRAIL
set -uo pipefail

SERVER_BIN="$1"
CLI_BIN="$2"
PYTHON=/usr/bin/python3  # Debian's, with python3-prov.

WORK="${TEST_TMPDIR:-$(mktemp -d)}/report_cli_test"
rm -rf "$WORK"
mkdir -p "$WORK"
PIDS=()

fail() {
  echo "FAIL: $*" >&2
  for log in "$WORK"/server-*.log; do
    [[ -f "$log" ]] && { echo "--- $log:" >&2; cat "$log" >&2; }
  done
  exit 1
}

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
}
trap cleanup EXIT

# start_server NAME: claimtraild over $WORK/NAME on a free port; sets PORT.
start_server() {
  local name="$1" log="$WORK/server-$1.log"
  : >"$log"
  "$SERVER_BIN" --listen=127.0.0.1:0 --data_dir="$WORK/$name" 2>>"$log" &
  local pid=$!
  PIDS+=("$pid")
  PORT=""
  for _ in $(seq 1 200); do
    PORT=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$log" | head -n 1)
    [[ -n "$PORT" ]] && break
    kill -0 "$pid" 2>/dev/null || fail "claimtraild ($name) exited during start-up"
    sleep 0.05
  done
  [[ -n "$PORT" ]] || fail "claimtraild ($name) did not log its port within 10s"
}

# use_server NAME PORT: point the CLI at it, with its admin token.
use_server() {
  export CLAIMTRAIL_DATA_DIR="$WORK/$1"
  export CLAIMTRAIL_SERVER="127.0.0.1:$2"
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

contains() {  # contains HAYSTACK NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find [$2] in:
$1"
}

lacks() {
  [[ "$1" != *"$2"* ]] || fail "$3: did not expect [$2] in:
$1"
}

last_sequence() {
  ok --json info
  local sequence
  sequence=$(echo "$OUT" | sed -n 's/.*"lastSequence": "\([0-9]*\)".*/\1/p')
  echo "${sequence:-0}"
}

now_rfc3339() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }

# ---------------------------------------------------------------------------
start_server a
PORT_A=$PORT
use_server a "$PORT_A"

# The running example, as in the README's worked session.
ok source add "South Korea" --id south-korea --kind government
ok source add "National Intelligence Service" --id nis --kind agency \
  --alias NIS --alias "South Korea's spy agency" --affiliation south-korea --reliability B
ok source add straitstimes.com --id straitstimes --kind news-outlet
ok source add "North Korea" --id north-korea --kind government
ok source add Russia --id russia --kind government
ok claim add "North Korea has sent troops to Russia to support its war against Ukraine." \
  --id nk-troops --topic north-korea --topic russia --language en \
  --figure "troops:over:10000:soldiers:North Korean soldiers sent to Russia" \
  --source nis:said --source straitstimes:reported \
  --url https://www.straitstimes.com/asia/east-asia/north-korea-tests-new-weapons \
  --outlet straitstimes.com --published 2025-03-21 \
  --stance north-korea=not-confirmed --stance russia=not-confirmed

sleep 0.2
PUBLISHED=$(now_rfc3339)
sleep 0.2
ok stance nk-troops russia confirmed --asserted 2025-04-26
ok stance nk-troops north-korea confirmed --asserted 2025-04-28

# As of publication: one origin, relayed by one outlet, unconfirmed by both.
ok report --topic north-korea --as-of "$PUBLISHED"
contains "$OUT" "# Sourcing audit as of" "the report has its title"
contains "$OUT" "1 independent origin (National Intelligence Service, for South Korea), relayed by 1 outlet (straitstimes.com)" \
  "one origin, one relay"
contains "$OUT" "unconfirmed by North Korea and Russia" "unconfirmed by both parties"
contains "$OUT" "single source" "a single-source claim is flagged"

# Now: confirmed, with the time to confirmation.
ok report --topic north-korea
contains "$OUT" "confirmed by North Korea and Russia" "both confirmed now"
contains "$OUT" "Time to first confirmation by a party:** Russia," "the time to confirmation"

# Selections that match nothing give a report with zero counts.
ok report --topic nothing-here --format csv
[[ $(echo "$OUT" | grep -c .) -eq 1 ]] || fail "an empty selection has a header row only: $OUT"

# HTML to a file: self-contained, with an SVG timeline.
ok report --format html --output "$WORK/report.html"
contains "$OUT" "wrote a report of 1 claim" "report --output says what it wrote"
grep -q "<svg" "$WORK/report.html" || fail "the HTML report has no <svg timeline"
grep -q "<script\|<link " "$WORK/report.html" && fail "the HTML report is not self-contained"

# A reader may not report (auditor or admin only).
ok token create users/reader-1 --role reader
READER_TOKEN=$(echo "$OUT" | grep -o 'ct_[A-Za-z0-9_]*' | head -n 1)
[[ -n "$READER_TOKEN" ]] || fail "token create printed no token: $OUT"
run_cli --token "$READER_TOKEN" report
[[ $RC -eq 6 ]] || fail "a reader's report must be refused with exit 6, got $RC: $ERR"

# PROV-JSON, read by the W3C PROV library.
ok export --format prov --claim nk-troops --output "$WORK/prov.json"
"$PYTHON" - "$WORK/prov.json" <<'EOF' || fail "python3-prov rejected the PROV-JSON export"
import sys
from prov.model import ProvAgent, ProvAttribution, ProvDocument, ProvEntity
with open(sys.argv[1], encoding="utf-8") as f:
    doc = ProvDocument.deserialize(content=f.read(), format="json")
agents = list(doc.get_records(ProvAgent))
entities = list(doc.get_records(ProvEntity))
attributions = list(doc.get_records(ProvAttribution))
assert agents, "no agents"
assert entities, "no entities"
assert attributions, "no wasAttributedTo"
text = doc.serialize(format="json")
assert "National Intelligence Service" in text, "the NIS agent is missing"
print("prov ok: %d agents, %d entities, %d attributions"
      % (len(agents), len(entities), len(attributions)))
EOF

# ClaimReview: a claim with a verdict, into a second server.
ok verdict nk-troops true --text "Accurate" --url https://factcheck.example/nk
ok export --format claimreview --output "$WORK/reviews.jsonld"
contains "$OUT" "1 item" "one review exported"
grep -q '"ClaimReview"' "$WORK/reviews.jsonld" || fail "no ClaimReview in the export"

start_server b
PORT_B=$PORT
use_server b "$PORT_B"
ok import "$WORK/reviews.jsonld" --validate-only
contains "$OUT" "would create 1 claim" "validate-only says what it would write"
[[ "$(last_sequence)" == 0 ]] || fail "import --validate-only wrote"
ok import "$WORK/reviews.jsonld"
contains "$OUT" "imported 1 review: created 1 claim" "the review is imported"
contains "$OUT" "1 verdict" "with its verdict"
ok search "troops to Russia"
contains "$OUT" "North Korea has sent troops to Russia" "the imported claim is found"
SEQ=$(last_sequence)
ok import "$WORK/reviews.jsonld"
contains "$OUT" "created 0 claims" "a re-import creates nothing"
[[ "$(last_sequence)" == "$SEQ" ]] || fail "a re-import wrote new events"

# CSV: bad rows are reported by line, good rows kept, exit code 4.
printf 'text,attributions,verdict\r\nGood claim one,NIS (said),false\r\n,NIS (said),\r\nGood claim two,,\r\n' >"$WORK/claims.csv"
run_cli import "$WORK/claims.csv"
[[ $RC -eq 4 ]] || fail "an import with a bad row must exit 4, got $RC: $OUT $ERR"
contains "$OUT" "created 2 claims" "the good rows are kept"
contains "$OUT" "line 3 (row 2), text:" "the bad row is named by its line"
contains "$ERR" "1 of 3 rows could not be imported" "the error says how many rows failed"

# A large import prints a progress line first.
{
  echo "text"
  for i in $(seq 1 1200); do echo "Bulk claim number $i"; done
} >"$WORK/bulk.csv"
ok import "$WORK/bulk.csv"
contains "$OUT" "importing $WORK/bulk.csv:" "a large import prints a progress line"
contains "$OUT" "created 1200 claims" "every bulk row is imported"

echo "PASS"
