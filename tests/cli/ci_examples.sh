#!/usr/bin/env bash
# The CI examples README shows are the files this test runs. It reads
# docs/examples/github-actions.yml and docs/examples/gitlab-ci.yml with
# PyYAML, runs the steps that invoke syndlint (and the shell steps that use
# their output) in a scratch checkout, once with a failing article and once
# without, and checks what the examples promise: the job fails exactly when
# an article fails, the SARIF file for code scanning and the JUnit file for
# GitLab validate against ../shared/schemas, the Markdown job summary is
# written, and README holds exactly these files.
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT, SHARED_DIR (../shared).
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
SHARED_DIR=${SHARED_DIR:-$SOURCE_ROOT/../shared}
SCHEMAS=$SHARED_DIR/schemas
EXAMPLES=$SOURCE_ROOT/docs/examples
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
# The steps run the build-tree binary, which finds the source tree's packs.
export SYNDLINT SYNDLINT_RULES_DIR=$SOURCE_ROOT/rules

pass=0
fail=0
ERR=$TMP/err
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$ERR" ] && head -c 2000 "$ERR"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

PY=
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import yaml, jsonschema' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
  echo "SKIP: no python3 with PyYAML and jsonschema (Debian: python3-yaml python3-jsonschema; scripts/bootstrap installs them)"
  exit 77
fi

valid_sarif() {
  if "$PY" -c "
import json, sys, jsonschema
schema = json.load(open('$SCHEMAS/sarif-schema-2.1.0.json'))
jsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[1])))" "$1" 2>"$ERR"; then ok
  else bad "$1 does not validate against the SARIF 2.1.0 schema"; fi
}
valid_junit() {
  if xmllint --noout --schema "$SCHEMAS/junit.xsd" "$1" 2>"$ERR"; then ok
  else bad "$1 does not validate against junit.xsd"; fi
}

# ------------------------------------------------------------ the plans
# plan.py FILE OUTDIR: reads a CI file and writes OUTDIR/plan, one step a
# line "N<TAB>KIND<TAB>WHEN<TAB>ARG", with step N's script in OUTDIR/N.sh
# (syndlint's path replaced by "$SYNDLINT"). KIND is "syndlint" (the script
# runs syndlint), "shell" (another command), "install" (installing syndlint:
# the test has its own build), "sarif" (ARG is the file uploaded to code
# scanning) or "skip"; WHEN is "always" or "success". A GitLab job also gets
# OUTDIR/artifacts: "junit PATH", "path PATH" and "when VALUE" lines.
cat >plan.py <<'EOF'
import os, re, sys, yaml

path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
doc = yaml.safe_load(open(path))
CMD = re.compile(r'(^|[\s;&|(])(?:[\w./-]*/)?syndlint(?=\s)')

def kind_of(script):
    if 'scripts/bootstrap' in script:
        return 'install'
    return 'syndlint' if CMD.search(script) else 'shell'

steps = []
if 'jobs' in doc:  # GitHub Actions: the one job's steps
    (job,) = doc['jobs'].values()
    for st in job['steps']:
        when = 'always' if 'always()' in str(st.get('if', '')) else 'success'
        if 'run' in st:
            steps.append((kind_of(st['run']), when, '', st['run']))
        elif 'upload-sarif' in st.get('uses', ''):
            steps.append(('sarif', when, st['with']['sarif_file'], ''))
        else:
            steps.append(('skip', when, st.get('uses', ''), ''))
else:  # GitLab CI: the one job's script lines
    (job,) = [v for k, v in doc.items() if isinstance(v, dict) and 'script' in v]
    for line in job['script']:
        steps.append((kind_of(line), 'success', '', line))
    art = job.get('artifacts', {})
    with open(os.path.join(out, 'artifacts'), 'w') as f:
        f.write('when %s\n' % art.get('when', 'on_success'))
        f.write('junit %s\n' % art.get('reports', {}).get('junit', ''))
        for p in art.get('paths', []):
            f.write('path %s\n' % p)

with open(os.path.join(out, 'plan'), 'w') as plan:
    for n, (kind, when, arg, script) in enumerate(steps, 1):
        plan.write('%d\t%s\t%s\t%s\n' % (n, kind, when, arg))
        with open(os.path.join(out, '%d.sh' % n), 'w') as f:
            f.write(CMD.sub(lambda m: m.group(1) + '"$SYNDLINT"', script))
EOF
for ci in github-actions gitlab-ci; do
  if "$PY" plan.py "$EXAMPLES/$ci.yml" "plan-$ci" 2>"$ERR"; then ok; else bad "cannot read $ci.yml"; fi
done
check "the GitHub workflow runs syndlint" 'grep -q "	syndlint	success	" plan-github-actions/plan'
check "the GitHub workflow uploads SARIF whatever the scan's outcome" 'grep -q "	sarif	always	" plan-github-actions/plan'
check "the GitHub workflow writes the job summary whatever the scan's outcome" \
  'grep -l GITHUB_STEP_SUMMARY plan-github-actions/*.sh | grep -q . && grep -q "	shell	always	" plan-github-actions/plan'
check "the GitLab job runs syndlint" 'grep -q "	syndlint	" plan-gitlab-ci/plan'
check "the GitLab job keeps its reports when it fails" 'grep -qx "when always" plan-gitlab-ci/artifacts'
check "the GitLab job reports JUnit" 'grep -q "^junit ." plan-gitlab-ci/artifacts'

