#!/usr/bin/env bash
# Builds the request-parser fuzzer with libFuzzer + AddressSanitizer and runs it for a bounded time.
# Usage: scripts/fuzz.sh [seconds]   (default 60). Any crash or split-dependent outcome fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
mkdir -p .build/fuzz Fuzz/corpus
swiftc -O -sanitize=fuzzer,address -parse-as-library \
    Sources/HTTPCore/Parser/*.swift Fuzz/ParserFuzz.swift -o .build/fuzz/fuzz-parser 2>&1 \
    | { grep -v 'Cannot export local symbol' || true; }
# Seed corpus: a few valid and hostile requests.
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' > Fuzz/corpus/get
printf 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' > Fuzz/corpus/post
printf 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n' > Fuzz/corpus/chunked
printf 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' > Fuzz/corpus/smuggle
# Inputs that once failed are replayed first (Fuzz/regressions), then fuzzing starts from both.
SWIFT_BACKTRACE=enable=no .build/fuzz/fuzz-parser -runs=0 Fuzz/regressions 2>&1 | tail -n 2
SWIFT_BACKTRACE=enable=no .build/fuzz/fuzz-parser -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=.build/fuzz/ -print_final_stats=1 Fuzz/corpus Fuzz/regressions 2>&1 | tail -n 25
