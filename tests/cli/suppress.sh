#!/usr/bin/env bash
# Suppressions: inline syndlint-disable comments (HTML, Markdown, text), the
# central ignore file (suppressed findings and expired entries as every
# report shows them), --changed-since in a scratch git repository, and the
# integrations (pre-commit hook, shell completion).
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT, SHARED_DIR (../shared).
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
SHARED_DIR=${SHARED_DIR:-$SOURCE_ROOT/../shared}
SCHEMAS=$SHARED_DIR/schemas
RULES="--rules-dir $SOURCE_ROOT/rules"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

pass=0
fail=0
OUT=$TMP/out
ERR=$TMP/err

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; echo "--- stdout"; head -c 3000 "$OUT"; echo "--- stderr"; head -c 3000 "$ERR"; }
run() {
  local want=$1; shift
  "$SYNDLINT" "$@" >"$OUT" 2>"$ERR"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "exit $got, want $want: syndlint $*"; fi
}
has() { if grep -Eq -- "$2" "$1"; then ok; else bad "$(basename "$1") lacks /$2/"; fi; }
lacks() { if grep -Eq -- "$2" "$1"; then bad "$(basename "$1") has /$2/"; else ok; fi; }
py() {
  if python3 -c "import json,sys; r=json.load(open('$OUT')); $1" 2>>"$ERR"; then ok; else bad "json check: $1"; fi
}
# pycheck NAME SCRIPT: a Python check run in the current directory.
pycheck() {
  if python3 -c "$2" 2>"$ERR"; then ok; else bad "$1"; fi
}
# valid_sarif FILE, valid_junit FILE: against the schemas in ../shared.
valid_sarif() {
  local py
  for py in /usr/bin/python3 python3 ''; do
    [ -n "$py" ] && "$py" -c 'import jsonschema' 2>/dev/null && break
  done
  if [ -z "$py" ]; then
    bad "no python3 with jsonschema (Debian: python3-jsonschema; scripts/bootstrap installs it)"
    return
  fi
  if "$py" -c "
import json, jsonschema
schema = json.load(open('$SCHEMAS/sarif-schema-2.1.0.json'))
jsonschema.Draft4Validator(schema).validate(json.load(open('$1')))" 2>"$ERR"; then ok
  else bad "$1 does not validate against the SARIF 2.1.0 schema"; fi
}
valid_junit() {
  if xmllint --noout --schema "$SCHEMAS/junit.xsd" "$1" 2>"$ERR"; then ok; else bad "$1 does not validate against junit.xsd"; fi
}

# ------------------------------------------------------------ text, line form
cat >a.txt <<'EOF'
Headline about something happening

syndlint-disable-next placeholder: template fixed upstream next release
The value is {{free_limit}} here.
Another {{other}} here.
syndlint-disable paywall: agency copy kept verbatim by contract
Subscribe now for unlimited access.
Already subscribed? Log in
syndlint-enable paywall
Subscribe to read the full story
syndlint-disable-next placeholder
Yet {{again}} more.
syndlint-disable-next paywall.pricing-plan: nothing to cover
Nothing here at all.
EOF
run 1 scan $RULES a.txt
has "$OUT" '4:14 .*placeholder.mustache .*\(suppressed: template fixed upstream next release\)'
has "$OUT" '5:9 .*placeholder.mustache .*\{\{other\}\}$'
has "$OUT" '7:1 .*paywall.subscribe-prompt .*\(suppressed: agency copy kept verbatim by contract\)'
has "$OUT" '8:1 .*paywall.login-prompt .*\(suppressed: agency copy'
has "$OUT" '10:1 .*paywall.subscribe-prompt .*full story$'
# No reason: reported, and it suppresses nothing.
has "$OUT" '11:1 .*warning +syndlint.invalid-suppression .*gives no reason'
has "$OUT" '12:5 .*placeholder.mustache .*\{\{again\}\}$'
lacks "$OUT" 'unused-suppression'
run 1 scan $RULES --report-unused-suppressions a.txt
has "$OUT" "13:1 .*warning +syndlint.unused-suppression .*'paywall.pricing-plan' matched no finding"
lacks "$OUT" "unused-suppression .*'placeholder'"
run 1 scan $RULES --no-inline-suppressions a.txt
lacks "$OUT" 'suppressed'
lacks "$OUT" 'invalid-suppression'
has "$OUT" '4:14 .*placeholder.mustache'

