#!/usr/bin/env bash
# CLI tests for reports: every format from one scan, JUnit and SARIF valid
# against ../shared/schemas, CSV round-tripped through Python's csv module,
# JSON Lines streamed, baselines, `syndlint diff`, trends, --report-dir
# across two runs, and failed writes (unwritable directory, full disk) that
# leave the previous report intact.
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT, SHARED_DIR (../shared).
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
SHARED_DIR=${SHARED_DIR:-$SOURCE_ROOT/../shared}
SCHEMAS=$SHARED_DIR/schemas
RULES="--rules-dir $SOURCE_ROOT/rules"
PACK="--rules $SOURCE_ROOT/tests/fixtures/reports/rules.yaml --rules-dir $SOURCE_ROOT/tests/fixtures/reports"
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

pass=0
fail=0
OUT=$TMP/out
ERR=$TMP/err
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; echo "--- stdout"; head -c 2000 "$OUT"; echo "--- stderr"; head -c 2000 "$ERR"; }
run() {
  local want=$1; shift
  "$SYNDLINT" "$@" >"$OUT" 2>"$ERR"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "exit $got, want $want: syndlint $*"; fi
}
has() { if grep -Eq -- "$2" "$1"; then ok; else bad "$(basename "$1") lacks /$2/"; fi; }
lacks() { if grep -Eq -- "$2" "$1"; then bad "$(basename "$1") has /$2/"; else ok; fi; }
# pycheck WHAT CODE: runs Python; the check passes when it exits 0.
pycheck() {
  if python3 -c "$2" >>"$ERR" 2>&1; then ok; else bad "$1"; fi
}
same() { if cmp -s "$1" "$2"; then ok; else bad "$1 and $2 differ"; fi; }
no_temp_files() {
  if find "$1" -name '*.tmp-*' | grep -q .; then bad "temporary file left in $1"; else ok; fi
}

# A Python with jsonschema: Debian's python3-jsonschema, or whatever python3 has it.
JSONSCHEMA_PY=
for py in /usr/bin/python3 python3; do
  if "$py" -c 'import jsonschema' 2>/dev/null; then JSONSCHEMA_PY=$py; break; fi
done

echo "== one scan, every format"
cp -r "$SOURCE_ROOT/samples" "$TMP/samples"
run 1 scan $RULES samples --report json:r.json --report junit:r.xml --report sarif:r.sarif \
  --report html:r.html --report csv:r.csv --report markdown:r.md --report jsonl:r.jsonl
for f in r.json r.xml r.sarif r.html r.csv r.md r.jsonl; do
  if [ -s "$f" ]; then ok; else bad "$f not written"; fi
done
no_temp_files "$TMP"
run 2 scan $RULES --report yaml:r.yaml samples
has "$ERR" "unknown format 'yaml' \(known: json, jsonl, junit, sarif, html, csv, markdown\)"
run 2 scan $RULES --format yaml samples
for fmt in json jsonl junit sarif html csv markdown; do
  "$SYNDLINT" scan $RULES --format "$fmt" samples >"stdout.$fmt" 2>/dev/null
  if [ -s "stdout.$fmt" ]; then ok; else bad "--format $fmt printed nothing"; fi
done
same stdout.json r.json
same stdout.csv r.csv
same stdout.jsonl r.jsonl

echo "== JUnit: valid against junit.xsd, a testcase per document"
if xmllint --noout --schema "$SCHEMAS/junit.xsd" r.xml 2>"$ERR"; then ok; else bad "JUnit does not validate"; fi
pycheck "JUnit testcases match the JSON report" "
import json, xml.etree.ElementTree as ET
r = json.load(open('r.json')); x = ET.parse('r.xml').getroot()
cases = x.findall('.//testcase')
assert len(cases) == r['summary']['documents'], len(cases)
assert len(x.findall('.//testcase/failure')) == r['summary']['failed']
assert len(x.findall('.//testcase/error')) == r['summary']['errors']
f = [c for c in cases if c.find('failure') is not None and c.get('name') == 'samples/seed-syndicated-leak.txt'][0]
assert 'placeholder.mustache 7:30' in f.find('failure').text, f.find('failure').text
assert 'match: {{free_limit}}' in f.find('failure').text
"

