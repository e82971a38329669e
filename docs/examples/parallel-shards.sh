#!/usr/bin/env bash
# Scans a corpus in N shards with GNU parallel and merges the reports into
# the one a single `syndlint scan` would have written.
#
#   docs/examples/parallel-shards.sh CORPUS_DIR N OUT.json [SYNDLINT [ARGS...]]
#
# Each job runs `syndlint scan --shard K/N` over the same directory; shards
# are a stable partition by path hash, so together they scan every file
# once. To spread the jobs over machines that see the corpus at the same
# path (NFS, a synced checkout), add for example
#     --sshlogin 8/host1,8/host2 --transferfile ... --return ...
# to the parallel line, or use --sshloginfile; the shard reports are small.
#
# The exit code is that of `syndlint merge`: what a single run would exit
# with (0 all passed, 1 some document failed, 3 some input was ERROR).
set -eu
corpus=$1
n=$2
out=$3
syndlint=${4:-syndlint}
shift $(( $# >= 4 ? 4 : 3 ))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A shard exits 1 when it found failures: that is not a failed job.
seq 1 "$n" | parallel --halt now,fail=1 \
  "$syndlint scan $* --format json --shard {}/$n $corpus > $tmp/shard-{}.json; rc=\$?; [ \$rc -le 1 ] || [ \$rc -eq 3 ]"
"$syndlint" merge -o "$out" "$tmp"/shard-*.json
