#!/usr/bin/env bash
# CLI tests for feeds: every format read item by item, attribution by
# metadata, item ids in every report format, XML safety, broken feeds, the
# directory walk, --inputs, and fetching by URL against a loopback HTTP
# server this script starts (and stops).
#
# Environment: SYNDLINT (the binary), SOURCE_ROOT.
set -u
SYNDLINT=${SYNDLINT:?set SYNDLINT to the syndlint binary}
SOURCE_ROOT=${SOURCE_ROOT:?set SOURCE_ROOT}
FIX=$SOURCE_ROOT/tests/fixtures/feeds
RULES="--rules-dir $SOURCE_ROOT/rules"
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP" || exit 1
export XDG_CACHE_HOME=$TMP/xdg

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

echo "== every format, item by item"
run 1 scan $RULES "$FIX/rss2.xml"
has "$OUT" '^  PASS  .*rss2\.xml#pti-2024-0001$'
has "$OUT" '^  FAIL  .*rss2\.xml#https://partner\.example/markets$'
has "$OUT" '24:30 +error +attribution\.notice-needs-credit'
has "$OUT" '^  FAIL  .*rss2\.xml#item-3$'
has "$OUT" '28:69 +error +placeholder\.mustache'
run 0 scan $RULES "$FIX/rss1.rdf"
has "$OUT" 'rss1\.rdf#https://wire\.example/a$'
run 1 scan $RULES "$FIX/atom.xml"
has "$OUT" 'atom\.xml#tag:wire\.example,2024:2$'
has "$OUT" '26:61 +error +placeholder\.mustache'
run 1 scan $RULES "$FIX/latin1.rss"
has "$OUT" 'latin1\.rss#café$'
has "$OUT" '5:33 +error +placeholder\.mustache'
run 0 scan $RULES "$FIX/nitf.xml"
run 1 scan $RULES "$FIX/newsml-g2.xml"
has "$OUT" '^  PASS  .*#urn:newsml:reuters\.com:20240304:nL1N1$'
has "$OUT" '^  FAIL  .*#urn:newsml:example\.com:20240304:opta$'
run 1 scan $RULES "$FIX/jsonfeed.json"
has "$OUT" 'jsonfeed\.json#jf-1$'
run 0 scan $RULES "$FIX/ninjs1.json" "$FIX/ninjs2.json" "$FIX/ninjs3.json"
run 3 scan $RULES "$FIX/items.jsonl"
has "$OUT" '^  ERROR .*items\.jsonl#line-5: malformed JSON at line 5, column 28'
has "$OUT" '^  PASS  .*items\.jsonl#j5$'

echo "== formats by content, not extension"
cp "$FIX/atom.xml" feed.txt
run 1 scan $RULES feed.txt
has "$OUT" 'feed\.txt#tag:wire\.example,2024:1$'

echo "== every report names feed items by their id"
for fmt in json jsonl junit sarif html csv markdown; do
  run 1 scan $RULES --report "$fmt:$TMP/rep.$fmt" "$FIX/rss2.xml"
  has "$TMP/rep.$fmt" 'rss2\.xml#(pti-2024-0001|https://partner\.example/markets)'
done
run 1 scan $RULES --format json "$FIX/rss2.xml"
py "d=r['files'][0]['documents']; assert [x['id'][-14:] for x in d][0] == 'pti-2024-0001' or d[0]['id'].endswith('#pti-2024-0001'); assert len(d) == 4"
py "assert r['summary']['documents'] == 4 and r['summary']['failed'] == 2"

echo "== XML safety: refused quickly, nothing outside the file read, the run goes on"
start=$(date +%s%N)
run 3 scan $RULES "$FIX/billion-laughs.xml" "$FIX/rss1.rdf"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$ms" -lt 1000 ]; then ok; else bad "billion laughs took $ms ms"; fi
has "$OUT" '^ERROR .*billion-laughs\.xml: XML declares entities in its DOCTYPE \(line 3, column 2\)'
has "$OUT" '^PASS  .*rss1\.rdf$'
run 3 scan $RULES --format json "$FIX/xxe.xml" "$FIX/external-dtd.xml"
lacks "$OUT" 'TOP-SECRET'
py "f=r['files']; assert f[0]['verdict'] == 'ERROR' and f[1]['verdict'] == 'PASS'"

