#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [HARNESS...]: builds the harnesses with clang,
# libFuzzer, ASan and UBSan in build-fuzz/, seeds each corpus from the test
# fixtures, and runs each harness for SECONDS (default 60). Crashes are left
# in fuzz/artifacts/; each becomes a regression test. A summary line per
# harness gives executions per second and the corpus size.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(rules input normalize engine)

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz >/dev/null

seed() {
  local h=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
  local i=0
  case $h in
    rules)
      for f in rules/*.yaml rules/publishers/*.yaml tests/fixtures/rules/*/*.yaml docs/examples/syndlint.yaml; do
        [ -f "$f" ] || continue
        i=$((i + 1)); { printf '\0'; cat "$f"; } >"$dir/pack-$i"
        case $f in */config*|*syndlint.yaml) { printf '\1'; cat "$f"; } >"$dir/config-$i" ;; esac
      done ;;
    input|engine)
      for f in samples/* tests/fixtures/input/* tests/fixtures/cli/articles/* tests/fixtures/prose/* \
               tests/fixtures/feeds/* ../shared/corpus/*.txt; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        case $f in
          *.html|*.htm) k='\2' ;; *.md) k='\1' ;; *.xml|*.rss|*.atom|*.rdf) k='\3' ;;
          *.json) k='\4' ;; *.jsonl) k='\5' ;; *) k='\0' ;;
        esac
        { printf "$k"; head -c 65536 "$f"; } >"$dir/seed-$i"
      done ;;
    normalize)
      for f in samples/*.txt tests/fixtures/prose/* ../shared/corpus/*.txt; do
        [ -f "$f" ] || continue
        i=$((i + 1)); head -c 16384 "$f" >"$dir/seed-$i"
      done ;;
  esac
}

mkdir -p fuzz/artifacts
for h in "${harnesses[@]}"; do
  seed "$h"
  log=build-fuzz/fuzz-$h.log
  ./build-fuzz/fuzz/fuzz_"$h" "fuzz/corpus/$h" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=fuzz/artifacts/"$h"- -print_final_stats=1 \
    >"$log" 2>&1 || { echo "$h: FOUND A PROBLEM, see $log and fuzz/artifacts/"; tail -30 "$log"; exit 1; }
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  files=$(ls fuzz/corpus/"$h" | wc -l)
  bytes=$(du -sb fuzz/corpus/"$h" | cut -f1)
  echo "$h: ${secs}s, $execs executions, $rate exec/s, corpus $files files ($bytes bytes), no finding"
done