# A document whose every failing finding is suppressed passes the gate.
cat >b.txt <<'EOF'
syndlint-disable placeholder: the CMS renders these at publish time
Storm hits the coast

The {{city}} council met today to discuss {{topic}}.
EOF
run 0 scan $RULES b.txt
has "$OUT" '^PASS +b.txt'
has "$OUT" '\(suppressed: the CMS renders'
run 1 scan $RULES --no-inline-suppressions b.txt
run 1 scan $RULES --fail-on warning --report-unused-suppressions a.txt

# ------------------------------------------------------------ JSON stays the contract
run 0 scan $RULES --format json b.txt
py "f=r['files'][0]['documents'][0]['findings']; assert f and all(sorted(x)==sorted(['rule','category','severity','message','scope','line','column','match','fingerprint']) for x in f), f"
py "assert r['files'][0]['verdict']=='PASS'"

# ------------------------------------------------------------ SARIF, JUnit, Markdown, CSV
run 1 scan $RULES --format sarif a.txt
py "rs=r['runs'][0]['results']; s=[x for x in rs if 'suppressions' in x]; assert len(s)==3, s; assert all(x['suppressions'][0]['kind']=='inSource' for x in s); assert s[0]['suppressions'][0]['justification']=='template fixed upstream next release', s[0]"
py "rs=r['runs'][0]['results']; assert [x for x in rs if x['ruleId']=='syndlint.invalid-suppression']"
run 0 scan $RULES --format junit b.txt
lacks "$OUT" '<failure'
has "$OUT" 'suppressed: the CMS renders'
run 0 scan $RULES --format markdown b.txt
has "$OUT" '^2 findings are suppressed \(not failing\)'
run 0 scan $RULES --format html b.txt
has "$OUT" '"suppressed": *"the CMS renders these at publish time"'
run 1 scan $RULES --format markdown a.txt
has "$OUT" '\*\(suppressed: template fixed upstream next release\)\*'
# CSV: a suppressed finding keeps its row, marked with how it was accepted
# and why; the other findings say "no".
run 1 scan $RULES --format csv a.txt
cp "$OUT" a.csv
pycheck "CSV marks inline suppressions" "
import csv
rows = list(csv.DictReader(open('a.csv', newline='')))
sup = [(r['line'], r['rule'], r['suppressed'], r['suppression_reason']) for r in rows if r['suppressed'] != 'no']
assert sup == [('4', 'placeholder.mustache', 'inline', 'template fixed upstream next release'),
               ('7', 'paywall.subscribe-prompt', 'inline', 'agency copy kept verbatim by contract'),
               ('8', 'paywall.login-prompt', 'inline', 'agency copy kept verbatim by contract')], sup
assert all(r['suppression_reason'] == '' for r in rows if r['suppressed'] == 'no'), rows
assert [r['rule'] for r in rows if r['line'] == '11'] == ['syndlint.invalid-suppression'], rows
"
# Without an ignore file nothing expired is reported.
run 1 scan $RULES --format sarif a.txt
py "assert 'toolConfigurationNotifications' not in r['runs'][0]['invocations'][0]"
run 1 scan $RULES --format html a.txt
lacks "$OUT" 'id="notices"'

