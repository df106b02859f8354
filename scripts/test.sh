#!/usr/bin/env bash
# Runs every test of sotong and prints a count per suite:
#   unit and property tests, HTTP integration tests on SQLite and on PostgreSQL,
#   browser tests (Playwright + axe-core in Debian's Chromium), and schemathesis
#   against the API's OpenAPI document on both databases.
# Every suite runs to the end; the run fails when any test fails or when a suite ran
# fewer tests than its floor below (a suite that silently stopped running).
# On a fresh Debian machine it installs what is missing (PostgreSQL, Chromium, Node.js,
# the npm packages of e2e/) and starts a throwaway PostgreSQL server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf '\n==> %s\n' "$*" >&2; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then apt-get update -qq >&2; apt_updated=1; fi
  apt-get install -y -qq "$@" >&2
}

command -v cargo >/dev/null || { echo "cargo (Rust) is required: https://rustup.rs" >&2; exit 1; }
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || { log "installing Chromium"; apt_install chromium fonts-noto-cjk; }
command -v node >/dev/null && command -v npm >/dev/null || { log "installing Node.js"; apt_install nodejs npm; }
command -v curl >/dev/null || apt_install curl
# The e-mail tests talk to a real SMTP server: Python's standard-library smtpd.
command -v python3 >/dev/null || apt_install python3
command -v psql >/dev/null || apt_install postgresql-client

work=$(mktemp -d /tmp/sotong-test.XXXXXX)
chmod 755 "$work"
demo_pid=""
pg_demo_pid=""
cleanup() {
  [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true
  [ -n "$pg_demo_pid" ] && kill "$pg_demo_pid" 2>/dev/null || true
  "$root/scripts/postgres.sh" stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

log "starting PostgreSQL"
export SOTONG_TEST_POSTGRES_URL=$("$root/scripts/postgres.sh" start "$work/pg" "$(free_port)")
echo "PostgreSQL at $SOTONG_TEST_POSTGRES_URL" >&2

log "Python for the tests (schemathesis, feedparser)"
export SOTONG_TEST_PYTHON=$("$root/scripts/test-venv.sh")

log "Rust tests (unit, property, integration on SQLite and PostgreSQL)"
rust_status=0
cargo test --workspace --all-targets --no-fail-fast 2>&1 | tee "$work/cargo.log" || rust_status=$?

log "browser tests (Playwright + axe-core, Chromium)"
cargo build --quiet -p sotong
(cd e2e && { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] || npm ci --no-audit --no-fund >&2; })
# Starts `sotong demo` on a port with the given arguments and waits until it answers;
# sets started_pid.
start_demo() { # PORT LOG DEMO-ARGS...
  local port=$1 log=$2; shift 2
  ./target/debug/sotong demo --addr "127.0.0.1:$port" "$@" >"$log" 2>&1 &
  started_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$started_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
}
port=$(free_port)
start_demo "$port" "$work/demo.log" --file "$work/e2e-demo.db"
demo_pid=$started_pid
browser_status=0
(cd e2e && SOTONG_E2E_BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 tests/) 2>&1 | tee "$work/e2e.log" || browser_status=$?

log "API fuzzing (schemathesis, every check) on SQLite and PostgreSQL"
schemathesis_status=0
scripts/schemathesis.sh "http://127.0.0.1:$port" sqlite 2>&1 | tee "$work/schemathesis.log" || schemathesis_status=$?
pg_port=$(free_port)
pg_demo_url="${SOTONG_TEST_POSTGRES_URL%/*}/sotong_schemathesis"
psql -q "$SOTONG_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS sotong_schemathesis" -c "CREATE DATABASE sotong_schemathesis" >&2
start_demo "$pg_port" "$work/pg-demo.log" --postgres "$pg_demo_url"
pg_demo_pid=$started_pid
scripts/schemathesis.sh "http://127.0.0.1:$pg_port" postgres 2>&1 | tee -a "$work/schemathesis.log" || schemathesis_status=$?

count() { grep -cE "$1" "$2" || true; }
unit_ok=$(grep -E '^test .* \.\.\. ok$' "$work/cargo.log" | grep -vcE '::(sqlite|postgres) \.\.\. ok$' || true)
sqlite_ok=$(count '::sqlite \.\.\. ok$' "$work/cargo.log")
postgres_ok=$(count '::postgres \.\.\. ok$' "$work/cargo.log")
rust_failed=$(count '^test .* \.\.\. FAILED$' "$work/cargo.log")
browser_ok=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/e2e.log"); browser_ok=${browser_ok:-0}
browser_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/e2e.log"); browser_failed=${browser_failed:-1}
[ "$rust_status" -ne 0 ] && [ "$rust_failed" -eq 0 ] && rust_failed=1   # a build error fails too

fuzz_ok=$(sed -n 's/^schemathesis [a-z]*: \([0-9]*\) passed.*/\1/p' "$work/schemathesis.log" | awk '{s += $1} END {print s + 0}')
fuzz_failed=$(sed -n 's/^schemathesis [a-z]*: [0-9]* passed, \([0-9]*\) failed/\1/p' "$work/schemathesis.log" | awk '{s += $1} END {print s + 0}')
fuzz_ok=${fuzz_ok:-0}; fuzz_failed=${fuzz_failed:-1}
[ "$schemathesis_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ] && fuzz_failed=1

# Floors: a suite below its floor stopped running tests (raise them as tests are added).
short=0
floor() {
  if [ "$2" -lt "$3" ]; then
    echo "suite '$1' ran $2 tests, fewer than its floor of $3" >&2
    short=$((short + 1))
  fi
}
floor "unit, property and other Rust tests" "$unit_ok" 178
floor "integration on SQLite" "$sqlite_ok" 112
floor "integration on PostgreSQL" "$postgres_ok" 112
floor "browser" "$browser_ok" 34
floor "API fuzzing" "$fuzz_ok" 1200

echo
echo "suite                                   passed"
printf '%-40s %s\n' "unit, property and other Rust tests" "$unit_ok"
printf '%-40s %s\n' "integration on SQLite" "$sqlite_ok"
printf '%-40s %s\n' "integration on PostgreSQL" "$postgres_ok"
printf '%-40s %s\n' "browser (Chromium, axe-core)" "$browser_ok"
printf '%-40s %s\n' "API fuzzing (schemathesis, 2 databases)" "$fuzz_ok"
passed=$((unit_ok + sqlite_ok + postgres_ok + browser_ok + fuzz_ok))
failed=$((rust_failed + browser_failed + fuzz_failed + short))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rust_status" -eq 0 ] && [ "$browser_status" -eq 0 ] && [ "$schemathesis_status" -eq 0 ]
