#!/usr/bin/env bash
# Faults beyond kill -9 of a quiet server, each checked the way an operator would:
#   A. kill -9 during `period close`, at random moments (SQLite and PostgreSQL):
#      nothing half-written, `sotong verify` passes, a re-run succeeds;
#   B. kill -9 during a 3,000-row import: all of it or none, verify passes, a re-run
#      succeeds;
#   C. PostgreSQL restarted under load: requests fail cleanly (503, never 500) and the
#      server recovers without a restart;
#   D. a full disk under SQLite: writes get a clear 507, reads go on, nothing is
#      corrupted, and writes work again once space is freed.
# Usage: bash bench/faults.sh [TRIALS]   (needs root for the small tmpfs of D)
# Results: docs/BENCHMARKS.md, "Faults".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
trials=${1:-20}
cargo build --quiet -p sotong
sotong="$root/target/debug/sotong"
work=$(mktemp -d /tmp/sotong-faults.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  mountpoint -q "$work/disk" 2>/dev/null && umount "$work/disk"
  scripts/postgres.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 300); do curl -fsS "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
say() { printf '%s\n' "$*"; }

pg_port=$(port)
pg=$(scripts/postgres.sh start "$work/pg" "$pg_port")
pg_base="${pg%/*}"
psql() { command psql -qAt "$@"; }

# A populated demo database to copy: the demo is started, filled, and stopped.
make_base() { # $1: sqlite file or postgres URL
  local p url=http://127.0.0.1:$(port)
  if [[ $1 == postgres* ]]; then
    "$sotong" demo --addr "${url#http://}" --postgres "$1" >"$work/base.log" 2>&1 &
  else
    "$sotong" demo --addr "${url#http://}" --file "$1" >"$work/base.log" 2>&1 &
  fi
  p=$!
  wait_up "$url"
  kill "$p"; wait "$p" 2>/dev/null || true
}
make_base "$work/base.db"
psql "$pg" -c "CREATE DATABASE fault_base"
make_base "$pg_base/fault_base"

fresh() { # $1: engine, $2: trial name -> prints a database URL holding the base data
  if [ "$1" = sqlite ]; then
    cp "$work/base.db" "$work/$2.db"; echo "sqlite://$work/$2.db"
  else
    psql "$pg" -c "CREATE DATABASE $2 TEMPLATE fault_base"; echo "$pg_base/$2"
  fi
}
count() { # $1: URL, $2: SQL returning one number
  if [[ $1 == sqlite* ]]; then python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "${1#sqlite://}" "$2"
  else psql "$1" -c "$2"; fi
}
duration_ms() { # how long the command takes when left alone, in milliseconds
  local start end
  start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
kill_at_random() { # $1: max milliseconds; the rest: the command
  local max=$1; shift
  "$@" >/dev/null 2>&1 &
  local p=$!
  sleep "$(awk -v m=$((RANDOM % (max + 1))) 'BEGIN {printf "%.3f", m / 1000}')"
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
}

say "== A. kill -9 during period close ($trials trials per engine)"
close=(period close --org hanbit --plan pledges-8 --period 2026-Q3)
plan_q="(SELECT id FROM plans WHERE slug = 'pledges-8')"
for engine in sqlite postgres; do
  published=0 unpublished=0 bad=0
  took=$(duration_ms "$sotong" --database "$(fresh "$engine" "close_time")" "${close[@]}")
  say "$engine: a close takes $took ms (process start included); kills fall in 0-$took ms"
  for i in $(seq 1 "$trials"); do
    db=$(fresh "$engine" "close_$i")
    kill_at_random "$took" "$sotong" --database "$db" "${close[@]}"
    snapshots=$(count "$db" "SELECT COUNT(*) FROM snapshots s JOIN reporting_periods p ON p.id = s.period_id WHERE p.code = '2026-Q3' AND p.plan_id = $plan_q")
    closed=$(count "$db" "SELECT COUNT(*) FROM reporting_periods WHERE code = '2026-Q3' AND state = 'closed' AND plan_id = $plan_q")
    "$sotong" --database "$db" verify >/dev/null 2>&1 || bad=$((bad + 1))
    [ "$snapshots" = "$closed" ] || bad=$((bad + 1))
    if [ "$snapshots" = 1 ]; then published=$((published + 1)); else
      unpublished=$((unpublished + 1))
      "$sotong" --database "$db" "${close[@]}" >/dev/null 2>&1 || bad=$((bad + 1))
      "$sotong" --database "$db" verify >/dev/null 2>&1 || bad=$((bad + 1))
    fi
  done
  say "$engine: $published published before the kill, $unpublished not (then closed by a re-run); $bad problems"
done

say "== B. kill -9 during a 3,000-row import ($trials trials per engine)"
csv="$work/import.csv"
python3 - "$csv" <<'EOF'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n")
    for i in range(3000):
        f.write(f"9-{i:04d},시험 분야,시험 과제 {i},시험과,정상추진,{i % 100},목표,2026-01-01,2026-12-31,\"1,000,000\"\n")
EOF
import=(import commitments --org hanbit --plan pledges-8 --create-departments "$csv")
for engine in sqlite postgres; do
  all=0 none=0 bad=0
  took=$(duration_ms "$sotong" --database "$(fresh "$engine" "import_time")" "${import[@]}")
  say "$engine: the import takes $took ms; kills fall in 0-$took ms"
  for i in $(seq 1 "$trials"); do
    db=$(fresh "$engine" "import_$i")
    kill_at_random "$took" "$sotong" --database "$db" "${import[@]}"
    rows=$(count "$db" "SELECT COUNT(*) FROM commitments WHERE code LIKE '9-%'")
    "$sotong" --database "$db" verify >/dev/null 2>&1 || bad=$((bad + 1))
    case "$rows" in
      3000) all=$((all + 1)) ;;
      0) none=$((none + 1))
         "$sotong" --database "$db" "${import[@]}" >/dev/null 2>&1 || bad=$((bad + 1))
         [ "$(count "$db" "SELECT COUNT(*) FROM commitments WHERE code LIKE '9-%'")" = 3000 ] || bad=$((bad + 1)) ;;
      *) bad=$((bad + 1)); say "  trial $i: $rows of 3000 rows (half an import)" ;;
    esac
  done
  say "$engine: $all imported whole before the kill, $none not at all (then imported by a re-run); $bad problems"