# ------------------------------------------------------------ a checkout
# content/legacy.txt has a finding accepted in the committed baseline,
# content/clean.txt passes; the failing run adds content/leak.txt.
checkout() {
  rm -rf "$TMP/co" && mkdir -p "$TMP/co/content" && cd "$TMP/co" || exit 1
  printf 'Council approves budget\n\nThe council approved the budget on Tuesday.\nSubscribe now for unlimited access.\n' >content/legacy.txt
  "$SYNDLINT" scan content/ --report json:.syndlint-baseline.json >/dev/null 2>"$ERR"
  [ $? -eq 1 ] || bad "the baseline run should find the legacy article's finding"
  cp "$SOURCE_ROOT/samples/seed-clean.txt" content/clean.txt
  if [ "$1" = failing ]; then
    printf 'Storm hits the coast\n\nThe {{city}} council met on Monday.\n' >content/leak.txt
  fi
}

# run_job CI: runs the plan in the checkout as the CI service would: a step
# runs when the job has not failed yet, or always when it says so. Prints
# "passed" or "failed".
run_job() {
  local status=passed n kind when arg
  export GITHUB_STEP_SUMMARY=$TMP/co/step-summary.md
  : >"$GITHUB_STEP_SUMMARY"
  while IFS=$'\t' read -r n kind when arg; do
    [ "$status" = passed ] || [ "$when" = always ] || continue
    case $kind in
      syndlint|shell)
        bash --noprofile --norc -eo pipefail "$TMP/plan-$1/$n.sh" >>"$TMP/co/job.log" 2>&1 || status=failed ;;
      sarif) echo "$arg" >"$TMP/co/uploaded-sarif" ;;
    esac
  done <"$TMP/plan-$1/plan"
  echo "$status"
}

# ------------------------------------------------------------ GitHub Actions
checkout failing
check "GitHub: a failing article fails the job" '[ "$(run_job github-actions)" = failed ]'
SARIF=$(cat "$TMP/co/uploaded-sarif" 2>/dev/null)
check "GitHub: the uploaded SARIF file exists" '[ -n "$SARIF" ] && [ -s "$SARIF" ]'
valid_sarif "$SARIF"
cat >"$TMP/states.py" <<'EOF'
import json, sys
rs = json.load(open(sys.argv[1]))['runs'][0]['results']
st = sorted((r['locations'][0]['physicalLocation']['artifactLocation']['uri'], r['baselineState'])
            for r in rs)
assert st == [('content/leak.txt', 'new'), ('content/legacy.txt', 'unchanged')], st
EOF
check "GitHub: SARIF has the new finding, and the baselined one as unchanged" \
  '"$PY" "$TMP/states.py" "$SARIF" 2>"$ERR"'
check "GitHub: the job summary says FAIL and names the article" \
  'grep -q "^## .* syndlint: FAIL" step-summary.md && grep -q "content/leak.txt" step-summary.md'
valid_junit syndlint.xml
check "GitHub: JUnit fails the leaking article only" \
  '[ "$(xmllint --xpath "count(//testcase[failure])" syndlint.xml)" = 1 ] && [ "$(xmllint --xpath "string(//testcase[failure]/@name)" syndlint.xml)" = content/leak.txt ]'

checkout passing
check "GitHub: with the baselined finding only, the job passes" '[ "$(run_job github-actions)" = passed ]'
valid_sarif "$(cat "$TMP/co/uploaded-sarif")"
check "GitHub: the job summary says PASS" 'grep -q "^## .* syndlint: PASS" step-summary.md'
valid_junit syndlint.xml

# ------------------------------------------------------------ GitLab CI
JUNIT=$(sed -n 's/^junit //p' "$TMP/plan-gitlab-ci/artifacts")
checkout failing
check "GitLab: a failing article fails the job" '[ "$(run_job gitlab-ci)" = failed ]'
valid_junit "$JUNIT"
check "GitLab: the JUnit report has the failing article" \
  '[ "$(xmllint --xpath "string(//testcase[failure]/@name)" "$JUNIT")" = content/leak.txt ]'
while read -r p; do
  check "GitLab: artifact $p is written" '[ -s "$p" ]'
done < <(sed -n 's/^path //p' "$TMP/plan-gitlab-ci/artifacts")
checkout passing
# Without a baseline in the GitLab example, the legacy article fails too.
rm content/legacy.txt
check "GitLab: passing articles pass the job" '[ "$(run_job gitlab-ci)" = passed ]'
valid_junit "$JUNIT"
check "GitLab: no failure in the JUnit report" '[ "$(xmllint --xpath "count(//failure)" "$JUNIT")" = 0 ]'
cd "$TMP" || exit 1

# ------------------------------------------------------------ README
cat >readme.py <<'EOF'
import re, sys
readme = open(sys.argv[1]).read()
name = sys.argv[2]
blocks = re.findall(r'^```yaml\n(.*?)^```$', readme, re.S | re.M)
assert open(sys.argv[3]).read() in blocks, 'no fenced block equal to ' + name
assert '(%s)' % name in readme, 'no link to ' + name
EOF
for ci in github-actions gitlab-ci; do
  check "README shows docs/examples/$ci.yml as it is" \
    '"$PY" readme.py "$SOURCE_ROOT/README.md" "docs/examples/$ci.yml" "$EXAMPLES/$ci.yml" 2>"$ERR"'
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