echo "== a broken feed keeps the items that parsed"
run 3 scan $RULES "$FIX/malformed.xml"
has "$OUT" '^ERROR .*malformed\.xml: malformed XML at line 5, column [0-9]+: .*\(2 items read before it\)'
has "$OUT" '^  PASS  .*malformed\.xml#ok-1$'
has "$OUT" '^  PASS  .*malformed\.xml#ok-2$'
lacks "$OUT" 'never'

echo "== HTML's entities and bare ampersands in a feed are read past"
cat > entities.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example&nbsp;News</title>
<item><title>Markets&nbsp;rally on AT&T deal</title><guid>e1</guid><description>Q &amp; A &mdash; shares rose.</description></item>
<item><title>Second</title><guid>e2</guid><description>Officials said {{free_limit}} would go ahead.</description></item>
</channel></rss>
XML
run 1 scan $RULES entities.xml
has "$OUT" '^  PASS  entities\.xml#e1$'
has "$OUT" '^  FAIL  entities\.xml#e2$'
has "$OUT" '^ +4:[0-9]+ +error +placeholder\.mustache'
lacks "$OUT" 'ERROR'
sed 's/&mdash;/\&bogus;/' entities.xml > unknown.xml
run 3 scan $RULES unknown.xml
has "$OUT" "^ERROR unknown\\.xml: malformed XML at line 3, column [0-9]+: Entity 'bogus' not defined"

echo "== the walk takes feed files"
mkdir -p walk/sub
cp "$FIX/rss1.rdf" walk/a.rdf; cp "$FIX/ninjs1.json" walk/sub/b.json; cp "$FIX/items.jsonl" walk/c.ndjson
cp "$FIX/nitf.xml" walk/d.nitf; echo 'x' > walk/skip.bin
run 3 scan $RULES walk
has "$OUT" 'walk/a\.rdf$'; has "$OUT" 'walk/sub/b\.json$'; has "$OUT" 'walk/c\.ndjson$'; has "$OUT" 'walk/d\.nitf$'
lacks "$OUT" 'skip\.bin'

echo "== feeds of more items than a queue holds: the same bytes at any -j"
# Once 1,024 documents of a feed ahead of the file being printed are
# queued, they wait in a temporary file for their turn. Where none can be
# made ($TMPDIR missing), the thread that prints, when it takes a feed
# ahead, prints the files before it instead, and a worker waits.
mkdir -p many
for i in 1 2 3 4 5; do python3 "$SOURCE_ROOT/bench/feeds/gen.py" 1500 >"many/f$i.xml"; done
"$SYNDLINT" scan $RULES -j1 --report csv:many.csv1 many >many.j1 2>many.e1; rc1=$?
if [ "$rc1" = 1 ] && [ "$(grep -c '^  [A-Z]' many.j1)" = 7500 ]; then ok; else bad "-j1 over the feeds: exit $rc1"; fi
"$SYNDLINT" scan $RULES -j1 --format jsonl many >many.jl1 2>/dev/null
for j in 2 3 4 2nospill; do
  tmpdir=${TMPDIR:-/tmp}
  [ "$j" = 2nospill ] && { j=2; tmpdir=$TMP/no-such-dir; }
  TMPDIR=$tmpdir "$SYNDLINT" scan $RULES -j$j --report csv:many.csv many >many.out 2>many.err; rc=$?
  if [ "$rc" = 1 ] && cmp -s many.j1 many.out && cmp -s many.e1 many.err && cmp -s many.csv1 many.csv; then ok; else
    bad "-j$j (TMPDIR=$tmpdir) over the feeds: exit $rc, output differs from -j1: $(diff many.j1 many.out | head -3)"
  fi
  TMPDIR=$tmpdir "$SYNDLINT" scan $RULES -j$j --format jsonl many >many.out 2>/dev/null
  if cmp -s many.jl1 many.out; then ok; else bad "-j$j JSON Lines over the feeds differ from -j1"; fi
