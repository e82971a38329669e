#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [HARNESS...]: builds the harnesses with clang,
# libFuzzer, ASan and UBSan in build-fuzz/, seeds each corpus from the test
# fixtures, and runs each harness for SECONDS (default 60). Crashes are left
# in fuzz/artifacts/; each becomes a regression test. A summary line per
# harness gives executions per second and the corpus size. FUZZ_BUILD names
# another build directory (default build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${FUZZ_BUILD:-build-fuzz}
secs=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(rules input html normalize engine reports regex)

if [ ! -f "$B"/build.ninja ]; then
  CC=clang meson setup "$B" -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$B" >/dev/null

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
    html)
      for f in samples/*.html tests/fixtures/input/*.html tests/fixtures/cli/articles/*.html; do
        [ -f "$f" ] || continue
        i=$((i + 1)); head -c 65536 "$f" >"$dir/seed-$i"
      done
      # The tree builder's rules, side by side.
      printf '<p hidden>a<p>b<ul><li>c<li>d</ul><table><tr><td>e<td>f</table><dl><dt>g<dd>h</dl>' >"$dir/shape-1"
      printf '<span hidden><div>i</span>j</div></br></p><svg><title>k</title><p>l<math><![CDATA[m]]>' >"$dir/shape-2"
      printf 'n<html><head><title>o &amp; <b></title><script>"</script>"</script><textarea>&lt;</textarea><plaintext>' >"$dir/shape-3" ;;
    normalize)
      for f in samples/*.txt tests/fixtures/prose/* ../shared/corpus/*.txt; do
        [ -f "$f" ] || continue
        i=$((i + 1)); head -c 16384 "$f" >"$dir/seed-$i"
      done ;;
    reports)
      # Two shape bytes, then strings between NULs: each line of a fixture
      # becomes a path, id, rule, message or match.
      for f in samples/* tests/fixtures/cli/articles/* tests/fixtures/feeds/* tests/fixtures/input/*; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        { printf "\\$(printf '%03o' $((i % 256)))\\$(printf '%03o' $((i * 37 % 256)))"; head -c 4096 "$f" | tr '\n' '\0'; } >"$dir/seed-$i"
      done
      # The strings escaping is about, side by side.
      printf '\203\377a b/"quoted", path\n.txt\0doc#]]>-->\0</script><!--x\0rule.id\0\033[31m\a\b\0\377\376\300\257\355\240\200\0|pipe|`tick`**\r\n- item\0&amp;<b>&#0;\0' >"$dir/hostile-1"
      printf '\001\042/abs/p\tx\0./rel\0\0\342\200\256rtl\0\357\277\276\357\277\277\0\"\\u003c/script>' >"$dir/hostile-2" ;;
    regex)
      # Every regex of the rule packs and fixtures, one a file (byte 0: odd
      # for caseless), and the shapes the analysis is about.
      for f in rules/*.yaml rules/publishers/*.yaml tests/fixtures/rules/*/*.yaml tests/fixtures/*/*.yaml; do
        [ -f "$f" ] || continue
        while IFS= read -r rx; do
          i=$((i + 1)); { printf '\1'; printf '%s' "$rx"; } >"$dir/seed-$i"
        done < <(grep -o "regex: '.*'" "$f" | sed "s/^regex: '//; s/'\$//; s/''/'/g")
      done
      for rx in '(a+)+' '(\w+\s?)*$' '(.*)*' '(a|aa)+' '(x+x+)+y' '(?:a{1,2})+b' '(\w++\s?)*!' \
                '(?>a+)+' '(?x) ( a + ) + # c' '[[:alpha:]\p{Lu}\x{0900}-\x{097F}]+' '\Q(a+)+\E' '(?i:(?:A|a)+)'; do
        i=$((i + 1)); { printf '\0'; printf '%s' "$rx"; } >"$dir/shape-$i"
      done ;;
  esac
}

mkdir -p fuzz/artifacts
for h in "${harnesses[@]}"; do
  seed "$h"
  log=$B/fuzz-$h.log
  ./"$B"/fuzz/fuzz_"$h" "fuzz/corpus/$h" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=fuzz/artifacts/"$h"- -print_final_stats=1 \
    >"$log" 2>&1 || { echo "$h: FOUND A PROBLEM, see $log and fuzz/artifacts/"; tail -30 "$log"; exit 1; }
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  files=$(ls fuzz/corpus/"$h" | wc -l)
  bytes=$(du -sb fuzz/corpus/"$h" | cut -f1)
  echo "$h: ${secs}s, $execs executions, $rate exec/s, corpus $files files ($bytes bytes), no finding"
done
