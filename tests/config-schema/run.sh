#!/usr/bin/env bash
# run.sh HIPAA_SYNTH SOURCE_DIR — prints the config schema (`hipaa-synth schema`) and validates
# every config example in docs/ and tests/ against it with Ajv (validate-configs.mjs says which
# files are configs and which are left out, and why).
#
# Installs the pinned npm packages (package-lock.json) with `npm ci` first when node_modules is
# missing or older than package-lock.json. Exit status: 0 all valid, 1 any invalid, 2 usage or
# installation problems.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -ne 2 ]; then
  echo "usage: $0 HIPAA_SYNTH SOURCE_DIR" >&2
  exit 2
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "config-schema: $tool is not on PATH (apt-get install nodejs npm)" >&2
    exit 2
  fi
done

stamp="$HERE/node_modules/.package-lock.json" # written by npm ci
if [ ! -f "$stamp" ] || [ "$HERE/package-lock.json" -nt "$stamp" ]; then
  echo "config-schema: installing pinned npm packages (npm ci) ..." >&2
  if ! (cd "$HERE" && CI=true npm ci --silent --no-audit --no-fund); then
    echo "config-schema: npm ci failed in $HERE" >&2
    exit 2
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" schema > "$work/hipaa-synth.schema.json"
exec node "$HERE/validate-configs.mjs" "$work/hipaa-synth.schema.json" "$2"
