#!/usr/bin/env bash
# CLI tests: exit codes, output formats, inputs (files, directories, stdin,
# globs) and every kind of bad input, run against the built binary.
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT, SHARED_DIR (../shared).
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
SHARED_DIR=${SHARED_DIR:-$SOURCE_ROOT/../shared}
FIX=$SOURCE_ROOT/tests/fixtures/cli
RULES="--rules-dir $SOURCE_ROOT/rules"
BASIC="--rules $FIX/rules/basic.yaml"
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

pass=0
fail=0
OUT=$TMP/out
ERR=$TMP/err

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; echo "--- stdout"; head -c 3000 "$OUT"; echo "--- stderr"; head -c 3000 "$ERR"; }

# run CODE ARGS...: runs syndlint, checks the exit code.
run() {
  local want=$1; shift
  "$SYNDLINT" "$@" >"$OUT" 2>"$ERR"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "exit $got, want $want: syndlint $*"; fi
}
# has FILE REGEX: the file has a line matching REGEX.
has() { if grep -Eq -- "$2" "$1"; then ok; else bad "$(basename "$1") lacks /$2/"; fi; }
lacks() { if grep -Eq -- "$2" "$1"; then bad "$(basename "$1") has /$2/"; else ok; fi; }
# lines FILE N: the file has exactly N lines.
lines() { local n; n=$(wc -l <"$1"); if [ "$n" -eq "$2" ]; then ok; else bad "$(basename "$1") has $n lines, want $2"; fi; }
# py CHECK: runs a Python check with the JSON report in $OUT bound to `r`.
py() {
  if python3 -c "import json,sys; r=json.load(open('$OUT')); $1" 2>>"$ERR"; then ok; else bad "json check: $1"; fi
}

echo "== version and help"
run 0 --version
has "$OUT" '^syndlint [0-9]+\.[0-9]+\.[0-9]+$'
run 0 --help
has "$OUT" 'exit codes'
run 2
run 2 frobnicate
has "$ERR" "unknown command 'frobnicate'"

echo "== usage errors exit 2 and scan nothing"
run 2 scan $BASIC
has "$ERR" 'no input given'
run 2 scan $BASIC --format yaml "$FIX/articles/clean.txt"
has "$ERR" "unknown format 'yaml'"
run 2 scan $BASIC --fail-on fatal "$FIX/articles/clean.txt"
run 2 scan $BASIC --bogus "$FIX/articles/clean.txt"
has "$ERR" "unknown option '--bogus'"
run 2 scan $BASIC -j 0 "$FIX/articles/clean.txt"
run 2 scan $BASIC --report nonsense "$FIX/articles/clean.txt"
run 2 scan $BASIC --max-file-size 12Q "$FIX/articles/clean.txt"

echo "== exit 0: everything passed"
run 0 scan $BASIC "$FIX/articles/clean.txt"
has "$OUT" '^PASS +.*articles/clean.txt$'
has "$OUT" '1 file, 1 document: 1 passed, 0 failed, 0 errors; 0 findings'

echo "== exit 1: a document failed, findings at their lines"
run 1 scan $BASIC "$FIX/articles/clean.txt" "$FIX/articles/leak.txt"
has "$OUT" '^FAIL +.*articles/leak.txt$'
has "$OUT" '^ +4:30 +error +test.placeholder +Unrendered placeholder \{\{free_limit\}\}'
has "$OUT" '^ +4:1 +warning +test.meter'
has "$OUT" '2 files, 2 documents: 1 passed, 1 failed, 0 errors; 2 findings'

echo "== --fail-on"
run 0 scan $BASIC "$FIX/articles/warn.md"
has "$OUT" '^PASS +.*warn.md$'
has "$OUT" 'warning +test.meter'
run 1 scan $BASIC --fail-on warning "$FIX/articles/warn.md"
run 1 scan $BASIC --fail-on info "$FIX/articles/warn.md"

echo "== HTML: entities decoded, source positions kept"
run 1 scan $BASIC "$FIX/articles/page.html"
has "$OUT" '^ +5:18 +error +test.placeholder +Unrendered placeholder \{\{reader_count\}\}'

