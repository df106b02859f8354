//! A commitment as published for one period: what its public page, the exports and
//! the API show, and what the hash chain covers (docs/VERIFY.md). Written once when a
//! period closes and read back, typed, by every reader.
//!
//! The JSON form is fixed: hashes of published quarters depend on its bytes. Fields
//! added later (`details`, `indicators`, milestones and changes) default when reading
//! items published before them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedItem {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub sector_id: i64,
    pub lead_department_id: i64,
    pub term_target: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget: Budget,
    /// The approved report's status, or the commitment's own when it had none.
    pub status: String,
    pub progress: i64,
    /// The approved report of the period, if there was one.
    pub report: Option<PublishedReport>,
    #[serde(default)]
    pub indicators: Vec<PublishedIndicator>,
    #[serde(default)]
    pub details: Details,
    /// Files published with the item: the commitment's own and its approved report's.
    /// Left out of the JSON when there are none, so items published before
    /// attachments existed keep their bytes and hashes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<PublishedAttachment>,
}

/// A published file: its SHA-256 is covered by the item's hash, so `sotong verify`
/// finds a file whose bytes were swapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedAttachment {
    pub sha256: String,
    pub name: String,
    /// A `files::FileKind` (`pdf`, `hwp`, `jpeg`, …).
    pub kind: String,
    pub size: i64,
    /// The period whose report it came with; none: the commitment's own document.
    pub period: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub national: i64,
    pub provincial: i64,
    pub city: i64,
    pub other: i64,
}

impl Budget {
    pub fn total(&self) -> i64 {
        self.national + self.provincial + self.city + self.other
    }
}

/// The published part of a progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedReport {
    pub status: String,
    pub progress: i64,
    pub achievements: String,
    pub problems: String,
    pub next_steps: String,
    pub budget_executed: i64,
    pub links: String,
}

/// An indicator with this period's actual value (none entered: `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedIndicator {
    pub name: String,
    pub unit: String,
    pub target: String,
    pub actual: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    /// Collaborating departments' ids.
    pub collaborators: Vec<i64>,
    /// (year, target)
    pub yearly_targets: Vec<(i64, String)>,
    /// (title, https URL)
    pub links: Vec<(String, String)>,
    #[serde(default)]
    pub milestones: Vec<PublishedMilestone>,
    /// Decided change requests (조정), oldest first.
    #[serde(default)]
    pub changes: Vec<PublishedChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMilestone {
    pub title: String,
    pub due_date: String,
    pub done_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedChange {
    /// modify, hold or abandon
    pub kind: String,
    pub reason: String,
    /// approved or rejected
    pub decision: String,
    pub note: String,
    /// Unix seconds.
    pub decided_at: Option<i64>,
}

impl PublishedItem {
    /// Reads an item as stored in a snapshot.
    pub fn parse(content_json: &str) -> Result<PublishedItem, serde_json::Error> {
        serde_json::from_str(content_json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{canonical_json, chain_hash};

    fn item() -> PublishedItem {
        PublishedItem {
            code: "1-06".into(),
            title: "청년 일자리 1만 개 창출".into(),
            summary: "청년 고용".into(),
            sector_id: 3,
            lead_department_id: 7,
            term_target: "1만 개".into(),
            start_date: Some("2022-07-01".into()),
            end_date: None,
            budget: Budget { national: 1, provincial: 2, city: 3, other: 4 },
            status: "on_track".into(),
            progress: 60,
            report: Some(PublishedReport {
                status: "on_track".into(),
                progress: 60,
                achievements: "실적".into(),
                problems: String::new(),
                next_steps: "계획".into(),
                budget_executed: 500,
                links: String::new(),
            }),
            indicators: vec![PublishedIndicator {
                name: "신규 일자리".into(),
                unit: "개".into(),
                target: "10000".into(),
                actual: None,
            }],
            details: Details {
                collaborators: vec![8, 9],
                yearly_targets: vec![(2025, "6천 개".into())],
                links: vec![("안내".into(), "https://hanbit.example".into())],
                milestones: vec![PublishedMilestone {
                    title: "조례 제정".into(),
                    due_date: "2022-12-31".into(),
                    done_date: Some("2022-12-20".into()),
                }],
                changes: vec![PublishedChange {
                    kind: "hold".into(),
                    reason: "예산".into(),
                    decision: "approved".into(),
                    note: "보류".into(),
                    decided_at: Some(1_780_000_000),
                }],
            },
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_published_form_is_pinned_byte_for_byte() {
        // The form every published quarter's hash depends on (docs/VERIFY.md): the same
        // bytes as the `json!` literal it replaced.
        let canonical = canonical_json(&serde_json::to_value(item()).unwrap());
        let expected = concat!(
            r#"{"budget":{"city":3,"national":1,"other":4,"provincial":2},"code":"1-06","#,
            r#""details":{"changes":[{"decided_at":1780000000,"decision":"approved","kind":"hold","note":"보류","reason":"예산"}],"#,
            r#""collaborators":[8,9],"links":[["안내","https://hanbit.example"]],"#,
            r#""milestones":[{"done_date":"2022-12-20","due_date":"2022-12-31","title":"조례 제정"}],"#,
            r#""yearly_targets":[[2025,"6천 개"]]},"end_date":null,"#,
            r#""indicators":[{"actual":null,"name":"신규 일자리","target":"10000","unit":"개"}],"#,
            r#""lead_department_id":7,"progress":60,"#,
            r#""report":{"achievements":"실적","budget_executed":500,"links":"","next_steps":"계획","problems":"","progress":60,"status":"on_track"},"#,
            r#""sector_id":3,"start_date":"2022-07-01","status":"on_track","summary":"청년 고용","term_target":"1만 개","title":"청년 일자리 1만 개 창출"}"#,
        );
        assert_eq!(canonical, expected);
        assert_eq!(chain_hash(None, &canonical).len(), 64);
        assert_eq!(PublishedItem::parse(&canonical).unwrap(), item(), "reads back as written");
    }

    #[test]
    fn attachments_are_written_only_when_there_are_some() {
        let mut with_file = item();
        with_file.attachments.push(PublishedAttachment {
            sha256: "ab".repeat(32),
            name: "실적 보고.pdf".into(),
            kind: "pdf".into(),
            size: 1234,
            period: Some("2026-Q2".into()),
        });
        let canonical = canonical_json(&serde_json::to_value(&with_file).unwrap());
        assert!(canonical.starts_with(&format!(
            r#"{{"attachments":[{{"kind":"pdf","name":"실적 보고.pdf","period":"2026-Q2","sha256":"{}","size":1234}}],"#,
            "ab".repeat(32)
        )));
        assert_eq!(PublishedItem::parse(&canonical).unwrap(), with_file);
        assert!(!canonical_json(&serde_json::to_value(item()).unwrap()).contains("attachments"));
    }

    #[test]
    fn items_published_before_details_existed_still_read() {
        let old = r#"{"budget":{"city":0,"national":0,"other":5,"provincial":0},"code":"1-01","end_date":null,
            "lead_department_id":2,"progress":100,"report":null,"sector_id":1,"start_date":null,
            "status":"completed","summary":"","term_target":"","title":"옛 공약"}"#;
        let item = PublishedItem::parse(old).unwrap();
        assert_eq!((item.budget.total(), item.details, item.indicators), (5, Details::default(), vec![]));
    }
}