# ------------------------------------------------------------ HTML comments
cat >c.html <<'EOF'
<!doctype html>
<html><head><title>Storm hits the coast</title></head>
<body><article>
<h1>Storm hits the coast</h1>
<p>Heavy rain fell across the region on Tuesday.</p>
<!-- syndlint-disable-next paywall.meter-message: archived copy, meter text is part of the story -->
<p>You have reached your limit of 3 free articles</p>
<p>You have reached your limit of 5 free articles</p>
<!-- syndlint-disable placeholder: filled by the CMS -->
<p>The {{city}} council met.</p>
<!-- syndlint-enable placeholder -->
<p>The {{mayor}} spoke.</p>
<!-- syndlint-disable-next placeholder --><p>Now {{nothing}}.</p>
<!-- syndlint-disable-next placeholder: same line --> <p>Then {{same}}.</p>
</article></body></html>
EOF
run 1 scan $RULES c.html
has "$OUT" '7:[0-9]+ .*paywall.meter-message .*\(suppressed: archived copy'
has "$OUT" '8:[0-9]+ .*paywall.meter-message .*5 free articles$'
has "$OUT" '10:[0-9]+ .*placeholder.mustache .*\(suppressed: filled by the CMS\)'
has "$OUT" '12:[0-9]+ .*placeholder.mustache .*\{\{mayor\}\}$'
has "$OUT" '13:1 .*syndlint.invalid-suppression'
has "$OUT" '13:[0-9]+ .*placeholder.mustache .*\{\{nothing\}\}$'
has "$OUT" '14:[0-9]+ .*placeholder.mustache .*\(suppressed: same line\)'

# ------------------------------------------------------------ Markdown: both spellings
cat >d.md <<'EOF'
# Storm hits the coast

<!-- syndlint-disable-next placeholder: example in a style guide -->
Write {{city}} where the city goes.

syndlint-disable-next placeholder.mustache: a second example
And {{mayor}} for the mayor.

But {{left}} stays.
EOF
run 1 scan $RULES d.md
has "$OUT" '4:[0-9]+ .*\(suppressed: example in a style guide\)'
has "$OUT" '7:[0-9]+ .*\(suppressed: a second example\)'
has "$OUT" '9:[0-9]+ .*placeholder.mustache .*\{\{left\}\}$'

# ------------------------------------------------------------ ignore file
mkdir -p ig/archive && cd ig || exit 1
cat >archive/old.txt <<'EOF'
Storm hits the coast

The {{city}} council met today.
Subscribe now for unlimited access.
EOF
cat >new.txt <<'EOF'
Storm hits the coast

The {{town}} council met today.
Subscribe now for unlimited access.
EOF
run 1 scan $RULES --format json new.txt
FP=$(python3 -c "import json; r=json.load(open('$OUT')); print([f['fingerprint'] for f in r['files'][0]['documents'][0]['findings'] if f['rule']=='placeholder.mustache'][0])")
cat >syndlint-ignore.yaml <<EOF
# accepted findings
ignore:
  - path: "archive/*"
    rule: paywall
    reason: the archive keeps pages as published
  - path: archive/old.txt
    rule: placeholder.mustache
    reason: a temporary exception
    expires: 2001-01-31
  - fingerprint: $FP
    reason: the template placeholder is the story
    expires: 2999-12-31
EOF
# Read from the current directory by default.
run 1 scan $RULES archive/old.txt new.txt
has "$OUT" 'Subscribe now .*\(suppressed: the archive keeps pages as published\)'
has "$OUT" '\{\{town\}\} \(suppressed: the template placeholder is the story\)'
has "$OUT" '\{\{city\}\}$'
has "$ERR" 'warning: syndlint-ignore.yaml:6: expired ignore entry \(expired 2001-01-31; rule placeholder.mustache\)'
has "$OUT" '^FAIL +archive/old.txt'
has "$OUT" '^FAIL +new.txt'
# The expired entry is in the reports too: a SARIF configuration
# notification placed at the entry, JUnit's system-err, a notice in Markdown
# and HTML. The JSON report keeps the contract's shape.
EXPIRED='syndlint-ignore.yaml:6: expired ignore entry (expired 2001-01-31; path archive/old.txt, rule placeholder.mustache): it no longer suppresses'
export EXPIRED
run 1 scan $RULES archive/old.txt new.txt --report sarif:exp.sarif --report junit:exp.xml \
  --report markdown:exp.md --report html:exp.html --report json:exp.json --report csv:exp.csv
