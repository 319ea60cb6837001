#!/usr/bin/env bash
# Installs what hipaa-synth needs to build and test, from Debian packages only, skipping what is
# already there. Safe to run again.
set -euo pipefail

packages=(build-essential cmake ninja-build nlohmann-json3-dev libyaml-cpp-dev libcli11-dev
          libfmt-dev catch2 unzip pkg-config)
if [[ "${1:-}" == "--with-test-tools" ]]; then
  # clang with its runtime libraries (libclang_rt.fuzzer and the sanitizers) builds the libFuzzer
  # harnesses of tests/fuzz.
  packages+=(nodejs npm python3 clang libclang-rt-14-dev)
  # The package check (tests/package) reads the installed man page with man.
  packages+=(man-db)
  # The deployment test (tests/deploy, docs/testing.md) also needs moto 5.2.1 and terraform 1.11 with
  # the offline aws provider mirror: no Debian package has them in those versions, so the machine
  # image provides them; without them the test fails under CI=true, naming what is missing.
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may carry node/npm outside Debian's packages; use it when it is there.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if (( ${#missing[@]} > 0 )); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