done

say "== C. PostgreSQL restarted under load"
psql "$pg" -c "CREATE DATABASE fault_load TEMPLATE fault_base"
url=http://127.0.0.1:$(port)
"$sotong" serve --database "$pg_base/fault_load" --addr "${url#http://}" >"$work/serve.log" 2>&1 &
serve_pid=$!; pids+=("$serve_pid")
wait_up "$url"
load_start=$(date +%s.%N)
python3 - "$url" "$work" <<'EOF' &
import sys, threading, time, urllib.request, urllib.error, json
base, work = sys.argv[1], sys.argv[2]
paths = ["/hanbit/plans/pledges-8", "/api/v1/orgs/hanbit/plans", "/hanbit"]
start, stop = time.time(), time.time() + 20
results = []
lock = threading.Lock()
def worker(n):
    while time.time() < stop:
        t = time.time() - start
        try:
            with urllib.request.urlopen(base + paths[n % 3], timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except Exception:
            status = 0
        with lock:
            results.append((round(t, 2), status))
threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join()
json.dump(results, open(f"{work}/load.json", "w"))
EOF
load_pid=$!
sleep 6
restart_at=$(date +%s.%N)
runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" -D "$work/pg" -m fast -w restart >/dev/null
restart_done=$(date +%s.%N)
wait "$load_pid"
say "PostgreSQL restarted from $(awk -v a="$restart_at" -v b="$load_start" 'BEGIN {printf "%.1f", a - b}') s to $(awk -v a="$restart_done" -v b="$load_start" 'BEGIN {printf "%.1f", a - b}') s of the load"
kill -0 "$serve_pid" && say "the server process is still the same one (pid $serve_pid)"
python3 - "$work/load.json" "$(awk -v a="$restart_at" -v b="$load_start" 'BEGIN {print a - b}')" "$(awk -v a="$restart_done" -v b="$load_start" 'BEGIN {print a - b}')" <<'EOF'
import json, sys, collections
results = json.load(open(sys.argv[1]))
down, up = float(sys.argv[2]), float(sys.argv[3])
phases = collections.OrderedDict([
    (f"before (0-{down:.1f} s)", (0, down)),
    (f"during the restart and 2 s after ({down:.1f}-{up + 2:.1f} s)", (down, up + 2)),
    (f"after ({up + 2:.1f}-20 s)", (up + 2, 99)),
])
for name, (lo, hi) in phases.items():
    counts = collections.Counter(s for t, s in results if lo <= t < hi)
    print(f"{name}: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
last = [s for t, s in results if t >= 15]
print("last 5 s all 200:", all(s == 200 for s in last), f"({len(last)} requests)")
print("any 500:", any(s == 500 for t, s in results))
EOF

say "== D. a full disk under SQLite"
mkdir -p "$work/disk"
mount -t tmpfs -o size=4m tmpfs "$work/disk"
cp "$work/base.db" "$work/disk/city.db"
url=http://127.0.0.1:$(port)
"$sotong" serve --database "sqlite://$work/disk/city.db" --addr "${url#http://}" >"$work/full.log" 2>&1 &
full_pid=$!; pids+=("$full_pid")
wait_up "$url"
login() { # prints the status of one login as the demo citizen
  local jar="$work/jar.$RANDOM" token
  token=$(curl -fsS -c "$jar" -b "$jar" "$url/login" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
  curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
    --data-urlencode "email=citizen@hanbit.example" --data-urlencode "password=sotong-demo-2026" "$url/login"
  rm -f "$jar"
}
say "with space: login $(login)"
dd if=/dev/zero of="$work/disk/filler" bs=64k 2>/dev/null || true   # until the disk is full
statuses=""; for _ in $(seq 1 20); do statuses="$statuses $(login)"; done
say "disk full: 20 logins answered$(echo "$statuses" | tr ' ' '\n' | grep . | sort | uniq -c | awk '{printf " %s×%s", $1, $2}'); reading a page: $(curl -s -o /dev/null -w '%{http_code}' "$url/hanbit/plans/pledges-8")"
curl -s "$url/login" >/dev/null
grep -c "disk is full" "$work/full.log" | sed 's/^/error log lines: /'
rm -f "$work/disk/filler"
say "space freed: login $(login)"
kill "$full_pid"; wait "$full_pid" 2>/dev/null || true
python3 -c "import sqlite3,sys; print('integrity_check:', sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$work/disk/city.db"
"$sotong" --database "sqlite://$work/disk/city.db" verify
