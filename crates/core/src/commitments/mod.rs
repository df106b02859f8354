//! Commitments (공약·과제): their status taxonomy and the metrics PRODUCT.md defines.
//!
//! - implementation rate (이행률) = (완료 + 이행후 계속추진) ÷ all commitments
//! - goal achievement rate (목표달성률) = (완료 + 이행후 계속추진 + 정상추진) ÷ all
//!
//! A plan may use its own taxonomy; each status says whether it counts as implemented
//! and whether it meets the period's goal, so the formulas hold for any taxonomy.
//!
//! `period` (reporting cadences and periods) and `published` (a commitment as
//! published for one period) are the module's other domain types.

pub mod period;
pub mod published;
pub mod report;
pub mod states;

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One status of a taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusDef {
    /// Stable key, e.g. `completed`.
    pub key: String,
    pub label_ko: String,
    pub label_en: String,
    /// Counts toward the implementation rate (완료, 이행후 계속추진).
    pub implemented: bool,
    /// Counts toward the goal achievement rate (also 정상추진).
    pub meets_goal: bool,
}

/// The statuses a plan reports in, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub statuses: Vec<StatusDef>,
}

/// A plan's stored taxonomy (JSON); unreadable is an error, never a silent default.
impl TryFrom<String> for Taxonomy {
    type Error = String;
    fn try_from(json: String) -> Result<Taxonomy, String> {
        let taxonomy: Taxonomy = serde_json::from_str(&json).map_err(|e| format!("unreadable taxonomy: {e}"))?;
        if taxonomy.statuses.is_empty() {
            return Err("a taxonomy without statuses".into());
        }
        Ok(taxonomy)
    }
}

impl Default for Taxonomy {
    /// The default taxonomy of Korean pledge management.
    fn default() -> Self {
        let status = |key: &str, ko: &str, en: &str, implemented: bool, meets_goal: bool| StatusDef {
            key: key.into(),
            label_ko: ko.into(),
            label_en: en.into(),
            implemented,
            meets_goal,
        };
        Taxonomy {
            statuses: vec![
                status("completed", "완료", "Completed", true, true),
                status("continuing", "이행후 계속추진", "Completed, continuing", true, true),
                status("on_track", "정상추진", "On track", false, true),
                status("partial", "일부추진", "Partially implemented", false, false),
                status("on_hold", "보류", "On hold", false, false),
                status("abandoned", "폐기", "Abandoned", false, false),
            ],
        }
    }
}

impl Taxonomy {
    /// A status by its key or by its Korean or English label (what spreadsheets hold).
    pub fn parse(&self, raw: &str) -> Result<&StatusDef, FieldError> {
        let wanted = raw.trim();
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        self.statuses
            .iter()
            .find(|s| s.key == wanted || s.label_ko == wanted || s.label_en.eq_ignore_ascii_case(wanted))
            .or_else(|| self.statuses.iter().find(|s| squeeze(&s.label_ko) == squeeze(wanted)))
            .ok_or(FieldError::new("status", "invalid_status"))
    }

    pub fn get(&self, key: &str) -> Option<&StatusDef> {
        self.statuses.iter().find(|s| s.key == key)
    }

    /// A taxonomy must have unique keys and at least one implemented status.
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut keys: Vec<&str> = self.statuses.iter().map(|s| s.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        let implemented_meets_goal = self.statuses.iter().all(|s| !s.implemented || s.meets_goal);
        if keys.len() != self.statuses.len() || !self.statuses.iter().any(|s| s.implemented) || !implemented_meets_goal
        {
            return Err(FieldError::new("taxonomy", "invalid_taxonomy"));
        }
        Ok(())
    }
}

/// What the metrics need to know of one commitment in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentState<'a> {
    pub status: &'a str,
    /// 0–100.
    pub progress: u8,
    /// Budget secured for the term, in KRW (all sources).
    pub budget_secured: i64,
    /// Budget executed so far, in KRW.
    pub budget_executed: i64,
}

/// A fraction `numerator / denominator`, kept exact; 0/0 is shown as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
}

impl Rate {
    pub fn fraction(self) -> f64 {
        if self.denominator == 0 {
            0.0
        } else {
            self.numerator as f64 / self.denominator as f64
        }
    }

