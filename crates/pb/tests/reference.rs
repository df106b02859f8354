//! sotong's outcomes against pabutools 1.2.3 (fixtures made by scripts/pb-reference.py)
//! and against the official outcomes recorded in real Pabulib files.

use pb::{Completion, Election, MesOptions, Score, TieBreak};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pabulib")
}

fn read(file: &str) -> Election {
    let path = data_dir().join(file);
    pb::pabulib::read_file(&path).unwrap_or_else(|e| panic!("{e} (the real data lives in ../shared/data)"))
}

fn fixtures() -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
    serde_json::from_str(include_str!("fixtures/pabutools-1.2.3.json")).expect("fixture is JSON")
}

/// The rule as pabutools computes it in the fixtures: Cost_Sat (greedy by approvals)
/// and lexicographic tie-breaking.
fn compute(election: &Election, rule: &str) -> Vec<String> {
    let rule = pb::Rule::named(rule, Score::Approvals, TieBreak::ProjectId)
        .unwrap_or_else(|| panic!("unknown rule {rule} in the fixture"));
    let outcome = rule.compute(election);
    assert!(outcome.total_cost <= election.budget, "{} overspends", outcome.rule);
    outcome.selected_ids(election)
}

#[test]
fn outcomes_equal_pabutools_on_every_file() {
    let fixtures = fixtures();
    let files: Vec<_> = std::fs::read_dir(data_dir())
        .expect("../shared/data/pabulib")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".pb"))
        .collect();
    assert!(files.len() >= 15, "expected the 15 Pabulib files, found {}", files.len());
    let mut compared = 0;
    let mut differences = Vec::new();
    for file in &files {
        let reference = fixtures.get(file).unwrap_or_else(|| panic!("no pabutools fixture for {file}"));
        for rule in ["greedy", "mes", "mes-add1"] {
            assert!(reference.contains_key(rule), "the fixture for {file} lacks {rule}");
        }
        let election = read(file);
        for (rule, expected) in reference {
            let Some(expected) = expected.as_array().filter(|_| rule.starts_with("greedy") || rule.starts_with("mes"))
            else {
                continue;
            };
            let expected: Vec<String> = expected.iter().map(|id| id.as_str().unwrap().to_string()).collect();
            let actual = compute(&election, rule);
            compared += 1;
            if actual != expected {
                differences.push(format!("{file} {rule}:\n  sotong    {actual:?}\n  pabutools {expected:?}"));
            }
        }
    }
    assert!(differences.is_empty(), "{} of {compared} outcomes differ:\n{}", differences.len(), differences.join("\n"));
    assert!(compared >= 45, "only {compared} outcomes compared");
}

fn official(file: &str) -> Vec<String> {
    let election = read(file);
    let selected = election.official_selection().expect("the file has a selected column");
    pb::outcome::sorted_ids(&election, &selected)
}

fn equal_shares_ids(file: &str, completion: Completion) -> Vec<String> {
    let election = read(file);
    let options = MesOptions { completion, tie_break: TieBreak::ProjectId, completion_score: Score::Approvals };
    pb::equal_shares(&election, &options).selected_ids(&election)
}

#[test]
fn equal_shares_elections_reproduce_their_official_outcome() {
    // META rule: equalshares/add1.
    assert_eq!(equal_shares_ids("Netherlands_Assen_2024.pb", Completion::Add1), official("Netherlands_Assen_2024.pb"));
    assert_eq!(equal_shares_ids("Poland_Swiecie_2023.pb", Completion::Add1), official("Poland_Swiecie_2023.pb"));
    // META rule: equalshares/add1-comparison: raised until the next step overspends.
    let wieliczka = "Poland_Wieliczka_2023_Green_Budget.pb";
    assert_eq!(equal_shares_ids(wieliczka, Completion::Add1UntilOverspend), official(wieliczka));
    // …which plain add1 (stopping at the first exhaustive outcome) does not reproduce.
    assert_ne!(equal_shares_ids(wieliczka, Completion::Add1), official(wieliczka));
}

#[test]
fn every_declared_rule_reproduces_the_official_outcome() {
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(data_dir()).expect("../shared/data/pabulib") {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let election = read(&file);
        let (Some(official), Ok(rule)) =
            (election.official_selection(), pb::Rule::declared(&election, TieBreak::ProjectId))
        else {
            continue;
        };
        let outcome = rule.compute(&election);
        assert_eq!(
            outcome.selected_ids(&election),
            pb::outcome::sorted_ids(&election, &official),
            "{file}: {} differs from the official outcome",
            outcome.rule
        );
        checked.push(file);
    }
    // Greedy (Gdynia, Katowice by points, Kraków by ordinal points, Łódź, Warszawa,
    // Wrocław) and equal shares (Assen, Świecie, Wieliczka).
    assert_eq!(checked.len(), 9, "checked {checked:?}");
}
