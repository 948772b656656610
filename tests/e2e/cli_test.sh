#!/bin/bash
# End to end: the real `claimtrail` CLI against the real claimtraild, on port
# 0 with a temp data dir. Logs the brief's running example (BRIEF §2) from
# the command line, follows it through later confirmations, a server restart,
# the change feed, and bad requests that must change nothing.
#
# Usage (from Bazel): cli_test.sh CLAIMTRAILD CLAIMTRAIL ARTICLE
set -uo pipefail

SERVER_BIN="$1"
CLI_BIN="$2"
ARTICLE="$3"

WORK="${TEST_TMPDIR:-$(mktemp -d)}/cli_test"
rm -rf "$WORK"
mkdir -p "$WORK"
DATA="$WORK/data"
# The CLI authenticates with the admin token claimtraild writes there on its
# first start, as a new user's CLI does with ./data (docs/SECURITY.md).
export CLAIMTRAIL_DATA_DIR="$DATA"
SERVER_PID=""
WATCH_PID=""

fail() {
  echo "FAIL: $*" >&2
  if [[ -f "$WORK/server.log" ]]; then
    echo "--- server log:" >&2
    cat "$WORK/server.log" >&2
  fi
  exit 1
}

cleanup() {
  [[ -n "$WATCH_PID" ]] && kill "$WATCH_PID" 2>/dev/null
  [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
}
trap cleanup EXIT

# Starts claimtraild on a free port over $DATA and points the CLI at it.
start_server() {
  : >"$WORK/server.log"
  "$SERVER_BIN" --listen=127.0.0.1:0 --data_dir="$DATA" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*(port \([0-9][0-9]*\)).*/\1/p' "$WORK/server.log" | head -n 1)
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "claimtraild exited during start-up"
    sleep 0.05
  done
  [[ -n "$port" ]] || fail "claimtraild did not log its port within 10s"
  export CLAIMTRAIL_SERVER="127.0.0.1:$port"
}

# Stops it the way an operator would (SIGTERM) and checks it exits cleanly.
stop_server() {
  kill -TERM "$SERVER_PID" || fail "cannot signal claimtraild"
  wait "$SERVER_PID"
  local rc=$?
  SERVER_PID=""
  [[ $rc -eq 0 ]] || fail "claimtraild exited with $rc after SIGTERM"
}

# run_cli ARGS...: runs the CLI; sets OUT, ERR and RC.
run_cli() {
  OUT=$("$CLI_BIN" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}

# ok ARGS...: the command must succeed.
ok() {
  run_cli "$@"
  [[ $RC -eq 0 ]] || fail "claimtrail $* exited $RC: $ERR"
}

contains() {  # contains HAYSTACK NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find [$2] in:
$1"
}

lacks() {  # lacks HAYSTACK NEEDLE WHAT
  [[ "$1" != *"$2"* ]] || fail "$3: did not expect [$2] in:
$1"
}

# The counters that any write would move.
ledger_counters() {
  ok --json info
  echo "$OUT" | grep -E '"(lastSequence|claimCount|sourceCount)"' | tr -d ' \n'
}

last_sequence() {
  ok --json info
  local sequence
  sequence=$(echo "$OUT" | sed -n 's/.*"lastSequence": "\([0-9]*\)".*/\1/p')
  echo "${sequence:-0}"
}

now_rfc3339() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }

# ---------------------------------------------------------------------------
start_server

ok info
contains "$OUT" "last sequence:  0" "a fresh server has no events"

# Sources of the running example.
ok source add "South Korea's National Intelligence Service" --id nis --kind agency \
  --alias NIS --alias "South Korea's spy agency" --country KR --reliability B
contains "$OUT" "aliases:        NIS, South Korea's spy agency" "source add prints the aliases"
ok source add straitstimes.com --id straitstimes --kind news-outlet --country SG
ok source add "North Korea" --id north-korea --kind government
ok source add Russia --id russia --kind government

ok source list --query "spy agency"
contains "$OUT" "sources/nis" "an alias finds the source"
lacks "$OUT" "sources/russia" "alias search is selective"

# The claim, from the article, in one write.
QUOTE=$(grep -o 'Intelligence reports have noted that over 10,000 North Korean soldiers[^.]*\.' "$ARTICLE")
[[ -n "$QUOTE" ]] || fail "the quote is not in $ARTICLE"
ok claim add "North Korea has sent troops to Russia to support its war against Ukraine." \
  --id nk-troops --topic north-korea --topic russia --language en \
  --subject "North Korea" --predicate "sent troops to" --object Russia \
  --figure "troops:over:10000:soldiers:North Korean soldiers sent to Russia" \
  --source nis:said --source straitstimes:reported \
  --url https://www.straitstimes.com/asia/east-asia/north-korea-tests-new-weapons \
  --outlet straitstimes.com --published 2025-03-21 --quote "$QUOTE" \
  --stance north-korea=not-confirmed --stance russia=not-confirmed \
  --note "logged from the Straits Times article"
[[ "$(last_sequence)" == 1 ]] || fail "claim add must be one event"

BRIEF_LINE="over 10,000 soldiers — per South Korea's National Intelligence Service (said), via straitstimes.com (reported) — unconfirmed by North Korea and Russia"
ok show nk-troops
contains "$OUT" "North Korea has sent troops to Russia to support its war against Ukraine.
$BRIEF_LINE" "show starts with the text and the brief's sourcing line"
contains "$OUT" "$QUOTE" "show prints the quote"
contains "$OUT" "troops: over 10,000 soldiers" "show prints the figure"
contains "$OUT" "Russia: not confirmed" "show prints the stances"
contains "$OUT" "revision:       1" "show prints the revision"
ETAG_V1=$(echo "$OUT" | sed -n 's/^etag: *//p')
[[ -n "$ETAG_V1" ]] || fail "show prints an etag"

sleep 0.2
BEFORE_CONFIRMATIONS=$(now_rfc3339)
sleep 0.2

# Russia confirms first.
ok stance nk-troops russia confirmed --asserted 2025-04-26 \
  --statement "Russia confirmed the deployment" --note "Kremlin statement"
contains "$OUT" "partially confirmed" "one confirmation of two"

# Restart on the same data dir: everything must still be there.
stop_server
start_server
ok show nk-troops
contains "$OUT" "Russia: confirmed" "the stance survives a restart"
contains "$OUT" "revision:       2" "the revision survives a restart"
ok source show nis
contains "$OUT" "South Korea's spy agency" "sources survive a restart"

# The change feed: started before the write, it must receive it.
SEQ_BEFORE=$(last_sequence)
"$CLI_BIN" watch --claim nk-troops --after "$SEQ_BEFORE" --count 1 >"$WORK/watch.out" 2>"$WORK/watch.err" &
WATCH_PID=$!
sleep 0.5

# Then North Korea confirms, with a fixed request id so we can repeat it.
ok stance nk-troops north-korea confirmed --asserted 2025-04-28 --request-id e2e-nk-confirms-1
contains "$OUT" "confirmed by North Korea and Russia" "both parties confirmed"

for _ in $(seq 1 100); do
  kill -0 "$WATCH_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$WATCH_PID" 2>/dev/null && fail "watch --count 1 did not exit after the event"
wait "$WATCH_PID"
WATCH_RC=$?
WATCH_PID=""
[[ $WATCH_RC -eq 0 ]] || fail "watch exited $WATCH_RC: $(cat "$WORK/watch.err")"
WATCHED=$(cat "$WORK/watch.out")
contains "$WATCHED" "#$((SEQ_BEFORE + 1)) claims/nk-troops/events/3 stance recorded: North Korea: confirmed" "watch prints the event"
contains "$WATCHED" "(state: confirmed)" "watch prints the state after the event"

# A repeat with the same request id writes nothing.
SEQ_AFTER=$(last_sequence)
ok stance nk-troops north-korea confirmed --asserted 2025-04-28 --request-id e2e-nk-confirms-1
[[ "$(last_sequence)" == "$SEQ_AFTER" ]] || fail "a repeated request id wrote a new event"

# Then and now.
ok show nk-troops --as-of "$BEFORE_CONFIRMATIONS"
contains "$OUT" "$BRIEF_LINE" "as of before the confirmations the claim is unconfirmed"
contains "$OUT" "revision:       1" "as-of shows the first revision"
ok show nk-troops
contains "$OUT" "— confirmed by North Korea and Russia" "now the claim is confirmed"
contains "$OUT" "state:          confirmed" "the state is confirmed"

ok history nk-troops
contains "$OUT" "revision 1  " "history starts at the creating event"
contains "$OUT" "claim created" "history names the kinds"
contains "$OUT" "note: logged from the Straits Times article" "history shows notes"
contains "$OUT" "note: Kremlin statement" "history shows the stance's note"
contains "$OUT" "  stances[sources/russia].position: not confirmed -> confirmed" "history shows Russia's change"
contains "$OUT" "  state: unconfirmed -> partially confirmed" "history shows the first state change"
contains "$OUT" "  stances[sources/north-korea].position: not confirmed -> confirmed" "history shows North Korea's change"
contains "$OUT" "  state: partially confirmed -> confirmed" "history shows the second state change"
lacks "$OUT" "revision 4" "the repeated request added no event"

ok diff nk-troops --from "$BEFORE_CONFIRMATIONS"
contains "$OUT" "  state: unconfirmed -> confirmed" "diff across both confirmations"

ok search troops
contains "$OUT" "claims/nk-troops" "search finds the claim"
ok search --party russia --state confirmed
contains "$OUT" "claims/nk-troops" "search filters by party and state"
ok list --topic north-korea
contains "$OUT" "claims/nk-troops  [confirmed]" "list filters by topic"

ok --json show nk-troops
contains "$OUT" '"state": "CLAIM_STATE_CONFIRMED"' "--json prints the proto JSON"

# ---------------------------------------------------------------------------
# Bad requests: each fails with the server's message naming the field (or the
# resource), a specific exit code, and changes nothing.
COUNTERS_BEFORE=$(ledger_counters)

expect_failure() {  # expect_failure EXIT_CODE NEEDLE ARGS...
  local want_rc="$1" needle="$2"
  shift 2
  run_cli "$@"
  [[ $RC -eq $want_rc ]] || fail "claimtrail $* exited $RC, want $want_rc (stderr: $ERR)"
  contains "$ERR" "$needle" "stderr of claimtrail $*"
  [[ -z "$OUT" ]] || fail "claimtrail $* printed to stdout on failure: $OUT"
}

expect_failure 4 "error: INVALID_ARGUMENT: claim.text" claim add ""
expect_failure 4 "claim.text" claim add "$(head -c 5000 /dev/zero | tr '\0' x)"
expect_failure 4 "error: INVALID_ARGUMENT: figure.lower_bound" \
  figure nk-troops troops --between 12000 11000 --unit soldiers
expect_failure 3 "error: NOT_FOUND: " attribute nk-troops --hop nosuch:said
contains "$ERR" "sources/nosuch" "unknown source is named"
expect_failure 3 "error: NOT_FOUND: " claim add "Some claim." --source nosuch:said
contains "$ERR" "sources/nosuch" "unknown source is named"
expect_failure 3 "error: NOT_FOUND: claims/nosuch" show nosuch
expect_failure 3 "claims/nosuch" stance nosuch russia denied
expect_failure 5 "error: ABORTED: etag" stance nk-troops russia denied --etag "$ETAG_V1"
expect_failure 2 "error: --over: not a number: 'ten'" figure nk-troops troops --over ten --unit soldiers
expect_failure 2 "error: --colour: unknown flag" show nk-troops --colour red
expect_failure 2 "error: --hop: cred= expects a number 1-6, got '0'" \
  attribute nk-troops --hop nis:briefed:cred=0
expect_failure 2 "error: --source: cred= expects a number 1-6, got '9'" \
  claim add "Some claim." --source nis:said:cred=9
# Invalid UTF-8 is the CLI's usage error, named, without protobuf's log line.
expect_failure 2 "error: TEXT: not valid UTF-8 (at byte 4)" claim add "$(printf 'bad \xff')"
lacks "$ERR" "libprotobuf" "invalid UTF-8 is caught before protobuf sees it"
expect_failure 2 "error: --note: not valid UTF-8" stance nk-troops russia confirmed --note "$(printf '\xc3')"

[[ "$(ledger_counters)" == "$COUNTERS_BEFORE" ]] ||
  fail "a failed request changed the ledger: before $COUNTERS_BEFORE, after $(ledger_counters)"
ok show nk-troops
contains "$OUT" "Russia: confirmed" "the stale-etag denial was not applied"

# ---------------------------------------------------------------------------
# A figure revision keeps the figure's label and unit unless given again,
# and never its sources.
ok figure nk-troops troops --between 11000 12000 --unit soldiers --source nis:estimated
contains "$OUT" "troops: between 11,000 and 12,000 soldiers — North Korean soldiers sent to Russia (revision 2, per South Korea's National Intelligence Service (estimated))" \
  "the revision keeps the label"
contains "$OUT" "
between 11,000 and 12,000 soldiers — per South Korea's National Intelligence Service (estimated) — confirmed by North Korea and Russia
" "the sourcing line credits the figure to its own sources"
ok figure nk-troops troops --about 11500
contains "$OUT" "troops: about 11,500 soldiers — North Korean soldiers sent to Russia (revision 3)
" "the unit is kept too, the sources are not"
contains "$OUT" "about 11,500 soldiers — per South Korea's National Intelligence Service (said), via straitstimes.com (reported) — " \
  "a figure without sources of its own is credited to the first chain"
ok history nk-troops
lacks "$OUT" "figures[troops].label:" "no revision changed the label"
lacks "$OUT" "figures[troops].unit:" "no revision changed the unit"

# Recorded times: nine fractional digits on every history line, and a time
# copied from there into --as-of includes that event.
HEADERS=$(echo "$OUT" | grep -c '^revision ')
FIXED=$(echo "$OUT" | grep -cE '^revision [0-9]+  [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z  by ')
[[ "$HEADERS" -gt 3 && "$HEADERS" == "$FIXED" ]] ||
  fail "history times are not all RFC 3339 with nine digits ($FIXED of $HEADERS):
$OUT"
LAST_HEADER=$(echo "$OUT" | grep '^revision ' | tail -n 1)
LAST_REVISION=$(echo "$LAST_HEADER" | cut -d' ' -f2)
LAST_TIME=$(echo "$LAST_HEADER" | cut -d' ' -f4)
ok show nk-troops --as-of "$LAST_TIME"
contains "$OUT" "revision:       $LAST_REVISION" "--as-of the printed recorded time includes that event"

# claim update changes only the fields given (the topics given replace the
# claim's; a part given keeps the other parts), as one event, and without
# --etag only if the claim has not changed since its own read.
ok show nk-troops
ETAG_BEFORE_UPDATE=$(echo "$OUT" | sed -n 's/^etag: *//p')
ok claim update nk-troops --topic north-korea --topic ukraine --place Kursk --note "retagged" \
  --asserted 2025-05-02 --valid-from 2025-05-01
contains "$OUT" "topics:         north-korea, ukraine" "claim update replaces the topics"
contains "$OUT" "parts:          North Korea sent troops to Russia in Kursk" "claim update keeps the other parts"
contains "$OUT" "language:       en" "claim update keeps what was not given"
contains "$OUT" "— confirmed by North Korea and Russia
" "claim update prints the claim like show"
ok history nk-troops --kind claim-updated
contains "$OUT" "updated parts, topics" "claim update sends only the fields given"
contains "$OUT" "note: retagged" "claim update keeps the note"
contains "$OUT" "  asserted: 2025-05-02T00:00:00Z
  valid: 2025-05-01T00:00:00Z .. (open)
" "history shows the asserted and valid times alike"
lacks "$OUT" "language:" "the language was not sent"
COUNTERS_BEFORE=$(ledger_counters)
expect_failure 5 "error: ABORTED: etag" claim update nk-troops --language ko --etag "$ETAG_BEFORE_UPDATE"
expect_failure 2 "error: nothing to update" claim update nk-troops --note "no fields"
[[ "$(ledger_counters)" == "$COUNTERS_BEFORE" ]] || fail "a failed claim update changed the ledger"

# source update changes the fields given and keeps the others; sources have
# no history, so a view as of before the change shows the new name too.
ok source show straitstimes
SOURCE_ETAG_BEFORE=$(echo "$OUT" | sed -n 's/^etag: *//p')
ok source update straitstimes --name "The Straits Times" --alias straitstimes.com --reliability B
contains "$OUT" "The Straits Times

name:           sources/straitstimes" "source update prints the source"
contains "$OUT" "aliases:        straitstimes.com" "source update sets the aliases"
contains "$OUT" "country:        SG" "source update keeps what was not given"
ok show nk-troops --as-of "$BEFORE_CONFIRMATIONS"
contains "$OUT" "via The Straits Times (reported)" "a source change shows in as-of views too"
ok source update straitstimes --no-aliases --reliability ""
lacks "$OUT" "aliases:" "--no-aliases removes the aliases"
lacks "$OUT" "reliability:" "an empty --reliability clears it"
expect_failure 5 "error: ABORTED: etag" source update straitstimes --country MY --etag "$SOURCE_ETAG_BEFORE"
ok source show straitstimes
contains "$OUT" "country:        SG" "the stale-etag source update was not applied"

# claims/ID works for --id as everywhere; a figure may have no unit (as the
# server allows); stored control characters are shown, not sent to the
# terminal, and a listing keeps one claim per line. --json stays exact.
HOSTILE=$(printf 'Escape \033[31mred\033[0m bell\a\nsecond line')
ok claim add "$HOSTILE" --id claims/qa-hostile --topic qa-hostile --figure "ballots:amount:5:"
contains "$OUT" "name:           claims/qa-hostile" "claim add --id accepts claims/ID"
contains "$OUT" "ballots: 5 (revision 1)" "a figure without a unit"
ok show qa-hostile
[[ "$OUT" != *$'\033'* && "$OUT" != *$'\a'* ]] || fail "show printed raw control characters"
contains "$OUT" 'Escape \x1b[31mred\x1b[0m bell\x07
second line' "show escapes control characters and keeps newlines"
ok history qa-hostile
[[ "$OUT" != *$'\033'* ]] || fail "history printed raw control characters"
contains "$OUT" '\x1b[31mred' "history escapes control characters"
ok list --topic qa-hostile
[[ "$(echo "$OUT" | wc -l)" == 1 ]] || fail "list printed the claim on more than one line: $OUT"
contains "$OUT" 'claims/qa-hostile  [unverified]  Escape \x1b[31mred\x1b[0m bell\x07\nsecond line' \
  "list escapes the newline too"
ok --json show qa-hostile
contains "$OUT" '"text": "Escape \u001b[31mred\u001b[0m bell\u0007\nsecond line"' "--json is exact"

# A merged duplicate is still listed, marked as merged.
ok claim add "North Korean troops are in Russia." --id nk-troops-dup --topic qa-merge
ok merge nk-troops-dup --into nk-troops --note "same claim"
ok list --topic qa-merge
contains "$OUT" ", merged into claims/nk-troops]  North Korean troops are in Russia." "list marks a merged duplicate"
ok search "north korean troops russia"
contains "$OUT" "claims/nk-troops-dup  [" "search lists the duplicate"
contains "$OUT" ", merged into claims/nk-troops]" "search marks a merged duplicate"

# A refused token is not met with "pass --token": one was passed. No token
# at all is (here CLAIMTRAIL_DATA_DIR points nowhere, so none is found).
ok token create users/e2e-reader --role reader
READER=$(echo "$OUT" | grep -o 'ct_[0-9a-f]\{16\}_[0-9a-f]\{64\}')
[[ -n "$READER" ]] || fail "token create prints the bearer token: $OUT"
ok token revoke "$READER"
expect_failure 6 "has been revoked" --token "$READER" show nk-troops
lacks "$ERR" "pass --token" "no hint to pass a token when one was passed"
CLAIMTRAIL_DATA_DIR="$WORK/no-such-dir" expect_failure 6 "error: UNAUTHENTICATED" show nk-troops
contains "$ERR" "pass --token or set CLAIMTRAIL_TOKEN" "the hint when no token was sent"

# One more restart: the whole history is still there.
stop_server
start_server
ok history nk-troops
contains "$OUT" "revision 3  " "history survives a restart"
stop_server

echo "PASS"
