#!/usr/bin/env bash
# Supports in a surge: 10,000 supports (공감) from 10,000 accounts through the JSON API
# (throughput, p50/p99), then a second surge during which the server is killed with
# kill -9 and restarted: every support that got a success answer must be stored, and
# the proposal's count must equal its stored supports.
#   bash bench/supports.sh [ACCOUNTS=10000] [CONCURRENCY=64] [KILL_AFTER_SECONDS=2]
# SQLite (the embedded default, synchronous = FULL). All accounts come from one
# address, so the bench raises the per-account and per-address support limits.
# Results: docs/BENCHMARKS.md, "Supports in a surge".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-10000}
concurrency=${2:-64}
kill_after=${3:-2}
cargo build --release --quiet -p sotong
sotong="${CARGO_TARGET_DIR:-$root/target}/release/sotong"
work=$(mktemp -d /tmp/sotong-supports.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
db="$work/surge.db"
export SOTONG_SUPPORTS_PER_HOUR=100000 SOTONG_CITIZEN_WRITES_ADDRESS_FACTOR=10 SOTONG_LOG=warn
export SOTONG_BENCH_TOKENS="$db.tokens"
wait_up() { for _ in $(seq 1 300); do curl -fsS "$base/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server did not start" >&2; exit 1; }
start() { "$sotong" --database "sqlite://$db" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 & server=$!; wait_up; }

# The demo city, then N residents with sessions, then serve it.
"$sotong" demo --addr "127.0.0.1:$port" --file "$db" >"$work/demo.log" 2>&1 & server=$!
wait_up; kill "$server"; wait "$server" 2>/dev/null || true; server=""
python3 bench/supports.py accounts "$db" "$n"
# Two proposals still open (received): the surge's and the kill's.
read -r first second < <(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(*[r[0] for r in c.execute(\"SELECT id FROM proposals WHERE state = 'received' AND moderation = 'visible' ORDER BY id LIMIT 2\")])" "$db")
start

echo "== surge: $n supports, $concurrency at a time, proposal $first"
python3 bench/supports.py surge "$base" "$first" "$n" "$concurrency" "$work/acks-1"
python3 bench/supports.py check "$db" "$first" "$work/acks-1"

echo "== kill -9 after ${kill_after}s of a second surge, proposal $second"
python3 bench/supports.py surge "$base" "$second" "$n" "$concurrency" "$work/acks-2" > "$work/surge-2.json" &
client=$!
sleep "$kill_after"
kill -9 "$server"; wait "$server" 2>/dev/null || true; server=""
wait "$client" || true
cat "$work/surge-2.json"
start
python3 bench/supports.py check "$db" "$second" "$work/acks-2"
