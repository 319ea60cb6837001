#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, golden, CLI, and conformance
# against the CloudFormation and Terraform schemas) through CTest. Where clang++ is installed,
# the project is also built with it (warnings as errors) and its unit tests run, and the
# libFuzzer harnesses of the input readers run for a bounded time; an AddressSanitizer +
# UndefinedBehaviorSanitizer build runs every unit test, a ThreadSanitizer build the tests of what
# runs on several threads.
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
# Every unit test (and the command line they run) under AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer; any report fails the run. -O1 keeps the build and the run short.
# Where clang can link libFuzzer (setup.sh installs libclang-rt-14-dev for it), the same build
# (HIPAA_SYNTH_FUZZ: the library instrumented once for both) also makes the libFuzzer harnesses
# of the input readers (tests/fuzz), and each runs for HIPAA_FUZZ_SECONDS over its seed corpus.
echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
sanitize=(-DCMAKE_BUILD_TYPE=None)
targets=(hipaa_synth_tests)
if command -v clang++ >/dev/null 2>&1 &&
   echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
   clang++ -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  export CXX=clang++
  sanitize+=(-DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DHIPAA_SYNTH_FUZZ=ON)
  targets+=(fuzzers)
else
  echo "(libFuzzer harnesses skipped: clang++ cannot link -fsanitize=fuzzer)"
  # GCC's flow analysis reports false maybe-uninitialized warnings in libstdc++ under ASan.
  sanitize+=(-DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
-fno-omit-frame-pointer -Wno-maybe-uninitialized" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined")
fi
cmake -S . -B build-asan -G Ninja "${sanitize[@]}" >/dev/null
cmake --build build-asan --parallel "$(nproc)" --target "${targets[@]}"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build-asan/tests/hipaa_synth_tests --reporter compact |
  tail -n 2
if [[ " ${targets[*]} " == *" fuzzers "* ]]; then
  (cd build-asan && ctest --output-on-failure -L fuzz)
fi
unset CXX
cd build
ctest --output-on-failure --timeout 1200 -j "$(nproc)"
