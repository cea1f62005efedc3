#!/usr/bin/env bash
# Provisions a realistic Switchyard setup through the admin API with plain curl:
# three providers, several credentials with tiers and priorities, an alias pool, a route,
# settings, and a client key (printed once, at the end).
#
#   SWITCHYARD_ADMIN_URL    admin base URL (default http://127.0.0.1:8081)
#   SWITCHYARD_ADMIN_TOKEN  the admin token (required)
#   OPENAI_API_KEY, ANTHROPIC_API_KEY, ANTHROPIC_API_KEY_BACKUP, GEMINI_API_KEY
#                           upstream keys (placeholders are used when unset)
#
# Every call uses PUT with a chosen id or name, so running the script twice changes nothing.
# Any non-2xx answer stops the script (curl --fail) with the server's error on stderr.
set -euo pipefail

ADMIN_URL="${SWITCHYARD_ADMIN_URL:-http://127.0.0.1:8081}"
: "${SWITCHYARD_ADMIN_TOKEN:?set SWITCHYARD_ADMIN_TOKEN to the admin token}"

OPENAI_KEY="${OPENAI_API_KEY:-sk-proj-example-openai-key-0000000000}"
ANTHROPIC_KEY="${ANTHROPIC_API_KEY:-sk-ant-api03-example-anthropic-key-0000}"
ANTHROPIC_BACKUP_KEY="${ANTHROPIC_API_KEY_BACKUP:-sk-ant-api03-example-backup-key-00000}"
GEMINI_KEY="${GEMINI_API_KEY:-AIzaSyExample-gemini-key-000000000000}"

# admin METHOD PATH [JSON]: one authenticated call; the response body goes to stdout.
admin() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-fsS --show-error -X "$method" "$ADMIN_URL$path"
              -H "Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN")
  if [ -n "$body" ]; then
    args+=(-H "Content-Type: application/json" --data-binary "$body")
  fi
  curl "${args[@]}"
  echo
}

echo "== providers" >&2
admin PUT /v1/providers/openai '{
  "type": "openai", "base_url": "https://api.openai.com/v1",
  "models": ["gpt-*", "o1*", "o3*", "o4*"]
}'
admin PUT /v1/providers/anthropic '{
  "type": "anthropic", "base_url": "https://api.anthropic.com",
  "models": ["claude-*"], "quota_scope": "credential",
  "headers": {"anthropic-beta": "prompt-caching-2024-07-31"}
}'
admin PUT /v1/providers/gemini '{
  "type": "gemini", "base_url": "https://generativelanguage.googleapis.com",
  "models": ["gemini-*"]
}'

echo "== credentials" >&2
# Tier 0 is tried first; within a tier, higher priority first.
admin PUT /v1/credentials/openai-main "{
  \"provider\": \"openai\", \"label\": \"OpenAI production\", \"api_key\": \"$OPENAI_KEY\",
  \"tier\": 0, \"priority\": 10,
  \"aliases\": [{\"alias\": \"fast\", \"model\": \"gpt-4o-mini\"},
                {\"alias\": \"fast\", \"model\": \"gpt-4.1-mini\"}]
}"
admin PUT /v1/credentials/anthropic-main "{
  \"provider\": \"anthropic\", \"label\": \"Anthropic primary\", \"api_key\": \"$ANTHROPIC_KEY\",
  \"tier\": 0, \"priority\": 10
}"
admin PUT /v1/credentials/anthropic-backup "{
  \"provider\": \"anthropic\", \"label\": \"Anthropic backup\", \"api_key\": \"$ANTHROPIC_BACKUP_KEY\",
  \"tier\": 1, \"priority\": 0, \"models\": [\"claude-sonnet-*\", \"claude-haiku-*\"]
}"
admin PUT /v1/credentials/gemini-main "{
  \"provider\": \"gemini\", \"label\": \"Gemini\", \"api_key\": \"$GEMINI_KEY\",
  \"tier\": 1, \"priority\": 5, \"prefix\": \"google\",
  \"aliases\": [{\"alias\": \"fast\", \"model\": \"gemini-2.5-flash\"}]
}"

echo "== routes" >&2
admin PUT /v1/routes/smart '{
  "strategy": "fallback",
  "targets": [
    {"provider": "anthropic", "model": "claude-sonnet-4-5"},
    {"provider": "openai", "model": "gpt-4.1"},
    {"provider": "gemini", "model": "gemini-2.5-pro"}
  ]
}'

echo "== settings" >&2
admin PATCH /v1/settings '{
  "strategy": "round-robin",
  "retry": {"max_attempts": 3, "max_wait_seconds": 30},
  "upstream_timeouts": {"connect_seconds": 10, "first_byte_seconds": 300}
}'

echo "== client key" >&2
# The key is returned once, when it is created; later runs show only its hint.
admin PUT /v1/client-keys/team-app '{"name": "Team app", "models": ["smart", "fast", "claude-*", "gpt-*"]}'

echo "== done" >&2