done

echo "== fetching from a loopback server"
python3 "$SOURCE_ROOT/tests/cli/feed_server.py" "$FIX" "$TMP/port" "$TMP/log" &
SERVER_PID=$!
for _ in $(seq 50); do [ -f "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port" 2>/dev/null)
if [ -z "$PORT" ]; then bad "the test server did not start"; echo "feeds: $pass passed, $fail failed"; exit 1; fi
U=http://127.0.0.1:$PORT

run 1 scan $RULES "$U/feed.xml"
has "$OUT" "^  PASS  $U/feed\.xml#pti-2024-0001\$"
has "$TMP/log" '^GET /feed\.xml 200$'
# libcurl is loaded for a URL and only then (the dynamic linker says what
# it loads; valgrind's own loading would be in the way).
if [ -z "${SYNDLINT_UNDER_VALGRIND:-}" ]; then
  LD_DEBUG=libs "$SYNDLINT" scan $RULES --no-cache "$U/feed.xml" >/dev/null 2>"$TMP/ld-url"
  has "$TMP/ld-url" 'calling init: .*libcurl\.so'
  LD_DEBUG=libs "$SYNDLINT" scan $RULES "$FIX/rss1.rdf" >/dev/null 2>"$TMP/ld-file"
  has "$TMP/ld-file" 'calling init: .*libxml2\.so'
  lacks "$TMP/ld-file" 'libcurl'
  # libxml2 (and ICU behind it) likewise: for feeds and XML reports only.
  LD_DEBUG=libs "$SYNDLINT" scan $RULES "$SOURCE_ROOT/samples/ndtv-pti-wire.html" \
    "$SOURCE_ROOT/samples/seed-clean.txt" >/dev/null 2>"$TMP/ld-page"
  lacks "$TMP/ld-page" 'libxml2|libicu'
  for f in junit sarif; do
    LD_DEBUG=libs "$SYNDLINT" scan $RULES --format $f "$SOURCE_ROOT/samples/stripped-credit.txt" \
      >"$TMP/report-$f" 2>"$TMP/ld-$f"
    has "$TMP/ld-$f" 'calling init: .*libxml2\.so'
    has "$TMP/report-$f" 'stripped-credit'
  done
