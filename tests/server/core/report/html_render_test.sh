#!/bin/bash
# Renders the HTML audit report with headless Chromium (Debian's chromium)
# to a PNG and checks that it rendered and shows the timeline. The page has
# no external resources, so Chromium needs no network.
set -euo pipefail
writer="$1"
checker="$2"
dir="${TEST_TMPDIR:-$(mktemp -d)}"
html="$dir/report.html"
png="$dir/report.png"
"$writer" HTML "$html"
# As root, Chromium needs --no-sandbox; HOME and the profile go to the test's
# own directory.
HOME="$dir" timeout 120 /usr/bin/chromium --headless --no-sandbox \
  --disable-gpu --hide-scrollbars --no-first-run --disable-extensions \
  --user-data-dir="$dir/profile" --window-size=900,4200 \
  --screenshot="$png" "file://$html" >"$dir/chromium.log" 2>&1 || {
  echo "chromium failed:"; cat "$dir/chromium.log"; exit 1; }
[[ -s "$png" ]] || { echo "no screenshot written"; cat "$dir/chromium.log"; exit 1; }
# claims/nk-troops, the last claim on the page, has the one figure lane; the
# viewport is tall enough to show the whole page.
/usr/bin/python3 "$checker" "$png" 1
if [[ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]]; then
  cp "$png" "$TEST_UNDECLARED_OUTPUTS_DIR/report.png"
fi
