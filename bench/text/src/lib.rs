//! The petition corpus, the labelled query set and the quality measures shared by the
//! search-quality test and the `text-bench` binary (bench/text.sh).

use korean::normalize::search_form;
use korean::search::{Analysis, SearchError, SearchIndex};
use korean::shingle::{jaccard, shingles};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A petition with a title and (for the full-text set) a body.
#[derive(Debug, Clone)]
pub struct Petition {
    pub id: String,
    pub title: String,
    pub content: String,
}

/// One labelled query: its kind ("words" or "chosung"), the petition it was written
/// for, and the query text.
#[derive(Debug, Clone)]
pub struct LabelledQuery {
    pub kind: String,
    pub target: String,
    pub text: String,
}

/// `../shared/data/petitions/…` from the workspace.
pub fn data_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/petitions").join(file)
}

/// The labelled set beside this crate.
pub fn queries_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("petition-queries.tsv")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Petitions from a .jsonl file with `petition_idx` (or `id`), `title`, `content`.
pub fn read_petitions(path: &Path) -> Vec<Petition> {
    read(path)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("petition line is JSON");
            let text = |key: &str| match &value[key] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            let id = if value.get("petition_idx").is_some() { text("petition_idx") } else { text("id") };
            Petition { id, title: text("title"), content: text("content") }
        })
        .collect()
}

/// Title-only petitions from the titles CSV (`id`, `title`), ids prefixed "t" so they
/// never collide with full-text petition ids.
pub fn read_titles(path: &Path) -> Vec<Petition> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("header row").clone();
    let column = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == name).expect(name);
    let (id, title) = (column("id"), column("title"));
    reader
        .records()
        .map(|row| {
            let row = row.expect("CSV row");
            Petition { id: format!("t{}", &row[id]), title: row[title].to_string(), content: String::new() }
        })
        .collect()
}

/// The labelled queries (tab-separated kind, target, query; `#` lines are comments).
pub fn read_queries(path: &Path) -> Vec<LabelledQuery> {
    read(path)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut cells = line.split('\t');
            let mut next = || cells.next().expect("kind, target and query").to_string();
            LabelledQuery { kind: next(), target: next(), text: next() }
        })
        .collect()
}

/// The relevance rule: the target, every petition whose content is at least 0.8
/// similar to the target's (the dedupe contract: re-posts), and every petition with
/// the same title in search form.
pub fn relevant_sets(petitions: &[Petition], queries: &[LabelledQuery]) -> Vec<BTreeSet<String>> {
    let sets: Vec<Vec<u64>> = petitions.iter().map(|p| shingles(&p.content)).collect();
    let titles: Vec<String> = petitions.iter().map(|p| search_form(&p.title)).collect();
    queries
        .iter()
        .map(|query| {
            let target = petitions.iter().position(|p| p.id == query.target).expect("target petition exists");
            (0..petitions.len())
                .filter(|&d| d == target || titles[d] == titles[target] || jaccard(&sets[d], &sets[target]) >= 0.8)
                .map(|d| petitions[d].id.clone())
                .collect()
        })
        .collect()
}

/// Mean recall among the first 10 results and mean reciprocal rank of the first
/// relevant result within the first 10 (0 when none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    pub queries: usize,
    pub recall_at_10: f64,
    pub mrr_at_10: f64,
}

pub fn quality(results: &[Vec<String>], relevant: &[BTreeSet<String>]) -> Quality {
    assert_eq!(results.len(), relevant.len());
    let mut recall = 0.0;
    let mut reciprocal_rank = 0.0;
    for (found, wanted) in results.iter().zip(relevant) {
        let top = &found[..found.len().min(10)];
        recall += top.iter().filter(|id| wanted.contains(*id)).count() as f64 / wanted.len() as f64;
        if let Some(rank) = top.iter().position(|id| wanted.contains(id)) {
            reciprocal_rank += 1.0 / (rank + 1) as f64;
        }
    }
    let n = results.len().max(1) as f64;
    Quality { queries: results.len(), recall_at_10: recall / n, mrr_at_10: reciprocal_rank / n }
}

/// An index of the petitions (titles and contents) with the given analysis.
pub fn build_index(dir: Option<&Path>, analysis: Analysis, petitions: &[Petition]) -> Result<SearchIndex, SearchError> {
    let index = match dir {
        Some(dir) => SearchIndex::create(dir, analysis)?,
        None => SearchIndex::in_memory(analysis)?,
    };
    let mut writer = index.writer()?;
    for p in petitions {
        writer.add(&p.id, &p.title, &p.content)?;
    }
    writer.commit()?;
    Ok(index)
}

