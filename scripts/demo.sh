#!/usr/bin/env bash
# Quick start: installs the system libraries, builds a release binary and runs Switchyard with a
# throwaway database in .demo/. Gateway on 127.0.0.1:8080, admin API on 127.0.0.1:8081.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
if ! dpkg -s libcurl4-openssl-dev libsqlite3-dev libssl-dev >/dev/null 2>&1; then
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev libsqlite3-dev libssl-dev curl >/dev/null
fi
swift build -c release --product switchyard
mkdir -p .demo
export SWITCHYARD_ADMIN_TOKEN="${SWITCHYARD_ADMIN_TOKEN:-demo-admin-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}"
echo "admin token: $SWITCHYARD_ADMIN_TOKEN"
echo "try: curl -s http://127.0.0.1:8080/healthz"
exec "$(swift build -c release --show-bin-path)/switchyard" serve --db .demo/switchyard.db "$@"
