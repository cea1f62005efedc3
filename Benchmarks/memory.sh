#!/usr/bin/env bash
# Memory: RSS of switchyard holding 1,000 and 5,000 concurrent slow streams (OpenAI client ->
# OpenAI provider = switchyard-mock sending one chunk a second), and after they are closed,
# three cycles each (growth across cycles would be a leak). Bytes per open stream =
# (RSS with N streams open - RSS idle before the first cycle) / N; CPU % is switchyard's CPU use
# over 3 s while the N streams flow (each receives one chunk a second).
# Usage: Benchmarks/memory.sh [cycles] [counts...]      (defaults 3, and 1000 5000)
# The client is Benchmarks/hold_streams.py (asyncio, raw HTTP/1.1, bounded to 120 s per cycle).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cycles="${1:-3}"
shift || true
counts=("${@:-}")
[ -z "${counts[0]}" ] && counts=(1000 5000)
build_bins
# Each stream holds a client socket and an upstream socket in switchyard (and one in the mock).
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 12000 ] || echo "warning: ulimit -n is $(ulimit -n); 5,000 streams need about 10,100 descriptors" >&2

mock_port=$((PORT_BASE + 20)) sy_port=$((PORT_BASE + 21))
start_mock "$mock_port"
mock="http://127.0.0.1:$mock_port"
curl -fsS -X POST "$mock/_mock/faults" -d '{"model":"bench-hold","fault":{"chunks":600,"chunk_delay_ms":1000}}' >/dev/null
start_switchyard "$sy_port" --max-connections 20000
sy_admin PUT /v1/providers/mock-openai "{\"type\":\"openai\",\"base_url\":\"$mock/v1\",\"models\":[\"bench-*\"],\"allow_private_network\":true}" >/dev/null
sy_admin PUT /v1/credentials/mock-openai-1 '{"provider":"mock-openai","api_key":"mock-key-openai"}' >/dev/null
client_key="$(sy_client_key)"
printf '{"model":"bench-hold","stream":true,"messages":[{"role":"user","content":"Tell me a very long story."}],"max_tokens":4096}' > "$work/hold.json"

url="http://127.0.0.1:$sy_port/v1/chat/completions"
# Warm-up: a few short-lived streams so the first cycle does not pay one-time allocations alone.
timeout 130 python3 Benchmarks/hold_streams.py "$url" "$work/hold.json" "Authorization: Bearer $client_key" 50 "$SY_PID" 30 >/dev/null
sleep 2
idle=$(rss_kib "$SY_PID")
echo "$(machine_facts)" >&2
echo "idle RSS after warm-up: $idle KiB" >&2
results="$work/results.jsonl"
: > "$results"
for n in "${counts[@]}"; do
    for cycle in $(seq 1 "$cycles"); do
        out=$(timeout 200 python3 Benchmarks/hold_streams.py "$url" "$work/hold.json" "Authorization: Bearer $client_key" "$n" "$SY_PID" 120)
        # What switchyard itself still holds once the client has gone (should be 0 and ~0).
        metrics=$(sy_admin GET /metrics)
        active=$(echo "$metrics" | awk '/^switchyard_active_streams/ {s+=$2} END {print s+0}')
        conns=$(echo "$metrics" | awk '/^switchyard_open_connections.*gateway/ {s+=$2} END {print s+0}')
        echo "$out" | sed "s/^{/{\"cycle\":$cycle,\"active_after\":$active,\"conns_after\":$conns,/" >> "$results"
        echo "n=$n cycle=$cycle $out" >&2
    done
done

python3 - "$results" "$idle" "$(machine_facts)" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
idle, facts = int(sys.argv[2]), sys.argv[3]
print("Memory: switchyard RSS with N concurrent open streams (mock chunk every 1 s), closed by the client after measuring")
print(facts)
print(f"idle RSS after warm-up: {idle/1024:.1f} MiB")
print(f"{'streams':>8}{'cycle':>6}{'open':>7}{'failed':>7}{'ramp s':>8}{'RSS open MiB':>14}{'RSS after MiB':>15}{'KiB/stream':>12}{'CPU % open':>12}{'streams/conns left':>20}")
for r in rows:
    per = (r["rss_open_kib"] - idle) / max(r["open"], 1)
    print(f"{r['n']:>8}{r['cycle']:>6}{r['open']:>7}{r['failed']:>7}{r['open_seconds']:>8.1f}{r['rss_open_kib']/1024:>14.1f}{r['rss_after_kib']/1024:>15.1f}{per:>12.1f}{r['cpu_percent']:>12.1f}{str(r['active_after']) + ' / ' + str(r['conns_after']):>20}")
PY
