//! `sotong pb …` as an official uses it on real Pabulib files (no database).

mod common;

use common::{ok, refused, run as sotong};
use std::path::PathBuf;

fn data(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pabulib").join(file);
    path.to_str().unwrap().to_string()
}

#[test]
fn compute_prints_the_outcome_as_json() {
    let json: serde_json::Value = serde_json::from_str(&ok(sotong(&[
        "pb",
        "compute",
        "--rule",
        "mes-add1",
        "--format",
        "json",
        &data("Netherlands_Assen_2024.pb"),
    ])))
    .unwrap();
    assert_eq!(json["rule"], "mes-add1");
    // Assen used equal shares with add1: the official outcome.
    assert_eq!(json["selected"], serde_json::json!(["11", "12", "13", "14", "2", "3", "5", "6", "9"]));
    assert_eq!(json["total_cost"], "76700");
    assert!(json["seconds"].as_f64().unwrap() >= 0.0);
    let projects = json["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 14);
    let bought = projects.iter().find(|p| p["project"] == "3").unwrap();
    assert_eq!(bought["reasons"][0]["kind"], "bought");
    assert_eq!(bought["reasons"][0]["step"], 1);
}

#[test]
fn compute_explains_every_project_in_text() {
    let text = ok(sotong(&["pb", "compute", "--rule", "greedy", &data("Poland_Warszawa_2018_Sadul.pb")]));
    assert!(text.starts_with("greedy: 2 of 2 projects selected, 112,600 of the budget 116,735"), "{text}");
    assert!(text.contains("funded: rank 1 (score 86), 116,735 left before it"), "{text}");
    let text = ok(sotong(&["pb", "compute", "--rule", "mes", &data("Poland_Warszawa_2018_Sadul.pb")]));
    assert!(text.contains("bought at step 1"), "{text}");
    assert!(text.contains("supporters had only"), "{text}");
    // The rule the file declares (greedy with Warszawa's 10-vote threshold).
    let text = ok(sotong(&["pb", "compute", "--rule", "official", &data("Poland_Warszawa_2018_Sadul.pb")]));
    assert!(text.starts_with("greedy: 2 of 2"), "{text}");
    let error = refused(sotong(&["pb", "compute", "--rule", "official", &data("Switzerland_Zurich_S5.pb")]));
    assert!(error.contains("META rule \"unknown\" is not one sotong computes; choose a rule with --rule"), "{error}");
}

#[test]
fn compute_writes_the_election_with_its_outcome() {
    let dir = std::env::temp_dir().join(format!("sotong-pb-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("toulouse-mes.pb");
    let json: serde_json::Value = serde_json::from_str(&ok(sotong(&[
        "pb",
        "compute",
        "--rule",
        "mes",
        "--format",
        "json",
        "--output",
        output.to_str().unwrap(),
        &data("France_Toulouse_2024.pb"),
    ])))
    .unwrap();
    // Toulouse's file has no `selected` column; the written one has the outcome.
    let written = pb::pabulib::read_file(&output).unwrap();
    let selected = written.official_selection().expect("a selected column");
    assert_eq!(serde_json::json!(pb::outcome::sorted_ids(&written, &selected)), json["selected"]);
    assert_eq!(written.voters.len(), 7260);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn check_validates_and_names_the_line_of_an_error() {
    let text = ok(sotong(&["pb", "check", &data("Poland_Lodz_2022.pb")]));
    assert!(text.contains("valid — 90,494 ballots"), "{text}");
    let dir = std::env::temp_dir().join(format!("sotong-pb-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.pb");
    std::fs::write(&bad, "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\nA;ten\n")
        .unwrap();
    let error = refused(sotong(&["pb", "check", bad.to_str().unwrap()]));
    assert!(error.contains("bad.pb: line 7: cost: \"ten\" is not a decimal number"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn compare_shows_both_rules_and_who_got_a_project() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(sotong(&["pb", "compare", "--format", "json", &data("Poland_Swiecie_2023.pb")])))
            .unwrap();
    assert_eq!(json["greedy"]["rule"], "greedy");
    assert_eq!(json["equal_shares"]["rule"], "mes-add1");
    assert_eq!(json["equal_shares"]["projects"], 17);
    let greedy_share = json["greedy"]["share_of_voters_with_a_project"].as_f64().unwrap();
    let shares_share = json["equal_shares"]["share_of_voters_with_a_project"].as_f64().unwrap();
    // Proportional spending reaches more voters in Świecie than greedy does.
    assert!(shares_share > greedy_share && shares_share <= 1.0, "{greedy_share} vs {shares_share}");
    let text = ok(sotong(&["pb", "compare", &data("Poland_Swiecie_2023.pb")]));
    assert!(text.contains("of voters got at least one project they voted for"), "{text}");
}
