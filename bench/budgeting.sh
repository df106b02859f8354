#!/usr/bin/env bash
# Ballots in a surge (issue 15), on SQLite and on PostgreSQL in turn:
#   1. VOTERS ballots from VOTERS verified residents through the JSON API (ballots/s,
#      p50/p99), then every receipt looked up among the stored ballots;
#   2. a second surge of VOTERS, the server killed with kill -9 after KILL_AFTER
#      seconds and restarted: every ballot that got a receipt is counted, each of the
#      second surge's residents is sent again and answered with a receipt or "already
#      voted", and ballots equal participations (nobody counted twice);
#   3. the rest of COUNTED residents vote, then the coordinator closes the vote and
#      publishes: the count of a COUNTED-ballot process, and its results page and API.
#   bash bench/budgeting.sh [VOTERS=20000] [CONCURRENCY=64] [KILL_AFTER_SECONDS=3] [COUNTED=100000] [BACKENDS="sqlite postgres"]
# Release build; SQLite with synchronous = FULL; PostgreSQL a real local server with
# fsync on (scripts/postgres.sh, installed from Debian if missing). All ballots come
# from one address, so the bench raises the per-account and per-address attempt
# limits. Results: docs/BENCHMARKS.md, "Ballots in a surge".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
voters=${1:-20000}
concurrency=${2:-64}
kill_after=${3:-3}
counted=${4:-100000}
backends=${5:-sqlite postgres}
[ "$counted" -ge $((2 * voters)) ] || { echo "COUNTED must be at least twice VOTERS" >&2; exit 2; }
cargo build --release --quiet -p sotong
sotong="${CARGO_TARGET_DIR:-$root/target}/release/sotong"
work=$(mktemp -d /tmp/sotong-budgeting.XXXXXX)
# PostgreSQL runs as its own user (scripts/postgres.sh), so it must reach its folder.
chmod 755 "$work"
server=""
pg_dir=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export SOTONG_SUPPORTS_PER_HOUR=10000000 SOTONG_CITIZEN_WRITES_ADDRESS_FACTOR=10 SOTONG_LOG=warn
export SOTONG_BENCH_TOKENS="$work/tokens"
wait_up() { for _ in $(seq 1 600); do curl -fsS "$base/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server did not start" >&2; exit 1; }
start() { "$sotong" --database "$db" serve --addr "127.0.0.1:$port" >>"$work/server.log" 2>&1 & server=$!; wait_up; }
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

for backend in $backends; do
  echo "==== $backend"
  if [ "$backend" = sqlite ]; then
    db="sqlite://$work/city.db"
    "$sotong" demo --addr "127.0.0.1:$port" --file "$work/city.db" >"$work/demo.log" 2>&1 & server=$!
  else
    pg_dir="$work/pg"
    pg_url=$(POSTGRES_FSYNC=on scripts/postgres.sh start "$pg_dir" $((port + 1)))
    psql "$pg_url" -X -q -c "CREATE DATABASE bench"
    db="${pg_url%/postgres}/bench"
    "$sotong" demo --addr "127.0.0.1:$port" --file "$work/pg-demo" --postgres "$db" >"$work/demo.log" 2>&1 & server=$!
  fi
  wait_up; stop
  python3 bench/budgeting.py residents "$db" "$counted"
  start

  echo "== surge: $voters ballots, $concurrency at a time"
  python3 bench/budgeting.py surge "$base" 0 "$voters" "$concurrency" "$work/acks-1"
  python3 bench/budgeting.py check "$db" "$work/acks-1"

  echo "== kill -9 after ${kill_after}s of a second surge"
  python3 bench/budgeting.py surge "$base" "$voters" "$voters" "$concurrency" "$work/acks-2" > "$work/surge-2.json" &
  client=$!
  sleep "$kill_after"
  kill -9 "$server"; wait "$server" 2>/dev/null || true; server=""
  wait "$client" || true
  cat "$work/surge-2.json"
  start
  cat "$work/acks-1" >> "$work/acks-2"
  python3 bench/budgeting.py check "$db" "$work/acks-2" "$base" "$voters" "$voters"

  echo "== the rest vote: $((counted - 2 * voters)) ballots"
  python3 bench/budgeting.py surge "$base" $((2 * voters)) $((counted - 2 * voters)) "$concurrency" "$work/acks-3"
  cat "$work/acks-2" >> "$work/acks-3"
  python3 bench/budgeting.py check "$db" "$work/acks-3"

  echo "== count: close the vote and publish, then the results"
  python3 bench/budgeting.py count "$base" "$db"
  stop
  if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir"; pg_dir=""; fi
  rm -f "$work"/acks-* "$work/server.log"
done
