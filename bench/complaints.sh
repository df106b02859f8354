#!/usr/bin/env bash
# Complaints at a city's scale (issue 14): 100,000 complaints stored, then
#   1. the server's start: the near-duplicate index built from the stored complaints;
#      300 filings one at a time (the check's own time, uncontended); then a burst of filings through Open311, each with the near-duplicate check
#      (throughput and p50/p99 of the whole filing; the check's own p50/p99 from the
#      server's debug log);
#   2. the coordinator's inbox views (p50/p99, one at a time);
#   3. a second burst, the server killed with kill -9 in the middle and restarted:
#      every filing that got its 201 must be stored.
#   bash bench/complaints.sh [STORED=100000] [FILINGS=2000] [CONCURRENCY=16] [KILL_AFTER_SECONDS=3]
# SQLite (the embedded default, synchronous = FULL), release build. The texts are the
# real petitions in ../shared/data/petitions. Results: docs/BENCHMARKS.md, "Complaints
# at a city's scale".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stored=${1:-100000}
filings=${2:-2000}
concurrency=${3:-16}
kill_after=${4:-3}
petitions="$root/../shared/data/petitions"
cargo build --release --quiet -p sotong
sotong="${CARGO_TARGET_DIR:-$root/target}/release/sotong"
work=$(mktemp -d /tmp/sotong-complaints.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
db="$work/city.db"
# Relayed filings come from one key and one address: the bench raises the daily limit.
export SOTONG_COMPLAINTS_PER_DAY=1000000 SOTONG_CITIZEN_WRITES_ADDRESS_FACTOR=10 NO_COLOR=1
export SOTONG_LOG="warn,sotong::complaint_check=debug" SOTONG_BENCH_DB="$db"
wait_up() { for _ in $(seq 1 600); do curl -fsS "$base/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server did not start" >&2; exit 1; }
start() { "$sotong" --database "sqlite://$db" serve --addr "127.0.0.1:$port" >>"$work/server.log" 2>&1 & server=$!; wait_up; }

"$sotong" demo --addr "127.0.0.1:$port" --file "$db" >"$work/demo.log" 2>&1 & server=$!
wait_up; kill "$server"; wait "$server" 2>/dev/null || true; server=""
echo "== seed: $stored complaints"
python3 bench/complaints.py seed "$db" "$stored" "$petitions"
SOTONG_BENCH_CODES=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(','.join(r[0] for r in c.execute(\"SELECT code FROM complaint_categories WHERE body_id = (SELECT id FROM organisations WHERE slug = 'hanbit' AND body_id IS NULL)\")))" "$db")
export SOTONG_BENCH_CODES
start
echo "== the index built from the stored complaints at start"
python3 bench/complaints.py built "$work/server.log" 1

echo "== one at a time: 300 Open311 filings"
python3 bench/complaints.py file "$base" 300 1 "$work/acks-0" "$petitions" 3
python3 bench/complaints.py checks "$work/server.log"
cp "$work/server.log" "$work/server.log.before"

echo "== burst: $filings Open311 filings, $concurrency at a time"
python3 bench/complaints.py file "$base" "$filings" "$concurrency" "$work/acks-1" "$petitions" 1
python3 bench/complaints.py checks "$work/server.log" "$work/server.log.before"
python3 bench/complaints.py verify "$db" "$work/acks-1"

echo "== inbox: six views x 50, one at a time"
python3 bench/complaints.py inbox "$base" 50

echo "== kill -9 after ${kill_after}s of a second burst"
python3 bench/complaints.py file "$base" "$filings" "$concurrency" "$work/acks-2" "$petitions" 2 > "$work/burst-2.json" &
client=$!
sleep "$kill_after"
kill -9 "$server"; wait "$server" 2>/dev/null || true; server=""
wait "$client" || true
cat "$work/burst-2.json"
start
python3 bench/complaints.py built "$work/server.log" 2
cat "$work/acks-0" "$work/acks-1" "$work/acks-2" > "$work/acks-all"
python3 bench/complaints.py verify "$db" "$work/acks-all"
