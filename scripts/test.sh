#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, golden, CLI, and conformance
# against the CloudFormation and Terraform schemas) through CTest. Where clang++ is installed,
# the project is also built with it (warnings as errors) and its unit tests run; a
# ThreadSanitizer build runs the tests of what runs on several threads.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
scripts/build.sh
if command -v clang++ >/dev/null 2>&1; then
  echo "== clang++ build"
  CXX=clang++ cmake -S . -B build-clang -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-clang --parallel "$(nproc)"
  build-clang/tests/hipaa_synth_tests --reporter compact | tail -n 2
fi
# Stacks are synthesized and files written on several threads: ThreadSanitizer watches the tests
# that exercise that (and the rest of the library they run through).
echo "== ThreadSanitizer build"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-O1 -fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
cmake --build build-tsan --parallel "$(nproc)" --target hipaa_synth_tests
TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/hipaa_synth_tests --reporter compact "[parallel],[output]" | tail -n 2
cd build
ctest --output-on-failure --timeout 1200 -j "$(nproc)"
