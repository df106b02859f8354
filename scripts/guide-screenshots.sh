#!/usr/bin/env bash
# Makes the screenshots of the officials' guide (docs/GUIDE.md) by running the
# browser workflow test against a fresh demo: docs/guide/*.jpg.
#   bash scripts/guide-screenshots.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --quiet -p sotong
work=$(mktemp -d)
port=18097
./target/debug/sotong demo --addr "127.0.0.1:$port" --file "$work/guide.db" >"$work/demo.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p docs/guide
(cd e2e && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund >&2; } &&
  SOTONG_GUIDE_SHOTS="$root/docs/guide" SOTONG_E2E_BASE_URL="http://127.0.0.1:$port" node --test tests/workflow.test.js)
ls -1 docs/guide
