#!/bin/sh
# Runs syndlint under valgrind for the CLI tests: any memory error or leak
# turns into exit code 99, which no test expects.
export SYNDLINT_NO_JIT=1
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --child-silent-after-fork=yes \
  "$SYNDLINT_UNDER_VALGRIND" "$@"
