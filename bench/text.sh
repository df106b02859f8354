#!/usr/bin/env bash
# Korean text engine benchmark on the real petitions (../shared/data/petitions), every
# comparison in the same run. Prints Markdown for docs/BENCHMARKS.md and docs/TEXT.md.
#   bash bench/text.sh
# The MeCab-ko comparison runs when Debian's mecab and PyPI's python-mecab-ko-dic are
# installed:  apt-get install mecab libmecab-dev && pip install python-mecab-ko-dic
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --release --quiet -p text-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mecab_dir=""
if command -v mecab >/dev/null && python3 -c "import mecab_ko_dic" 2>/dev/null; then
  python3 bench/text/mecab-tokenize.py ../shared/data/petitions/bluehouse_petitions_2020.jsonl \
    bench/text/petition-queries.tsv "$work/mecab" | tee "$work/mecab.txt" >&2
  mecab_dir="$work/mecab"
fi
bench=./target/release/text-bench
$bench quality $mecab_dir >"$work/quality.jsonl"
$bench dedupe >"$work/dedupe.json"
$bench check >"$work/check.json"
$bench search >"$work/search.json"
touch "$work/mecab.txt"
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
quality = [json.loads(l) for l in open(f"{work}/quality.jsonl")]
dedupe = json.load(open(f"{work}/dedupe.json"))
check = json.load(open(f"{work}/check.json"))
search = json.load(open(f"{work}/search.json"))
mecab = open(f"{work}/mecab.txt").read().strip()

def ms(x):
    return f"{x:.3f} ms" if x < 1 else (f"{x:.1f} ms" if x < 1000 else f"{x/1000:.2f} s")

print("#### Search quality (61 word queries + 5 초성 queries, 8,859 petitions)\n")
print("| analyzer | recall@10 | MRR@10 | 초성 recall@10 | 초성 MRR@10 | index build | index size |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name in dict.fromkeys(q["analyzer"] for q in quality):
    words = next(q for q in quality if q["analyzer"] == name and q["kind"] == "words")
    cho = next(q for q in quality if q["analyzer"] == name and q["kind"] == "chosung")
    build = "—" if words["build_ms"] is None else ms(words["build_ms"])
    size = "—" if not words["index_bytes"] else f"{words['index_bytes']/2**20:.1f} MiB"
    print(f"| {name} | {words['recall_at_10']:.3f} | {words['mrr_at_10']:.3f} | {cho['recall_at_10']:.3f} | "
          f"{cho['mrr_at_10']:.3f} | {build} | {size} |")
if mecab:
    print(f"\nMeCab-ko itself (morpheme analysis before indexing): {mecab.removeprefix('mecab: ')}")

print("\n#### Speed\n")
print("| measure | sotong | comparison (same run) | ratio |")
print("|---|---:|---:|---:|")
print(f"| batch dedupe, {dedupe['documents']:,} full texts ({dedupe['pairs']} pairs ≥ 0.8, {dedupe['threads']} threads) "
      f"| {ms(dedupe['ms'])} | — | — |")
e, b = check["engine"], check["brute_force"]
print(f"| one check vs {check['documents']:,} titles + texts, p50 | {ms(e['p50_ms'])} | brute force {ms(b['p50_ms'])} "
      f"| ×{b['p50_ms']/e['p50_ms']:,.0f} |")
print(f"| one check, p99 ({e['n']} checks; brute force {b['n']}) | {ms(e['p99_ms'])} | brute force {ms(b['p99_ms'])} "
      f"| ×{b['p99_ms']/e['p99_ms']:,.0f} |")
s, f, l = search["engine"], search["fts5"], search["linear_scan"]
print(f"| search p50 ({search['queries']} queries × 3, {search['documents']:,} docs) | {ms(s['p50_ms'])} "
      f"| FTS5 trigram {ms(f['p50_ms'])}; linear scan {ms(l['p50_ms'])} | ×{f['p50_ms']/s['p50_ms']:.1f}; ×{l['p50_ms']/s['p50_ms']:.0f} |")
print(f"| search p99 | {ms(s['p99_ms'])} | FTS5 trigram {ms(f['p99_ms'])}; linear scan {ms(l['p99_ms'])} "
      f"| ×{f['p99_ms']/s['p99_ms']:.1f}; ×{l['p99_ms']/s['p99_ms']:.0f} |")
print(f"| search index build, {search['documents']:,} docs | {ms(search['index_build_ms'])} "
      f"({search['index_bytes']/2**20:.0f} MiB) | FTS5 trigram {ms(search['fts5_build_ms'])} "
      f"| ×{search['fts5_build_ms']/search['index_build_ms']:.1f} |")
print(f"| peak memory: dedupe batch / check index / search index | {dedupe['peak_mib']:.0f} / {check['peak_mib']:.0f} / "
      f"{search['peak_mib_after_build']:.0f} MiB | — | — |")
PY