valid_sarif exp.sarif
pycheck "SARIF names the expired entry" "
import json, os
inv = json.load(open('exp.sarif'))['runs'][0]['invocations'][0]
ns = inv['toolConfigurationNotifications']
assert len(ns) == 1, ns
n = ns[0]
assert n['level'] == 'warning' and n['message']['text'] == os.environ['EXPIRED'], n
assert n['descriptor']['id'] == 'syndlint.expired-ignore-entry', n
loc = n['locations'][0]['physicalLocation']
assert loc['artifactLocation']['uri'] == 'syndlint-ignore.yaml' and loc['region']['startLine'] == 6, loc
assert inv['executionSuccessful'] is True and inv['toolExecutionNotifications'] == [], inv
"
valid_junit exp.xml
if [ "$(xmllint --xpath 'string(/testsuites/testsuite[1]/system-err)' exp.xml)" = "syndlint: warning: $EXPIRED" ]; then ok; else bad "JUnit system-err lacks the expired entry"; fi
has exp.md '^\*\*Expired ignore entries\*\*'
has exp.md '^- syndlint\\-ignore\\\.yaml\\:6\\: expired ignore entry \\\(expired 2001\\-01\\-31'
if grep -Fq "<li>$EXPIRED</li>" exp.html; then ok; else bad "HTML lacks the expired entry"; fi
pycheck "JSON keeps the contract's keys" "
import json
r = json.load(open('exp.json'))
assert list(r) == ['tool', 'summary', 'files'], list(r)
"
pycheck "CSV marks ignore-file suppressions" "
import csv
rows = list(csv.DictReader(open('exp.csv', newline='')))
got = sorted((r['path'], r['rule'], r['suppressed'], r['suppression_reason']) for r in rows)
assert got == [('archive/old.txt', 'paywall.subscribe-prompt', 'ignore-file', 'the archive keeps pages as published'),
               ('archive/old.txt', 'placeholder.mustache', 'no', ''),
               ('new.txt', 'paywall.subscribe-prompt', 'no', ''),
               ('new.txt', 'placeholder.mustache', 'ignore-file', 'the template placeholder is the story')], got
"
run 1 scan $RULES --format sarif new.txt archive/old.txt
py "rs=r['runs'][0]['results']; s=[x['suppressions'][0] for x in rs if 'suppressions' in x]; assert len(s)==2 and all(x['kind']=='external' for x in s), s"
# The last unsuppressed error accepted: the gate passes.
cat >>syndlint-ignore.yaml <<'EOF'
  - path: new.txt
    rule: paywall.subscribe-prompt
    reason: house ad, approved by the desk
EOF
run 0 scan $RULES new.txt
has "$OUT" '^PASS +new.txt'
mv syndlint-ignore.yaml elsewhere.yaml
run 1 scan $RULES new.txt
run 0 scan $RULES --ignore-file elsewhere.yaml new.txt
# Strict validation: file:line:col, exit 2, nothing scanned.
bad_ignore() {
  printf '%s\n' "$2" >bad.yaml
  run 2 scan $RULES --ignore-file bad.yaml new.txt
  has "$ERR" "$1"
  lacks "$OUT" 'new.txt'
}
bad_ignore 'bad.yaml:2:5: .*needs a .reason.' $'ignore:\n  - path: a\n    rule: b'
bad_ignore "bad.yaml:4:5: .*unknown key 'reasn'" $'ignore:\n  - path: a\n    rule: b\n    reasn: x'
bad_ignore "bad.yaml:2:5: .*needs a 'fingerprint', or a 'path' glob and a 'rule'" $'ignore:\n  - path: a\n    reason: x'
bad_ignore "bad.yaml:2:5: .*either a 'fingerprint' or" $'ignore:\n  - fingerprint: abc\n    rule: b\n    reason: x'
bad_ignore "bad.yaml:2:14: 'expires' must be a date YYYY-MM-DD" $'ignore:\n  - expires: 2026-02-30\n    fingerprint: abc\n    reason: x'
bad_ignore "bad.yaml:1:9: 'ignore' must be a list" 'ignore: {a: 1}'
bad_ignore "bad.yaml:1:1: .*unknown key 'ignores'" 'ignores: []'
bad_ignore 'bad.yaml:[0-9]+:[0-9]+: ' $'ignore:\n  - [unclosed'
# Thousands of accepted fingerprints: each finding takes the reason of the
# first entry in effect that covers it, a fingerprint listed twice the first
# one's, a glob before it the glob's, an expired one none.
python3 - <<'PY'
import json, subprocess, os
open('many.txt', 'w').write('{{a}} ' * 3000 + '\n')
out = subprocess.run([os.environ['SYNDLINT'], 'scan', '--rules-dir', os.environ['SOURCE_ROOT'] + '/rules',
                      '--format', 'json', 'many.txt'], capture_output=True, text=True).stdout
