#!/usr/bin/env bash
# Installs the build to a temporary prefix, then builds every project under examples/ against it
# with find_package only, runs each, and checks what it prints.
#   tests/install/check-examples.sh BUILD_DIR
set -euo pipefail
build_dir=$(realpath "$1")
source_dir=$(realpath "$(dirname "$0")/../..")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null

failures=0
expect() {  # description, pattern, text
  if grep -q -- "$2" <<<"$3"; then echo "ok   - $1"; else echo "FAIL - $1: no '$2'"; failures=$((failures + 1)); fi
}
run() {  # example, expected exit code, arguments...
  local example=$1 expected=$2
  shift 2
  local status=0
  output=$("$work/$example/$example" "$@" 2>&1) || status=$?
  if [[ $status -ne $expected ]]; then
    echo "FAIL - $example $*: exit $status, expected $expected"; echo "$output" | tail -5
    failures=$((failures + 1))
  fi
}

for example in custom-stack extended-healthcare seed-000 patient-documents custom-rules; do
  cmake -S "$source_dir/examples/$example" -B "$work/$example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/$example" >/dev/null
done

run custom-stack 0
expect "custom-stack prints CloudFormation" "Type: AWS::EC2::Subnet" "$output"
expect "custom-stack prints Terraform" '"aws_subnet"' "$output"

run extended-healthcare 0 --target cfn
expect "extended-healthcare has its extra resource" "PartnerDebugLogs:" "$output"
expect "extended-healthcare has its changed option" "RetentionInDays: 2557" "$output"
expect "extended-healthcare records the suppression in the template" "rule: HIPAA-LOGS-3" "$output"
run extended-healthcare 0 check
expect "extended-healthcare lists the suppression and its reason" "suppressed: debug output carries no PHI" "$output"

# A program's own rule beside the built-in ones: listed, checked, part of SARIF.
run custom-rules 0 rules
expect "custom-rules lists its own rule" "^ORG-LOGS-1  error    Records retention policy 4.2" "$output"
run custom-rules 0 check
expect "custom-rules checks its own rule too" "^0 error(s), 0 warning(s), 3 suppressed, $(($("$work/custom-rules/custom-rules" rules | wc -l))) rule(s) checked" "$output"
run custom-rules 0 check --format sarif
expect "custom-rules describes its rule in SARIF" '"id": "ORG-LOGS-1"' "$output"
run custom-rules 0 --target cfn
expect "custom-rules synthesizes the compliant stack" "RetentionInDays: 2192" "$output"

run seed-000 1 check
for rule in HIPAA-VPC-1 HIPAA-RDS-6 HIPAA-CACHE-3 HIPAA-LOGS-2 HIPAA-API-6 HIPAA-API-7; do
  expect "seed-000 reports $rule" "error $rule" "$output"
done
run seed-000 1 --target tf
expect "seed-000 refuses to synthesize" "nothing was synthesized" "$output"
run seed-000 0 --target tf --allow-noncompliant
expect "seed-000 synthesizes when allowed" '"aws_rds_cluster"' "$output"

# The patient-documents workload is compliant, and what it synthesizes is valid and deployable:
# the resource specification, the provider schema, cfn-lint, terraform validate, and cdk-nag's
# HIPAA pack with no unsuppressed error.
run patient-documents 0 check
expect "patient-documents passes every rule" "^0 error(s), 0 warning(s)" "$output"
for variant in "cfn yaml" "cfn json" "tf json"; do
  read -r target format <<<"$variant"
  run patient-documents 0 --target "$target" --format "$format" -o "$work/patient-documents-out/$target-$format"
done
if CFN_LINT_FAIL_ON_WARNINGS=1 bash "$source_dir/tests/conformance/run.sh" "$work/patient-documents-out" >"$work/conformance.log" 2>&1; then
  echo "ok   - patient-documents output passes conformance"
else
  echo "FAIL - patient-documents output fails conformance"; tail -20 "$work/conformance.log"
  failures=$((failures + 1))
fi
if bash "$source_dir/tests/cdk-nag/run.sh" --templates "$work/patient-documents-out"/cfn-*/*.template.* >"$work/nag.log" 2>&1; then
  echo "ok   - patient-documents passes cdk-nag's HIPAA pack"
else
  echo "FAIL - patient-documents fails cdk-nag's HIPAA pack"; cat "$work/nag.log"
  failures=$((failures + 1))
fi

# `hipaa-synth init`: the project it writes builds against the install with find_package only, its
# program passes every rule, and what it synthesizes for both targets is valid.
"$work/prefix/bin/hipaa-synth" init "$work/projects/audit-stack" >/dev/null
cmake -S "$work/projects/audit-stack" -B "$work/audit-stack" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/audit-stack" >/dev/null
run audit-stack 0
expect "init's program checks its stack when run without arguments" "^0 error(s), 0 warning(s)" "$output"
for variant in "cfn yaml" "cfn json" "tf json"; do
  read -r target format <<<"$variant"
  run audit-stack 0 --target "$target" --format "$format" -o "$work/init-out/$target-$format"
done
if CFN_LINT_FAIL_ON_WARNINGS=1 bash "$source_dir/tests/conformance/run.sh" "$work/init-out" >"$work/init-conformance.log" 2>&1; then
  echo "ok   - init's project output passes conformance"
else
  echo "FAIL - init's project output fails conformance"; tail -20 "$work/init-conformance.log"
  failures=$((failures + 1))
fi

echo "examples: $((failures == 0 ? 1 : 0)) passed, $((failures > 0 ? 1 : 0)) failed"
exit $((failures > 0))
