#!/usr/bin/env bash
# Heap allocations per request: Switchyard under an LD_PRELOAD shim that counts malloc-family
# calls (Benchmarks/alloc/malloc_count.c, compiled here with cc), switchyard-mock as the
# upstream, N sequential keep-alive requests per case after a warm-up, counters read before and
# after (SIGUSR1), usage batches flushed inside the window. Deterministic for a given binary:
# the figure to compare when the machine is too noisy for CPU time.
# Usage: Benchmarks/allocations.sh [requests]          (default 3000)
# SWITCHYARD_BIN_B=path adds that build side by side.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
requests="${1:-3000}"
need cc "apt-get install -y gcc"
build_bins
cc -O2 -shared -fPIC -o "$work/malloc_count.so" Benchmarks/alloc/malloc_count.c -ldl

mock_port=$PORT_BASE
start_mock "$mock_port"
mock="http://127.0.0.1:$mock_port"

cat > "$work/client.py" <<'PY'
import http.client, json, sys
port, n, key, model = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
body = json.dumps({"model": model, "max_tokens": 128, "temperature": 0.2, "messages": [
    {"role": "system", "content": "You are a concise assistant."},
    {"role": "user", "content": "What is the capital of France? Answer in one sentence."}]}).encode()
connection = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    connection.request("POST", "/v1/chat/completions", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"HTTP {response.status}")
PY

counters() {  # PID: the shim's totals, after asking for them
    kill -USR1 "$1"
    sleep 0.3
    grep MALLOC "$2" | tail -1 | sed 's/[a-z]*=//g; s/MALLOC //'
}

measure() {  # label binary port
    local label=$1 bin=$2 port=$3
    printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$work/malloc_count.so" "$bin" > "$work/wrap-$label.sh"
    chmod +x "$work/wrap-$label.sh"
    SY_BIN="$work/wrap-$label.sh" SY_DB="$work/$label.db" start_switchyard "$port"
    sy_admin PUT /v1/providers/mock-openai "{\"type\":\"openai\",\"base_url\":\"$mock/v1\",\"models\":[\"bench-*\"],\"allow_private_network\":true}" >/dev/null
    sy_admin PUT /v1/providers/mock-anthropic "{\"type\":\"anthropic\",\"base_url\":\"$mock\",\"models\":[\"claude-*\"],\"allow_private_network\":true}" >/dev/null
    sy_admin PUT /v1/credentials/mock-openai-1 '{"provider":"mock-openai","api_key":"mock-key-openai"}' >/dev/null
    sy_admin PUT /v1/credentials/mock-anthropic-1 '{"provider":"mock-anthropic","api_key":"mock-key-anthropic"}' >/dev/null
    local key
    key=$(sy_client_key)
    for case in passthru:bench-model translate:claude-sonnet-4-5; do
        local name=${case%%:*} model=${case#*:} before after
        python3 "$work/client.py" "$port" 500 "$key" "$model"  # warm-up: pools, caches, first batches
        sleep 1.5
        before=$(counters "$SY_PID" "$work/switchyard.log")
        python3 "$work/client.py" "$port" "$requests" "$key" "$model"
        sleep 1.5  # the usage writer's batch of these requests lands inside the window
        after=$(counters "$SY_PID" "$work/switchyard.log")
        python3 -c "import sys; b=list(map(int,sys.argv[1].split())); a=list(map(int,sys.argv[2].split())); n=int(sys.argv[3]); print(f'{sys.argv[4]:<14} {sys.argv[5]:<10} {(a[0]-b[0])/n:12.1f} {(a[1]-b[1])/n:12.0f}')" \
            "$before" "$after" "$requests" "$label" "$name"
    done
    kill "$SY_PID"
    wait "$SY_PID" 2>/dev/null || true
}

echo "Heap allocations per request (malloc-family calls and bytes requested), $requests sequential keep-alive requests per case"
echo "$(machine_facts)"
printf '%-14s %-10s %12s %12s\n' build case allocs/req bytes/req
measure switchyard "$SY_BIN" $((PORT_BASE + 2))
if [ -n "${SWITCHYARD_BIN_B:-}" ]; then measure switchyard-B "$SWITCHYARD_BIN_B" $((PORT_BASE + 12)); fi
