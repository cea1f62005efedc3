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

source scripts/lib/stack.sh

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
