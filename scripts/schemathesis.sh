#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a live admin API, from openapi.yaml, with the documented checks.
#
#   scripts/schemathesis.sh PATH/TO/switchyard
#
# Creates a virtualenv (SCHEMATHESIS_VENV, default .build/schemathesis-venv), starts
# `switchyard serve` with a temporary database and a random admin token, and exits non-zero
# on any server error or any response that contradicts openapi.yaml. Bounded in time:
# --max-examples per operation and an overall timeout (SCHEMATHESIS_TIMEOUT, default 240 s).
#
# Checks: every check except
# - positive_data_acceptance: schema-valid data may still break a rule the schema cannot
#   express (an unknown provider, a private base_url, a duplicate name) and is rightly a 422;
# - ignored_auth: it sends many wrong tokens from one address, which the admin API answers 429
#   after a burst, by design (SPEC §9); AdminTests checks every operation answers 401 without
#   the token, and the rate limiting itself;
# - object_level_authorization: there is one admin principal only.
set -euo pipefail

BINARY="${1:?usage: scripts/schemathesis.sh PATH/TO/switchyard}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${SCHEMATHESIS_VENV:-$ROOT/.build/schemathesis-venv}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
TIMEOUT="${SCHEMATHESIS_TIMEOUT:-240}"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5'
fi

WORK="$(mktemp -d)"
TOKEN="st-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PORT=$((20000 + RANDOM % 20000))
ADMIN_PORT=$((PORT + 1))
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

SWITCHYARD_DB="$WORK/switchyard.db" SWITCHYARD_ADMIN_TOKEN="$TOKEN" \
  "$BINARY" serve --listen "127.0.0.1:$PORT" --admin-listen "127.0.0.1:$ADMIN_PORT" --log-level error \
  2>"$WORK/server.log" &
SERVER_PID=$!

for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:$ADMIN_PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.05
done
curl -fsS "http://127.0.0.1:$ADMIN_PORT/healthz" >/dev/null

CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance"
CHECKS="$CHECKS,response_schema_conformance,negative_data_rejection,missing_required_header"
CHECKS="$CHECKS,unsupported_method,allow_header_conformance,use_after_free,ensure_resource_availability"

status=0
timeout --signal=INT "$TIMEOUT" "$VENV/bin/schemathesis" run "$ROOT/openapi.yaml" \
  --url "http://127.0.0.1:$ADMIN_PORT" \
  --header "Authorization: Bearer $TOKEN" \
  --checks "$CHECKS" \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$MAX_EXAMPLES" \
  --generation-database none \
  --seed "${SCHEMATHESIS_SEED:-20260101}" \
  --workers 1 \
  --no-color || status=$?

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "switchyard exited during the run:" >&2
  cat "$WORK/server.log" >&2
  status=1
fi
exit "$status"