echo "== SARIF: valid against the 2.1.0 schema, in GitHub's shape"
if [ -n "$JSONSCHEMA_PY" ]; then
  if "$JSONSCHEMA_PY" -c "
import json, jsonschema
schema = json.load(open('$SCHEMAS/sarif-schema-2.1.0.json'))
jsonschema.Draft4Validator(schema).validate(json.load(open('r.sarif')))
" 2>"$ERR"; then ok; else bad "SARIF does not validate"; fi
else
  bad "no python3 with jsonschema (Debian: python3-jsonschema; scripts/bootstrap installs it)"
fi
pycheck "SARIF results carry what GitHub code scanning needs" "
import json
r = json.load(open('r.json')); s = json.load(open('r.sarif'))
run = s['runs'][0]; rules = run['tool']['driver']['rules']
assert s['version'] == '2.1.0'
for x in rules:
    assert x['id'] and x['name'] and x['shortDescription']['text'] and x['fullDescription']['text']
    assert x['help']['text'] and x['defaultConfiguration']['level'] in ('error','warning','note')
    assert x['properties']['tags']
res = run['results']
assert len(res) == r['summary']['findings'], len(res)
for x in res:
    assert rules[x['ruleIndex']]['id'] == x['ruleId']
    assert x['level'] in ('error','warning','note') and x['message']['text']
    loc = x['locations'][0]['physicalLocation']
    assert loc['artifactLocation']['uriBaseId'] == '%SRCROOT%'
    assert not loc['artifactLocation']['uri'].startswith('/')
    reg = loc['region']
    assert reg['startLine'] >= 1 and reg['endLine'] >= reg['startLine'] and reg['startColumn'] >= 1 and reg['endColumn'] >= 1
    assert len(x['partialFingerprints']['syndlint/v1']) == 16
