//! `text-bench`: quality and speed of the Korean text engine on the real petitions.
//! Each measurement is its own process so that its peak memory is its own
//! (bench/text.sh runs them all and writes the table for docs/BENCHMARKS.md).
//!
//!   text-bench quality [MECAB_DIR]   recall@10 / MRR@10 per analyzer (+ FTS5 trigram)
//!   text-bench dedupe                batch near-duplicates of the 8,859 full texts
//!   text-bench check                 one check against titles + full texts; brute force
//!   text-bench search                search latency, index build; FTS5; linear scan

use korean::dedupe::NearDuplicates;
use korean::search::Analysis;
use korean::shingle::{jaccard, shingles};
use rusqlite::Connection;
use std::path::Path;
use std::time::Instant;
use text_bench::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("quality") => quality_report(args.get(1).map(Path::new)),
        Some("hint") => hint_latency(),
        Some("dedupe") => dedupe_batch(),
        Some("check") => check_latency(),
        Some("search") => search_latency(),
        _ => {
            eprintln!("usage: text-bench quality [MECAB_DIR] | dedupe | check | search");
            std::process::exit(2);
        }
    }
}

fn full_texts() -> Vec<Petition> {
    read_petitions(&data_path("bluehouse_petitions_2020.jsonl"))
}

/// The 85,856 title-only rows and the 8,859 full petitions.
fn whole_corpus() -> Vec<Petition> {
    let mut corpus = read_titles(&data_path("petition_titles_2019_2021.csv"));
    corpus.extend(full_texts());
    corpus
}

/// Peak resident memory of this process so far, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// The p-th percentile (0–100) of durations in milliseconds.
fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted_ms.len() as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, sorted_ms.len()) - 1]
}

fn timed_ms<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed().as_secs_f64() * 1000.0)
}

