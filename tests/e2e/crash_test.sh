#!/bin/bash
# The short kill -9 crash run: 20 cycles of 64 writers against the real
# claimtraild, killed at a random moment each cycle; every acknowledged write
# must be present exactly once and fsck clean (tools/crash/run_crash_cycles.sh
# does the work; docs/RELIABILITY.md has the long run).
#
# Usage (from Bazel): crash_test.sh CYCLE_SCRIPT CLAIMTRAILD DRIVER VERIFY FSCK
set -uo pipefail
WORK="${TEST_TMPDIR:-$(mktemp -d)}/crash_test"
rm -rf "$WORK"
mkdir -p "$WORK"
exec "$1" --claimtraild="$2" --driver="$3" --verify="$4" --fsck="$5" \
  --work="$WORK" --cycles=20 --check_every=5 --min_kill_ms=200 --max_kill_ms=1500
