#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, golden, CLI, and conformance
# against the CloudFormation and Terraform schemas) through CTest. Where clang++ is installed,
# the project is also built with it (warnings as errors) and its unit tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
scripts/build.sh
if command -v clang++ >/dev/null 2>&1; then
  echo "== clang++ build"
  CXX=clang++ cmake -S . -B build-clang -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-clang --parallel "$(nproc)"
  build-clang/tests/hipaa_synth_tests --reporter compact | tail -1
fi
cd build
ctest --output-on-failure --timeout 1200 -j "$(nproc)"
