#!/usr/bin/env bash
# Runs every test: installs missing packages, `bazel test //...`, prints the
# logs of failing tests, and ends with "N passed, M failed" counting test
# cases (GoogleTest cases and one per script test, read from Bazel's XML,
# plus one per libFuzzer target run by tests/fuzz/run.sh).
# Extra arguments go to `bazel test`, e.g. tools/test.sh --config=asan
#
# CLAIMTRAIL_SANITIZE=asan (what CI sets) adds a sanitizer pass: the core
# and storage tests again under ASan+UBSan, in a separate Bazel output tree
# (so the default build stays cached); its cases count in the total.
# (The whole suite under ASan+UBSan and TSan: docs/RELIABILITY.md.)
set -uo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh || exit 1

bazel test //... "$@"
rc=$?

# Bounded libFuzzer runs (about 30 s per target) where clang is installed;
# each target counts as one case. FUZZ_SECONDS=0 skips them.
fuzz_passed=0 fuzz_failed=0
if [[ "${FUZZ_SECONDS:-30}" != 0 ]]; then
  fuzz_out=$(tests/fuzz/run.sh --seconds="${FUZZ_SECONDS:-30}" 2>&1)
  echo "$fuzz_out" | grep -E '^(FUZZ |fuzz: )'
  summary=$(echo "$fuzz_out" | grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
  if [[ -n "$summary" ]]; then
    fuzz_passed=$(echo "$summary" | sed -E 's/^fuzz: ([0-9]+) passed.*/\1/')
    fuzz_failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  elif ! echo "$fuzz_out" | grep -q 'fuzz: SKIPPED'; then
    echo "$fuzz_out" | tail -n 40
    fuzz_failed=1
  fi
fi

# Count from the XML of exactly the test targets in the tree now.
targets=$(bazel query 'tests(//...)' 2>/dev/null)
main_logs=$(bazel info bazel-testlogs 2>/dev/null)
if [[ -z "$targets" || -z "$main_logs" ]]; then
  echo "test.sh: could not list the test targets (bazel query failed)" >&2
  rc=1
fi

# The sanitizer pass (see the top).
san_passed=0 san_failed=0
if [[ "${CLAIMTRAIL_SANITIZE:-}" == asan ]]; then
  san_bazel=(bazel --output_base="${CLAIMTRAIL_SANITIZE_OUTPUT_BASE:-$HOME/.cache/claimtrail-asan}")
  # --symlink_prefix=/: leave bazel-bin/bazel-testlogs pointing at the
  # default tree.
  san_flags=(--config=asan --config=ubsan --symlink_prefix=/)
  san_scope='//tests/server/core/... + //tests/server/storage/...'
  san_targets=$("${san_bazel[@]}" query "tests($san_scope)" 2>/dev/null)
  "${san_bazel[@]}" test "${san_flags[@]}" $san_targets
  san_logs=$("${san_bazel[@]}" info "${san_flags[@]}" bazel-testlogs 2>/dev/null)
  san_summary=$(/usr/bin/python3 tools/count_test_cases.py "$san_logs" $san_targets | tail -n 1)
  echo "asan+ubsan: $san_summary"
  if [[ "$san_summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    san_passed=${BASH_REMATCH[1]}
    san_failed=${BASH_REMATCH[2]}
  else
    san_failed=1
  fi
  "${san_bazel[@]}" shutdown 2>/dev/null
fi

/usr/bin/python3 tools/count_test_cases.py \
  --extra "$((fuzz_passed + san_passed))" "$((fuzz_failed + san_failed))" \
  "$main_logs" $targets
count_rc=$?
if [[ $rc -eq 0 && $count_rc -ne 0 ]]; then rc=$count_rc; fi
exit $rc