fps = [x['fingerprint'] for x in json.loads(out)['files'][0]['documents'][0]['findings']]
assert len(fps) == 3000, len(fps)
e = ['ignore:']
e += ['  - fingerprint: "%s"\n    reason: expired\n    expires: 2001-01-01' % fps[7]]
e += ['  - fingerprint: "%s"\n    reason: first %d' % (fp, i) for i, fp in enumerate(fps) if i % 3]
e += ['  - path: many.txt\n    rule: placeholder\n    reason: the glob']
e += ['  - fingerprint: "%s"\n    reason: second %d' % (fp, i) for i, fp in enumerate(fps)]
open('many-ignore.yaml', 'w').write('\n'.join(e) + '\n')
PY
run 0 scan $RULES --ignore-file many-ignore.yaml --format sarif many.txt
py "rs=r['runs'][0]['results']; j=[x['suppressions'][0]['justification'] for x in rs]
assert len(j)==3000 and all(j[i]==('the glob' if i%3==0 else 'first %d'%i) for i in range(3000)), j[:9]"

run 2 scan $RULES --ignore-file missing.yaml new.txt
has "$ERR" 'missing.yaml'
cd "$TMP" || exit 1

# ------------------------------------------------------------ --changed-since
if command -v git >/dev/null; then
  mkdir repo && cd repo || exit 1
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
  git init -q . && mkdir -p news/sub
  printf 'Old story\n\nThe {{a}} council.\n' >news/old.txt
  printf 'Edited story\n\nFine text.\n' >news/edited.txt
  printf 'Gone story\n\nFine text.\n' >news/gone.txt
  git add . && git commit -qm one
  printf 'Edited story\n\nNow {{b}} here.\n' >news/edited.txt
  printf 'Added story\n\nFine text.\n' >news/sub/added.txt
  git add news/sub/added.txt && git rm -q news/gone.txt && git commit -qm two
  printf 'Untracked story\n\nFine text.\n' >news/untracked.txt
  printf 'Ignored story\n\nThe {{c}} council.\n' >news/ignored.txt
  echo 'news/ignored.txt' >.gitignore
  run 1 scan $RULES --changed-since HEAD~1 news
  has "$OUT" '^FAIL +news/edited.txt'
  has "$OUT" '^PASS +news/sub/added.txt'
  has "$OUT" '^PASS +news/untracked.txt'
  lacks "$OUT" 'old.txt|gone.txt|ignored.txt'
  has "$OUT" '^3 files'
  # Intersected with the paths given; from a subdirectory too.
  run 0 scan $RULES --changed-since HEAD~1 news/sub
  has "$OUT" '^PASS +news/sub/added.txt'
  lacks "$OUT" 'edited'
  (cd news && "$SYNDLINT" scan $RULES --changed-since HEAD~1 . >"$OUT" 2>"$ERR"); [ $? -eq 1 ] && ok || bad "changed-since from a subdirectory"
  has "$OUT" 'edited.txt'
  lacks "$OUT" 'old.txt'
  # Uncommitted edits count: edited.txt changed in the work tree only.
  run 1 scan $RULES --changed-since HEAD news
  has "$OUT" 'edited.txt'
  lacks "$OUT" 'added.txt'
  run 2 scan $RULES --changed-since no-such-rev news
  has "$ERR" 'changed-since no-such-rev'
  run 2 scan $RULES --changed-since --oops news
  (cd "$TMP" && "$SYNDLINT" scan $RULES --changed-since HEAD a.txt >"$OUT" 2>"$ERR"); [ $? -eq 2 ] && ok || bad "changed-since outside a repository"
  cd "$TMP" || exit 1
fi

# ------------------------------------------------------------ pre-commit hook
HOOKS=$SOURCE_ROOT/.pre-commit-hooks.yaml
if python3 -c "import yaml" 2>/dev/null; then
  if python3 - "$HOOKS" <<'EOF'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
