//! Near-duplicate detection on the 8,859 real petitions of 2020 against an exact
//! reference, at the contract's threshold 0.8.

use korean::dedupe::{exact_pairs, NearDuplicates};
use korean::shingle::{jaccard, shingles};
use std::collections::BTreeSet;
use std::path::PathBuf;

const THRESHOLD: f64 = 0.8;

fn petitions() -> Vec<(String, String)> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/petitions/bluehouse_petitions_2020.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = value["petition_idx"].to_string().trim_matches('"').to_string();
            (id, value["content"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// Literally every pair: used to check the reference itself on a sample.
fn brute_force_pairs(sets: &[Vec<u64>]) -> BTreeSet<(usize, usize)> {
    let mut pairs = BTreeSet::new();
    for a in 0..sets.len() {
        for b in a + 1..sets.len() {
            if jaccard(&sets[a], &sets[b]) >= THRESHOLD {
                pairs.insert((a, b));
            }
        }
    }
    pairs
}

#[test]
fn finds_at_least_99_percent_of_near_duplicate_petitions_and_nothing_below() {
    let petitions = petitions();
    assert_eq!(petitions.len(), 8859);
    let sets: Vec<Vec<u64>> = petitions.iter().map(|(_, text)| shingles(text)).collect();

    // The reference agrees with literal brute force on the first 1,500 petitions.
    let sample = &sets[..1500];
    assert_eq!(exact_pairs(sample, THRESHOLD), brute_force_pairs(sample));

    let expected = exact_pairs(&sets, THRESHOLD);
    // The 2020 petitions hold 30 such pairs (re-posted requests); a change of that
    // number means the definition or the data changed.
    assert_eq!(expected.len(), 30, "pairs at or above {THRESHOLD}");

    let documents = petitions.iter().map(|(id, text)| (id.clone(), None, text.clone())).collect();
    let index = NearDuplicates::build(THRESHOLD, documents);
    let found: Vec<(usize, usize, f64)> = index.pairs();
    for &(a, b, similarity) in &found {
        assert!(a < b);
        let exact = jaccard(&sets[a], &sets[b]);
        assert_eq!(similarity, exact);
        assert!(exact >= THRESHOLD, "reported {a}-{b} at {exact}");
    }
    let found: BTreeSet<(usize, usize)> = found.iter().map(|&(a, b, _)| (a, b)).collect();
    assert!(found.is_subset(&expected));
    let recall = found.len() as f64 / expected.len() as f64;
    eprintln!("near-duplicate petitions: {} of {} pairs found (recall {recall:.4})", found.len(), expected.len());
    assert!(recall >= 0.99, "recall {recall}");
}
