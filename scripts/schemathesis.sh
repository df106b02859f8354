#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with schemathesis (PyPI), signed
# in as the demo administrator, and fails on any 5xx, schema violation or undocumented
# answer (every check). Usage: scripts/schemathesis.sh BASE_URL LABEL
# Prints "schemathesis LABEL: N passed, N failed" for scripts/test.sh to count.
set -euo pipefail
base=${1:?base URL}
label=${2:-api}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/test-venv"
"$root/scripts/test-venv.sh" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
token() { grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"$//'; }
login_token=$(curl -fsS -c "$work/jar" -b "$work/jar" "$base/login" | token)
curl -fsS -o /dev/null -c "$work/jar" -b "$work/jar" \
  --data-urlencode "_csrf=$login_token" --data-urlencode "email=admin@hanbit.example" \
  --data-urlencode "password=sotong-demo-2026" "$base/login"
session=$(awk '$6 == "sotong_session" {print $7}' "$work/jar")
csrf=$(curl -fsS -b "$work/jar" "$base/account" | token)
[ -n "$session" ] && [ -n "$csrf" ] || { echo "schemathesis $label: could not sign in" >&2; exit 1; }
status=0
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" --checks all --max-examples 30 --seed 20261201 \
  --no-color -H "Cookie: sotong_session=$session" -H "X-CSRF-Token: $csrf" >"$work/out" 2>&1 || status=$?
cat "$work/out"
cases=$(sed -n 's/^ *\([0-9]*\) generated.*/\1/p' "$work/out" | tail -n 1)
failures=$(sed -n 's/.* \([0-9]*\) unique failures.*/\1/p' "$work/out" | tail -n 1)
failures=${failures:-0}
[ "$status" -ne 0 ] && [ "$failures" -eq 0 ] && failures=1
echo "schemathesis $label: $(( ${cases:-0} - failures )) passed, $failures failed"
exit "$status"