    /// Percent rounded half away from zero to `decimals` places, as Korean reports
    /// print it (55/100 → "55", 2/3 → "66.7" with one decimal).
    pub fn percent(self, decimals: u32) -> String {
        if self.denominator == 0 {
            return "0".into();
        }
        let scale = 10i128.pow(decimals);
        let scaled = (i128::from(self.numerator) * 100 * scale * 2 + i128::from(self.denominator))
            / (2 * i128::from(self.denominator));
        let whole = scaled / scale;
        let frac = scaled % scale;
        if decimals == 0 || frac == 0 {
            whole.to_string()
        } else {
            let frac = format!("{:0width$}", frac, width = decimals as usize);
            format!("{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// The metrics of a set of commitments (a plan, a sector, a department) in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub total: i64,
    /// Status key → count, for every status of the taxonomy (zeros included).
    pub by_status: BTreeMap<String, i64>,
    pub implementation: Rate,
    pub goal_achievement: Rate,
    /// Mean progress in percent, rounded to one decimal (0 when there is none).
    pub average_progress: f64,
    pub budget_secured: i64,
    pub budget_executed: i64,
}

impl Metrics {
    pub fn compute<'a>(taxonomy: &Taxonomy, states: impl IntoIterator<Item = CommitmentState<'a>>) -> Metrics {
        let mut by_status: BTreeMap<String, i64> = taxonomy.statuses.iter().map(|s| (s.key.clone(), 0)).collect();
        let (mut total, mut implemented, mut goal, mut progress_sum) = (0i64, 0i64, 0i64, 0i64);
        let (mut secured, mut executed) = (0i64, 0i64);
        for state in states {
            total += 1;
            *by_status.entry(state.status.to_string()).or_insert(0) += 1;
            if let Some(def) = taxonomy.get(state.status) {
                implemented += i64::from(def.implemented);
                goal += i64::from(def.meets_goal);
            }
            progress_sum += i64::from(state.progress.min(100));
            secured = secured.saturating_add(state.budget_secured);
            executed = executed.saturating_add(state.budget_executed);
        }
        let average_progress =
            if total == 0 { 0.0 } else { (progress_sum as f64 / total as f64 * 10.0).round() / 10.0 };
        Metrics {
            total,
            by_status,
            implementation: Rate { numerator: implemented, denominator: total },
            goal_achievement: Rate { numerator: goal, denominator: total },
            average_progress,
            budget_secured: secured,
            budget_executed: executed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(counts: &[(&'static str, usize)]) -> Vec<CommitmentState<'static>> {
        counts
            .iter()
            .flat_map(|(status, n)| {
                std::iter::repeat_n(
                    CommitmentState { status, progress: 50, budget_secured: 1_000, budget_executed: 400 },
                    *n,
                )
            })
            .collect()
    }

    #[test]
    fn dangjin_55_percent_implemented_94_percent_on_goal() {
        // 당진시: 100 pledges, 55 완료, 39 정상추진, 6 일부추진.
        let m = Metrics::compute(&Taxonomy::default(), states(&[("completed", 55), ("on_track", 39), ("partial", 6)]));
        assert_eq!(m.total, 100);
        assert_eq!(m.implementation.fraction(), 0.55);
        assert_eq!(m.goal_achievement.fraction(), 0.94);
        assert_eq!(m.implementation.percent(0), "55");
        assert_eq!(m.goal_achievement.percent(1), "94");
        assert_eq!(m.by_status["completed"], 55);
        assert_eq!(m.by_status["abandoned"], 0, "every status is listed");
        assert_eq!(m.budget_secured, 100_000);
        assert_eq!(m.budget_executed, 40_000);
    }

    #[test]
    fn continuing_counts_as_implemented() {
        let m = Metrics::compute(&Taxonomy::default(), states(&[("continuing", 1), ("on_track", 1), ("on_hold", 1)]));
        assert_eq!(m.implementation, Rate { numerator: 1, denominator: 3 });
        assert_eq!(m.goal_achievement, Rate { numerator: 2, denominator: 3 });
        assert_eq!(m.goal_achievement.percent(1), "66.7");
    }

    #[test]
    fn empty_sets_have_zero_rates() {
        let m = Metrics::compute(&Taxonomy::default(), Vec::new());
        assert_eq!((m.total, m.implementation.fraction(), m.implementation.percent(1)), (0, 0.0, "0".to_string()));
    }

    #[test]
    fn statuses_parse_from_keys_and_labels() {
        let t = Taxonomy::default();
        assert_eq!(t.parse("완료").unwrap().key, "completed");
        assert_eq!(t.parse("이행후 계속추진").unwrap().key, "continuing");
        assert_eq!(t.parse("이행후계속추진").unwrap().key, "continuing", "spacing varies in spreadsheets");
        assert_eq!(t.parse(" on_track ").unwrap().key, "on_track");
        assert_eq!(t.parse("Partially implemented").unwrap().key, "partial");
        assert_eq!(t.parse("진행중").unwrap_err().code, "invalid_status");
        assert!(t.validate().is_ok());
    }
}
