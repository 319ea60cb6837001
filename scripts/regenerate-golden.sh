#!/usr/bin/env bash
# Regenerates tests/golden/ from the current build: every preset x target x format. Review the
# diff like code; never edit golden files by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/hipaa-synth}
rm -rf tests/golden
for preset in hardened processing records; do
  for variant in cfn-yaml cfn-json tf; do
    target=${variant%%-*}
    # The seed presets keep their defects on purpose, so the compliance gate is opened explicitly.
    args=(--target "$target" --preset "$preset" --allow-noncompliant -o "tests/golden/$preset/$variant")
    [[ "$variant" == cfn-json ]] && args+=(--format json)
    "$binary" "${args[@]}" 2>/dev/null
  done
done
echo "regenerated tests/golden"
