#!/usr/bin/env bash
# Quick start: installs the system libraries, builds, starts switchyard-mock as a fake upstream
# (OpenAI, Anthropic and Gemini on one port), runs Switchyard in front of it, provisions it
# through the admin API with curl, shows a streamed answer, and keeps serving until Ctrl-C.
#
#   SWITCHYARD_LISTEN / SWITCHYARD_ADMIN_LISTEN   default 127.0.0.1:8080 / 127.0.0.1:8081
#   SWITCHYARD_ADMIN_TOKEN                        generated when unset
#   DEMO_NO_WAIT=1                                stop after the demo request (used by tests)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
if ! dpkg -s libcurl4-openssl-dev libsqlite3-dev libssl-dev curl >/dev/null 2>&1; then
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev libsqlite3-dev libssl-dev curl >/dev/null
fi
swift build -c release --product switchyard >/dev/null
swift build -c release --product switchyard-mock >/dev/null
bin="$(swift build -c release --show-bin-path)"

listen="${SWITCHYARD_LISTEN:-127.0.0.1:8080}"
admin_listen="${SWITCHYARD_ADMIN_LISTEN:-127.0.0.1:8081}"
export SWITCHYARD_ADMIN_TOKEN="${SWITCHYARD_ADMIN_TOKEN:-demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"
mkdir -p .demo
rm -f .demo/switchyard.db .demo/switchyard.db-wal .demo/switchyard.db-shm

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

"$bin/switchyard-mock" --port 0 > .demo/mock.log 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q 'listening on' .demo/mock.log 2>/dev/null && break; sleep 0.05; done
mock_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' .demo/mock.log | head -1)
[ -n "$mock_port" ] || { echo "switchyard-mock did not start:"; cat .demo/mock.log; exit 1; }

"$bin/switchyard" serve --listen "$listen" --admin-listen "$admin_listen" --db .demo/switchyard.db 2> .demo/switchyard.log &
pids+=($!)
for _ in $(seq 100); do curl -fsS "http://$admin_listen/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

admin() {  # METHOD PATH [JSON]
    curl -fsS -X "$1" "http://$admin_listen$2" -H "Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN" \
        ${3:+-H "Content-Type: application/json" --data-binary "$3"}
}
mock="http://127.0.0.1:$mock_port"
admin PUT /v1/providers/mock-openai "{\"type\":\"openai\",\"base_url\":\"$mock/v1\",\"models\":[\"gpt-*\"],\"allow_private_network\":true}" >/dev/null
admin PUT /v1/providers/mock-anthropic "{\"type\":\"anthropic\",\"base_url\":\"$mock\",\"models\":[\"claude-*\"],\"allow_private_network\":true}" >/dev/null
admin PUT /v1/providers/mock-gemini "{\"type\":\"gemini\",\"base_url\":\"$mock\",\"models\":[\"gemini-*\"],\"allow_private_network\":true}" >/dev/null
admin PUT /v1/credentials/openai-a '{"provider":"mock-openai","api_key":"mock-key-a","tier":0}' >/dev/null
admin PUT /v1/credentials/openai-b '{"provider":"mock-openai","api_key":"mock-key-b","tier":1}' >/dev/null
admin PUT /v1/credentials/anthropic-a '{"provider":"mock-anthropic","api_key":"mock-key-c"}' >/dev/null
admin PUT /v1/credentials/gemini-a '{"provider":"mock-gemini","api_key":"mock-key-d"}' >/dev/null
admin PUT /v1/routes/demo '{"strategy":"fallback","targets":[{"provider":"mock-anthropic","model":"claude-sonnet-4-5"},{"provider":"mock-openai","model":"gpt-4o"}]}' >/dev/null
client_key=$(admin POST /v1/client-keys '{"name":"demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

cat <<EOF
Switchyard is running (mock upstream on :$mock_port).
  gateway  http://$listen       client key:  $client_key
  admin    http://$admin_listen       admin token: $SWITCHYARD_ADMIN_TOKEN
  logs     .demo/switchyard.log

A streamed OpenAI-format request for the route "demo" (served by the Anthropic-format mock):
EOF
curl -sN "http://$listen/v1/chat/completions" -H "Authorization: Bearer $client_key" -H "Content-Type: application/json" \
    -d '{"model":"demo","stream":true,"messages":[{"role":"user","content":"Say hello to the new user"}]}'
echo
if [ -n "${DEMO_NO_WAIT:-}" ]; then exit 0; fi
cat <<EOF
Try the SDKs:  OPENAI_BASE_URL=http://$listen/v1 OPENAI_API_KEY=$client_key
               ANTHROPIC_BASE_URL=http://$listen ANTHROPIC_API_KEY=$client_key
Press Ctrl-C to stop.
EOF
wait "${pids[1]}"