echo "== directories: sorted, recursive, hidden and unknown kinds skipped"
run 1 scan $BASIC --color never "$FIX/articles"
grep -E '^(PASS|FAIL|ERROR)' "$OUT" | sed 's/^[A-Z]* *//' | sed "s|$FIX/||" >"$TMP/order"
printf '%s\n' articles/clean.txt articles/leak.txt articles/page.html articles/sub/nested.txt articles/warn.md >"$TMP/want"
if diff -u "$TMP/want" "$TMP/order" >/dev/null; then ok; else bad "directory order: $(cat "$TMP/order")"; fi
lacks "$OUT" 'skipped.txt'
lacks "$OUT" 'image.png'

echo "== --include / --exclude"
run 0 scan $BASIC --include '*.txt' --exclude 'leak*' "$FIX/articles"
has "$OUT" 'clean.txt'
has "$OUT" 'nested.txt'
lacks "$OUT" 'leak.txt'
lacks "$OUT" 'warn.md'
run 1 scan $BASIC --include 'sub/**' --include 'leak.txt' "$FIX/articles"
has "$OUT" 'nested.txt'
has "$OUT" 'leak.txt'
lacks "$OUT" 'clean.txt'

echo "== stdin"
printf 'Title\n\nYou have {{ count }} left.\n' | "$SYNDLINT" scan $BASIC - >"$OUT" 2>"$ERR"
if [ $? -eq 1 ]; then ok; else bad "stdin exit"; fi
has "$OUT" '^FAIL +-$'
has "$OUT" '3:10 +error +test.placeholder'
printf '<html><body><p>{{x}}</p></body></html>' | "$SYNDLINT" scan $BASIC --format json - >"$OUT" 2>"$ERR"
py "assert r['files'][0]['path']=='-' and r['files'][0]['documents'][0]['findings'][0]['match']=='{{x}}'"
run 2 scan $BASIC - -

echo "== JSON output follows the contract"
run 1 scan $BASIC --format json "$FIX/articles/clean.txt" "$FIX/articles/leak.txt"
py "assert list(r)==['tool','summary','files']"
py "assert r['tool']=={'name':'syndlint','version':r['tool']['version']} and r['tool']['version']"
py "assert r['summary']=={'files':2,'documents':2,'passed':1,'failed':1,'errors':0,'findings':2}"
py "assert [list(f) for f in r['files']]==[['path','verdict','error','documents']]*2"
py "d=r['files'][1]['documents'][0]; assert list(d)==['id','title','verdict','findings'] and d['title']=='Markets rally' and d['verdict']=='FAIL'"
py "f=r['files'][1]['documents'][0]['findings']; assert [list(x) for x in f]==[['rule','category','severity','message','scope','line','column','match','fingerprint']]*2"
py "f=r['files'][1]['documents'][0]['findings']; assert f[0]['rule']=='test.meter' and f[0]['line']==4 and f[0]['column']==1 and f[0]['match'].startswith('You’ve reached your limit') and f[0]['severity']=='warning' and f[0]['category']=='paywall' and f[0]['scope']=='body'"
py "f=r['files'][1]['documents'][0]['findings']; assert f[1]['match']=='{{free_limit}}' and f[1]['column']==30 and len(f[1]['fingerprint'])==16"
py "assert r['files'][0]['error'] is None and r['files'][0]['verdict']=='PASS'"

echo "== --report json:PATH writes the same report atomically"
run 1 scan $BASIC --report "json:$TMP/r.json" "$FIX/articles/clean.txt" "$FIX/articles/leak.txt"
"$SYNDLINT" scan $BASIC --format json "$FIX/articles/clean.txt" "$FIX/articles/leak.txt" >"$TMP/stdout.json" 2>/dev/null
if cmp -s "$TMP/r.json" "$TMP/stdout.json"; then ok; else bad "--report differs from --format json"; fi
ls "$TMP" | grep -q 'tmp-' && bad "temporary report file left behind" || ok
echo '{"previous": true}' >"$TMP/keep.json"
mkdir "$TMP/ro" && chmod 500 "$TMP/ro"
run 1 scan $BASIC --report "json:$TMP/keep.json" "$FIX/articles/leak.txt"
if python3 -c "import json; r=json.load(open('$TMP/keep.json')); assert 'previous' not in r and r['summary']['failed']==1"; then ok; else bad "--report did not replace keep.json"; fi
if [ "$(id -u)" -ne 0 ]; then
  run 2 scan $BASIC --report "json:$TMP/ro/r.json" "$FIX/articles/clean.txt"
  has "$ERR" "ro/r.json: cannot write the report"
