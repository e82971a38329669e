#!/usr/bin/env bash
# Install tests: a prefix install whose binary finds its default packs with
# no flag, a staged DESTDIR install with the expected layout, the man pages,
# and a program built against the installed pkg-config file.
set -u
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
SHARED_DIR=${SHARED_DIR:-$SOURCE_ROOT/../shared}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

echo "== build and install into a prefix"
meson setup "$TMP/b" "$SOURCE_ROOT" --prefix="$TMP/prefix" -Dtests=false >"$TMP/log" 2>&1 &&
  ninja -C "$TMP/b" >>"$TMP/log" 2>&1 && meson install -C "$TMP/b" >>"$TMP/log" 2>&1
check "prefix install" '[ $? -eq 0 ] || { tail -20 "$TMP/log"; false; }'
libdir=$(dirname "$(find "$TMP/prefix" -name 'libsyndlint.so' | head -n1)")
pcdir=$(dirname "$(find "$TMP/prefix" -name 'syndlint.pc' | head -n1)")
export LD_LIBRARY_PATH=$libdir
check "binary installed" '[ -x "$TMP/prefix/bin/syndlint" ]'
check "header installed" '[ -f "$TMP/prefix/include/syndlint/syndlint.h" ]'
check "rule packs installed" '[ -f "$TMP/prefix/share/syndlint/rules/paywall.yaml" ] && [ -f "$TMP/prefix/share/syndlint/rules/publishers/ndtv.yaml" ]'
check "pkg-config file" '[ -n "$pcdir" ] && grep -q "^Libs: .*-lsyndlint" "$pcdir/syndlint.pc"'

echo "== the installed binary finds its packs with no flag"
cd "$TMP" || exit 1
"$TMP/prefix/bin/syndlint" scan --format json "$SHARED_DIR/corpus/seed-syndicated-leak.txt" >"$TMP/out.json" 2>"$TMP/err"
check "installed scan exits 1" '[ $? -eq 1 ]'
check "installed scan finds the placeholder" 'grep -q "placeholder.mustache" "$TMP/out.json"'
SYNDLINT_RULES_DIR= "$TMP/prefix/bin/syndlint" rules list >"$TMP/rules" 2>&1
check "installed rules list" 'grep -q "^paywall.meter-message" "$TMP/rules"'

echo "== a program built against the installed pkg-config file"
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs syndlint)
check "pkg-config answers" '[ -n "$flags" ]'
cc -std=c11 -Wall -Werror "$SOURCE_ROOT/docs/examples/api-example.c" $flags -o "$TMP/api-example" 2>"$TMP/cc.log"
check "api example compiles" '[ $? -eq 0 ] || { cat "$TMP/cc.log"; false; }'
"$TMP/api-example" "$SHARED_DIR/corpus/seed-syndicated-leak.txt" >"$TMP/api.out"
check "api example fails the leak" '[ $? -eq 1 ]'
check "api example names the placeholder" 'grep -Eq "^  7:30 placeholder.mustache " "$TMP/api.out"'
"$TMP/api-example" "$SHARED_DIR/corpus/seed-clean.txt" >"$TMP/api.out"
check "api example passes the clean seed" '[ $? -eq 0 ] && grep -q "^PASS " "$TMP/api.out"'

echo "== man pages"
if command -v go-md2man >/dev/null; then
  for page in man1/syndlint.1 man5/syndlint-rules.5; do
    check "$page installed" '[ -f "$TMP/prefix/share/man/$page" ]'
    MANWIDTH=80 man -l "$TMP/prefix/share/man/$page" >"$TMP/man.txt" 2>"$TMP/man.err"
    check "$page renders" '[ $? -eq 0 ] && [ ! -s "$TMP/man.err" ] && grep -q "NAME\|syndlint" "$TMP/man.txt"'
  done
  check "syndlint(1) lists exit codes" 'MANWIDTH=80 man -l "$TMP/prefix/share/man/man1/syndlint.1" | grep -q "EXIT STATUS"'
  # syndlint-rules(5): the rule language reference, then the rule-writing guide.
  MANWIDTH=80 man -l "$TMP/prefix/share/man/man5/syndlint-rules.5" >"$TMP/man5.txt" 2>/dev/null
  check "syndlint-rules(5) has the reference" 'grep -q "^syndlint rule language" "$TMP/man5.txt" && grep -q "^The project config: syndlint.yaml" "$TMP/man5.txt"'
  check "syndlint-rules(5) has the guide" 'grep -q "^Writing rules" "$TMP/man5.txt" && grep -q "^Worked example: a new wire agency" "$TMP/man5.txt"'
else
  echo "go-md2man not installed: man pages not built"
fi

echo "== staged install with DESTDIR"
meson setup "$TMP/b2" "$SOURCE_ROOT" --prefix=/usr/local -Dtests=false >"$TMP/log2" 2>&1 &&
  ninja -C "$TMP/b2" >>"$TMP/log2" 2>&1 && DESTDIR="$TMP/stage" meson install -C "$TMP/b2" >>"$TMP/log2" 2>&1
check "staged install" '[ $? -eq 0 ]'
check "staged binary" '[ -x "$TMP/stage/usr/local/bin/syndlint" ]'
check "staged library" 'ls "$TMP"/stage/usr/local/lib*/libsyndlint.so* "$TMP"/stage/usr/local/lib/*/libsyndlint.so* 2>/dev/null | grep -q .'
check "staged packs" '[ -f "$TMP/stage/usr/local/share/syndlint/rules/attribution.yaml" ]'
check "staged header" '[ -f "$TMP/stage/usr/local/include/syndlint/syndlint.h" ]'

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
