#!/usr/bin/env bash
# Budgeting-rules benchmark: sotong against pabutools (if installed) on every Pabulib
# file, in the same run. Prints a Markdown table for docs/BENCHMARKS.md.
#   bash bench/pb.sh [PABUTOOLS_TIMEOUT_SECONDS=300] [FILE.pb ...]
# Install the reference first for the ratios: pip install pabutools==1.2.3
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
timeout=${1:-300}
shift || true
data="$root/../shared/data/pabulib"
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(ls -S -r "$data"/*.pb); fi
cargo build --release --quiet -p pb-rules-bench
have_pabutools=no
python3 -c "import pabutools" 2>/dev/null && have_pabutools=yes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for file in "${files[@]}"; do
  ./target/release/pb-rules-bench "$file" >>"$work/sotong.jsonl"
  if [ $have_pabutools = yes ]; then
    python3 bench/pb-pabutools.py --timeout "$timeout" "$file" >>"$work/pabutools.jsonl"
  fi
  echo "measured $(basename "$file")" >&2
done
touch "$work/pabutools.jsonl"
python3 - "$work/sotong.jsonl" "$work/pabutools.jsonl" <<'PY'
import json, sys
ours = [json.loads(l) for l in open(sys.argv[1])]
theirs = {d["file"]: d for d in map(json.loads, open(sys.argv[2]))}
rules = ["greedy", "mes", "mes-add1", "mes-add1-greedy"]

def ms(s):
    return "—" if s is None else (f"{s*1000:.1f} ms" if s < 1 else f"{s:.2f} s")

def best(entry):
    times = [t for t in (entry.get("seconds"), entry.get("grouped_seconds")) if t is not None]
    return min(times) if times else None

print("| file | voters | projects | parse | " + " | ".join(rules) + " | peak memory |")
print("|---|---:|---:|---|" + "---|" * len(rules) + "---|")
for o in ours:
    t = theirs.get(o["file"])
    def cell(ours_s, theirs_s, timed_out=False):
        if t is None:
            return ms(ours_s)
        if theirs_s is None:
            return f"{ms(ours_s)} vs >{t['timeout']} s"
        return f"{ms(ours_s)} vs {ms(theirs_s)} (×{theirs_s/ours_s:,.0f})"
    row = [o["file"].replace(".pb", ""), f"{o['voters']:,}", str(o["projects"]), cell(o["parse_seconds"], t and t["parse_seconds"])]
    for r in rules:
        row.append(cell(o["rules"][r]["seconds"], t and best(t["rules"].get(r, {}))))
        if t and t["rules"].get(r, {}).get("selected") not in (None, o["rules"][r]["selected"]):
            row[-1] += " ⚠ different count"
    mem = f"{o['peak_memory_kib']/1024:.0f} MiB"
    if t:
        mem += f" vs {t['peak_memory_kib']/1024:.0f} MiB"
    row.append(mem)
    print("| " + " | ".join(row) + " |")
PY
