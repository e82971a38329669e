#!/usr/bin/env bash
# Runs the benchmark harness (bench/run.py); arguments are passed on.
#   bench/run.sh --smoke --syndlint build/src/cli/syndlint   # seconds: checks the harness
#   bench/run.sh --out /tmp/bench                             # the full run of RESULTS.md
exec python3 "$(dirname "$0")/run.py" "$@"
