//! Finding commitments in a published period: keyword (the `korean` crate's matching,
//! so "ㅊㅇ" and "창업" both find "청년 창업 지원"), sector, status and department
//! filters, a sort order and pages. The list page and the API read the same query
//! parameters through [`ListQuery`], so a page's URL and an API call share them.

use korean::jamo::{is_chosung_query, matches_chosung};
use korean::normalize::search_form;
use serde::{Deserialize, Serialize};
use sotong_core::commitments::published::PublishedItem;
use sotong_store::commitments::plans::Plan;
use sotong_store::{Store, StoreError};
use utoipa::IntoParams;

/// Commitments per page of the list.
pub const PAGE_SIZE: usize = 20;
/// The longest keyword looked at (characters); more is cut off.
const MAX_KEYWORD: usize = 100;

#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words that must all appear in the title, summary, target, code, sector or lead
    /// department; Hangul may be typed by its initial consonants (`ㅊㅇ` for 창업).
    pub q: Option<String>,
    /// A sector's id (blank: every sector, as the list's form sends it).
    pub sector: Option<String>,
    /// A status key of the plan (`completed`, `on_track`, …).
    pub status: Option<String>,
    /// The lead department's slug.
    pub department: Option<String>,
    /// `code` (default), `progress_desc`, `progress_asc`, `title`, `budget_desc`.
    pub sort: Option<String>,
    /// Page number from 1 (pages of 20 on the site; the API answers every match when absent).
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Code,
    ProgressDesc,
    ProgressAsc,
    Title,
    BudgetDesc,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Code, Sort::ProgressDesc, Sort::ProgressAsc, Sort::Title, Sort::BudgetDesc];

    pub fn key(self) -> &'static str {
        match self {
            Sort::Code => "code",
            Sort::ProgressDesc => "progress_desc",
            Sort::ProgressAsc => "progress_asc",
            Sort::Title => "title",
            Sort::BudgetDesc => "budget_desc",
        }
    }

    /// An unknown value sorts by code rather than failing a shared link.
    fn parse(raw: Option<&str>) -> Sort {
        Sort::ALL.into_iter().find(|s| Some(s.key()) == raw).unwrap_or(Sort::Code)
    }
}

/// One published commitment with the names the filters and the list show.
pub struct Candidate {
    pub item: PublishedItem,
    pub sector: String,
    pub department: String,
    pub department_slug: String,
}

/// The matches of a query, sorted, with the one page asked for.
pub struct Listing {
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub rows: Vec<Candidate>,
}

/// A published snapshot's commitments with their sector and department names.
pub async fn candidates(
    store: &Store,
    plan: &Plan,
    snapshot_id: i64,
    english: bool,
) -> Result<Vec<Candidate>, StoreError> {
    let sectors = store.sectors(plan.id).await?;
    let units = store.units(plan.body_id).await?;
    let items = store.published_items(snapshot_id).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let sector = sectors.iter().find(|s| s.id == item.sector_id);
            let unit = units.iter().find(|u| u.id == item.lead_department_id);
            Candidate {
                sector: sector.map(|s| if english { s.name_en.clone() } else { s.name_ko.clone() }).unwrap_or_default(),
                department: unit.map(|u| u.name(english).to_string()).unwrap_or_default(),
                department_slug: unit.map(|u| u.slug.clone()).unwrap_or_default(),
                item,
            }
        })
        .collect())
}

impl ListQuery {
    /// This query's URL parameters on another page (empty values left out).
    pub fn url(&self, base: &str, page: usize) -> String {
        let mut query = self.clone();
        query.page = (page > 1).then_some(page);
        query.q = query.q.filter(|q| !q.trim().is_empty());
        query.status = query.status.filter(|s| !s.is_empty());
        query.sector = self.sector_id().map(|id| id.to_string());
        query.department = query.department.filter(|s| !s.is_empty());
        query.sort = query.sort.filter(|s| s != Sort::Code.key());
        let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
        if encoded.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{encoded}")
        }
    }

    /// Whether any filter or keyword narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.words().is_empty()
            || self.sector_id().is_some()
            || self.status.as_deref().is_some_and(|s| !s.is_empty())
            || self.department.as_deref().is_some_and(|s| !s.is_empty())
    }

    pub fn sector_id(&self) -> Option<i64> {
        self.sector.as_deref().and_then(|s| s.trim().parse().ok())
    }

    pub fn sort(&self) -> Sort {
        Sort::parse(self.sort.as_deref())
    }

    /// The keyword's words in their search form (empty: no keyword).
    fn words(&self) -> Vec<String> {
        let keyword: String = self.q.as_deref().unwrap_or("").chars().take(MAX_KEYWORD).collect();
        search_form(&keyword).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
    }

    fn admits(&self, candidate: &Candidate, words: &[String]) -> bool {
        let item = &candidate.item;
        let status = self.status.as_deref().filter(|s| !s.is_empty());
        let department = self.department.as_deref().filter(|s| !s.is_empty());
        self.sector_id().is_none_or(|id| item.sector_id == id)
            && status.is_none_or(|s| item.status == s)
            && department.is_none_or(|d| candidate.department_slug == d)
            && matches_words(candidate, words)
    }

    /// Filters and sorts `candidates`; `page_size` None returns every match.
    pub fn apply(&self, candidates: Vec<Candidate>, page_size: Option<usize>) -> Listing {
        let words = self.words();
        let mut rows: Vec<Candidate> = candidates.into_iter().filter(|c| self.admits(c, &words)).collect();
        sort(&mut rows, self.sort());
        let total = rows.len();
        let Some(size) = page_size else { return Listing { total, page: 1, pages: 1, rows } };
        let pages = total.div_ceil(size).max(1);
        let page = self.page.unwrap_or(1).clamp(1, pages);
        let rows = rows.into_iter().skip((page - 1) * size).take(size).collect();
        Listing { total, page, pages, rows }
    }
}

