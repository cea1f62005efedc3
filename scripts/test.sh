#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit and live tests, a release build, the parser fuzzer,
# the concurrency tests under ThreadSanitizer, and schemathesis against the live admin API.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "swift build (debug, with tests)"
swift build --build-tests

step "swift test"
# Per-test progress lines are dropped; failures and the closing summaries stay.
set +e
swift test --skip-build 2>&1 | awk '!/^◇ / && !(/^✔ (Test|Suite) / && !/^✔ Test run/)'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || { echo "swift test failed ($status)"; exit "$status"; }

step "swift build -c release"
swift build -c release --product switchyard

step "request parser fuzzing (${FUZZ_SECONDS:-60} s)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

if [ -f scripts/schemathesis.sh ]; then
    step "schemathesis against the admin API"
    bash scripts/schemathesis.sh "$(swift build -c release --show-bin-path)/switchyard"
fi
echo
echo "all checks passed"
