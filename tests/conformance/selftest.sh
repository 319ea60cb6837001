#!/usr/bin/env bash
# selftest.sh — tests the conformance tooling itself, so that the validators
# cannot silently pass everything:
#
#   * run.sh passes on samples/valid (all four checkers)
#   * validate-cfn.mjs / validate-tf.mjs report exactly the problems listed in
#     samples/expected/*.txt for the deliberately broken samples (every expected
#     line must appear, no unexpected line may appear, exit status must be 1)
#   * run.sh fails on samples/invalid
#   * usage errors exit 2
#   * with terraform + the offline mirror: ephemeral checks against the provider
#     schema dump, and check-tf-schema.mjs (cdktf extraction vs terraform's own
#     schema)
#
# Ends with "selftest: N passed, N failed"; exit status 1 if anything failed.
# Set UPDATE_EXPECTED=1 to rewrite samples/expected/*.txt (review the diff!).

set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE" || exit 1
# shellcheck source=lib/terraform.sh
. "$HERE/lib/terraform.sh"

# shellcheck source=../lib/selftest.sh
. "$HERE/../lib/selftest.sh"

# expect_output NAME EXPECTED_FILE CMD... : run CMD, require exit 1 and stdout == EXPECTED_FILE
expect_output() {
  local name=$1 expected=$2
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
    cp "$WORK/out" "$expected"
    echo "updated $expected"
  fi
  if [ $rc -ne 1 ]; then
    not_ok "$name: expected exit status 1, got $rc"
    cat "$WORK/out" "$WORK/err"
  elif ! diff -u "$expected" "$WORK/out" >"$WORK/diff"; then
    not_ok "$name: output differs from $expected (- expected, + actual)"
    cat "$WORK/diff"
  else
    ok "$name: $(grep -c . "$expected") expected lines, nothing else"
  fi
}

# expect_run NAME WANT_RC OUTDIR : run.sh OUTDIR must exit with WANT_RC (0 or non-zero)
expect_run() {
  local name=$1 want=$2 dir=$3
  CI=true bash "$HERE/run.sh" "$dir" >"$WORK/run.log" 2>&1
  local rc=$?
  if { [ "$want" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want" != 0 ] && [ $rc -ne 0 ]; }; then
    ok "$name (exit $rc): $(tail -n1 "$WORK/run.log")"
  else
    not_ok "$name: run.sh $dir exited $rc"
    cat "$WORK/run.log"
  fi
}

# 1. valid samples pass every checker (this also installs node_modules if needed)
expect_run "run.sh passes on samples/valid" 0 samples/valid
if grep -q '^SKIP' "$WORK/run.log"; then grep '^SKIP' "$WORK/run.log"; fi

# 2. the validators report exactly the expected problems
expect_output "validate-cfn on broken templates" samples/expected/cfn.txt \
  node validate-cfn.mjs samples/invalid/cfn-broken.yaml samples/invalid/cfn-broken.template.json samples/invalid/cfn-intrinsics.yaml
expect_output "validate-tf on broken modules" samples/expected/tf.txt \
  node validate-tf.mjs samples/invalid/tf/main.tf.json samples/invalid/tf-no-terraform-block/main.tf.json

# 3. each valid sample passes on its own too (guards against cross-file leakage)
for f in samples/valid/*.yaml samples/valid/*.template.json; do
  if node validate-cfn.mjs "$f" >"$WORK/out" 2>&1 && grep -q ', 0 problems$' "$WORK/out"; then
    ok "validate-cfn passes $f"
  else
    not_ok "validate-cfn on $f"
    cat "$WORK/out"
  fi
done

# 4. run.sh fails on the invalid samples, in every stage that can run here
expect_run "run.sh fails on samples/invalid" 1 samples/invalid
stages=("validate-cfn" "validate-tf")
command -v cfn-lint >/dev/null 2>&1 && stages+=("cfn-lint (errors)")
tf_available && stages+=("terraform init (samples/invalid/tf)" "terraform validate (samples/invalid/tf-ephemeral)")
summary=$(grep '^conformance: FAILED' "$WORK/run.log")
for stage in "${stages[@]}"; do
  if [[ "$summary" == *"$stage"* ]]; then ok "run.sh reports failing stage: $stage"; else not_ok "run.sh did not report failing stage: $stage"; fi
done

# 5. usage errors
for v in validate-cfn.mjs validate-tf.mjs; do
  node "$v" >/dev/null 2>&1
  rc=$?
  if [ $rc -eq 2 ]; then ok "$v without arguments exits 2"; else not_ok "$v without arguments exited $rc"; fi
done

# 6. terraform-backed checks
if tf_available; then
  tf_use_mirror "$WORK"
  if schema=$(tf_provider_schema "$HERE/node_modules/.cache/hipaa-synth-conformance"); then
    expect_output "validate-tf ephemeral checks (provider schema dump)" samples/expected/tf-ephemeral.txt \
      node validate-tf.mjs --provider-schema "$schema" samples/invalid/tf-ephemeral/main.tf.json
    if node check-tf-schema.mjs "$schema" >"$WORK/parity" 2>&1; then
      ok "$(head -n1 "$WORK/parity")"
    else
      not_ok "check-tf-schema.mjs"
      cat "$WORK/parity"
    fi
  else
    not_ok "could not dump the aws provider schema with terraform"
  fi
else
  echo "skip - terraform or the provider mirror is missing: ephemeral and schema-parity checks not run"
fi

selftest_summary
