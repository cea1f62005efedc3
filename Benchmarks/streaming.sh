#!/usr/bin/env bash
# Streaming: time to first byte and total time of a 200-chunk OpenAI-format stream from
# switchyard-mock, with no chunk delay and with a 5 ms delay between chunks, for
#   direct        the mock itself (OpenAI chat completions stream)
#   direct-anth   the mock's Anthropic Messages stream (the upstream of sy-translate; its first
#                 text comes one event later than OpenAI's, so sy-translate is compared with it)
#   sy-passthru   Switchyard, OpenAI client -> OpenAI provider (the mock)
#   sy-translate  Switchyard, OpenAI client -> Anthropic provider (the mock's Messages stream)
#   litellm       LiteLLM proxy, production settings, same mock as api_base
# alternating target by target, N repetitions, medians (and p90).
# Usage: Benchmarks/streaming.sh [repetitions]      (default 15)
# TTFB and total come from curl -w '%{time_starttransfer} %{time_total}' (fresh connection each).
# "first content" (Benchmarks/sse_timing.py, a second alternating pass) is the time to the first
# event that carries text: Switchyard holds the response until the upstream's first content (its
# failover commit point), so its first byte is the mock's second event, not the role-only first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
reps="${1:-15}"
build_bins

mock_port=$((PORT_BASE + 10)) sy_port=$((PORT_BASE + 11)) ll_port=$((PORT_BASE + 15))
start_mock "$mock_port"
mock="http://127.0.0.1:$mock_port"
for model in bench-fast claude-bench-fast; do
    curl -fsS -X POST "$mock/_mock/faults" -d "{\"model\":\"$model\",\"fault\":{\"chunks\":200}}" >/dev/null
done
for model in bench-slow claude-bench-slow; do
    curl -fsS -X POST "$mock/_mock/faults" -d "{\"model\":\"$model\",\"fault\":{\"chunks\":200,\"chunk_delay_ms\":5}}" >/dev/null
done

start_switchyard "$sy_port"
sy_admin PUT /v1/providers/mock-openai "{\"type\":\"openai\",\"base_url\":\"$mock/v1\",\"models\":[\"bench-*\"],\"allow_private_network\":true}" >/dev/null
sy_admin PUT /v1/providers/mock-anthropic "{\"type\":\"anthropic\",\"base_url\":\"$mock\",\"models\":[\"claude-*\"],\"allow_private_network\":true}" >/dev/null
sy_admin PUT /v1/credentials/mock-openai-1 '{"provider":"mock-openai","api_key":"mock-key-openai"}' >/dev/null
sy_admin PUT /v1/credentials/mock-anthropic-1 '{"provider":"mock-anthropic","api_key":"mock-key-anthropic"}' >/dev/null
client_key="$(sy_client_key)"

start_litellm "$ll_port" "  - model_name: bench-fast
    litellm_params: {model: openai/bench-fast, api_base: '$mock/v1', api_key: mock-key-openai}
  - model_name: bench-slow
    litellm_params: {model: openai/bench-slow, api_base: '$mock/v1', api_key: mock-key-openai}"

request() {  # model
    printf '{"model":"%s","stream":true,"messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"Tell me a long story about a railway switchyard."}],"max_tokens":1024}' "$1"
}
for model in bench-fast bench-slow; do request "$model" > "$work/$model.json"; done
for speed in fast slow; do
    request "claude-bench-$speed" > "$work/claude-bench-$speed.json"
    printf '{"model":"claude-bench-%s","stream":true,"system":"You are a concise assistant.","messages":[{"role":"user","content":"Tell me a long story about a railway switchyard."}],"max_tokens":1024}' "$speed" > "$work/anth-$speed.json"
done

targets=(direct direct-anth sy-passthru sy-translate litellm)
[ -n "$LITELLM_SKIP" ] && targets=(direct direct-anth sy-passthru sy-translate)
url_of() {
    case $1 in
        direct) echo "$mock/v1/chat/completions" ;;
        direct-anth) echo "$mock/v1/messages" ;;
        sy-*) echo "http://127.0.0.1:$sy_port/v1/chat/completions" ;;
        litellm) echo "http://127.0.0.1:$ll_port/v1/chat/completions" ;;
    esac
}
auth_of() {
    case $1 in
        direct) echo "Authorization: Bearer mock-key-openai" ;;
        direct-anth) echo "x-api-key: mock-key-anthropic" ;;
        sy-*) echo "Authorization: Bearer $client_key" ;;
        litellm) echo "Authorization: Bearer sk-bench-litellm-master" ;;
    esac
}
body_of() {  # target speed
    case $1 in sy-translate) echo "$work/claude-bench-$2.json" ;; direct-anth) echo "$work/anth-$2.json" ;; *) echo "$work/bench-$2.json" ;; esac
}