fn latencies(mut ms: Vec<f64>) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    serde_json::json!({ "n": ms.len(), "p50_ms": percentile(&ms, 50.0), "p99_ms": percentile(&ms, 99.0),
        "mean_ms": ms.iter().sum::<f64>() / ms.len() as f64 })
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("text-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

// ---------------------------------------------------------------- quality

fn quality_report(mecab: Option<&Path>) {
    let petitions = full_texts();
    let queries = read_queries(&queries_path());
    let relevant = relevant_sets(&petitions, &queries);
    // MeCab's output: the same petitions and queries, already cut into morphemes.
    let tokenized =
        mecab.map(|dir| (read_petitions(&dir.join("petitions.jsonl")), read_queries(&dir.join("queries.tsv"))));
    let mut analyzers = vec![("bigram", &petitions, &queries, Analysis::Bigram)];
    if let Some((docs, queries)) = &tokenized {
        analyzers.push(("mecab-ko", docs, queries, Analysis::Pretokenized));
    }
    for (name, docs, analyzed_queries, analysis) in analyzers {
        let dir = scratch(name);
        let (index, build_ms) = timed_ms(|| build_index(Some(&dir), analysis, docs).unwrap());
        let (results, search_ms) = timed_ms(|| top_ten(&index, analyzed_queries).unwrap());
        report_quality(name, &queries, &results, &relevant, build_ms, dir_bytes(&dir), search_ms);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let db = fts5_database(&petitions);
    let (results, search_ms) = timed_ms(|| queries.iter().map(|q| fts5_search(&db, &q.text, 10)).collect::<Vec<_>>());
    report_quality("sqlite-fts5-trigram", &queries, &results, &relevant, f64::NAN, 0, search_ms);
    let (results, search_ms) =
        timed_ms(|| queries.iter().map(|q| fts5_search_words_first(&db, &q.text, 10)).collect::<Vec<_>>());
    report_quality("sqlite-fts5-trigram-words-first", &queries, &results, &relevant, f64::NAN, 0, search_ms);
}

fn report_quality(
    name: &str,
    queries: &[LabelledQuery],
    results: &[Vec<String>],
    relevant: &[std::collections::BTreeSet<String>],
    build_ms: f64,
    bytes: u64,
    search_ms: f64,
) {
    for kind in ["words", "chosung"] {
        let chosen: Vec<usize> = (0..queries.len()).filter(|&i| queries[i].kind == kind).collect();
        let found: Vec<Vec<String>> = chosen.iter().map(|&i| results[i].clone()).collect();
        let wanted: Vec<_> = chosen.iter().map(|&i| relevant[i].clone()).collect();
        let q = quality(&found, &wanted);
        println!(
            "{}",
            serde_json::json!({ "analyzer": name, "kind": kind, "queries": q.queries,
                "recall_at_10": q.recall_at_10, "mrr_at_10": q.mrr_at_10,
                "build_ms": if build_ms.is_nan() { serde_json::Value::Null } else { build_ms.into() },
                "index_bytes": bytes, "all_queries_ms": search_ms })
        );
    }
}

/// SQLite FTS5 with the trigram tokenizer: each query word a quoted string, words
/// OR-ed, ranked by bm25 with the title weighted 2 like ours. FTS5 trigram cannot
/// match a word shorter than 3 characters, so such words are left out.
fn fts5_database(docs: &[Petition]) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch("CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, title, content, tokenize='trigram')").unwrap();
    let tx = db.unchecked_transaction().unwrap();
    {
        let mut insert = tx.prepare("INSERT INTO doc(id, title, content) VALUES (?1, ?2, ?3)").unwrap();
        for d in docs {
            insert.execute((&d.id, &d.title, &d.content)).unwrap();
        }
    }
    tx.commit().unwrap();
    db
}

fn fts5_search(db: &Connection, query: &str, limit: usize) -> Vec<String> {
    let words: Vec<String> = query
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut statement =
        db.prepare_cached("SELECT id FROM doc WHERE doc MATCH ?1 ORDER BY bm25(doc, 0.0, 2.0, 1.0) LIMIT ?2").unwrap();
    let rows = statement.query_map((words.join(" OR "), limit as i64), |row| row.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// FTS5 trigram ranked the way our engine ranks: documents holding more of the query's
/// words first (counted in title and text), bm25 within each count. The 1,000 best by
/// bm25 are re-ranked.
fn fts5_search_words_first(db: &Connection, query: &str, limit: usize) -> Vec<String> {
    let words: Vec<String> =
        query.split_whitespace().filter(|w| w.chars().count() >= 3).map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect();
    let mut statement = db
        .prepare_cached(
            "SELECT id, lower(title || ' ' || content) FROM doc WHERE doc MATCH ?1 ORDER BY bm25(doc, 0.0, 2.0, 1.0) LIMIT 1000",
        )
        .unwrap();
    let rows = statement
        .query_map([quoted.join(" OR ")], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
        .unwrap();
    let mut ranked: Vec<(usize, usize, String)> = rows
        .map(Result::unwrap)
        .enumerate()
        .map(|(bm25_rank, (id, text))| (words.iter().filter(|w| text.contains(w.as_str())).count(), bm25_rank, id))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(limit).map(|(_, _, id)| id).collect()
}

// ---------------------------------------------------------------- similar-proposal hint

/// The hint's latency over the 94,714 documents (full texts and titles): 2,000 titles
/// typed (every 47th title of both files), one `find_like_distinct` each, and the
/// re-post measurement of the test.
fn hint_latency() {
    let petitions = read_petitions(&data_path("bluehouse_petitions_2020.jsonl"));
    let titles = text_bench::read_titles(&data_path("petition_titles_2019_2021.csv"));
    let (index, build_ms) = timed_ms(|| text_bench::hint_index(&petitions, &titles).unwrap());
    let typed: Vec<&str> =
        petitions.iter().chain(titles.iter()).step_by(47).take(2000).map(|p| p.title.as_str()).collect();
    let mut times = Vec::with_capacity(typed.len());
    for title in &typed {
        let start = std::time::Instant::now();
        let shown = text_bench::hint(&index, title, 5);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(shown.len() <= 5);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{}",
        serde_json::json!({ "hint": { "documents": index.len(), "build_ms": build_ms, "queries": times.len(),
            "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0) } })
    );
}

// ---------------------------------------------------------------- dedupe

fn dedupe_batch() {
    let docs: Vec<(String, Option<String>, String)> =
        full_texts().into_iter().map(|p| (p.id, None, p.content)).collect();
    let n = docs.len();
    let (pairs, ms) = timed_ms(|| NearDuplicates::build(0.8, docs).pairs());
    println!(
        "{}",
        serde_json::json!({ "measure": "dedupe_batch", "documents": n, "pairs": pairs.len(), "ms": ms,
            "threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), "peak_mib": peak_mib() })
    );
}

// ---------------------------------------------------------------- check

/// What a citizen submits: a petition's text with a few words added, every 9th one.
fn submissions(corpus: &[Petition]) -> Vec<String> {
    corpus
        .iter()
        .filter(|p| !p.content.is_empty())
        .step_by(9)
        .map(|p| format!("{} 꼭 검토해 주시기 바랍니다.", p.content))
        .collect()
}

fn check_latency() {
    let corpus = whole_corpus();
    // The full text where there is one, else the title.
    let texts: Vec<(String, Option<String>, String)> = corpus
        .iter()
        .map(|p| (p.id.clone(), None, if p.content.is_empty() { p.title.clone() } else { p.content.clone() }))
        .collect();
    let documents = texts.len();
    let (index, build_ms) = timed_ms(|| NearDuplicates::build(0.8, texts));
    let submissions = submissions(&corpus);
    let mut found = 0;
    let engine: Vec<f64> = submissions
        .iter()
        .map(|text| {
            let (matches, ms) = timed_ms(|| index.check(text));
            found += matches.len();
            ms
        })
        .collect();
    let peak_engine = peak_mib();
    // Brute force: the exact similarity with every document (its shingle set as the
    // index holds it), on the first 30.
    let brute: Vec<f64> = submissions
        .iter()
        .take(30)
        .map(|text| {
            timed_ms(|| {
                let s = shingles(text);
                (0..index.len()).filter(|&d| jaccard(&s, &index.document(d).shingles) >= 0.8).count()
            })
            .1
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({ "measure": "check", "documents": documents, "index_build_ms": build_ms,
            "matches": found, "engine": latencies(engine), "brute_force": latencies(brute), "peak_mib": peak_engine })
    );
}

// ---------------------------------------------------------------- search

/// The labelled queries plus one query per every 500th title (its first two words).
fn search_queries(corpus: &[Petition]) -> Vec<String> {
    let mut queries: Vec<String> = read_queries(&queries_path()).into_iter().map(|q| q.text).collect();
    queries
        .extend(corpus.iter().step_by(500).map(|p| p.title.split_whitespace().take(2).collect::<Vec<_>>().join(" ")));
    queries.retain(|q| !q.trim().is_empty());
    queries
}

fn search_latency() {
    let corpus = whole_corpus();
    let queries = search_queries(&corpus);
    let dir = scratch("search");
    let (index, build_ms) = timed_ms(|| build_index(Some(&dir), Analysis::Bigram, &corpus).unwrap());
    let index_bytes = dir_bytes(&dir);
    let peak_after_build = peak_mib();
    let run = |search: &dyn Fn(&str) -> usize| -> Vec<f64> {
        queries.iter().for_each(|q| {
            search(q);
        }); // one warm-up round
        (0..3).flat_map(|_| queries.iter().map(|q| timed_ms(|| search(q)).1)).collect()
    };
    let engine = run(&|q| index.search(q, 10).unwrap().len());
    let (db, fts_build_ms) = timed_ms(|| fts5_database(&corpus));
    let fts5 = run(&|q| fts5_search(&db, q, 10).len());
    // Linear scan: every document's title and body searched for every query word.
    let lowered: Vec<(String, String)> =
        corpus.iter().map(|p| (p.title.to_lowercase(), p.content.to_lowercase())).collect();
    let scan = run(&|q| {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        lowered.iter().filter(|(t, c)| words.iter().any(|w| t.contains(w.as_str()) || c.contains(w.as_str()))).count()
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{}",
        serde_json::json!({ "measure": "search", "documents": corpus.len(), "queries": queries.len(),
            "index_build_ms": build_ms, "index_bytes": index_bytes, "peak_mib_after_build": peak_after_build,
            "engine": latencies(engine), "fts5_build_ms": fts_build_ms, "fts5": latencies(fts5),
            "linear_scan": latencies(scan), "peak_mib": peak_mib() })
    );
}
