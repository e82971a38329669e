#!/usr/bin/env bash
# Scale tests over a generated corpus (bench/gen.py): -j1 and -j8 give
# byte-identical reports, the prefilter never changes findings, the findings
# equal the planted violations, --shard K/N partitions the inputs and
# `syndlint merge` of the shards equals the single run, and the GNU parallel
# example does the same when `parallel` is installed.
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT.
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
RULES="--rules-dir $SOURCE_ROOT/rules"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
same() { if cmp -s "$1" "$2"; then ok; else bad "$3: $(basename "$1") and $(basename "$2") differ"; fi; }

python3 "$SOURCE_ROOT/bench/gen.py" corpus --articles 400 --violation-rate 0.4 --seed 11 || exit 1
# Feeds are passed by name: a directory walk takes only article kinds.
find corpus -type f \( -name '*.txt' -o -name '*.html' -o -name '*.xml' \) | sort >files
mapfile -t FILES <files

# scan OUT ARGS...: JSON report to OUT; exit 1 (planted failures) expected.
scan() {
  local out=$1; shift
  "$SYNDLINT" scan $RULES --format json "$@" >"$out" 2>"$out.err"
  local rc=$?
  if [ "$rc" -eq 1 ]; then ok; else bad "exit $rc, want 1: scan $*"; head -5 "$out.err"; fi
}

echo "== -j1 and -j8 give the same bytes"
scan j1.json -j1 "${FILES[@]}"
scan j8.json -j8 "${FILES[@]}"
same j1.json j8.json "-j1 vs -j8"
scan dir-j1.json -j1 corpus
scan dir-j8.json -j8 corpus
same dir-j1.json dir-j8.json "-j1 vs -j8 over a directory"

echo "== the prefilter never changes findings"
# Feeds hand their documents over one at a time: several of them among
# articles, each with more items than a worker may queue ahead of the
# printer, must come out in the same order whatever -j is, on stdout as in
# reports.
for n in 1 2 3; do python3 "$SOURCE_ROOT/bench/feeds/gen.py" $((1500 * n)) >"feed$n.xml"; done
MIX=(feed1.xml "${FILES[@]:0:40}" feed2.xml "${FILES[@]:40:40}" feed3.xml)
for fmt in text jsonl json; do
  for j in 1 8; do
    "$SYNDLINT" scan $RULES --format "$fmt" -j "$j" "${MIX[@]}" >"mix-$fmt-$j.out" 2>"mix-$fmt-$j.err"
    echo "exit $?" >>"mix-$fmt-$j.out"
  done
  same "mix-$fmt-1.out" "mix-$fmt-8.out" "feeds among articles, --format $fmt, -j1 vs -j8"
done
if grep -q '^9000 documents\|, 9080 documents' mix-text-1.out; then ok; else bad "feeds among articles: $(tail -2 mix-text-1.out)"; fi
SYNDLINT_NO_PREFILTER=1 scan nopf.json -j8 "${FILES[@]}"
same j1.json nopf.json "prefilter on vs off"

echo "== findings equal the planted violations"
for kind in text html rss; do
  scan "kind-$kind.json" -j2 $(grep "^corpus/$kind/" files)
  if python3 "$SOURCE_ROOT/bench/check_counts.py" corpus/manifest.json "$kind" "kind-$kind.json" >check.out; then ok; else bad "$(cat check.out)"; fi
done

echo "== --shard K/N and merge"
for k in 1 2 3; do
  "$SYNDLINT" scan $RULES --format json --shard "$k/3" corpus >"shard$k.json" 2>/dev/null
done
python3 - <<'PY' && ok || bad "shards are not a partition"
import json
full = [f["path"] for f in json.load(open("dir-j1.json"))["files"]]
parts = [[f["path"] for f in json.load(open("shard%d.json" % k))["files"]] for k in (1, 2, 3)]
assert sorted(sum(parts, [])) == sorted(full), "union"
assert all(parts), "an empty shard"
assert len(set(sum(parts, []))) == len(full), "overlap"
PY
"$SYNDLINT" merge shard1.json shard2.json shard3.json >merged.json
rc=$?
if [ "$rc" -eq 1 ]; then ok; else bad "merge exit $rc, want 1"; fi
same dir-j1.json merged.json "merge of shards vs single run"
"$SYNDLINT" merge -o merged-o.json shard3.json shard1.json shard2.json
same dir-j1.json merged-o.json "merge -o, shards in any order"
"$SYNDLINT" scan $RULES --format json --shard 2/3 corpus >again.json 2>/dev/null
same shard2.json again.json "a shard is stable"
for spec in 0/3 4/3 3 a/b 1/0 -1/2; do
  "$SYNDLINT" scan $RULES --shard "$spec" corpus >/dev/null 2>err
  if [ $? -eq 2 ] && grep -q -- '--shard' err; then ok; else bad "--shard $spec accepted"; fi
done
"$SYNDLINT" merge >/dev/null 2>err
if [ $? -eq 2 ]; then ok; else bad "merge without reports"; fi
# A report given twice (a mis-indexed job) is no partition: refused, not
# summed with its files twice and the missing shard unnoticed.
"$SYNDLINT" merge -o twice.json shard1.json shard2.json shard1.json >/dev/null 2>err
if [ $? -eq 2 ] && grep -q 'is in shard1.json and shard1.json: the reports are not shards of one run' err &&
   [ ! -e twice.json ]; then ok; else bad "merge of a shard given twice"; fi
echo '{"x": 1}' >notreport.json
"$SYNDLINT" merge notreport.json >/dev/null 2>err
if [ $? -eq 2 ] && grep -q 'not a syndlint JSON report' err; then ok; else bad "merge of a non-report"; fi

echo "== GNU parallel example"
if command -v parallel >/dev/null; then
  bash "$SOURCE_ROOT/docs/examples/parallel-shards.sh" corpus 4 par.json "$SYNDLINT" $RULES
  rc=$?
  if [ "$rc" -eq 1 ]; then ok; else bad "parallel example exit $rc, want 1"; fi
  same dir-j1.json par.json "GNU parallel shards vs single run"
else
  echo "(parallel not installed: skipped)"
fi

echo "== the Kubernetes example runs shards by completion index"
python3 - "$SOURCE_ROOT/docs/examples/k8s-indexed-job.yaml" <<'PY' && ok || bad "k8s-indexed-job.yaml"
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
assert job["kind"] == "Job" and job["spec"]["completionMode"] == "Indexed"
n = job["spec"]["completions"]
cmd = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
assert "JOB_COMPLETION_INDEX + 1" in cmd and ('--shard "$k/%d"' % n) in cmd, cmd
PY

echo "== bench harness smoke run"
if bash "$SOURCE_ROOT/bench/run.sh" --smoke --syndlint "$SYNDLINT" --out bench-out >bench.log 2>&1; then ok; else bad "bench smoke run"; tail -20 bench.log; fi

echo "scale: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
