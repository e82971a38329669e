#!/usr/bin/env bash
# Feed memory benchmark: scans generated RSS feeds of 50,000, 100,000 and
# 200,000 items (gen.py) with the default rule packs, -j1, and prints the
# peak resident memory (GNU time's "Maximum resident set size") and the
# wall time of each: once without a report (the scan: loading, judging,
# printing each document's result), once writing a JSON report and once
# writing a report in every format (`all`). When the build has
# libsyndlint_internal.a and a C compiler is at hand, `loader` is the loader
# alone (loadonly.c: every document dropped as it is built). Not a test: run
# it by hand and record the figures in bench/RESULTS.md ("Feeds: memory").
#
# usage: bench/feeds/run.sh [BUILD_DIR] [ITEMS...]   (default: build, 50000 100000 200000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(50000 100000 200000)
BIN=$BUILD/src/cli/syndlint
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LOADONLY=
if [ -f "$BUILD/libsyndlint_internal.a" ] && command -v cc >/dev/null &&
  cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$ROOT/include" -I"$ROOT/src/lib" \
    "$ROOT/bench/feeds/loadonly.c" "$BUILD/libsyndlint_internal.a" \
    $(pkg-config --cflags --libs libxml-2.0 jansson libpcre2-8 yaml-0.1 libcurl) -lutf8proc \
    -lm -lpthread -o "$TMP/loadonly" 2>"$TMP/cc.err"; then
  LOADONLY=$TMP/loadonly
fi
printf '%-8s %-9s %-12s %-10s %-12s %s\n' items feed run documents "peak RSS" wall
for n in "${SIZES[@]}"; do
  python3 "$ROOT/bench/feeds/gen.py" "$n" >"$TMP/feed.xml"
  size=$(stat -c %s "$TMP/feed.xml")
  for mode in scan report all; do
    args=()
    [ "$mode" != scan ] && args=(--report "json:$TMP/report.json")
    [ "$mode" = all ] && for f in jsonl junit sarif html csv markdown; do
      args+=(--report "$f:$TMP/report.$f")
    done
    # Exit 1 is expected: some generated items fail.
    /usr/bin/time -v "$BIN" scan -q -j1 --rules-dir "$ROOT/rules" --max-file-size 1G \
      --max-documents 1000000 "${args[@]}" "$TMP/feed.xml" >"$TMP/out" 2>"$TMP/time" || true
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$TMP/time")
    docs=-
    if [ "$mode" != scan ]; then
      docs=$(python3 -c "import json; print(json.load(open('$TMP/report.json'))['summary']['documents'])")
    fi
    printf '%-8s %-9s %-12s %-10s %-12s %s\n' "$n" "$(echo "scale=1; $size / 1048576" | bc) MB" \
      "$mode" "$docs" "$(echo "scale=1; $rss / 1024" | bc) MB" "$wall"
  done
  if [ -n "$LOADONLY" ] && read -r docs mb < <("$LOADONLY" "$TMP/feed.xml"); then
    printf '%-8s %-9s %-12s %-10s %-12s %s\n' "$n" "$(echo "scale=1; $size / 1048576" | bc) MB" \
      loader "$docs" "$mb MB" -
  fi
done
