#!/usr/bin/env bash
# Builds claimtraild and starts it in the foreground with LevelDB under ./data.
# Ctrl-C stops it cleanly. Extra arguments go to claimtraild, e.g.
#   tools/run.sh --listen=127.0.0.1:6000 --data_dir=/var/lib/claimtrail
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
bazel build -c opt //server:claimtraild //client:claimtrail
exec bazel-bin/server/claimtraild --data_dir="${CLAIMTRAIL_DATA_DIR:-./data}" "$@"
