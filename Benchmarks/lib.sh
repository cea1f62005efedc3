# Shared helpers for Benchmarks/proxy.sh, streaming.sh and memory.sh (sourced, not run).
#
# Environment:
#   SWITCHYARD_BIN, SWITCHYARD_MOCK_BIN   use these binaries instead of building release
#   SWITCHYARD_BIN_B                      proxy.sh: a second switchyard build measured alongside
#                                         (targets syB-passthru, syB-translate), e.g. a baseline
#   BENCH_VENV                            LiteLLM virtual environment (default /work/bench-venv/venv,
#                                         created with pip install 'litellm[proxy]' when missing)
#   BENCH_NO_LITELLM=1                    skip LiteLLM
#   BENCH_PORT_BASE                       first of the 127.0.0.1 ports used (default 27400)
# Everything listens on 127.0.0.1 only; every process started here is stopped by PID on exit.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_ROOT="$(pwd)"
PORT_BASE="${BENCH_PORT_BASE:-27400}"
HZ="$(getconf CLK_TCK)"
ADMIN_TOKEN="bench-admin-token-0123456789abcdef"
BENCH_VENV="${BENCH_VENV:-/work/bench-venv/venv}"

work="$(mktemp -d /tmp/switchyard-bench.XXXXXX)"
pids=()
cleanup() {
    local pid
    # Children (nginx workers, LiteLLM workers) stop with their parent; TERM first, then KILL.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() { command -v "$1" >/dev/null || { echo "needs $1 ($2)" >&2; exit 1; }; }

build_bins() {  # sets SY_BIN and MOCK_BIN
    if [ -z "${SWITCHYARD_BIN:-}" ] || [ -z "${SWITCHYARD_MOCK_BIN:-}" ]; then
        swift build -c release --product switchyard >/dev/null
        swift build -c release --product switchyard-mock >/dev/null
    fi
    local dir
    dir="$(swift build -c release --show-bin-path 2>/dev/null || echo .build/release)"
    SY_BIN="${SWITCHYARD_BIN:-$dir/switchyard}"
    MOCK_BIN="${SWITCHYARD_MOCK_BIN:-$dir/switchyard-mock}"
}

wait_http() {  # URL [seconds]: until it answers (any status)
    local deadline=$((SECONDS + ${2:-30}))
    while [ $SECONDS -lt $deadline ]; do
        curl -s -o /dev/null --max-time 2 "$1" && return 0
        sleep 0.1
    done
    echo "timed out waiting for $1" >&2
    return 1
}

# All PIDs of a process tree (the process and its descendants).
tree_pids() {
    local pid child
    for pid in "$@"; do
        echo "$pid"
        for child in $(pgrep -P "$pid" 2>/dev/null); do tree_pids "$child"; done
    done
}
# CPU clock ticks (utime+stime of every thread) of the given processes and their descendants.
cpu_ticks() {
    local total=0 pid f
    for pid in $(tree_pids "$@"); do
        if read -r -a f < "/proc/$pid/stat" 2>/dev/null; then
            # Fields after the "(comm)" are shifted when comm has spaces; our processes have none.
            total=$((total + f[13] + f[14]))
        fi
    done
    echo "$total"
}
# Resident set size in KiB of the given processes and their descendants.
rss_kib() {
    local total=0 pid kib
    for pid in $(tree_pids "$@"); do
        kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        total=$((total + ${kib:-0}))
    done
    echo "$total"
}

# switchyard serve on PORT (gateway) and PORT+1 (admin); sets SY_PID.
start_switchyard() {  # PORT [extra flags...]
    local port=$1
    shift
    SWITCHYARD_ADMIN_TOKEN="$ADMIN_TOKEN" SWITCHYARD_MASTER_KEY="$(head -c32 /dev/zero | base64)" \
        "$SY_BIN" serve --listen "127.0.0.1:$port" --admin-listen "127.0.0.1:$((port + 1))" \
        --db "${SY_DB:-$work/switchyard.db}" --log-level error "$@" 2> "$work/switchyard.log" &
    SY_PID=$!
    pids+=("$SY_PID")
    wait_http "http://127.0.0.1:$((port + 1))/healthz" 30 || { cat "$work/switchyard.log" >&2; exit 1; }
    SY_ADMIN="http://127.0.0.1:$((port + 1))"
}
sy_admin() {  # METHOD PATH [JSON]
    curl -fsS -X "$1" "$SY_ADMIN$2" -H "Authorization: Bearer $ADMIN_TOKEN" \
        ${3:+-H "Content-Type: application/json" --data-binary "$3"}
}
sy_client_key() { sy_admin POST /v1/client-keys '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])'; }

# switchyard-mock on PORT; sets MOCK_PID.
start_mock() {  # PORT
    "$MOCK_BIN" --port "$1" > "$work/mock.log" 2>&1 &
    MOCK_PID=$!
    pids+=("$MOCK_PID")
    wait_http "http://127.0.0.1:$1/_mock/faults" 30 || { cat "$work/mock.log" >&2; exit 1; }
}

# LiteLLM proxy with the given config on PORT; sets LITELLM_PID or LITELLM_SKIP (a reason).
LITELLM_SKIP=""
ensure_litellm() {
    if [ -n "${BENCH_NO_LITELLM:-}" ]; then LITELLM_SKIP="skipped (BENCH_NO_LITELLM)"; return; fi
    if [ ! -x "$BENCH_VENV/bin/litellm" ]; then
        echo "installing LiteLLM into $BENCH_VENV (pip install 'litellm[proxy]')..." >&2
        if ! { python3 -m venv "$BENCH_VENV" && timeout 900 "$BENCH_VENV/bin/pip" install -q 'litellm[proxy]'; } > "$work/pip.log" 2>&1; then
            LITELLM_SKIP="not installed: $(tail -1 "$work/pip.log" | cut -c1-100)"
            return
        fi
    fi
}
start_litellm() {  # PORT MODEL_LIST (the YAML items under model_list:)
    ensure_litellm
    [ -n "$LITELLM_SKIP" ] && return
    # The production settings both benchmarks share: no spend or error logs, JSON logs, quiet.
    cat > "$work/litellm.yaml" <<YAML
model_list:
$2
general_settings:
  master_key: sk-bench-litellm-master
  disable_spend_logs: true
  disable_error_logs: true
litellm_settings:
  set_verbose: false
  json_logs: true
  request_timeout: 600
YAML
    # Production settings: one worker per core, logging at ERROR, no database, local cost map.
    LITELLM_LOG=ERROR LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_MODE=PRODUCTION \
        "$BENCH_VENV/bin/litellm" --config "$work/litellm.yaml" --host 127.0.0.1 --port "$1" --num_workers "$(nproc)" \
        > "$work/litellm.log" 2>&1 &
    LITELLM_PID=$!
    pids+=("$LITELLM_PID")
    if ! wait_http "http://127.0.0.1:$1/health/liveliness" 180; then
        LITELLM_SKIP="did not start: $(grep -v '^\s*$' "$work/litellm.log" | tail -1 | cut -c1-100)"
    fi
}

litellm_desc() {
    if [ -n "$LITELLM_SKIP" ]; then echo "LiteLLM: $LITELLM_SKIP"; return; fi
    echo "LiteLLM $("$BENCH_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))' 2>/dev/null) ($(nproc) workers, LITELLM_LOG=ERROR, no database); switchyard --log-level error"
}
machine_facts() {
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
}
