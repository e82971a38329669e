#!/usr/bin/env bash
# Feed memory benchmark: scans a generated 50,000-item RSS feed with the
# default rule packs and reports the peak resident memory (GNU time's
# "Maximum resident set size") and the wall time. Not a test: run it by
# hand and record the figures in bench/feeds/README.md.
#
# usage: bench/feeds/run.sh [BUILD_DIR] [ITEMS]     (default: build, 50000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
N=${2:-50000}
BIN=$BUILD/src/cli/syndlint
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 "$ROOT/bench/feeds/gen.py" "$N" >"$TMP/feed.xml"
size=$(stat -c %s "$TMP/feed.xml")
for jobs in 1 4; do
  /usr/bin/time -v "$BIN" scan -q -j "$jobs" --rules-dir "$ROOT/rules" --max-file-size 1G \
    --report "json:$TMP/report.json" "$TMP/feed.xml" >"$TMP/out" 2>"$TMP/time" || true
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/time")
  docs=$(python3 -c "import json; print(json.load(open('$TMP/report.json'))['summary']['documents'])")
  printf 'items=%s feed=%.1f MB -j%s documents=%s peak_rss=%.1f MB wall=%s\n' \
    "$N" "$(echo "$size / 1048576" | bc -l)" "$jobs" "$docs" "$(echo "$rss / 1024" | bc -l)" "$wall"
done
