#!/usr/bin/env bash
# Synthesizes every preset x target x format and a small bench-app with the given hipaa-synth binary, and the showcase
# app (every typed node, tests/showcase/) with the second binary when given, into a temporary
# directory and validates all of it with run.sh (schemas, cfn-lint, terraform validate).
set -euo pipefail
binary=$1
showcase=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for preset in hardened processing records; do
  "$binary" --target cfn --preset "$preset" --allow-noncompliant -o "$out/$preset-yaml" 2>/dev/null
  "$binary" --target cfn --preset "$preset" --allow-noncompliant --format json -o "$out/$preset-json" 2>/dev/null
  "$binary" --target tf --preset "$preset" --allow-noncompliant -o "$out/$preset-tf" 2>/dev/null
done
# The generated app of `bench-app` (two stacks: one imports the other's values).
"$binary" bench-app --stacks 2 --resources-per-stack 50 --target cfn -o "$out/bench-app-yaml" 2>/dev/null
"$binary" bench-app --stacks 2 --resources-per-stack 50 --target tf -o "$out/bench-app-tf" 2>/dev/null
if [[ -n "$showcase" ]]; then
  "$showcase" --target cfn --allow-noncompliant -o "$out/showcase-yaml" 2>/dev/null
  "$showcase" --target cfn --allow-noncompliant --format json -o "$out/showcase-json" 2>/dev/null
  "$showcase" --target tf --allow-noncompliant -o "$out/showcase-tf" 2>/dev/null
fi
CFN_LINT_FAIL_ON_WARNINGS=1 bash "$here/run.sh" "$out"
