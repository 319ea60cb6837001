#!/usr/bin/env bash
# run.sh OUTDIR — conformance checks for everything hipaa-synth wrote to OUTDIR.
#
#   1. validate-cfn.mjs on every CloudFormation template (*.yaml, *.yml whose
#      top level has Resources/AWSTemplateFormatVersion, and *.template.json)
#   2. validate-tf.mjs on every *.tf.json
#   3. cfn-lint on every template, if cfn-lint is on PATH (errors fail; warnings
#      are shown and only fail with CFN_LINT_FAIL_ON_WARNINGS=1)
#   4. terraform init + validate (offline, provider mirror only) in a temp copy
#      of every directory holding a main.tf.json, if terraform and the mirror exist
#
# Installs the pinned npm packages with `npm ci` first when needed. Exits
# non-zero if any check fails (or if OUTDIR holds nothing to check), listing
# what failed. Non-interactive; safe under CI=true.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/terraform.sh
. "$HERE/lib/terraform.sh"

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 OUTDIR   (a directory containing synthesized templates / *.tf.json)" >&2
  exit 2
fi
OUTDIR=$1
FAILED=()
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
START=$(now_ms)
section() { echo; echo "== $*"; }

# ---------------------------------------------------------------- npm install
# (Re)install when node_modules is missing or does not match package-lock.json.
deps_ok() {
  (cd "$HERE" && node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    for (const [k, v] of Object.entries(want)) {
      if (k && (!have[k] || have[k].version !== v.version || !fs.existsSync(k))) process.exit(1);
    }' 2>/dev/null)
}
if ! deps_ok; then
  echo "installing pinned npm packages (npm ci) ..."
  if ! (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
    cat "$WORK/npm.log"
    echo "conformance: FAILED: npm ci in $HERE"
    exit 1
  fi
fi

# ---------------------------------------------------------------- find inputs
CFN=()
TF=()
while IFS= read -r -d '' f; do
  case "$f" in
    *.tf.json) TF+=("$f") ;;
    *.template.json) CFN+=("$f") ;;
    *.yaml | *.yml)
      if grep -qE '^(AWSTemplateFormatVersion|Resources)[[:space:]]*:' "$f"; then
        CFN+=("$f")
      else
        echo "skip (not a CloudFormation template): $f"
      fi
      ;;
  esac
done < <(find "$OUTDIR" \( -name node_modules -o -name .terraform -o -name .git \) -prune -o \
  -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.template.json' -o -name '*.tf.json' \) -print0 | sort -z)

echo "conformance: ${#CFN[@]} CloudFormation template(s), ${#TF[@]} Terraform JSON file(s) under $OUTDIR"
if [ ${#CFN[@]} -eq 0 ] && [ ${#TF[@]} -eq 0 ]; then
  echo "conformance: FAILED: nothing to validate under $OUTDIR"
  exit 1
fi

# ---------------------------------------------------------------- schema checks
if [ ${#CFN[@]} -gt 0 ]; then
  section "validate-cfn.mjs (@aws-cdk/aws-service-spec)"
  t=$(now_ms)
  node "$HERE/validate-cfn.mjs" "${CFN[@]}" || { echo "FAIL validate-cfn"; FAILED+=("validate-cfn"); }
  echo "($(elapsed "$t"))"
fi

TF_SCHEMA_ARGS=()
if [ ${#TF[@]} -gt 0 ]; then
  section "validate-tf.mjs (@cdktf/provider-aws)"
  t=$(now_ms)
  if tf_available && grep -lq '"ephemeral"' "${TF[@]}"; then
    # cdktf has no ephemeral-resource bindings: take those from terraform itself
    tf_use_mirror "$WORK"
    if schema=$(tf_provider_schema "$HERE/node_modules/.cache/hipaa-synth-conformance"); then
      TF_SCHEMA_ARGS=(--provider-schema "$schema")
    else
      echo "warning: could not dump the provider schema; ephemeral types are not checked"
    fi
  fi
  node "$HERE/validate-tf.mjs" "${TF_SCHEMA_ARGS[@]}" "${TF[@]}" || { echo "FAIL validate-tf"; FAILED+=("validate-tf"); }
  echo "($(elapsed "$t"))"
fi

# ---------------------------------------------------------------- cfn-lint
if [ ${#CFN[@]} -gt 0 ]; then
  section "cfn-lint"
  if command -v cfn-lint >/dev/null 2>&1; then
    t=$(now_ms)
    echo "$(cfn-lint --version 2>&1)"
    cfn-lint -- "${CFN[@]}"
    rc=$?
    # cfn-lint exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational
    if [ $rc -eq 1 ] || [ $((rc & 2)) -ne 0 ]; then
      echo "FAIL cfn-lint: errors (exit $rc)"
      FAILED+=("cfn-lint (errors)")
    elif [ $((rc & 4)) -ne 0 ] && [ "${CFN_LINT_FAIL_ON_WARNINGS:-0}" = 1 ]; then
      echo "FAIL cfn-lint: warnings with CFN_LINT_FAIL_ON_WARNINGS=1 (exit $rc)"
      FAILED+=("cfn-lint (warnings)")
    else
      echo "cfn-lint: ok$([ $rc -ne 0 ] && echo ' (warnings/informational only)')"
    fi
    echo "($(elapsed "$t"))"
  else
    echo "SKIP cfn-lint: not on PATH (pip install cfn-lint to enable)"
  fi
fi

# ---------------------------------------------------------------- terraform validate
TF_DIRS=()
for f in "${TF[@]}"; do
  [ "$(basename "$f")" = main.tf.json ] && TF_DIRS+=("$(dirname "$f")")
done
if [ ${#TF_DIRS[@]} -gt 0 ]; then
  section "terraform validate"
  if ! command -v terraform >/dev/null 2>&1; then
    echo "SKIP terraform validate: terraform not on PATH"
  elif ! tf_available; then
    echo "SKIP terraform validate: no offline provider mirror at $TF_PLUGIN_MIRROR/registry.terraform.io/hashicorp/aws"
  else
    tf_use_mirror "$WORK"
    echo "$(terraform version | head -n1), providers from $TF_PLUGIN_MIRROR"
    for dir in "${TF_DIRS[@]}"; do
      t=$(now_ms)
      tmp="$WORK/tf.$(echo "$dir" | md5sum | cut -c1-12)"
      mkdir -p "$tmp"
      # copy the module's own files (not .terraform/ or subdirectories)
      find "$dir" -maxdepth 1 -type f -exec cp {} "$tmp/" \;
      if ! (cd "$tmp" && terraform init -backend=false -input=false -no-color >"$tmp.init.log" 2>&1); then
        echo "FAIL terraform init: $dir"
        sed 's/^/    /' "$tmp.init.log"
        FAILED+=("terraform init ($dir)")
      elif ! (cd "$tmp" && terraform validate -no-color >"$tmp.validate.log" 2>&1); then
        echo "FAIL terraform validate: $dir"
        sed 's/^/    /' "$tmp.validate.log"
        FAILED+=("terraform validate ($dir)")
      else
        echo "ok   terraform validate: $dir ($(elapsed "$t"))"
      fi
      rm -rf "$tmp"
    done
  fi
fi

# ---------------------------------------------------------------- summary
echo
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "conformance: FAILED: $(printf '%s; ' "${FAILED[@]}" | sed 's/; $//') ($(elapsed "$START"))"
  exit 1
fi
echo "conformance: all checks passed ($(elapsed "$START"))"
