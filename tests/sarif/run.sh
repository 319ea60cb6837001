#!/usr/bin/env bash
# run.sh FILE... — validates SARIF logs (e.g. `hipaa-synth check --format sarif`
# output) against the OASIS SARIF 2.1.0 JSON schema; see validate-sarif.mjs.
#
# Installs the pinned npm packages (package-lock.json) with `npm ci` first when
# node_modules is missing or older than package-lock.json. Non-interactive; safe
# under CI=true. Exit status: that of validate-sarif.mjs (0 all valid, 1 any
# file invalid or not JSON, 2 usage/installation problems).

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -eq 0 ]; then
  echo "usage: $0 FILE...   (SARIF 2.1.0 logs to validate)" >&2
  exit 2
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "sarif: $tool is not on PATH (apt-get install nodejs npm)" >&2
    exit 2
  fi
done

stamp="$HERE/node_modules/.package-lock.json" # written by npm ci
if [ ! -f "$stamp" ] || [ "$HERE/package-lock.json" -nt "$stamp" ] ||
  [ ! -f "$HERE/node_modules/@datadog/datadog-ci-plugin-sarif/package.json" ]; then
  echo "sarif: installing pinned npm packages (npm ci) ..." >&2
  if ! (cd "$HERE" && CI=true npm ci --silent --no-audit --no-fund); then
    echo "sarif: npm ci failed in $HERE" >&2
    exit 2
  fi
fi

exec node "$HERE/validate-sarif.mjs" "$@"
