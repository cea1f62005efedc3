#!/usr/bin/env bash
# Proxy overhead, non-streaming: wrk POSTs a chat request at 1, 16 and 64 connections to
#   direct        nginx returning a fixed OpenAI chat-completion body (the upstream itself)
#   nginx-proxy   nginx reverse proxy to that upstream, keep-alive upstream connections
#   sy-passthru   Switchyard, OpenAI client -> OpenAI provider (same-format passthrough)
#   sy-translate  Switchyard, OpenAI client -> Anthropic provider (nginx answers a fixed Messages body)
#   litellm       LiteLLM proxy (openai-compatible model with api_base = the upstream), production settings
# alternating target by target in one run, several rounds; prints medians over rounds.
# Usage: Benchmarks/proxy.sh [rounds] [seconds-per-run]      (defaults 3 and 5)
# SWITCHYARD_BIN_B=path adds that build as syB-passthru / syB-translate, alternating with the
# others in every round (before/after comparisons on a noisy machine).
# CPU/req is the process CPU time (utime+stime from /proc/PID/stat, all threads and worker
# processes) of the proxy alone divided by the requests wrk completed; for "direct" it is the
# upstream nginx's own. RSS is the proxy's resident memory after the run (all its processes).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rounds="${1:-3}"
seconds="${2:-5}"
need wrk "apt-get install -y wrk"
need nginx "apt-get install -y nginx-light"
build_bins

up_port=$PORT_BASE ngx_port=$((PORT_BASE + 1)) sy_port=$((PORT_BASE + 2)) ll_port=$((PORT_BASE + 5))

# Realistic ~400-byte bodies with usage, as the real APIs answer.
openai_body='{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1763776000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris, which is also its largest city and its political and cultural centre.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":21,"total_tokens":45},"service_tier":"default","system_fingerprint":"fp_0ba0d124f1"}'
anthropic_body='{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"The capital of France is Paris, which is also its largest city and its political and cultural centre."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":21}}'

cat > "$work/upstream.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/upstream.pid;
error_log $work/upstream-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$up_port backlog=4096;
    default_type application/json;
    location = /v1/chat/completions { return 200 '$openai_body'; }
    location = /v1/messages { return 200 '$anthropic_body'; }
  }
}
NGINX
cat > "$work/proxy.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/proxy.pid;
error_log $work/proxy-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_buffer_size 64k;
  upstream llm { server 127.0.0.1:$up_port; keepalive 64; keepalive_requests 100000000; }
  server {
    listen 127.0.0.1:$ngx_port backlog=4096;
    location / {
      proxy_pass http://llm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering on;
    }
  }
}
NGINX
nginx -c "$work/upstream.conf" & up_pid=$!; pids+=("$up_pid")
nginx -c "$work/proxy.conf" & ngx_pid=$!; pids+=("$ngx_pid")

provision_switchyard() {  # the switchyard at SY_ADMIN; prints its client key
    sy_admin PUT /v1/providers/up-openai "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:$up_port/v1\",\"models\":[\"gpt-*\"],\"allow_private_network\":true}" >/dev/null
    sy_admin PUT /v1/providers/up-anthropic "{\"type\":\"anthropic\",\"base_url\":\"http://127.0.0.1:$up_port\",\"models\":[\"claude-*\"],\"allow_private_network\":true}" >/dev/null
    sy_admin PUT /v1/credentials/up-openai-1 '{"provider":"up-openai","api_key":"sk-bench-openai"}' >/dev/null
    sy_admin PUT /v1/credentials/up-anthropic-1 '{"provider":"up-anthropic","api_key":"sk-ant-bench"}' >/dev/null
    sy_client_key
}
if [ -n "${SWITCHYARD_BIN_B:-}" ]; then
    SY_BIN="$SWITCHYARD_BIN_B" SY_DB="$work/switchyard-b.db" start_switchyard "$((sy_port + 10))" ${SWITCHYARD_B_FLAGS:-}
    syb_pid=$SY_PID syb_key="$(provision_switchyard)"
fi
start_switchyard "$sy_port"
client_key="$(provision_switchyard)"

start_litellm "$ll_port" "  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$up_port/v1
      api_key: sk-bench-openai"

request() {  # model
    printf '{"model":"%s","messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"What is the capital of France? Answer in one sentence."}],"max_tokens":128,"temperature":0.2}' "$1"
}
request gpt-4o-mini > "$work/openai.json"
request claude-sonnet-4-5 > "$work/translate.json"