/// Every word appears in one of the searched fields. A word typed in initial
/// consonants only ("ㅊㅇ") is looked for in the title, as the search index does
/// (in longer text two initials match almost anything).
fn matches_words(candidate: &Candidate, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let item = &candidate.item;
    let fields = [&item.title, &item.summary, &item.term_target, &item.code, &candidate.sector, &candidate.department]
        .map(|field| search_form(field));
    words.iter().all(|word| {
        if is_chosung_query(word) {
            matches_chosung(word, &fields[0])
        } else {
            fields.iter().any(|field| matches_chosung(word, field))
        }
    })
}

fn sort(rows: &mut [Candidate], order: Sort) {
    match order {
        Sort::Code => rows.sort_by(|a, b| natural_code(&a.item.code).cmp(&natural_code(&b.item.code))),
        Sort::ProgressDesc => rows.sort_by(|a, b| b.item.progress.cmp(&a.item.progress)),
        Sort::ProgressAsc => rows.sort_by(|a, b| a.item.progress.cmp(&b.item.progress)),
        Sort::Title => rows.sort_by(|a, b| a.item.title.cmp(&b.item.title)),
        Sort::BudgetDesc => rows.sort_by(|a, b| b.item.budget.total().cmp(&a.item.budget.total())),
    }
}

/// A piece of a code: runs of digits compare as numbers.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    Number(u64),
    Text(String),
}

/// "2-10" after "2-9".
fn natural_code(code: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut run = String::new();
    let mut digits = false;
    for c in code.chars() {
        if !run.is_empty() && c.is_ascii_digit() != digits {
            chunks.push(chunk(std::mem::take(&mut run), digits));
        }
        digits = c.is_ascii_digit();
        run.push(c);
    }
    if !run.is_empty() {
        chunks.push(chunk(run, digits));
    }
    chunks
}

fn chunk(run: String, digits: bool) -> Chunk {
    match run.parse() {
        Ok(n) if digits => Chunk::Number(n),
        _ => Chunk::Text(run),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(code: &str, title: &str, progress: i64) -> Candidate {
        let item: PublishedItem = serde_json::from_value(serde_json::json!({
            "code": code, "title": title, "summary": "", "sector_id": 1, "lead_department_id": 1,
            "term_target": "", "start_date": null, "end_date": null,
            "budget": {"national": 0, "provincial": 0, "city": progress * 1000, "other": 0},
            "status": if progress == 100 { "completed" } else { "on_track" }, "progress": progress, "report": null
        }))
        .unwrap();
        Candidate {
            item, sector: "경제".into(), department: "일자리경제과".into(), department_slug: "jobs".into()
        }
    }

    fn codes(listing: &Listing) -> Vec<&str> {
        listing.rows.iter().map(|c| c.item.code.as_str()).collect()
    }

    fn sample() -> Vec<Candidate> {
        vec![
            candidate("2-10", "청년 창업 지원센터 확충", 40),
            candidate("2-9", "전통시장 주차장 조성", 100),
            candidate("1-1", "어르신 일자리 확대", 70),
        ]
    }

    #[test]
    fn keywords_match_whole_syllables_and_initial_consonants() {
        for q in ["창업", "ㅊㅇ", "청년 ㅈㅇ", "지원센터", "CHANG"] {
            let query = ListQuery { q: Some(q.into()), ..Default::default() };
            let found = query.apply(sample(), None);
            let expected: &[&str] = if q == "CHANG" { &[] } else { &["2-10"] };
            assert_eq!(codes(&found), expected, "{q}");
        }
        let by_department = ListQuery { q: Some("일자리경제".into()), ..Default::default() };
        assert_eq!(by_department.apply(sample(), None).total, 3, "the lead department is searched");
    }

    #[test]
    fn filters_sort_and_pages() {
        let done = ListQuery { status: Some("completed".into()), ..Default::default() };
        assert_eq!(codes(&done.apply(sample(), None)), ["2-9"]);
        assert_eq!(codes(&ListQuery::default().apply(sample(), None)), ["1-1", "2-9", "2-10"], "codes in number order");
        let by_progress = ListQuery { sort: Some("progress_desc".into()), ..Default::default() };
        assert_eq!(codes(&by_progress.apply(sample(), None)), ["2-9", "1-1", "2-10"]);
        let second = ListQuery { page: Some(2), ..Default::default() };
        let listing = second.apply(sample(), Some(2));
        assert_eq!((listing.total, listing.page, listing.pages), (3, 2, 2));
        assert_eq!(codes(&listing), ["2-10"]);
        let beyond = ListQuery { page: Some(99), ..Default::default() };
        assert_eq!(beyond.apply(sample(), Some(2)).page, 2, "a page past the end shows the last");
        let unknown = ListQuery { sort: Some("nonsense".into()), ..Default::default() };
        assert_eq!(unknown.sort(), Sort::Code);
    }
}