fi
# The second run asks with the ETag and is answered from the cache.
run 1 scan $RULES "$U/feed.xml"
has "$OUT" "^  FAIL  $U/feed\.xml#https://partner\.example/markets\$"
has "$TMP/log" '^GET /feed\.xml 304$'
run 1 scan $RULES "$U/dated.xml"
run 1 scan $RULES "$U/dated.xml"
has "$TMP/log" '^GET /dated\.xml 304$'
# --no-cache fetches in full.
: >"$TMP/log"
run 1 scan $RULES --no-cache "$U/feed.xml"
has "$TMP/log" '^GET /feed\.xml 200$'
run 1 scan $RULES --cache-dir "$TMP/cache2" "$U/moved"
has "$OUT" "^  PASS  $U/moved#pti-2024-0001\$"
ls "$TMP/cache2"/*.meta >/dev/null 2>&1 && ok || bad "no cache entry in --cache-dir"

run 3 scan $RULES "$U/missing" "$FIX/rss1.rdf"
has "$OUT" "^ERROR $U/missing: HTTP 404\$"
has "$OUT" '^PASS  .*rss1\.rdf$'
run 3 scan $RULES "$U/loop"
has "$OUT" "^ERROR $U/loop: too many redirects"
start=$(date +%s%N)
run 3 scan $RULES --fetch-timeout 1 "$U/slow"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
has "$OUT" "^ERROR $U/slow: timed out after 1000 ms"
if [ "$ms" -lt 4000 ]; then ok; else bad "the timeout took $ms ms"; fi
run 3 scan $RULES --max-file-size 1M "$U/big"
has "$OUT" "^ERROR $U/big: response body over the size limit"
run 3 scan $RULES "ftp://127.0.0.1:$PORT/feed.xml"
has "$OUT" 'unsupported URL scheme'

echo "== --inputs: paths and URLs, one a line"
printf '# nightly partners\n%s\n\n  %s  \n%s\n' "$FIX/rss1.rdf" "$U/feed.xml" "$U/missing" >list.txt
run 3 scan $RULES --inputs list.txt
has "$OUT" '^PASS  .*rss1\.rdf$'
has "$OUT" "^FAIL  $U/feed\.xml\$"
has "$OUT" "^ERROR $U/missing: HTTP 404\$"
has "$OUT" '^3 files, 7 documents'
run 2 scan $RULES --inputs nonexistent.txt
run 2 scan $RULES --fetch-timeout nope "$U/feed.xml"

echo "== feeds scan side by side"
# At -j2, with standard input held open among the inputs, a thread that
# takes a feed of 20,000 items must finish it and go on to the URL after it
# while standard input is still being read: the feed's documents wait in a
# temporary file for their turn. (Before, its thread stopped once 1,024 of
# them were queued, until the file before it was printed.) Both ways round:
# the feed ahead of the file being printed, then the feed being printed
# while the printing thread reads standard input (it takes a feed of 300
# items first, while the other thread starts and takes the large one, then
# prints them and takes standard input). The server's log shows when the URL is fetched; standard input
# is closed only then, or after 60 s so that the test ends either way.
# Most of the feed's documents are read back from the temporary file, so
# the CSV report, which carries their findings field by field, must be the
# same as at -j1 (tests/unit/test_docspool.c checks every field). Skipped
# under valgrind, which runs one thread at a time.
python3 "$SOURCE_ROOT/bench/feeds/gen.py" 20000 >side.xml
python3 "$SOURCE_ROOT/bench/feeds/gen.py" 300 >first.xml
rm -f side.fifo; mkfifo side.fifo
side() { # side NAME INPUTS...: scans INPUTS at -j2 and -j1, stdin from rss1.rdf
  local name=$1; shift
  : >"$TMP/log"
  "$SYNDLINT" scan $RULES -j2 --no-cache --report csv:side.csv "$@" <side.fifo >side.out 2>side.err &
  local pid=$! fetched=0
  exec 7>side.fifo
  for _ in $(seq 600); do
    if grep -q '^GET /moved ' "$TMP/log"; then fetched=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$FIX/rss1.rdf" >&7
  exec 7>&-
  wait "$pid"; local rc=$?
  if [ "$fetched" = 1 ]; then ok; else bad "$name: the URL was not fetched while standard input was open"; fi
  "$SYNDLINT" scan $RULES -j1 --no-cache --report csv:side.csv1 "$@" <"$FIX/rss1.rdf" >side.j1 2>/dev/null
  if [ "$rc" = 1 ] && cmp -s side.j1 side.out && cmp -s side.csv1 side.csv &&
    [ "$(grep -c '^  [A-Z]' side.out)" -gt 20000 ]; then ok; else
    bad "$name: exit $rc, output differs from -j1: $(diff side.j1 side.out | head -3)"
  fi
  if grep -q '^"side\.xml","side\.xml#wire-00012007",.*"FAIL","placeholder\.mustache",.*"{{free_limit}}"' side.csv
  then ok; else bad "$name: the feed's findings are not in the CSV"; fi
}
if [ -n "${SYNDLINT_UNDER_VALGRIND:-}" ]; then
  echo "skipped under valgrind"
else
  side "feed ahead" - side.xml "$U/moved"
  side "feed being printed" first.xml side.xml - "$U/moved"
fi

echo "== a large feed: memory follows its items, not its size"
# Two feeds of 2 KB items, 8 and 48 MB (bench/feeds/gen.py with padding):
# scanning the larger may cost more for its results (a few hundred bytes a
# document), but less than half of the 40 MB it is larger by. Holding the
# feed in memory even once costs all of it. Peak RSS as the kernel counts
# it, not time. Skipped where the measure is someone else's: under valgrind
# and AddressSanitizer (shadow memory, quarantine).
if [ -n "${SYNDLINT_UNDER_VALGRIND:-}" ]; then
  echo "skipped under valgrind"
elif ASAN_OPTIONS=help=1 "$SYNDLINT" --version 2>&1 | grep -q AddressSanitizer; then
  echo "skipped under AddressSanitizer"
else
  python3 "$SOURCE_ROOT/bench/feeds/gen.py" 4000 1500 >small.xml
  python3 "$SOURCE_ROOT/bench/feeds/gen.py" 24000 1500 >large.xml
  peak() { # peak RSS in KB of scanning $1 (more options after it); exit 1 expected
    python3 - "$SYNDLINT" "$SOURCE_ROOT/rules" "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.call([sys.argv[1], "scan", "-q", "-j1", "--rules-dir", sys.argv[2],
                      "--max-file-size", "1G"] + sys.argv[3:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 1 else -rc)
PY
  }
  grew=$(( $(stat -c %s large.xml) - $(stat -c %s small.xml) ))
  # Then with reports: a report keeps its documents in a temporary file and
  # the JSON, HTML and SARIF writers stream them, so the reports of the
  # larger feed must not cost much more either.
  for what in scan reports; do
    extra=()
    [ "$what" = reports ] && extra=(--report json:m.json --report html:m.html --report sarif:m.sarif)
    small=$(peak small.xml "${extra[@]}")
    large=$(peak large.xml "${extra[@]}")
    echo "$what: peak RSS $small KB ($(stat -c %s small.xml) bytes), $large KB ($(stat -c %s large.xml) bytes)"
    if [ "$small" -gt 0 ] && [ "$large" -gt 0 ]; then ok; else bad "$what failed: $small $large"; fi
    if [ $(( (large - small) * 1024 )) -lt $(( grew / 2 )) ]; then ok; else
      bad "$what: peak RSS grew by $(( large - small )) KB for a feed $(( grew / 1024 )) KB larger"
    fi
  done
  # Many small items: the results of a feed's documents are handed over
  # and dropped one at a time, so ten times the items (90,000 more, about
  # 240 bytes each if they were kept) costs no more than a few MB.
  python3 "$SOURCE_ROOT/bench/feeds/gen.py" 10000 >few.xml
  python3 "$SOURCE_ROOT/bench/feeds/gen.py" 100000 >many.xml
  few=$(peak few.xml --max-documents 200000)
  many=$(peak many.xml --max-documents 200000)
  echo "items: peak RSS $few KB (10,000 items), $many KB (100,000 items)"
  if [ "$few" -gt 0 ] && [ "$many" -gt 0 ] && [ $((many - few)) -lt 8192 ]; then ok; else
    bad "peak RSS went from $few KB to $many KB for ten times the items"
  fi
  # At -j2 the printing thread takes the third feed while a worker has the
  # second: it prints the second as it comes once its own queue is full, so
  # no feed's results pile up there either (30,000 kept: about 6 MB).
  mkdir -p three
  for i in 1 2 3; do python3 "$SOURCE_ROOT/bench/feeds/gen.py" 30000 >"three/f$i.xml"; done
  one=$(peak three --max-documents 200000)
  two=$(peak three --max-documents 200000 -j2)
  echo "three feeds of 30,000 items: peak RSS $one KB at -j1, $two KB at -j2"
  if [ "$one" -gt 0 ] && [ "$two" -gt 0 ] && [ $((two - one)) -lt 3072 ]; then ok; else
    bad "peak RSS went from $one KB at -j1 to $two KB at -j2"
  fi
  n=$(python3 -c "import json; print(json.load(open('m.json'))['summary']['documents'])")
  if [ "$n" = 24000 ]; then ok; else bad "the large feed's report has $n documents"; fi
fi

echo "feeds: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
