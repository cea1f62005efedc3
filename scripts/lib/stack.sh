# Starts switchyard-mock and switchyard from the release binaries in "$bin", provisions them
# through the admin API with curl, and leaves: $listen, $admin_listen, $mock_port, $client_key,
# $SWITCHYARD_ADMIN_TOKEN and $pids (both processes are stopped when the caller exits). Files go to .demo/
# shellcheck shell=bash
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
