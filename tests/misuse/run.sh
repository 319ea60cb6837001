#!/usr/bin/env bash
# run.sh CXX INCLUDE_DIR: compiles each misuse program in this directory with CXX and checks the
# compiler refuses it with a message naming what is wrong (every "// expect: REGEX" line of the
# file must match its output). ok.cpp ("// expect-success") must compile, so a broken include
# path or flag cannot pass every case for the wrong reason.
set -u
cxx=${1:?usage: run.sh CXX INCLUDE_DIR}
include=${2:?usage: run.sh CXX INCLUDE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
failed=0
for source in "$here"/*.cpp; do
  name=$(basename "$source")
  output=$("$cxx" -std=c++20 -fsyntax-only -I"$include" "$source" 2>&1)
  status=$?
  if grep -q '^// expect-success' "$source"; then
    if [ $status -ne 0 ]; then
      echo "FAIL $name: should compile:"; echo "$output" | head -20; failed=1
    fi
    continue
  fi
  if [ $status -eq 0 ]; then
    echo "FAIL $name: compiled, but should be refused"; failed=1; continue
  fi
  while IFS= read -r pattern; do
    if ! grep -qE -- "$pattern" <<<"$output"; then
      echo "FAIL $name: the compiler's message does not match /$pattern/:"; echo "$output" | grep -E 'error' | head -5
      failed=1
    fi
  done < <(sed -n 's|^// expect: ||p' "$source")
done
[ $failed -eq 0 ] && echo "misuse diagnostics: every message names what is wrong ($(basename "$cxx"))"
exit $failed
