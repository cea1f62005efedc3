#!/usr/bin/env bash
# Drives Switchyard (in front of switchyard-mock) with the official OpenAI, Anthropic and Gemini
# Python SDKs: every client format against every upstream format, streaming and not, tool calls
# and token counting. Needs the release binaries (scripts/test.sh builds them) and PyPI.
#   SDK_VENV   the virtual environment to use or create (default .build/sdk-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SWITCHYARD_BIN_DIR:-$(swift build -c release --show-bin-path)}"
venv="${SDK_VENV:-.build/sdk-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q openai anthropic google-genai
fi
export SWITCHYARD_LISTEN=127.0.0.1:18280 SWITCHYARD_ADMIN_LISTEN=127.0.0.1:18281
source scripts/lib/stack.sh
"$venv/bin/python" Tests/SDK/sdk_check.py "http://$listen" "$client_key"
