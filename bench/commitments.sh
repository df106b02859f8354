#!/usr/bin/env bash
# Commitments benchmark: a plan of 1,000 commitments with 12 published quarters, then
# requests per second and p99 of the public dashboard, the metrics API, a commitment's
# page and a coordinator's report page (2026-Q1 open), and the time to close (publish)
# a period.
#   bash bench/commitments.sh [DURATION_SECONDS=10] [CONNECTIONS=64]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }
cargo build --release --quiet -p sotong -p hello-axum
bin=./target/release/sotong
work=$(mktemp -d)
server=""
hello=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$hello" ] && kill $hello 2>/dev/null; rm -rf "$work"' EXIT
db="sqlite://$work/bench.db"
export SOTONG_LOG=warn

$bin --database "$db" org create --kind city --slug benchcity --name-ko 벤치시 --name-en "Bench City" >/dev/null
for d in 1 2 3 4 5 6 7 8 9 10; do
  $bin --database "$db" org create --kind department --slug "dept-$d" --name-ko "부서$d" --name-en "Dept $d" --parent benchcity >/dev/null
done
$bin --database "$db" plan create --org benchcity --slug big --kind policy_tasks --title-ko "대규모 과제" --title-en "Big plan" \
  --term-start 2023-01-01 --term-end 2026-12-31 >/dev/null

# 1,000 commitments in 10 sectors; each quarter more of them are completed.
make_csv() {  # quarter index 0..11
  python3 - "$1" <<'PY'
import sys
q = int(sys.argv[1])
statuses = ["정상추진", "일부추진", "보류"]
print("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw")
for i in range(1000):
    done = (i * 7919) % 1000 < (q + 1) * 70
    status = "완료" if done else statuses[i % 23 == 0 and 2 or (i % 7 == 0 and 1 or 0)]
    progress = 100 if done else min(95, 10 + q * 7 + i % 10)
    print(f"{i // 100 + 1}-{i:04d},분야{i // 100 + 1},과제 {i},부서{i % 10 + 1},{status},{progress},목표,2023-01-01,2026-12-31,{(i % 50 + 1) * 10000000}")
PY
}

quarters=(2023-Q1 2023-Q2 2023-Q3 2023-Q4 2024-Q1 2024-Q2 2024-Q3 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4)
close_ms=()
for i in "${!quarters[@]}"; do
  make_csv "$i" >"$work/q.csv"
  $bin --database "$db" import commitments --org benchcity --plan big --period "${quarters[$i]}" "$work/q.csv" >/dev/null
  start=$(date +%s%N)
  $bin --database "$db" period close --org benchcity --plan big --period "${quarters[$i]}" >/dev/null
  close_ms+=($(( ($(date +%s%N) - start) / 1000000 )))
done
# An open 13th quarter with its reports, and a coordinator to review them.
make_csv 12 >"$work/q.csv"
$bin --database "$db" import commitments --org benchcity --plan big --period 2026-Q1 "$work/q.csv" >/dev/null
echo 'bench-password-2026' | $bin --database "$db" user create --email coordinator@bench.example --name 조정관 >/dev/null
$bin --database "$db" user grant --email coordinator@bench.example --org benchcity --role coordinator >/dev/null
start=$(date +%s%N)
$bin --database "$db" verify >/dev/null
verify_ms=$(( ($(date +%s%N) - start) / 1000000 ))
start=$(date +%s%N)
$bin --database "$db" migrate >/dev/null
noop_ms=$(( ($(date +%s%N) - start) / 1000000 ))

$bin --database "$db" serve --addr 127.0.0.1:18090 >/dev/null &
server=$!
# The ceiling of this machine's HTTP stack, measured in the same run.
./target/release/hello-axum 127.0.0.1:18091 &
hello=$!
for _ in $(seq 1 100); do curl -fsS http://127.0.0.1:18090/healthz >/dev/null 2>&1 && break; sleep 0.1; done

p99_ms() {
  awk '$1=="99%" { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.2f", v }'
}
wrk_headers=()
run() {
  # Only a page that answers 200 is measured (wrk counts every answer, 404s too).
  curl -fsS -o /dev/null "${wrk_headers[@]}" "$2" || { echo "$2 did not answer 200" >&2; exit 1; }
  wrk -t2 -c"$connections" -d"${duration}s" --latency "${wrk_headers[@]}" "$2" >"$work/wrk.txt"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk.txt")
  echo "$rps" >"$work/rps-$1"
  printf '| %s | `%s` | %s | %s |\n' "$1" "${2#http://127.0.0.1:1809?}" "$rps" "$(p99_ms <"$work/wrk.txt")"
}
echo "machine: $(nproc) cores; 1,000 commitments, 12 published quarters; wrk -t2 -c$connections -d${duration}s"
echo
echo "| target | path | requests/s | p99 ms |"
echo "|---|---|---|---|"
run hello-axum http://127.0.0.1:18091/
run dashboard http://127.0.0.1:18090/benchcity/plans/big
# A browser that has the page revalidates it: 304 without a body.
etag=$(curl -fsS -D - -o /dev/null http://127.0.0.1:18090/benchcity/plans/big | awk 'tolower($1)=="etag:" { print $2 }' | tr -d '\r')
wrk_headers=(-H "If-None-Match: $etag")
run dashboard-304 http://127.0.0.1:18090/benchcity/plans/big
wrk_headers=()
run metrics-api "http://127.0.0.1:18090/api/v1/orgs/benchcity/plans/big/metrics?period=2025-Q4"
run commitment-page http://127.0.0.1:18090/benchcity/plans/big/commitments/6-0500
# Signed in as the coordinator: the CSRF cookie from the login form, then the session.
jar="$work/cookies"
csrf=$(curl -fsS -c "$jar" http://127.0.0.1:18090/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode email=coordinator@bench.example \
  --data-urlencode password=bench-password-2026 http://127.0.0.1:18090/login
session=$(awk '$6=="sotong_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "login failed" >&2; exit 1; }
report_url=http://127.0.0.1:18090/benchcity/staff/plans/big/reports/6-0500
wrk_headers=(-H "Cookie: sotong_session=$session")
run report-page "$report_url"
echo
awk -v a="$(cat "$work/rps-dashboard")" -v b="$(cat "$work/rps-hello-axum")" 'BEGIN { printf "dashboard: %.2f of the hello-axum ceiling\n", a/b }'
sorted=$(printf '%s\n' "${close_ms[@]}" | sort -n | tr '\n' ' ')
echo "close a period (1,000 commitments, whole CLI process): ${sorted}ms (sorted); a no-op CLI run (migrate) takes ${noop_ms}ms"
echo "verify all 12 snapshots (12,000 items): ${verify_ms}ms"
echo "server peak memory (VmHWM): $(( $(awk '/VmHWM/ { print $2 }' /proc/$server/status) / 1024 )) MiB"
