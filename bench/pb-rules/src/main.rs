//! `pb-rules-bench FILE.pb [RULE…]`: prints one JSON line with the time to parse the
//! file and to compute each rule (median of repeated runs, repeated until about a
//! second has passed, at most 25 times), the selected count, and the process's peak
//! memory. bench/pb.sh runs it on every file beside pabutools.

use pb::{Rule, Score, TieBreak};
use std::time::Instant;

fn median_seconds(mut run: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 25 && (times.len() < 3 || started.elapsed().as_secs_f64() < 1.0) {
        let t = Instant::now();
        run();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: pb-rules-bench FILE.pb [RULE…]");
    let mut rules: Vec<String> = args.collect();
    if rules.is_empty() {
        rules = ["greedy", "mes", "mes-add1", "mes-add1-greedy"].map(String::from).to_vec();
    }
    let bytes = std::fs::read(&path).expect("readable file");
    let parse = median_seconds(|| {
        pb::pabulib::parse(&bytes).expect("valid file");
    });
    let election = pb::pabulib::parse(&bytes).expect("valid file");
    let mut results = serde_json::Map::new();
    for name in &rules {
        // As the pabutools fixtures compute them: Cost_Sat (greedy by approvals).
        let rule = Rule::named(name, Score::Approvals, TieBreak::ProjectId).expect("a rule name");
        let mut selected = 0;
        let seconds = median_seconds(|| selected = rule.compute(&election).selected.len());
        results.insert(name.clone(), serde_json::json!({ "seconds": seconds, "selected": selected }));
    }
    let line = serde_json::json!({
        "file": std::path::Path::new(&path).file_name().unwrap().to_string_lossy(),
        "voters": election.voters.len(),
        "projects": election.projects.len(),
        "parse_seconds": parse,
        "rules": results,
        "peak_memory_kib": peak_memory_kib(),
    });
    println!("{line}");
}