# Each target: name, URL, body file, auth header, PIDs whose CPU/RSS count.
targets=(direct nginx-proxy sy-passthru sy-translate litellm)
declare -A url body auth procs
if [ -n "${SWITCHYARD_BIN_B:-}" ]; then
    targets=(direct nginx-proxy sy-passthru syB-passthru sy-translate syB-translate litellm)
    url[syB-passthru]="http://127.0.0.1:$((sy_port + 10))/v1/chat/completions"; body[syB-passthru]=$work/openai.json; auth[syB-passthru]="Authorization: Bearer $syb_key"; procs[syB-passthru]=$syb_pid
    url[syB-translate]="http://127.0.0.1:$((sy_port + 10))/v1/chat/completions"; body[syB-translate]=$work/translate.json; auth[syB-translate]="Authorization: Bearer $syb_key"; procs[syB-translate]=$syb_pid
fi
url[direct]="http://127.0.0.1:$up_port/v1/chat/completions";   body[direct]=$work/openai.json;      auth[direct]="Authorization: Bearer sk-bench-openai";        procs[direct]=$up_pid
url[nginx-proxy]="http://127.0.0.1:$ngx_port/v1/chat/completions"; body[nginx-proxy]=$work/openai.json; auth[nginx-proxy]="Authorization: Bearer sk-bench-openai"; procs[nginx-proxy]=$ngx_pid
url[sy-passthru]="http://127.0.0.1:$sy_port/v1/chat/completions"; body[sy-passthru]=$work/openai.json; auth[sy-passthru]="Authorization: Bearer $client_key";      procs[sy-passthru]=$SY_PID
url[sy-translate]="http://127.0.0.1:$sy_port/v1/chat/completions"; body[sy-translate]=$work/translate.json; auth[sy-translate]="Authorization: Bearer $client_key"; procs[sy-translate]=$SY_PID
url[litellm]="http://127.0.0.1:$ll_port/v1/chat/completions";   body[litellm]=$work/openai.json;     auth[litellm]="Authorization: Bearer sk-bench-litellm-master"; procs[litellm]="${LITELLM_PID:-}"

# Every target must answer 200 with a chat completion before anything is measured.
for t in "${targets[@]}"; do
    [ "$t" = litellm ] && [ -n "$LITELLM_SKIP" ] && continue
    out=$(curl -sS --max-time 30 -w ' HTTP%{http_code}' -H "Content-Type: application/json" -H "${auth[$t]}" --data-binary @"${body[$t]}" "${url[$t]}")
    case "$out" in
        *'"chat.completion"'*HTTP200) ;;
        *) echo "$t does not answer a chat completion: $out" >&2; [ "$t" = litellm ] && LITELLM_SKIP="failed: $(echo "$out" | cut -c1-80)" || exit 1 ;;
    esac
done
# Warm-up (connection pools, JIT-free but caches), not recorded.
for t in "${targets[@]}"; do
    [ "$t" = litellm ] && [ -n "$LITELLM_SKIP" ] && continue
    timeout 30 wrk -t1 -c4 -d1s -s Benchmarks/post.lua "${url[$t]}" -- "${body[$t]}" "${auth[$t]}" >/dev/null
done

