# Shared by the validators' self-tests (tests/*/selftest.sh): counters, a scratch directory
# removed on exit, "ok"/"FAIL" lines and the closing summary. Source it; do not run it.
PASS=0
FAIL=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }

# Prints "selftest: N passed, N failed"; its status is the script's: 1 if anything failed.
selftest_summary() {
  echo
  echo "selftest: $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
