#!/usr/bin/env bash
# Runs every test: installs missing packages, `bazel test //...`, prints the
# logs of failing tests, and ends with "N passed, M failed" counting test
# cases (GoogleTest cases and one per script test), read from Bazel's XML.
# Extra arguments go to `bazel test`, e.g. tools/test.sh --config=asan
set -uo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh || exit 1

bazel test //... "$@"
rc=$?

# Count from the XML of exactly the test targets in the tree now.
targets=$(bazel query 'tests(//...)' 2>/dev/null)
/usr/bin/python3 tools/count_test_cases.py bazel-testlogs $targets
count_rc=$?
if [[ $rc -eq 0 && $count_rc -ne 0 ]]; then rc=$count_rc; fi
exit $rc