# BENCH_PERF=TARGET:CONNS (e.g. sy-passthru:16): profile that target's process under wrk with
# perf instead of measuring; prints the hottest symbols (self time) and per-thread CPU.
# BENCH_PERF_TOOL=strace counts system calls instead.
# BENCH_PERF_FREQ (default 1999 Hz) and BENCH_PERF_CG (default -g; e.g. "--call-graph dwarf,32768",
# which charges runtime and libc time to the calling Swift function) tune the recording.
if [ -n "${BENCH_PERF:-}" ]; then
    t=${BENCH_PERF%%:*} conns=${BENCH_PERF##*:}
    if [ "${BENCH_PERF_TOOL:-perf}" = strace ]; then  # system calls per request instead
        need strace "apt-get install -y strace"
        timeout -s INT "$seconds" strace -c -f -p "${procs[$t]}" 2> "$work/strace.txt" &
        strace_pid=$!
        wrk -t1 -c"$conns" -d"$((seconds - 1))s" -s Benchmarks/post.lua "${url[$t]}" -- "${body[$t]}" "${auth[$t]}" | grep -E "requests in"
        wait "$strace_pid" || true
        head -25 "$work/strace.txt"
        exit 0
    fi
    need perf "apt-get install -y linux-perf"
    perf record -F ${BENCH_PERF_FREQ:-1999} ${BENCH_PERF_CG:--g} -o "${BENCH_PERF_DATA:-$work/perf.data}" -p "${procs[$t]}" -- sleep "$seconds" >/dev/null 2>&1 &
    perf_pid=$!
    wrk -t2 -c"$conns" -d"${seconds}s" -s Benchmarks/post.lua "${url[$t]}" -- "${body[$t]}" "${auth[$t]}" | grep -E "Requests/sec"
    wait "$perf_pid" || true
    perf report -i "${BENCH_PERF_DATA:-$work/perf.data}" --no-children --sort symbol --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -"${BENCH_PERF_LINES:-45}"
    echo "-- by thread"
    perf report -i "${BENCH_PERF_DATA:-$work/perf.data}" --no-children --sort comm --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -8
    exit 0
fi

results="$work/results.tsv"
: > "$results"
run() {  # target conns round
    local t=$1 conns=$2 before after out
    before=$(cpu_ticks ${procs[$t]})
    out=$(timeout $((seconds + 60)) wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${seconds}s" --timeout 20s --latency \
        -s Benchmarks/post.lua "${url[$t]}" -- "${body[$t]}" "${auth[$t]}")
    after=$(cpu_ticks ${procs[$t]})
    WRK_OUT="$out" python3 - "$t" "$conns" "$((after - before))" "$HZ" "$(rss_kib ${procs[$t]})" "$3" >> "$results" <<'PY'
import os, re, sys
name, conns, ticks, hz, rss, rnd = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
text = os.environ["WRK_OUT"]
def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.search(r"[a-z]+", v).group()
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
reqs = int(re.search(r"(\d+) requests in", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, errs.groups())) if errs else 0)
cpu_us = ticks / hz * 1e6 / max(reqs, 1)
print(f"{name}\t{conns}\t{rps:.1f}\t{p50:.3f}\t{p99:.3f}\t{cpu_us:.1f}\t{rss}\t{errors}\t{reqs}\t{rnd}")
PY
}

echo "$(machine_facts)" >&2
for round in $(seq 1 "$rounds"); do
    for conns in 1 16 64; do
        for t in "${targets[@]}"; do
            [ "$t" = litellm ] && [ -n "$LITELLM_SKIP" ] && continue
            run "$t" "$conns" "$round"
            echo "round $round/$rounds  $t  c=$conns  $(tail -1 "$results" | cut -f3-5 | tr '\t' ' ')" >&2
        done
    done
done
cp "$results" "${BENCH_RAW_OUT:-/dev/null}" 2>/dev/null || true

python3 - "$results" "$rounds" "$seconds" "$LITELLM_SKIP" "$(machine_facts); $(litellm_desc)" <<'PY'
import sys, statistics as st
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
rounds, seconds, llskip, facts = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
by, per_round = {}, {}
for name, conns, rps, p50, p99, cpu, rss, errs, reqs, rnd in rows:
    by.setdefault((name, int(conns)), []).append((float(rps), float(p50), float(p99), float(cpu), int(rss), int(errs)))
    per_round[(name, int(conns), rnd)] = (float(p50), float(p99))
def added(name, conns, i):
    # Paired within a round (the direct run just before), then the median over rounds.
    diffs = [v[i] - per_round[("direct", c, r)][i] for (n, c, r), v in per_round.items()
             if n == name and c == conns and ("direct", c, r) in per_round]
    return st.median(diffs)
def med(name, conns):
    runs = by.get((name, conns))
    if not runs: return None
    cols = list(zip(*runs))
    return [st.median(c) for c in cols[:5]] + [sum(cols[5])]
print(f"Proxy overhead, non-streaming POST /v1/chat/completions; {rounds} alternating rounds x {seconds} s per run; medians over rounds")
print(facts)
print("+p50/+p99: latency added over direct, paired round by round (median of the differences)")
hdr = f"{'target':<13}{'conns':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'+p50 ms':>9}{'+p99 ms':>9}{'CPU us/req':>11}{'RSS MiB':>9}{'errors':>7}"
print(hdr)
for conns in (1, 16, 64):
    d = med("direct", conns)
    for name in ("direct", "nginx-proxy", "sy-passthru", "syB-passthru", "sy-translate", "syB-translate", "litellm"):
        m = med(name, conns)
        if m is None and name.startswith("syB"): continue
        if m is None:
            print(f"{name:<13}{conns:>5}  {llskip or 'no data'}")
            continue
        add50 = "" if name == "direct" else f"{added(name, conns, 0):.3f}"
        add99 = "" if name == "direct" else f"{added(name, conns, 1):.3f}"
        print(f"{name:<13}{conns:>5}{m[0]:>10.0f}{m[1]:>9.3f}{m[2]:>9.3f}{add50:>9}{add99:>9}{m[3]:>11.1f}{m[4]/1024:>9.1f}{m[5]:>7}")
print()
print("ratios (req/s; CPU per request)")
for conns in (1, 16, 64):
    ng, ll = med("nginx-proxy", conns), med("litellm", conns)
    for name in ("sy-passthru", "sy-translate", "syB-passthru", "syB-translate"):
        s = med(name, conns)
        if s is None: continue
        parts = [f"{name:<13} c={conns:<3}"]
        parts.append(f"req/s vs nginx-proxy {s[0]/ng[0]:.2f}x, CPU/req vs nginx-proxy {s[3]/max(ng[3],1e-9):.1f}x")
        if ll: parts.append(f"req/s vs litellm {s[0]/ll[0]:.0f}x, CPU/req vs litellm {s[3]/max(ll[3],1e-9):.3f}x")
        else: parts.append(f"litellm: {llskip or 'no data'}")
        print(";  ".join(parts))
PY
