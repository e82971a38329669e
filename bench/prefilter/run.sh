#!/usr/bin/env bash
# The literal prefilter against Vectorscan (vectorscan.c): the default
# packs' literals over the normalized text of every file under CORPUS,
# timed in the same run, and both answers compared slot by slot. Needs
# libvectorscan-dev (apt-get install libvectorscan-dev) and a build with
# libsyndlint_internal.a. Not a test: run it by hand and record the
# figures in bench/RESULTS.md.
#
# usage: bench/prefilter/run.sh [BUILD_DIR] [CORPUS] [RUNS]
#        (default: build-rel, the benchmark's 24 MB text corpus, 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build-rel}
CORPUS=${2:-/tmp/syndlint-bench/text-3934}
RUNS=${3:-5}
[ -d "$CORPUS" ] || { echo "run.sh: no corpus at $CORPUS (bench/run.py --text-mb 24 makes it)" >&2; exit 2; }
[ -f /usr/include/hs/hs.h ] || { echo "run.sh: libvectorscan-dev is needed" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$ROOT/include" -I"$ROOT/src/lib" \
  "$ROOT/bench/prefilter/vectorscan.c" "$BUILD/libsyndlint_internal.a" \
  $(pkg-config --cflags --libs libxml-2.0 jansson libpcre2-8 yaml-0.1 libcurl libhs) -lutf8proc \
  -lm -lpthread -o "$TMP/vectorscan"
find "$CORPUS" -type f | sort | "$TMP/vectorscan" "$ROOT/rules" "$RUNS"
