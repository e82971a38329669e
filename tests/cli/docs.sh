#!/usr/bin/env bash
# The rule-writing guide cannot drift from what it shows: every YAML block
# in docs/rule-guide.md names the file it is a copy of (its first line,
# "# docs/examples/...") and must equal that file; every example pack and
# the guide's config are shown; every console block's command is run and
# its output must be the block's; the guide's packs load without warnings
# and every rule in them has a fail and a pass example.
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT.
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
GUIDE=$SOURCE_ROOT/docs/rule-guide.md
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

cat >"$TMP/blocks.py" <<'EOF'
# blocks.py GUIDE OUTDIR: writes each fenced block of GUIDE as
# OUTDIR/N.LANG and prints "N LANG" lines.
import re, sys
text = open(sys.argv[1]).read()
for n, m in enumerate(re.finditer(r'^```(\w*)\n(.*?)^```$', text, re.S | re.M), 1):
    lang = m.group(1) or 'plain'
    open('%s/%d.%s' % (sys.argv[2], n, lang), 'w').write(m.group(2))
    print(n, lang)
EOF
mkdir -p "$TMP/b"
python3 "$TMP/blocks.py" "$GUIDE" "$TMP/b" >"$TMP/list" || bad "cannot read $GUIDE"

echo "== YAML blocks are copies of the example files"
shown=()
nyaml=0
while read -r n lang; do
  [ "$lang" = yaml ] || continue
  nyaml=$((nyaml + 1))
  first=$(head -n1 "$TMP/b/$n.yaml")
  file=${first#\# }
  if [ "$first" = "$file" ] || [ ! -f "$SOURCE_ROOT/$file" ]; then
    bad "YAML block $n does not start with '# docs/examples/FILE' naming a file: $first"
    continue
  fi
  shown+=("$file")
  if cmp -s "$TMP/b/$n.yaml" "$SOURCE_ROOT/$file"; then ok
  else bad "YAML block $n differs from $file:"; diff "$SOURCE_ROOT/$file" "$TMP/b/$n.yaml" | head -20; fi
done <"$TMP/list"
[ "$nyaml" -ge 4 ] && ok || bad "the guide shows $nyaml YAML blocks, want at least 4"
while read -r f; do
  rel=${f#"$SOURCE_ROOT"/}
  if printf '%s\n' "${shown[@]}" | grep -qxF "$rel"; then ok; else bad "the guide does not show $rel"; fi
done < <(find "$SOURCE_ROOT/docs/examples/rules" -name '*.yaml' | sort; echo "$SOURCE_ROOT/docs/examples/guide-syndlint.yaml")

echo "== console blocks show what the commands print"
export SYNDLINT_RULES_DIR=$SOURCE_ROOT/rules
ncon=0
while read -r n lang; do
  [ "$lang" = console ] || continue
  ncon=$((ncon + 1))
  cmd=$(head -n1 "$TMP/b/$n.console")
  case $cmd in
    '$ syndlint '*) ;;
    *) bad "console block $n does not start with '\$ syndlint ': $cmd"; continue ;;
  esac
  read -r -a argv <<<"${cmd#\$ syndlint }"
  (cd "$SOURCE_ROOT" && "$SYNDLINT" "${argv[@]}") >"$TMP/got" 2>&1
  tail -n +2 "$TMP/b/$n.console" >"$TMP/want"
  if cmp -s "$TMP/want" "$TMP/got"; then ok
  else bad "console block $n ($cmd) differs from the command's output:"; diff "$TMP/want" "$TMP/got" | head -20; fi
done <"$TMP/list"
[ "$ncon" -ge 1 ] && ok || bad "the guide has no console block"

echo "== the guide's packs: examples hold, no warnings, every rule has both kinds"
CONFIG=$SOURCE_ROOT/docs/examples/guide-syndlint.yaml
"$SYNDLINT" rules test --rules-dir "$SOURCE_ROOT/rules" --config "$CONFIG" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] && ok || { bad "rules test exit $rc"; cat "$TMP/out"; }
[ ! -s "$TMP/err" ] && ok || { bad "warnings loading the guide's packs:"; cat "$TMP/err"; }
ids=$(sed -n 's/^  - id: //p' $(find "$SOURCE_ROOT/docs/examples/rules" -name '*.yaml'))
[ -n "$ids" ] && ok || bad "no rule ids found in docs/examples/rules"
for id in $ids; do
  if grep -q "^warn  $id " "$TMP/out"; then bad "$(grep "^warn  $id " "$TMP/out")"; else ok; fi
done

echo "== every scan option of --help is in syndlint(1) and README"
"$SYNDLINT" --help 2>&1 | sed -n '/^scan options:/,/^exit codes:/p' |
  grep -oE '(^|[ ,])--[a-z][a-z-]*' | tr -d ' ,' | sort -u >"$TMP/opts"
[ -s "$TMP/opts" ] && ok || bad "no options in --help"
while read -r opt; do
  grep -qF -- "**$opt**" "$SOURCE_ROOT/docs/syndlint.1.md" && ok || bad "syndlint(1) does not document $opt"
  grep -qF -- "\`$opt" "$SOURCE_ROOT/README.md" && ok || bad "README does not mention $opt"
done <"$TMP/opts"
for cmd in diff merge; do
  grep -qF -- "**syndlint $cmd**" "$SOURCE_ROOT/docs/syndlint.1.md" && ok || bad "syndlint(1) does not describe $cmd"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