assert isinstance(hooks, list) and len(hooks) == 1, hooks
h = hooks[0]
for k in ("id", "name", "entry", "language"):
    assert isinstance(h.get(k), str) and h[k], k
assert h["id"] == "syndlint" and h["language"] == "system", h
assert h["entry"].split()[:2] == ["syndlint", "scan"], h
EOF
  then ok; else bad "pre-commit hook file"; fi
  # The hook's command line as pre-commit runs it: entry + staged files.
  ENTRY=$(python3 -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1]))[0]['entry'])" "$HOOKS")
  read -r -a ARGV <<<"$ENTRY"
  "$SYNDLINT" "${ARGV[@]:1}" $RULES b.txt ig/new.txt >"$OUT" 2>"$ERR"; rc=$?
  [ $rc -eq 1 ] && ok || bad "hook entry exit $rc, want 1"
  has "$OUT" '^FAIL +ig/new.txt'
  lacks "$OUT" 'b.txt'
  "$SYNDLINT" "${ARGV[@]:1}" $RULES b.txt >"$OUT" 2>"$ERR" && ok || bad "hook entry on a passing file"
fi

# ------------------------------------------------------------ bash completion
COMP=$SOURCE_ROOT/completions/syndlint.bash
# complete_words LINE...: the completions of the last word, one per line.
complete_words() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _syndlint syndlint "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}
bash --norc --noprofile -c 'source "$1" && complete -p syndlint' _ "$COMP" >"$OUT" 2>"$ERR"
has "$OUT" '^complete .*-F _syndlint syndlint$'
complete_words syndlint sc >"$OUT"
[ "$(cat "$OUT")" = scan ] && ok || bad "syndlint sc<TAB> gives '$(cat "$OUT")', want scan"
complete_words syndlint scan --no-inl >"$OUT"
[ "$(cat "$OUT")" = --no-inline-suppressions ] && ok || bad "--no-inl<TAB>"
complete_words syndlint scan --format j >"$OUT"
[ "$(tr '\n' ' ' <"$OUT")" = "json jsonl junit " ] && ok || bad "--format j<TAB>: $(cat "$OUT")"
complete_words syndlint rules e >"$OUT"
[ "$(cat "$OUT")" = explain ] && ok || bad "rules e<TAB>"
complete_words syndlint scan --fail-on w >"$OUT"
[ "$(cat "$OUT")" = warning ] && ok || bad "--fail-on w<TAB>"
complete_words syndlint scan a.t >"$OUT"
[ "$(cat "$OUT")" = a.txt ] && ok || bad "file completion: $(cat "$OUT")"
# Every option the completion offers for scan is one syndlint accepts.
for opt in $(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(syndlint scan --); COMP_CWORD=2; _syndlint; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP"); do
  "$SYNDLINT" scan "$opt" >"$OUT" 2>"$ERR"
  if grep -q 'unknown option' "$ERR"; then bad "completion offers unknown option $opt"; else ok; fi
done
if command -v zsh >/dev/null; then
  zsh -n "$SOURCE_ROOT/completions/_syndlint" && ok || bad "zsh completion does not parse"
fi
# Both completions offer every scan option of --help, and nothing else.
"$SYNDLINT" --help 2>&1 | sed -n '/^scan options:/,/^exit codes:/p' |
  grep -oE '(^|[ ,])--[a-z][a-z-]*' | tr -d ' ,' | sort -u >"$TMP/help-opts"
bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(syndlint scan --); COMP_CWORD=2; _syndlint; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" |
  sort -u >"$TMP/bash-opts"
sed -n '/^    scan)/,/;;/p' "$SOURCE_ROOT/completions/_syndlint" |
  grep -oE "(^|[ '(}*\"])--[a-z][a-z-]*" | tr -d " '(}*\"" | sort -u >"$TMP/zsh-opts"
for shell in bash zsh; do
  if diff -u "$TMP/help-opts" "$TMP/$shell-opts" >"$OUT"; then ok; else bad "$shell completion and --help differ: $(cat "$OUT")"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
