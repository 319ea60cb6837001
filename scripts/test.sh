#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, golden, CLI, and conformance
# against the CloudFormation and Terraform schemas) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1200 -j "$(nproc)"