fps = {f['fingerprint'] for fi in r['files'] for d in fi['documents'] for f in d['findings']}
assert fps == {x['partialFingerprints']['syndlint/v1'] for x in res}
"
printf 'PK\003\004\000binary' >"$TMP/samples/zz-binary.txt"
run 3 scan $RULES --format sarif samples/zz-binary.txt
pycheck "an ERROR input is a tool execution notification" "
import json
s = json.load(open('$OUT')); inv = s['runs'][0]['invocations'][0]
assert inv['executionSuccessful'] is False and s['runs'][0]['results'] == []
n = inv['toolExecutionNotifications'][0]
assert n['level'] == 'error' and 'binary' in n['message']['text']
assert n['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'samples/zz-binary.txt'
"
rm "$TMP/samples/zz-binary.txt"

echo "== CSV round-trips through a real parser, awkward paths and matches included"
mkdir -p odd
odd_name=$'odd/a, "quoted"\nname.txt'
printf 'Title\n\nDear [[name, "first"\nlast]], and {{x}}.\n' >"$odd_name"
cp "$SOURCE_ROOT/samples/seed-clean.txt" odd/clean.txt
run 1 scan $PACK odd --report csv:odd.csv --report json:odd.json
pycheck "CSV rows equal the JSON report's findings and passing documents" "
import csv, json
r = json.load(open('odd.json'))
with open('odd.csv', newline='') as f:
    rows = list(csv.DictReader(f))
want = []
for fi in r['files']:
    for d in fi['documents']:
        if not d['findings']:
            want.append((fi['path'], d['id'], d['verdict'], '', ''))
        for x in d['findings']:
            want.append((fi['path'], d['id'], d['verdict'], x['rule'], x['match']))
got = [(w['path'], w['document'], w['verdict'], w['rule'], w['match']) for w in rows]
assert got == want, (got, want)
assert any(',' in g[0] and '\"' in g[0] and '\n' in g[0] for g in got)
assert any(g[4] == '[[name, \"first\"\nlast]]' for g in got), got
with open('odd.csv', newline='') as f:
    head = next(csv.reader(f))
assert head == ['path', 'document', 'title', 'verdict', 'rule', 'category', 'severity', 'line',
                'column', 'scope', 'message', 'match', 'baseline', 'fingerprint', 'error',
                'suppressed', 'suppression_reason'], head
assert all(w['suppressed'] == ('no' if w['rule'] else '') for w in rows), rows
"
if head -c 200 odd.csv | grep -q $'\r$'; then ok; else bad "CSV rows do not end in CRLF"; fi

echo "== Markdown: counts, then the files that did not pass"
has r.md '^## .*syndlint: FAIL'
has r.md '^\| files \| documents \| passed \| failed \| errors \| findings \|'
has r.md 'samples/seed-syndicated-leak.txt'
lacks r.md 'samples/seed-clean.txt'

echo "== JSON Lines: one object per document, streamed as each is decided"
pycheck "one line per document" "
import json
r = json.load(open('r.json'))
lines = [json.loads(l) for l in open('r.jsonl')]
assert len(lines) == r['summary']['documents']
assert [l['id'] for l in lines] == [d['id'] for f in r['files'] for d in f['documents']]
"
mkfifo in.fifo
exec 5<>in.fifo
"$SYNDLINT" scan $RULES -j1 --format jsonl samples/seed-clean.txt - <in.fifo 5>&- >stream.out 2>"$ERR" &
scan_pid=$!
got_first=0
for _ in $(seq 1 100); do
  if [ -s stream.out ]; then got_first=1; break; fi
  sleep 0.1
done
# The first document was printed while the second (stdin) was still open.
if [ "$got_first" -eq 1 ] && [ "$(wc -l <stream.out)" -eq 1 ]; then ok; else bad "JSON Lines not streamed"; fi
printf 'Title\n\nNothing here.\n' >&5
exec 5>&-
wait "$scan_pid"
if [ "$(wc -l <stream.out)" -eq 2 ]; then ok; else bad "JSON Lines: want 2 lines"; fi

echo "== baselines: known findings do not fail, a new one does"
mkdir -p base
printf 'Title\n\nYou have {{one}} article left.\n' >base/story.txt
run 1 scan $PACK base --report json:old.json
run 0 scan $PACK --baseline old.json base
has "$OUT" '^PASS +base/story.txt'
has "$OUT" 'test.mustache .*\(baseline\)$'
has "$OUT" '1 finding in the baseline'
printf 'Title\n\nSome lines\nabove now.\n\nYou have {{one}} article left, {{two}} more.\n' >base/story.txt
run 1 scan $PACK --baseline old.json base --report json:new.json --report sarif:new.sarif \
  --report junit:new.xml --report csv:new.csv
has "$OUT" '^FAIL +base/story.txt'
has "$OUT" '6:10 +error +test.mustache .*\{\{one\}\} \(baseline\)$'
lacks "$OUT" '\{\{two\}\} \(baseline\)'
pycheck "baseline state in SARIF and CSV; the JSON contract keeps its shape" "
import csv, json
s = json.load(open('new.sarif'))
assert sorted(x['baselineState'] for x in s['runs'][0]['results']) == ['new', 'unchanged']
rows = list(csv.DictReader(open('new.csv', newline='')))
assert sorted(r['baseline'] for r in rows) == ['no', 'yes']
r = json.load(open('new.json'))
f = r['files'][0]['documents'][0]['findings']
assert [list(x) for x in f] == [['rule','category','severity','message','scope','line','column','match','fingerprint']]*2
"
if xmllint --noout --schema "$SCHEMAS/junit.xsd" new.xml 2>"$ERR"; then ok; else bad "baseline JUnit does not validate"; fi
run 2 scan $PACK --baseline no-such.json base
has "$ERR" '^syndlint: --baseline: no-such.json: '
echo '{"not": "a report"}' >notreport.json
run 2 scan $PACK --baseline notreport.json base
has "$ERR" 'not a syndlint JSON report'

echo "== syndlint diff: new, fixed, unchanged, and an exit code for scripts"
run 1 diff old.json new.json
has "$OUT" '^new \(1\):'
has "$OUT" 'base/story.txt:6:[0-9]+ +error +test.mustache'
has "$OUT" '^unchanged \(1\):'
has "$OUT" '^1 new, 0 fixed, 0 not checked, 1 unchanged$'
run 0 diff new.json old.json
has "$OUT" '^fixed \(1\):'
has "$OUT" '^0 new, 1 fixed, 0 not checked, 1 unchanged$'
run 1 diff --brief old.json new.json
has "$OUT" '^1 new, 0 fixed, 0 not checked, 1 unchanged$'
lacks "$OUT" '^unchanged'
lacks "$OUT" '^new'
lacks "$OUT" 'base/story.txt'
# A finding whose document the newer run could not scan is not fixed:
# nothing was checked, and the diff says so and does not pass.
python3 -c "
import json
r = json.load(open('old.json'))
for f in r['files']:
    f['verdict'] = 'ERROR'
    for d in f['documents']:
        d['verdict'] = 'ERROR'; d['error'] = 'empty file: nothing to check'; d['findings'] = []
json.dump(r, open('unscanned.json', 'w'))
"
run 1 diff old.json unscanned.json
has "$OUT" '^not checked \(1\):'
has "$OUT" '^0 new, 0 fixed, 1 not checked, 0 unchanged$'
lacks "$OUT" '^fixed'
run 2 diff old.json
run 2 diff old.json missing.json
has "$ERR" 'missing.json'
run 2 diff old.json notreport.json
has "$ERR" 'not a syndlint JSON report'

echo "== --compare: the trend in HTML and Markdown"
run 1 scan $PACK --compare old.json base --report markdown:trend.md --report html:trend.html
has trend.md '\*\*1 new\*\*, \*\*0 fixed\*\*'
has trend.html '"trend":\{"new":1,"fixedCount":0'

echo "== --report-dir: a dated folder per run, 'latest' moved, earlier nights kept"
run 1 scan $PACK base --report-dir nightly
first=$(readlink nightly/latest)
if [[ "$first" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then ok; else bad "latest -> '$first', want YYYY-MM-DD"; fi
for f in report.json junit.xml report.sarif report.html report.csv report.md report.jsonl; do
  if [ -s "nightly/$first/$f" ]; then ok; else bad "nightly/$first/$f missing"; fi
done
cp -r "nightly/$first" first-copy
printf 'Title\n\nYou have {{one}} article left.\n' >base/story.txt
run 1 scan $PACK base --report-dir nightly
second=$(readlink nightly/latest)
if [ -n "$second" ] && [ "$second" != "$first" ] && [ -d "nightly/$second" ]; then ok; else bad "latest did not move: '$first' -> '$second'"; fi
if diff -r first-copy "nightly/$first" >/dev/null; then ok; else bad "the first night's reports changed"; fi
# The second night is compared with the first: {{two}} was fixed.
has "nightly/latest/report.md" '\*\*0 new\*\*, \*\*1 fixed\*\*'
no_temp_files nightly
if [ -L nightly/latest ] && ! ls -A nightly | grep -q '^\.latest'; then ok; else bad "stray latest temp link"; fi

echo "== failed writes leave the previous report intact"
echo '{"previous": true}' >keep.json
cp keep.json keep.orig
# A full disk, simulated two ways: a file size limit (EFBIG; SIGXFSZ
# ignored so the write fails instead of killing the process) ...
(trap '' XFSZ; ulimit -f 1; exec "$SYNDLINT" scan $RULES samples --report json:keep.json) >"$OUT" 2>"$ERR"
code=$?
if [ "$code" -eq 2 ]; then ok; else bad "file size limit: exit $code, want 2"; fi
has "$ERR" 'keep.json: cannot write the report: File too large'
same keep.json keep.orig
no_temp_files "$TMP"
# ... and a real full file system, where one can be mounted.
mkdir -p small
if unshare -m true 2>/dev/null; then
  unshare -m bash -c "mount -t tmpfs -o size=16k tmpfs small && cp keep.json small/keep.json &&
    '$SYNDLINT' scan $RULES samples --report html:small/keep.json; echo \$? >small.code;
    cmp -s small/keep.json keep.orig && echo intact >small.state;
    ls small | grep -c tmp- >small.tmp; true" >"$OUT" 2>"$ERR"
  if [ "$(cat small.code 2>/dev/null)" = 2 ]; then ok; else bad "full disk: exit $(cat small.code 2>/dev/null), want 2"; fi
  has "$ERR" 'small/keep.json: cannot write the report: No space left on device'
  if [ "$(cat small.state 2>/dev/null)" = intact ]; then ok; else bad "full disk: previous report not intact"; fi
  if [ "$(cat small.tmp 2>/dev/null)" = 0 ]; then ok; else bad "full disk: temporary file left"; fi
else
  echo "(no mount namespace here: full-disk check by file size limit only)"
fi
# An unwritable directory.
mkdir ro && cp keep.orig ro/keep.json && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
  run 2 scan $RULES samples --report junit:ro/keep.json
  has "$ERR" 'ro/keep.json: cannot write the report: Permission denied'
elif setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
  # Root without the capabilities that override permissions (see run.sh).
  setpriv --bounding-set=-dac_override,-dac_read_search "$SYNDLINT" scan $RULES samples \
    --report junit:ro/keep.json >"$OUT" 2>"$ERR"
  code=$?
  if [ "$code" -eq 2 ]; then ok; else bad "unwritable dir: exit $code, want 2"; fi
  has "$ERR" 'ro/keep.json: cannot write the report: Permission denied'
fi
same ro/keep.json keep.orig
# The other reports of the run are still written.
run 2 scan $RULES samples --report json:no/such/dir/r.json --report json:other.json
has "$ERR" 'no/such/dir/r.json: cannot write the report: No such file or directory'
if [ -s other.json ]; then ok; else bad "one failed report stopped the others"; fi
# A report path that is a symbolic link writes its target and keeps the
# link; a FIFO or a device is written in place, never replaced by a file
# (as root, --report sarif:/dev/stdout must not replace /dev/stdout).
mkdir -p pub && echo OLD >pub/real.json && ln -s pub/real.json link.json
run 1 scan $RULES samples --report json:link.json
if [ -L link.json ] && grep -q '"summary"' pub/real.json; then ok; else bad "report through a symlink"; fi
run 1 merge -o link.json other.json
if [ -L link.json ] && grep -q '"summary"' pub/real.json; then ok; else bad "merge -o through a symlink"; fi
ln -s pub/new.json dangling.json
run 1 scan $RULES samples --report json:dangling.json
if [ -L dangling.json ] && [ -s pub/new.json ]; then ok; else bad "report through a dangling symlink"; fi
mkfifo pipe.json
timeout 20 cat pipe.json >from-pipe.json &
reader=$!
run 1 scan $RULES samples --report json:pipe.json
wait $reader
if [ -p pipe.json ] && grep -q '"summary"' from-pipe.json; then ok; else bad "report into a FIFO"; fi
ln -s /proc/self/fd/1 my-stdout
run 1 scan $RULES samples -q --report json:my-stdout
if [ -L my-stdout ]; then ok; else bad "a link to standard output was replaced"; fi
has "$OUT" '"summary"'
if [ -c /dev/null ]; then
  run 1 scan $RULES samples --report json:/dev/null
  if [ -c /dev/null ]; then ok; else bad "/dev/null was replaced"; fi
fi
no_temp_files "$TMP"
# --report-dir where a file is in the way: exit 2, nothing half-made.
: >blocked
run 2 scan $RULES samples --report-dir blocked
has "$ERR" 'report-dir: blocked'

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
