#!/bin/bash
# The PROV-JSON export, parsed and checked by Debian's python3-prov.
# Always /usr/bin/python3: a python3 earlier on PATH may lack the package.
set -euo pipefail
writer="$1"
validator="$2"
out="${TEST_TMPDIR:-/tmp}/claims.prov.json"
"$writer" PROV_JSON "$out"
/usr/bin/python3 "$validator" "$out"
