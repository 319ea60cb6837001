#!/usr/bin/env bash
# run.sh HIPAA_SYNTH [--update] — cdk-nag's HIPAA Security pack over every preset's CloudFormation
# (YAML and JSON): what it finds must be exactly expected/<preset>.txt, for both formats. The
# hardened preset must have no unsuppressed error; the seed presets have their documented defects
# (docs/seed-defects.md). With --update, rewrites expected/ from the current output: review the
# diff like code.
# run.sh --templates TEMPLATE... — the pack over the given templates (an example's, say): prints
# what it finds and fails when any error is not suppressed.
# run.sh --coverage HIPAA_SYNTH — every rule of the pack is covered by a hipaa-synth rule or listed
# as not covered with its reason (coverage.mjs).
# run.sh --differential HIPAA_SYNTH HIPAA_SYNTH_VARIANTS — the pack and `hipaa-synth check` over the
# config variants (variants/*.yaml) and the in-code ones (variants.cpp): every divergence must be
# in differential-allow.txt (differential.mjs).
#
# Installs the pinned npm packages (package-lock.json) with `npm ci` when node_modules is missing
# or older than the lockfile. Exit status: 0 all match, 1 a difference, 2 usage or tool errors.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=${1:?usage: run.sh HIPAA_SYNTH [--update] | run.sh --templates TEMPLATE... | run.sh --coverage HIPAA_SYNTH | run.sh --differential HIPAA_SYNTH HIPAA_SYNTH_VARIANTS}
update=${2:-}

stamp="$here/node_modules/.package-lock.json"  # written by npm ci
if [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
  echo "cdk-nag: installing pinned npm packages (npm ci) ..." >&2
  (cd "$here" && CI=true npm ci --silent --no-audit --no-fund) || { echo "cdk-nag: npm ci failed" >&2; exit 2; }
fi

if [ "$binary" = --coverage ]; then
  exec node "$here/coverage.mjs" "${2:?usage: run.sh --coverage HIPAA_SYNTH}"
fi

if [ "$binary" = --differential ]; then
  synth=${2:?usage: run.sh --differential HIPAA_SYNTH HIPAA_SYNTH_VARIANTS}
  variants=${3:?usage: run.sh --differential HIPAA_SYNTH HIPAA_SYNTH_VARIANTS}
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  "$variants" "$out/variants" >/dev/null || { echo "cdk-nag: the in-code variants do not synthesize" >&2; exit 2; }
  for config in "$here"/variants/*.yaml; do
    name=$(basename "$config" .yaml)
    "$synth" --config "$config" --target cfn --format json --allow-noncompliant -o "$out/synth-$name" 2>/dev/null ||
      { echo "cdk-nag: variants/$name.yaml does not synthesize" >&2; exit 2; }
    cp "$out/synth-$name/HealthcareStack.template.json" "$out/variants/$name.template.json"
    status=0
    "$synth" --config "$config" check --format json > "$out/variants/$name.findings.json" || status=$?
    [ "$status" -le 1 ] || { echo "cdk-nag: check of variants/$name.yaml failed" >&2; exit 2; }
  done
  "$synth" rules --format markdown > "$out/rules.md"
  node "$here/nag.mjs" "$out"/variants/*.template.json > "$out/nag.txt" || exit 2
  status=0
  node "$here/differential.mjs" "$here/differential-allow.txt" "$out/variants" "$out/nag.txt" "$out/rules.md" ||
    status=$?
  exit $status
fi

if [ "$binary" = --templates ]; then
  shift
  findings=$(node "$here/nag.mjs" "$@")
  echo "$findings"
  if grep -q '^error [^ ]* [^ ]*$' <<<"$findings"; then
    echo "cdk-nag: unsuppressed errors above" >&2
    exit 1
  fi
  exit 0
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for preset in hardened processing records; do
  "$binary" --target cfn --preset "$preset" --allow-noncompliant -o "$out/$preset-yaml" 2>/dev/null
  "$binary" --target cfn --preset "$preset" --allow-noncompliant --format json -o "$out/$preset-json" 2>/dev/null
  for format in yaml json; do
    node "$here/nag.mjs" "$out/$preset-$format"/*.template.* | grep -v '^# ' > "$out/$preset-$format.txt" || true
  done
  if ! cmp -s "$out/$preset-yaml.txt" "$out/$preset-json.txt"; then
    echo "cdk-nag: $preset: the YAML and JSON templates get different findings:" >&2
    diff "$out/$preset-yaml.txt" "$out/$preset-json.txt" >&2 || true
    status=1
  fi
  expected="$here/expected/$preset.txt"
  if [ "$update" = --update ]; then
    mkdir -p "$here/expected"
    cp "$out/$preset-yaml.txt" "$expected"
  elif ! diff -u "$expected" "$out/$preset-yaml.txt" > "$out/$preset.diff"; then
    echo "cdk-nag: $preset: findings differ from tests/cdk-nag/expected/$preset.txt (- expected, + found):" >&2
    cat "$out/$preset.diff" >&2
    status=1
  else
    errors=$(grep -c '^error [^ ]* [^ ]*$' "$out/$preset-yaml.txt" || true)
    echo "cdk-nag: $preset: $(wc -l < "$out/$preset-yaml.txt") finding(s) as expected, $errors unsuppressed error(s)"
  fi
done
# The hardened preset passes the pack: no error that is not suppressed with a reason.
if grep -q '^error [^ ]* [^ ]*$' "$here/expected/hardened.txt"; then
  echo "cdk-nag: the hardened preset has unsuppressed errors (tests/cdk-nag/expected/hardened.txt)" >&2
  status=1
fi
exit $status
