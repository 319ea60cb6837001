#!/usr/bin/env bash
# selftest.sh — tests the SARIF validation tooling itself, so that it cannot
# silently pass everything:
#
#   * the schema in node_modules is the pinned OASIS SARIF 2.1.0 file (draft-07)
#   * run.sh passes samples/valid.sarif (and installs node_modules if needed)
#   * samples/invalid.sarif fails with exactly the problems in
#     samples/expected/invalid.txt (a "fatal" level, a missing message, ...)
#   * single-defect mutations of valid.sarif each fail, naming the defect
#   * a file that is not JSON, or does not exist, fails; no arguments exits 2
#
# Ends with "selftest: N passed, N failed"; exit status 1 if anything failed.
# Set UPDATE_EXPECTED=1 to rewrite samples/expected/invalid.txt (review the diff!).

set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE" || exit 1

# sha256 of dist/json-schema/sarif-schema-2.1.0.json in @datadog/datadog-ci-plugin-sarif@5.11.0
SCHEMA_SHA256=10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454
SCHEMA_ID=https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json
SCHEMA_DIALECT=http://json-schema.org/draft-07/schema#

# shellcheck source=../lib/selftest.sh
. "$HERE/../lib/selftest.sh"

# expect NAME WANT_RC PATTERN CMD... : CMD must exit WANT_RC and its output match PATTERN (grep -E)
expect() {
  local name=$1 want=$2 pattern=$3
  shift 3
  "$@" >"$WORK/out" 2>&1
  local rc=$?
  if [ $rc -ne "$want" ]; then
    not_ok "$name: expected exit $want, got $rc"
    sed 's/^/    /' "$WORK/out"
  elif ! grep -qE -- "$pattern" "$WORK/out"; then
    not_ok "$name: output does not match /$pattern/"
    sed 's/^/    /' "$WORK/out"
  else
    ok "$name (exit $rc): $(grep -E -m1 -- "$pattern" "$WORK/out")"
  fi
}

# 1. valid sample through run.sh (installs node_modules with npm ci when missing)
expect "run.sh passes samples/valid.sarif" 0 '^sarif: 1 file\(s\), 4 result\(s\), 0 errors$' \
  env CI=true bash "$HERE/run.sh" samples/valid.sarif

# 2. the schema is the pinned OASIS one
node validate-sarif.mjs --schema-info >"$WORK/info" 2>&1
if grep -qxF "\$id     $SCHEMA_ID" "$WORK/info" &&
  grep -qxF "\$schema $SCHEMA_DIALECT" "$WORK/info" &&
  grep -qxF "sha256  $SCHEMA_SHA256" "$WORK/info"; then
  ok "schema is OASIS SARIF 2.1.0, draft-07, sha256 ${SCHEMA_SHA256:0:12}..."
else
  not_ok "schema identity differs from the pinned one"
  sed 's/^/    /' "$WORK/info"
fi

# 3. invalid sample: exactly the expected problems, exit 1
node validate-sarif.mjs samples/invalid.sarif >"$WORK/out" 2>"$WORK/err"
rc=$?
if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
  cp "$WORK/out" samples/expected/invalid.txt
  echo "updated samples/expected/invalid.txt"
fi
if [ $rc -ne 1 ]; then
  not_ok "invalid.sarif: expected exit 1, got $rc"
  cat "$WORK/out" "$WORK/err"
elif ! diff -u samples/expected/invalid.txt "$WORK/out" >"$WORK/diff"; then
  not_ok "invalid.sarif: output differs from samples/expected/invalid.txt (- expected, + actual)"
  cat "$WORK/diff"
else
  ok "invalid.sarif fails with exactly the $(grep -c '^samples/' samples/expected/invalid.txt) expected problems"
fi
expect "run.sh fails samples/invalid.sarif (level \"fatal\")" 1 \
  '/runs/0/results/0/level must be equal to one of the allowed values' \
  env CI=true bash "$HERE/run.sh" samples/invalid.sarif
expect "run.sh fails samples/invalid.sarif (missing message)" 1 \
  "/runs/0/results/1 must have required property 'message'" \
  env CI=true bash "$HERE/run.sh" samples/invalid.sarif