fi
run 2 scan $BASIC --report "json:$TMP/no/such/dir/r.json" "$FIX/articles/clean.txt"
has "$ERR" 'no/such/dir/r.json: cannot write the report: No such file or directory'

echo "== determinism: -j1 and -j4 give the same bytes"
"$SYNDLINT" scan $BASIC -j1 --format json "$FIX/articles" >"$TMP/j1.json" 2>/dev/null
"$SYNDLINT" scan $BASIC -j 4 --format json "$FIX/articles" >"$TMP/j4.json" 2>/dev/null
if cmp -s "$TMP/j1.json" "$TMP/j4.json"; then ok; else bad "-j1 and -j4 differ"; fi

echo "== rule errors: one line naming file:line:col and rule, exit 2, nothing scanned"
for case in \
  "malformed.yaml|bad/malformed.yaml:[0-9]+:[0-9]+: " \
  "unknown-key.yaml|bad/unknown-key.yaml:8:5: rule 'a.b': unknown key 'forbidd'" \
  "wrong-type.yaml|bad/wrong-type.yaml:5:15: rule 'a.b': " \
  "duplicate-id.yaml|bad/duplicate-id.yaml:9:5: rule 'a.b': duplicate id, first defined at .*duplicate-id.yaml:3:5" \
  "bad-regex.yaml|bad/bad-regex.yaml:9:[0-9]+: rule 'a.b': .*(regex|pattern)" \
  "unknown-when.yaml|bad/unknown-when.yaml:8:[0-9]+: rule 'a.b': .*no.such-rule" \
  "cycle.yaml|bad/cycle.yaml:[0-9]+:[0-9]+: rule 'a.(one|two)': .*cycle"; do
  file=${case%%|*}; want=${case#*|}
  run 2 scan --rules "$FIX/bad/$file" "$FIX/articles/clean.txt"
  lines "$ERR" 1
  has "$ERR" "$want"
  lacks "$OUT" 'PASS|FAIL'
done
run 2 scan --rules "$TMP/no-such-pack.yaml" "$FIX/articles/clean.txt"
has "$ERR" 'no-such-pack.yaml'

echo "== bad inputs: one error line each, exit 3, the rest still scanned"
mkdir -p "$TMP/in/loop/a"
ln -s "$TMP/in/loop" "$TMP/in/loop/a/back"
cp "$FIX/articles/clean.txt" "$TMP/in/loop/a/story.txt"
printf 'PK\003\004\000\000\001\002binary\000data' >"$TMP/in/binary.txt"
: >"$TMP/in/empty.txt"
printf 'Headline\n\nCaf\xe9 owners said \xff\xfe on {{x}} Monday.\n' >"$TMP/in/latin.txt"
head -c 104857600 /dev/zero | tr '\0' 'a' >"$TMP/in/huge.txt"
run 3 scan $BASIC --color never --follow "$TMP/in/nope.txt" "$TMP/in/binary.txt" "$TMP/in/empty.txt" \
  "$TMP/in/huge.txt" "$TMP/in/loop" "$TMP/in/latin.txt" "$FIX/articles/clean.txt"
has "$OUT" "^ERROR +$TMP/in/nope.txt: No such file or directory$"
has "$OUT" "^ERROR +$TMP/in/binary.txt: binary"
has "$OUT" "^ERROR +$TMP/in/empty.txt: empty file"
has "$OUT" "^ERROR +$TMP/in/huge.txt: file is .*over the (size )?limit"
has "$OUT" "^ERROR +$TMP/in/loop/a/back: directory symlink loop"
has "$OUT" "^PASS +$TMP/in/loop/a/story.txt$"
has "$OUT" "^FAIL +$TMP/in/latin.txt$"
has "$OUT" "3:[0-9]+ +error +test.placeholder +Unrendered placeholder \{\{x\}\}"
has "$OUT" "^PASS +$FIX/articles/clean.txt$"
has "$OUT" '8 files, 8 documents: 2 passed, 1 failed, 5 errors'
run 3 scan $BASIC --format json "$TMP/in/binary.txt" "$FIX/articles/leak.txt"
lines "$ERR" 1
has "$ERR" "binary.txt: binary"
py "assert r['summary']['errors']==1 and r['summary']['failed']==1 and r['files'][0]['verdict']=='ERROR' and r['files'][0]['error'].startswith('binary')"
py "assert r['files'][0]['documents'][0]['verdict']=='ERROR'"
run 0 scan $BASIC --max-file-size 1K "$FIX/articles/clean.txt"
head -c 2048 /dev/zero | tr '\0' 'b' >"$TMP/in/2k.txt"
run 3 scan $BASIC --max-file-size 1K "$TMP/in/2k.txt"
# Root reads and writes whatever the permissions say: the run below keeps
# uid 0 but gives up the capabilities that override them. (Running as
# another user instead fails where the build lies under a directory only
# root may enter, as a CI checkout in a mktemp directory does.)
if [ "$(id -u)" -eq 0 ] && setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
  cp "$FIX/articles/clean.txt" "$TMP/in/secret.txt"
  chmod 000 "$TMP/in/secret.txt"
  setpriv --bounding-set=-dac_override,-dac_read_search "$SYNDLINT" scan $BASIC --color never \
    "$TMP/in/secret.txt" "$FIX/articles/clean.txt" >"$OUT" 2>"$ERR"
  if [ $? -eq 3 ]; then ok; else bad "unreadable file exit"; fi
  has "$OUT" "^ERROR +$TMP/in/secret.txt: Permission denied"
  has "$OUT" "^PASS +$FIX/articles/clean.txt"
else
  cp "$FIX/articles/clean.txt" "$TMP/in/secret.txt"
  chmod 000 "$TMP/in/secret.txt"
  run 3 scan $BASIC "$TMP/in/secret.txt" "$FIX/articles/clean.txt"
  has "$OUT" "Permission denied"
fi

echo "== default packs on the seed articles"
run 1 scan $RULES --format json "$SHARED_DIR/corpus/seed-syndicated-leak.txt"
py "d=r['files'][0]['documents'][0]; cats={f['category'] for f in d['findings']}; assert 'placeholder' in cats and 'paywall' in cats and 'attribution' not in cats and 'disclaimer' not in cats, cats"
py "f=[x for x in r['files'][0]['documents'][0]['findings'] if x['category']=='placeholder']; assert any(x['line']==7 and '{{free_limit}}' in x['match'] for x in f)"
py "f=[x for x in r['files'][0]['documents'][0]['findings'] if x['category']=='paywall']; ls={x['line'] for x in f}; assert {7,8,9,10}<=ls, ls; assert ls & set(range(11,23)), ls"
run 0 scan $RULES "$SHARED_DIR/corpus/seed-clean.txt"
has "$OUT" '^PASS'

echo "== default samples give their documented verdicts"
if [ -f "$SOURCE_ROOT/tests/fixtures/samples-expected.tsv" ]; then
  while IFS=$'\t' read -r path verdict rules; do
    case "$path" in ''|'#'*) continue ;; esac
    "$SYNDLINT" scan $RULES --format json "$SOURCE_ROOT/$path" >"$OUT" 2>"$ERR"
    py "assert r['files'][0]['verdict']=='$verdict', ('$path', r['files'][0]['verdict'])"
    for rule in ${rules//,/ }; do
      py "assert any(f['rule']=='$rule' for d in r['files'][0]['documents'] for f in d['findings']), ('$path', '$rule')"
    done
  done <"$SOURCE_ROOT/tests/fixtures/samples-expected.tsv"
fi

echo "== project config: profiles by path, found as ./syndlint.yaml"
mkdir -p "$TMP/proj/incoming/pti" "$TMP/proj/incoming/other"
cp "$SOURCE_ROOT/docs/examples/syndlint.yaml" "$TMP/proj/syndlint.yaml"
printf 'Talks resume\n\nNEW DELHI (Reuters) - Talks resumed on Monday.\n' >"$TMP/proj/incoming/pti/reuters.txt"
printf 'Talks resume\n\nNew Delhi, Mar 3 (PTI): Talks resumed on Monday.\n' >"$TMP/proj/incoming/pti/pti.txt"
cp "$TMP/proj/incoming/pti/reuters.txt" "$TMP/proj/incoming/other/reuters.txt"
(cd "$TMP/proj" && "$SYNDLINT" scan $RULES --format json incoming >"$OUT" 2>"$ERR"); code=$?
if [ $code -eq 1 ]; then ok; else bad "profile scan exit $code"; fi
py "v={f['path']:(f['verdict'],[x['rule'] for d in f['documents'] for x in d['findings']]) for f in r['files']}; assert v['incoming/pti/reuters.txt'][0]=='FAIL' and 'attribution.required-agency' in v['incoming/pti/reuters.txt'][1], v"
py "v={f['path']:(f['verdict'],[x['rule'] for d in f['documents'] for x in d['findings']]) for f in r['files']}; assert v['incoming/pti/pti.txt'][0]=='PASS' and v['incoming/other/reuters.txt'][0]=='PASS' and 'attribution.required-agency' not in v['incoming/other/reuters.txt'][1], v"
run 1 scan $RULES --config "$TMP/proj/syndlint.yaml" "$TMP/proj/incoming/pti/reuters.txt"
has "$OUT" 'attribution.required-agency'
printf 'packs: [default]\nseverity: {no.such-rule: info}\n' >"$TMP/badcfg.yaml"
run 2 scan $RULES --config "$TMP/badcfg.yaml" "$FIX/articles/clean.txt"
has "$ERR" "badcfg.yaml:2:[0-9]+: .*no.such-rule"

echo "== HTML: article body versus page chrome"
cat >"$TMP/chrome.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Port strike ends</title></head>
<body>
<header><a href="/subscribe">Subscribe</a> <a href="/login">Already a subscriber? Log in</a></header>
<nav>Hello, {{user.first_name}}</nav>
<article><h1>Port strike ends</h1>
<p>Dock workers returned to work on Thursday after a three-day strike.</p>
<p hidden>You have 3 free articles left this month.</p>
</article>
<aside><p>Subscribe to our newsletter for the morning briefing.</p></aside>
</body></html>
HTML
run 1 scan $RULES --format json "$TMP/chrome.html"
py "f=r['files'][0]['documents'][0]['findings']; assert [(x['rule'],x['scope'],x['line']) for x in f]==[('placeholder.mustache','chrome',5)], f"

echo "== ordinary news prose, full of the traps, gives no finding at all"
for f in "$SOURCE_ROOT"/tests/fixtures/prose/*; do
  run 0 scan $RULES --fail-on info --color never "$f"
  has "$OUT" '; 0 findings$'
done

echo "== rules subcommands"
run 0 rules list $BASIC --rules-dir "$TMP"
has "$OUT" '^test.placeholder +placeholder +error +forbid'
run 0 rules test $BASIC --rules-dir "$TMP"
has "$OUT" '2 rules, 4 examples: 4 passed, 0 failed'
run 0 rules explain test.meter $BASIC --rules-dir "$TMP"
has "$OUT" 'test.meter'
has "$OUT" "You've reached your limit"
# A detect rule's leading optional part is left out when it runs.
run 0 rules explain attribution.inputs-credit $RULES
has "$OUT" '^        runs as: "\[Ii\]nputs\?'
run 2 rules explain no.such $BASIC --rules-dir "$TMP"
has "$ERR" "no rule 'no.such'"
run 2 rules frob $BASIC
cat >"$TMP/failing.yaml" <<'EOF'
pack: failing
rules:
  - id: test.wrong
    category: paywall
    severity: error
    message: "x"
    description: "An example that does not behave."
    forbid: ["subscribe"]
    examples:
      fail: ["nothing here"]
      pass: ["please subscribe"]
EOF
run 1 rules test --rules "$TMP/failing.yaml" --rules-dir "$TMP"
has "$OUT" '^FAIL +test.wrong +fail example 1: expected a finding'
has "$OUT" '^FAIL +test.wrong +pass example 1: unexpected finding at 1:8'

echo "== a command whose standard output cannot be written fails, whatever the command"
# /dev/full takes no byte (ENOSPC), as a full disk under a redirect would:
# a listing or report cut short must not exit 0.
if [ -w /dev/full ]; then
  : >"$OUT"
  "$SYNDLINT" scan $BASIC --format json "$FIX/articles/clean.txt" >"$TMP/full-a.json" 2>/dev/null
  for cmd in "--version" "--help" "rules list $RULES" "rules explain placeholder.mustache $RULES" \
             "rules test $RULES" "diff $TMP/full-a.json $TMP/full-a.json" \
             "merge $TMP/full-a.json" "scan $BASIC $FIX/articles/clean.txt" \
             "scan $BASIC --format sarif $FIX/articles/clean.txt"; do
    # shellcheck disable=SC2086
    "$SYNDLINT" $cmd >/dev/full 2>"$ERR"
    got=$?
    if [ "$got" -eq 2 ]; then ok; else bad "exit $got, want 2: syndlint $cmd >/dev/full"; fi
    has "$ERR" 'cannot write to standard output|No space left'
  done
else
  echo "(no /dev/full here: skipped)"
fi

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
