#!/usr/bin/env bash
# Opens the HTML report of the sample corpus in headless Chromium
# (html_check.mjs): no console errors, the summary numbers of the JSON
# report, filtering by verdict, expanding, sorting, a phone-sized screen.
# Skips (77) only when Chromium or node is not installed; scripts/bootstrap
# installs both, so CI runs it.
#
# Environment: SYNDLINT, SOURCE_ROOT; SCREENSHOT_DIR to keep screenshots.
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ] || ! command -v node >/dev/null; then
  echo "SKIP: chromium or node not installed (scripts/bootstrap installs them)"
  exit 77
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
cp -r "$SOURCE_ROOT/samples" samples
# An input that cannot be scanned, so every verdict is on the page.
printf 'PK\003\004\000binary' >samples/zz-binary.txt
"$SYNDLINT" scan --rules-dir "$SOURCE_ROOT/rules" samples \
  --report html:report.html --report json:report.json >/dev/null 2>&1
code=$?
if [ "$code" -ne 3 ]; then
  echo "FAIL: scan exit $code, want 3"
  echo "0 passed, 1 failed"
  exit 1
fi
node "$SOURCE_ROOT/tests/cli/html_check.mjs" "$CHROMIUM" report.html report.json ${SCREENSHOT_DIR:+"$SCREENSHOT_DIR"}
