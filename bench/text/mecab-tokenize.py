#!/usr/bin/env python3
"""Cut the petitions and the labelled queries into MeCab-ko morphemes, for comparing
a dictionary analyzer with sotong's bigram analyzer (bench/text.sh, docs/TEXT.md).

Uses Debian's `mecab` (package mecab, libmecab-dev) with the compiled mecab-ko-dic that
the PyPI package python-mecab-ko-dic ships; nothing is downloaded. Morphemes are kept
the way Lucene's Korean analyzer (nori) keeps them by default: particles, endings,
affixes, punctuation, interjections and determiners are dropped; a compound or an
inflected form is indexed whole and as its parts ("주차장" → 주차장 주차 장).

usage: mecab-tokenize.py PETITIONS.jsonl QUERIES.tsv OUT_DIR
writes OUT_DIR/petitions.jsonl ({"id","title","content"} as space-separated morphemes)
and OUT_DIR/queries.tsv, and prints the time MeCab took.
"""
import json
import os
import subprocess
import sys
import time

import mecab_ko_dic

DICTIONARY = os.path.join(os.path.dirname(mecab_ko_dic.__file__), "dictionary")
# nori's default stop tags (org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter),
# plus SF and SY: nori discards punctuation in its tokenizer. E (endings) and J
# (particles) stand for every tag that starts with them (EC, EF, JKS, JKO, …).
STOP_TAGS = {"IC", "MAG", "MAJ", "MM", "SP", "SSC", "SSO", "SC", "SE", "XPN", "XSA", "XSN", "XSV",
             "UNA", "NA", "VSV", "SF", "SY"}
STOP_PREFIXES = ("E", "J")


def kept(tag):
    """Is a morpheme with this tag (possibly 'XSV+EC') a search term?"""
    first = tag.split("+")[0]
    return not (first in STOP_TAGS or first.startswith(STOP_PREFIXES))


def terms(lines):
    """MeCab output lines for one text -> its terms."""
    out = []
    for line in lines:
        surface, _, features = line.partition("\t")
        fields = features.split(",")
        tag = fields[0]
        if kept(tag):
            out.append(surface)
        # Compound / Inflect: the 8th field spells the parts, "주차/NNG/*+장/NNG/*".
        if len(fields) > 7 and fields[4] in ("Compound", "Inflect") and fields[7] != "*":
            parts = [p.split("/") for p in fields[7].split("+")]
            out.extend(p[0] for p in parts if len(p) >= 2 and kept(p[1]) and p[0] != surface)
    return " ".join(out)


def analyse(texts):
    """Every text through one MeCab process; returns (terms per text, seconds)."""
    flat = "\n".join(" ".join(t.split()) for t in texts) + "\n"
    started = time.perf_counter()
    result = subprocess.run(["mecab", "-d", DICTIONARY, "-r", "/dev/null", "-b", "4194304"], input=flat.encode("utf-8"),
                            capture_output=True, check=True)
    seconds = time.perf_counter() - started
    out, current = [], []
    for line in result.stdout.decode("utf-8").split("\n"):
        if line == "EOS":
            out.append(terms(current))
            current = []
        elif line:
            current.append(line)
    assert len(out) == len(texts), (len(out), len(texts))
    return out, seconds


def main():
    petitions_path, queries_path, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    petitions = [json.loads(line) for line in open(petitions_path, encoding="utf-8") if line.strip()]
    texts = [p["title"] for p in petitions] + [p["content"] or "" for p in petitions]
    analysed, seconds = analyse(texts)
    n = len(petitions)
    with open(os.path.join(out_dir, "petitions.jsonl"), "w", encoding="utf-8") as out:
        for i, p in enumerate(petitions):
            record = {"id": str(p["petition_idx"]), "title": analysed[i], "content": analysed[n + i]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    rows = [line.rstrip("\n").split("\t") for line in open(queries_path, encoding="utf-8")
            if line.strip() and not line.startswith("#")]
    queries, query_seconds = analyse([r[2] for r in rows])
    with open(os.path.join(out_dir, "queries.tsv"), "w", encoding="utf-8") as out:
        for row, query in zip(rows, queries):
            out.write(f"{row[0]}\t{row[1]}\t{query}\n")
    chars = sum(len(t) for t in texts)
    print(f"mecab: {n} petitions ({chars:,} characters) in {seconds:.2f} s; {len(rows)} queries in {query_seconds:.3f} s")


if __name__ == "__main__":
    main()
