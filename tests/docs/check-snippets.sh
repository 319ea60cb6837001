#!/usr/bin/env bash
# Every code block in README.md and docs/*.md is checked, so none can rot: C++ blocks are compiled
# against the built library and run (each must exit 0); YAML and JSON blocks must parse.
#   tests/docs/check-snippets.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cxx=${CXX:-c++}
flags=(-std=c++20 -O0 -I"$source_dir/include")
libs=("$build_dir/libhipaa_synth_cli.a" "$build_dir/libhipaa_synth.a" -lyaml-cpp -lfmt)

# A tiny parser for the YAML/JSON blocks (yaml-cpp reads both).
cat > "$work/parse.cpp" <<'CPP'
#include <yaml-cpp/yaml.h>
#include <iostream>
int main(int argc, char** argv) {
  try { for (int i = 1; i < argc; ++i) YAML::LoadAllFromFile(argv[i]); }
  catch (const std::exception& e) { std::cerr << e.what() << "\n"; return 1; }
}
CPP
"$cxx" -std=c++20 "$work/parse.cpp" -o "$work/parse" -lyaml-cpp

passed=0
failed=0
for doc in "$source_dir/README.md" "$source_dir"/docs/*.md; do
  # Split the document into numbered blocks: <n>.<language>
  awk -v dir="$work" -v base="$(basename "$doc" .md)" '
    /^```[a-z+]+$/ && !inside { inside = 1; n++; lang = substr($0, 4); file = dir "/" base "." n "." lang; next }
    /^```$/ && inside { inside = 0; close(file); next }
    inside { print > file }
  ' "$doc"
done
for block in "$work"/*.*.cpp; do
  [[ -e "$block" ]] || continue
  [[ "$block" == "$work/parse.cpp" ]] && continue
  name=$(basename "$block")
  if "$cxx" "${flags[@]}" -x c++ "$block" -x none -o "$work/snippet" "${libs[@]}" 2> "$work/errors" && (cd "$work" && ./snippet > /dev/null); then
    passed=$((passed + 1))
  else
    echo "FAIL $name"; cat "$work/errors"; failed=$((failed + 1))
  fi
done
for block in "$work"/*.*.yaml "$work"/*.*.yml "$work"/*.*.json; do
  [[ -e "$block" ]] || continue
  if "$work/parse" "$block"; then passed=$((passed + 1)); else echo "FAIL $(basename "$block")"; failed=$((failed + 1)); fi
done
echo "snippets: $passed passed, $failed failed"
(( failed == 0 && passed > 0 ))
