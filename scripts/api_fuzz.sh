#!/usr/bin/env bash
# Fuzz the live JSON API with schemathesis (issue 21): the demo data in a throw-away SQLite
# database, served on the loopback, probed once with the administrator's write token and once
# with a read-only token. Fails on any server error (5xx). Bounded in examples and in time.
#
#   bash scripts/api_fuzz.sh            # PORT, EXAMPLES, MAX_TIME may be set
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8765}"
examples="${EXAMPLES:-20}"
max_time="${MAX_TIME:-300}"
schemathesis="schemathesis==4.32.5"

var_dir="$(mktemp -d)"
export SHARAKA_VAR_DIR="$var_dir"
unset DATABASE_URL
uv run sharaka demo --no-serve >/dev/null

tokens="$(uv run sharaka manage shell --no-imports -c '
from django.contrib.auth import get_user_model
from sharaka.accounts.services import api_token_issue
admin = get_user_model().objects.get(username="admin")
print("TOKEN", api_token_issue(user=admin, name="fuzz write", scope="write")[1])
print("TOKEN", api_token_issue(user=admin, name="fuzz read", scope="read")[1])
')"
write_token="$(grep '^TOKEN ' <<<"$tokens" | sed -n 1p | cut -d' ' -f2)"
read_token="$(grep '^TOKEN ' <<<"$tokens" | sed -n 2p | cut -d' ' -f2)"

uv run sharaka manage runserver "127.0.0.1:$port" --noreload >"$var_dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$var_dir"' EXIT
for _ in $(seq 1 60); do
  python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/openapi.json', timeout=5)" \
    >/dev/null 2>&1 && break
  sleep 1
done

status=0
for scope in write read; do
  token="$write_token"
  [ "$scope" = read ] && token="$read_token"
  echo "--- schemathesis, $scope token"
  uvx "$schemathesis" --no-color run "http://127.0.0.1:$port/api/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error \
    --max-examples "$examples" --max-time "$max_time" --seed 2026 \
    --request-timeout 30 --workers 1 || status=1
done
if grep -q "Traceback" "$var_dir/server.log"; then
  echo "--- the server logged a traceback:"; grep -A 30 "Traceback" "$var_dir/server.log" | head -60
  status=1
fi
exit "$status"