# Each target must stream 200 content chunks and end properly.
for t in "${targets[@]}"; do
    n=$(curl -sN --max-time 60 -H "Content-Type: application/json" -H "anthropic-version: 2023-06-01" -H "$(auth_of "$t")" --data-binary @"$(body_of "$t" fast)" "$(url_of "$t")" | grep -cE '"(content|text)":"[^"]' || true)
    if [ "$n" -lt 200 ]; then
        echo "$t streamed $n content chunks, expected 200" >&2
        if [ "$t" = litellm ]; then LITELLM_SKIP="streamed $n content chunks"; targets=(direct direct-anth sy-passthru sy-translate); else exit 1; fi
    fi
done

results="$work/results.tsv"
: > "$results"
echo "$(machine_facts)" >&2
for speed in fast slow; do
    for rep in $(seq 1 "$reps"); do
        for t in "${targets[@]}"; do
            timing=$(curl -sN -o /dev/null --max-time 60 -w '%{http_code} %{time_starttransfer} %{time_total}' \
                -H "Content-Type: application/json" -H "anthropic-version: 2023-06-01" -H "$(auth_of "$t")" --data-binary @"$(body_of "$t" "$speed")" "$(url_of "$t")")
            set -- $timing
            [ "$1" = 200 ] || { echo "$t answered $1" >&2; exit 1; }
            printf 'curl\t%s\t%s\t%s\t%s\n' "$speed" "$t" "$2" "$3" >> "$results"
        done
    done
    specs=()
    for t in "${targets[@]}"; do specs+=("$t=$(url_of "$t")|$(body_of "$t" "$speed")|$(auth_of "$t")"); done
    timeout 600 python3 Benchmarks/sse_timing.py "$reps" "${specs[@]}" | sed "s/^/py\t$speed\t/" >> "$results"
    echo "done: $speed" >&2
done

python3 - "$results" "$reps" "$LITELLM_SKIP" "$(machine_facts); $(litellm_desc)" <<'PY'
import sys, statistics as st
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
reps, llskip, facts = sys.argv[2], sys.argv[3], sys.argv[4]
curl, py = {}, {}
for r in rows:
    if r[0] == "curl": curl.setdefault((r[1], r[2]), []).append((float(r[3]) * 1e3, float(r[4]) * 1e3))
    else: py.setdefault((r[1], r[2]), []).append(float(r[4]) * 1e3)
def p90(xs): xs = sorted(xs); return xs[min(len(xs) - 1, int(0.9 * len(xs)))]
print(f"Streaming: 200-chunk OpenAI-format stream, {reps} alternating repetitions per target, medians (p90) in ms")
print(facts)
print("+ columns: over direct (sy-translate: over direct-anth, its own upstream stream)")
print(f"{'chunk delay':<12}{'target':<14}{'TTFB':>8}{'(p90)':>8}{'+TTFB':>8}{'1st content':>12}{'+content':>9}{'total':>9}{'(p90)':>9}{'+total':>8}")
for speed, label in (("fast", "0 ms"), ("slow", "5 ms")):
    for t in ("direct", "direct-anth", "sy-passthru", "sy-translate", "litellm"):
        base = "direct-anth" if t == "sy-translate" else "direct"
        d = curl[(speed, base)]
        d_ttfb, d_total = st.median(x[0] for x in d), st.median(x[1] for x in d)
        d_fc = st.median(py[(speed, base)])
        if (speed, t) not in curl:
            print(f"{label:<12}{t:<14}  {llskip or 'no data'}")
            continue
        xs = curl[(speed, t)]
        ttfb, total = st.median(x[0] for x in xs), st.median(x[1] for x in xs)
        fc = st.median(py[(speed, t)])
        plus = lambda a, b: "" if t.startswith("direct") else f"{a - b:+.2f}"
        print(f"{label:<12}{t:<14}{ttfb:>8.2f}{p90([x[0] for x in xs]):>8.2f}{plus(ttfb, d_ttfb):>8}{fc:>12.2f}{plus(fc, d_fc):>9}"
              f"{total:>9.2f}{p90([x[1] for x in xs]):>9.2f}{plus(total, d_total):>8}")
PY
