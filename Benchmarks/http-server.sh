#!/usr/bin/env bash
# HTTP core benchmark: switchyard's /healthz vs nginx returning the same fixed JSON body, both
# with keep-alive, measured with wrk alternately in one run over several rounds.
# Usage: Benchmarks/http-server.sh [rounds] [seconds-per-run]     (defaults 3 and 5)
# Prints a table of requests/s, p50, p99 and CPU per request, and the ratios to nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
seconds="${2:-5}"
command -v wrk >/dev/null && command -v nginx >/dev/null || {
    echo "needs wrk and nginx: apt-get install -y wrk nginx-light" >&2
    exit 1
}
if [ -z "${SWITCHYARD_BIN:-}" ]; then
    swift build -c release --product switchyard >/dev/null
fi
bin="${SWITCHYARD_BIN:-$(swift build -c release --show-bin-path)/switchyard}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

sy_port=18180 ngx_port=18190
SWITCHYARD_ADMIN_TOKEN=bench-admin-token-0123456789 "$bin" serve --listen 127.0.0.1:$sy_port \
    --admin-listen 127.0.0.1:$((sy_port + 1)) --db "$work/bench.db" --log-level error 2>/dev/null &
pids+=($!)
sy_pid=$!
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$ngx_port;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
nginx -c "$work/nginx.conf" &
pids+=($!)
ngx_master=$!
sleep 1

# CPU ticks (user+system) of a process and its children threads/workers.
cpu_ticks() {
    local total=0
    for pid in "$@"; do
        read -r -a f < "/proc/$pid/stat"
        total=$((total + f[13] + f[14]))
    done
    echo "$total"
}
nginx_pids() { echo "$ngx_master $(pgrep -P "$ngx_master" | tr '\n' ' ')"; }

results="$work/results.tsv"
run() {  # name port connections pids...
    local name=$1 port=$2 conns=$3
    shift 3
    local before after out
    before=$(cpu_ticks "$@")
    out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${seconds}s" --latency "http://127.0.0.1:$port/healthz")
    after=$(cpu_ticks "$@")
    python3 - "$name" "$conns" "$((after - before))" "$(getconf CLK_TCK)" >> "$results" <<PY
import re, sys
name, conns, ticks, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = """$out"""
def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.search(r"[a-z]+", v).group()
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
reqs = int(re.search(r"(\d+) requests in", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
cpu_us = ticks / hz * 1e6 / max(reqs, 1)
print(f"{name}\t{conns}\t{rps:.0f}\t{p50:.3f}\t{p99:.3f}\t{cpu_us:.2f}")
PY
}

for round in $(seq 1 "$rounds"); do
    for conns in 1 16 64; do
        run switchyard $sy_port "$conns" "$sy_pid"
        run nginx $ngx_port "$conns" $(nginx_pids)
    done
done

python3 - "$results" "$rounds" "$seconds" <<'PY'
import sys, statistics
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
by = {}
for name, conns, rps, p50, p99, cpu in rows:
    by.setdefault((name, int(conns)), []).append((float(rps), float(p50), float(p99), float(cpu)))
print(f"HTTP core: GET /healthz, {sys.argv[2]} alternating rounds of {sys.argv[3]} s, wrk -t2; medians over rounds")
print(f"{'server':<11} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>10}")
for conns in (1, 16, 64):
    for name in ("switchyard", "nginx"):
        runs = by[(name, conns)]
        med = [statistics.median(x) for x in zip(*runs)]
        print(f"{name:<11} {conns:>5} {med[0]:>9.0f} {med[1]:>8.3f} {med[2]:>8.3f} {med[3]:>10.2f}")
    s = [statistics.median(x) for x in zip(*by[("switchyard", conns)])]
    n = [statistics.median(x) for x in zip(*by[("nginx", conns)])]
    print(f"{'ratio':<11} {conns:>5} {s[0]/n[0]:>8.2f}x {s[1]/n[1]:>7.2f}x {s[2]/n[2]:>7.2f}x {s[3]/n[3]:>9.2f}x")
PY