/// The ids of the first 10 results of each query.
pub fn top_ten(index: &SearchIndex, queries: &[LabelledQuery]) -> Result<Vec<Vec<String>>, SearchError> {
    queries.iter().map(|q| Ok(index.search(&q.text, 10)?.into_iter().map(|h| h.id).collect())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_and_reciprocal_rank() {
        let relevant: Vec<BTreeSet<String>> =
            vec![["a".into(), "b".into()].into(), ["c".into()].into(), ["d".into()].into()];
        let results = vec![
            vec!["x".into(), "a".into()],
            vec!["c".into()],
            (0..11).map(|i| if i == 10 { "d".into() } else { format!("n{i}") }).collect(),
        ];
        let q = quality(&results, &relevant);
        assert!((q.recall_at_10 - (0.5 + 1.0 + 0.0) / 3.0).abs() < 1e-12);
        assert!((q.mrr_at_10 - (0.5 + 1.0 + 0.0) / 3.0).abs() < 1e-12);
    }
}

/// The similar-proposal hint measured on real re-posts: every pair of full-text
/// petitions at least 0.8 similar (the dedupe contract) is an original (the earlier
/// one in file order) and a re-post. The index holds every petition but the re-posts,
/// plus `extra` (the 85,855 titles, for size); typing the re-post's title must show
/// the original among the first `top` — the way `SearchService::similar_proposals`
/// asks while a citizen types (`SearchIndex::find_like`).
pub struct RepostCase {
    pub original: String,
    pub repost_title: String,
    /// The original and every other petition of the re-post's near-duplicate group
    /// filed before the re-post: showing any of them shows the citizen the text they
    /// are about to file again. Counted because the index leaves out every re-post, so
    /// an original that is itself a re-post of an earlier one (a chain: 1차 → 2차 → 3차)
    /// is not there to be shown, and its own original is.
    pub earlier_copies: Vec<String>,
}

pub fn repost_cases(petitions: &[Petition]) -> Vec<RepostCase> {
    let docs = petitions.iter().map(|p| (p.id.clone(), None, p.content.clone())).collect();
    let pairs = korean::dedupe::NearDuplicates::build(0.8, docs).pairs();
    let mut group_of = vec![usize::MAX; petitions.len()];
    let groups = korean::dedupe::groups(petitions.len(), &pairs);
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m] = g;
        }
    }
    let mut cases: Vec<RepostCase> = pairs
        .into_iter()
        .map(|(a, b, _)| {
            let (original, repost) = if a < b { (a, b) } else { (b, a) };
            let earlier_copies =
                groups[group_of[repost]].iter().filter(|&&m| m < repost).map(|&m| petitions[m].id.clone()).collect();
            RepostCase {
                original: petitions[original].id.clone(),
                repost_title: petitions[repost].title.clone(),
                earlier_copies,
            }
        })
        .collect();
    cases.sort_by(|x, y| (&x.original, &x.repost_title).cmp(&(&y.original, &y.repost_title)));
    cases.dedup_by(|x, y| x.original == y.original && x.repost_title == y.repost_title);
    cases
}

/// The index of the hint's measurement: every petition but the re-posts, and `extra`.
pub fn hint_index(petitions: &[Petition], extra: &[Petition]) -> Result<SearchIndex, SearchError> {
    let docs = petitions.iter().map(|p| (p.id.clone(), None, p.content.clone())).collect();
    let pairs = korean::dedupe::NearDuplicates::build(0.8, docs).pairs();
    let reposts: BTreeSet<usize> = pairs.iter().map(|(a, b, _)| *a.max(b)).collect();
    // The titles file lists the same board's petitions: a re-post's own title there is
    // the re-post too, not yet filed while it is being typed.
    let typed: BTreeSet<String> = reposts.iter().map(|&n| search_form(&petitions[n].title)).collect();
    let index = SearchIndex::in_memory(Analysis::Bigram)?;
    let mut writer = index.writer()?;
    for (_, p) in petitions.iter().enumerate().filter(|(n, _)| !reposts.contains(n)) {
        writer.add_document(&korean::search::Document {
            id: &p.id,
            kind: "proposal",
            scope: "",
            title: &p.title,
            body: &p.content,
            date: 0,
        })?;
    }
    for p in extra.iter().filter(|p| !typed.contains(&search_form(&p.title))) {
        writer.add_document(&korean::search::Document {
            id: &p.id,
            kind: "proposal",
            scope: "",
            title: &p.title,
            body: "",
            date: 0,
        })?;
    }
    writer.commit()?;
    Ok(index)
}

/// The first `top` ids the hint shows for a title being typed.
pub fn hint(index: &SearchIndex, title: &str, top: usize) -> Vec<String> {
    let filter = korean::search::Filter { kind: Some("proposal"), ..Default::default() };
    index
        .find_like_distinct(title, &filter, top)
        .map(|hits| hits.into_iter().map(|h| h.id).collect())
        .unwrap_or_default()
}
