#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit, live and end-to-end tests, the router's tests under
# ThreadSanitizer, a release build, the README quick start followed literally, the official SDKs,
# the parser fuzzer, and schemathesis against the live admin API.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

step "swift build (debug, with tests)"
swift build --build-tests

# Per-test progress lines are dropped; failures and the closing summaries stay.
quiet() { awk '!/^◇ / && !(/^✔ (Test|Suite) / && !/^✔ Test run/)'; }

step "swift test (unit and live tests)"
# The process-level suites run on their own afterwards: on 2 cores, real switchyard and mock
# processes beside the timing-sensitive socket tests would only make those flaky.
swift test --skip-build --skip EndToEndTests 2>&1 | quiet
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "swift test failed"; exit 1; }

step "swift test (end-to-end suites on real processes)"
swift test --skip-build --filter EndToEndTests 2>&1 | quiet
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "end-to-end tests failed"; exit 1; }

step "router and upstream client tests under ThreadSanitizer"
swift test --sanitize=thread --scratch-path .build-tsan --filter "RouterTests|UpstreamHTTPTests" 2>&1 | quiet
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "ThreadSanitizer run failed"; exit 1; }

step "swift build -c release"
swift build -c release --product switchyard
swift build -c release --product switchyard-mock

step "README quick start (scripts/demo.sh), literally"
demo_output=$(DEMO_NO_WAIT=1 bash scripts/demo.sh 2>&1) || { echo "$demo_output"; exit 1; }
if ! grep -q 'data: \[DONE\]' <<<"$demo_output" || ! grep -q '"content":"mock ' <<<"$demo_output"; then
    echo "$demo_output"
    echo "the quick start did not stream an answer"
    exit 1
fi
echo "streamed answer received"

step "official OpenAI, Anthropic and Gemini Python SDKs against switchyard + switchyard-mock"
bash scripts/sdk-check.sh 2>&1 | grep -vE 'DeprecationWarning|migrate to a newer model|^  (reply|fn|anthropic)\b'

step "request parser fuzzing (${FUZZ_SECONDS:-60} s)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

if [ -f scripts/schemathesis.sh ]; then
    step "schemathesis against the admin API"
    bash scripts/schemathesis.sh "$(swift build -c release --show-bin-path)/switchyard"
fi
echo
echo "all checks passed"
