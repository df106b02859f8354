#!/usr/bin/env bash
# HTTP benchmark: requests per second and p99 latency of sotong's /healthz, home page
# and an API read, beside a minimal axum hello-world (the ceiling of this machine's HTTP
# stack) in the same run, and the peak memory of each server.
#   bash bench/http.sh [DURATION_SECONDS=10] [CONNECTIONS=64]
# Uses wrk (Debian package; installed when missing). Both servers are release builds on
# loopback; the load generator shares the machine's cores with them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${1:-10}
connections=${2:-64}
threads=2

command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }
cargo build --release --quiet -p sotong -p hello-axum

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

./target/release/hello-axum 127.0.0.1:18081 & pids+=($!); hello_pid=$!
SOTONG_LOG=warn ./target/release/sotong demo --addr 127.0.0.1:18080 --file "$work/bench.db" >/dev/null & pids+=($!); sotong_pid=$!
wait_for http://127.0.0.1:18081/
wait_for http://127.0.0.1:18080/healthz

# wrk's latency distribution prints "99%  1.23ms"; normalise to milliseconds.
p99_ms() {
  awk '$1=="99%" { v=$2; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.2f", v }'
}

run() {  # label url
  local out
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$2" >"$work/wrk.txt"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk.txt")
  p99=$(p99_ms <"$work/wrk.txt")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors:/ { print "socket-errors" }' "$work/wrk.txt" | head -1)
  printf '| %s | `%s` | %s | %s | %s |\n' "$1" "/${2#http://127.0.0.1:*/}" "$rps" "$p99" "${errors:-0}"
  echo "$rps" >"$work/rps-$1"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo); wrk -t$threads -c$connections -d${duration}s"
echo
echo "| target | path | requests/s | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
run hello-axum http://127.0.0.1:18081/
run healthz http://127.0.0.1:18080/healthz
run home http://127.0.0.1:18080/
run city-home http://127.0.0.1:18080/hanbit
run api-units http://127.0.0.1:18080/api/v1/orgs/hanbit/units
echo
ceiling=$(cat "$work/rps-hello-axum")
for label in healthz home city-home api-units; do
  awk -v a="$(cat "$work/rps-$label")" -v b="$ceiling" -v l="$label" 'BEGIN { printf "%s: %.2f of the hello-world ceiling\n", l, a/b }'
done
peak_kib() { awk '/VmHWM/ { print $2 }' "/proc/$1/status"; }
echo
echo "peak memory (VmHWM): sotong $(( $(peak_kib "$sotong_pid") / 1024 )) MiB, hello-axum $(( $(peak_kib "$hello_pid") / 1024 )) MiB"
