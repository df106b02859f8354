//! Multi-person complaints (다수인·중복민원) measured on real text: the 8,859 petitions
//! of 2020 in `../shared/data/petitions/` are filed one by one as complaints of
//! different people, each through the check every filing makes (`ComplaintMatcher`,
//! the body's group threshold, 80 %), and the cases they end in must be exactly the
//! connected components of the pairs whose exact 3-gram Jaccard is at least 0.8,
//! computed over the complaints as stored. SQLite only: the semantics on both engines
//! are in `complaints.rs`; this is the measurement on the real corpus.

mod common;

use common::Fixture;
use korean::dedupe::{exact_pairs, groups};
use korean::shingle::shingles;
use sotong_core::voice::complaints::{NewComplaint, Place, BODY_MAX_CHARS, TITLE_MAX_CHARS, TITLE_MIN_CHARS};
use sotong_store::voice::complaints::categories::NewCategory;
use sotong_store::voice::complaints::{ComplaintFilter, Filer, FilingLinks, Source};
use sotong_store::{Actor, Backend};
use sotong_web::search::complaints::ComplaintMatcher;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// A petition as a citizen would file it: its title (a short one named a petition),
/// its text cut at Open311's 4,000 characters.
fn as_complaint(title: &str, content: &str) -> Option<NewComplaint> {
    let mut title: String = title.trim().chars().take(TITLE_MAX_CHARS).collect();
    if title.chars().count() < TITLE_MIN_CHARS {
        title = format!("국민청원: {title}");
    }
    let body: String = content.trim().chars().take(BODY_MAX_CHARS).collect();
    NewComplaint::parse(&title, &body, true, Place::parse("", "", ""), "").ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_of_the_real_petitions_are_the_exact_components() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/petitions/bluehouse_petitions_2020.jsonl");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let petitions: Vec<NewComplaint> = text
        .lines()
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            as_complaint(value["title"].as_str().unwrap_or(""), value["content"].as_str().unwrap_or(""))
        })
        .collect();
    assert!(petitions.len() > 8_800, "nearly every petition is a valid complaint: {}", petitions.len());

    let store = common::fixture_store(Backend::Sqlite, Fixture::Demo).await;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let cli = Actor::cli();
    let new =
        NewCategory::parse("petitions", "국민청원", "2020년 국민청원 게시판의 청원", "suggestion", None, "").unwrap();
    let category = store.add_complaint_category(&cli, city.id, &new).await.unwrap();
    let rules = store.complaint_rules(city.id).await.unwrap();
    assert_eq!(rules.group_similarity_percent, 80);
    let matcher = ComplaintMatcher::default();
    let mut check_ms = Vec::with_capacity(petitions.len());
    for (n, petition) in petitions.iter().enumerate() {
        let started = Instant::now();
        let same_matter =
            matcher.same_matter(&store, city.id, None, &petition.title, &petition.body, &rules).await.unwrap();
        check_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let filer = Filer { user_id: None, name: Some(format!("청원인 {n}")), email: None };
        let links = FilingLinks { repeat_of: None, same_matter };
        store.file_complaint(&cli, &category, &filer, petition, &links, Source::Open311).await.unwrap();
    }

    // The reference, exact, over the complaints as stored.
    let filter = ComplaintFilter { limit: 20_000, ..Default::default() };
    let (mut stored, total) = store.complaints(city.id, &filter).await.unwrap();
    assert_eq!(total as usize, petitions.len());
    stored.sort_by_key(|c| c.id);
    let sets: Vec<Vec<u64>> =
        stored.iter().map(|c| shingles(&sotong_store::voice::complaints::compared_text(&c.title, &c.body))).collect();
    let pairs: Vec<(usize, usize, f64)> = exact_pairs(&sets, 0.8).into_iter().map(|(a, b)| (a, b, 1.0)).collect();
    let expected: BTreeSet<Vec<i64>> =
        groups(stored.len(), &pairs).into_iter().map(|g| g.into_iter().map(|d| stored[d].id).collect()).collect();

    let mut cases: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for complaint in &stored {
        if let Some(case) = complaint.case_id {
            cases.entry(case).or_default().push(complaint.id);
        }
    }
    let found: BTreeSet<Vec<i64>> = cases.into_values().filter(|members| members.len() > 1).collect();
    check_ms.sort_by(f64::total_cmp);
    let p99 = check_ms[check_ms.len() * 99 / 100];
    eprintln!(
        "real petitions as complaints: {} filed, {} exact pairs, {} groups expected, {} cases found; check p99 {p99:.2} ms (debug build)",
        stored.len(),
        pairs.len(),
        expected.len(),
        found.len()
    );
    assert!(!expected.is_empty(), "the corpus holds re-posted petitions");
    assert_eq!(found, expected, "the cases are the exact components");
}