# 4. a valid and an invalid file together: fails, and the valid one reports nothing
node validate-sarif.mjs samples/valid.sarif samples/invalid.sarif >"$WORK/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && ! grep -q '^samples/valid.sarif:' "$WORK/out" &&
  grep -qx 'sarif: 2 file(s), 7 result(s), 7 errors' "$WORK/out"; then
  ok "valid + invalid together: exit 1, $(tail -n1 "$WORK/out")"
else
  not_ok "valid + invalid together (exit $rc)"
  sed 's/^/    /' "$WORK/out"
fi

# 5. single-defect mutations of valid.sarif must each fail, naming the defect
# mutate NAME PATTERN JS : JS edits `log` (valid.sarif parsed); the result must fail matching PATTERN
mutate() {
  local name=$1 pattern=$2 js=$3 file
  file="$WORK/$(echo "$name" | tr -c 'A-Za-z0-9' '_').sarif"
  node -e "const fs=require('fs'); const log=JSON.parse(fs.readFileSync('samples/valid.sarif','utf8')); $js; fs.writeFileSync(process.argv[1], JSON.stringify(log));" "$file"
  expect "mutation: $name" 1 "$pattern" node validate-sarif.mjs "$file"
}
mutate "version 2.0.0" '/version must be equal to one of the allowed values \("2.1.0"\)' \
  'log.version = "2.0.0"'
mutate "no runs" "^.*: / must have required property 'runs'" \
  'delete log.runs'
mutate "driver without name" "/runs/0/tool/driver must have required property 'name'" \
  'delete log.runs[0].tool.driver.name'
mutate "unknown result property" '/runs/0/results/0 must NOT have additional properties \("severity"\)' \
  'log.runs[0].results[0].severity = "high"'
mutate "informationUri not a URI" '/runs/0/tool/driver/informationUri must match format "uri"' \
  'log.runs[0].tool.driver.informationUri = "hipaa synth docs"'
mutate "ruleIndex below -1" '/runs/0/results/0/ruleIndex must be >= -1' \
  'log.runs[0].results[0].ruleIndex = -2'
mutate "startLine a string" '/runs/0/results/0/locations/0/physicalLocation/region/startLine must be integer' \
  'log.runs[0].results[0].locations[0].physicalLocation.region.startLine = "471"'
mutate "suppression kind unknown" '/runs/0/results/1/suppressions/0/kind must be equal to one of the allowed values' \
  'log.runs[0].results[1].suppressions[0].kind = "inline"'
mutate "help without text" "/runs/0/tool/driver/rules/0/help must have required property 'text'" \
  'delete log.runs[0].tool.driver.rules[0].help.text'
mutate "fingerprint not a string" '/runs/0/results/0/partialFingerprints/hipaaSynthResult~1v1 must be string' \
  'log.runs[0].results[0].partialFingerprints["hipaaSynthResult/v1"] = 5'
mutate "relative URI not a URI reference" '/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri must match format "uri-reference"' \
  'log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "infra/my stack.yaml"'

# 6. a run with no results is valid
node -e "const fs=require('fs'); const log=JSON.parse(fs.readFileSync('samples/valid.sarif','utf8')); log.runs[0].results=[]; fs.writeFileSync(process.argv[1], JSON.stringify(log));" "$WORK/empty.sarif"
expect "a run with no results passes" 0 '^sarif: 1 file\(s\), 0 result\(s\), 0 errors$' \
  node validate-sarif.mjs "$WORK/empty.sarif"

# 7. not JSON, missing file, usage
printf '{"version": "2.1.0", "runs": [' >"$WORK/truncated.sarif"
expect "truncated file is not JSON" 1 '^.*/truncated\.sarif: not JSON: ' \
  node validate-sarif.mjs "$WORK/truncated.sarif"
expect "missing file fails" 1 '^.*/missing\.sarif: cannot read: ENOENT$' \
  node validate-sarif.mjs "$WORK/missing.sarif"
expect "run.sh without arguments is a usage error" 2 '^usage: ' \
  bash "$HERE/run.sh"
expect "validate-sarif.mjs without arguments is a usage error" 2 '^usage: ' \
  node validate-sarif.mjs

selftest_summary
