//! What an officer writes in a progress report, checked once: a form (or the demo, or
//! a test) gives the text as [`ReportFields`], [`ReportInput::parse`] checks every
//! field and reports every problem at once, and the store writes a `ReportInput`
//! without checking it again — only `parse` makes one.

use super::Taxonomy;
use crate::format::{parse_decimal, parse_krw};
use crate::FieldError;

/// A report's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct ReportFields<'a> {
    /// A status key of the plan's taxonomy.
    pub status: &'a str,
    /// 0–100, a trailing `%` allowed.
    pub progress: &'a str,
    pub achievements: &'a str,
    pub problems: &'a str,
    pub next_steps: &'a str,
    /// Won executed so far (`1,234,000`, `1234000원`).
    pub budget_executed: &'a str,
    pub links: &'a str,
    /// (indicator id, value as typed) of the actuals entered; blank ones left out.
    pub actuals: Vec<(i64, &'a str)>,
    /// Submitting for review needs the achievements; a draft may be incomplete.
    pub submit: bool,
}

/// A checked report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportInput {
    pub status: String,
    pub progress: i64,
    pub achievements: String,
    pub problems: String,
    pub next_steps: String,
    pub budget_executed: i64,
    pub links: String,
    /// (indicator id, normalised decimal) for this period.
    pub actuals: Vec<(i64, String)>,
    pub submit: bool,
    checked: (),
}

/// The longest free text a report field takes, in characters.
const TEXT_LIMIT: usize = 4000;
const LINKS_LIMIT: usize = 2000;

impl ReportInput {
    pub fn parse(taxonomy: &Taxonomy, fields: &ReportFields<'_>) -> Result<ReportInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        if taxonomy.get(fields.status.trim()).is_none() {
            errors.push(FieldError::new("status", "invalid_status"));
        }
        let progress = fields.progress.trim().trim_end_matches('%').trim().parse::<i64>().ok();
        let progress = progress.filter(|p| (0..=100).contains(p));
        if progress.is_none() {
            errors.push(FieldError::new("progress", "invalid_progress"));
        }
        let budget = parse_krw(fields.budget_executed);
        if budget.is_none() {
            errors.push(FieldError::new("budget_executed", "invalid_amount"));
        }
        for (field, value, max) in [
            ("achievements", fields.achievements, TEXT_LIMIT),
            ("problems", fields.problems, TEXT_LIMIT),
            ("next_steps", fields.next_steps, TEXT_LIMIT),
            ("links", fields.links, LINKS_LIMIT),
        ] {
            if value.chars().count() > max {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        if fields.submit && fields.achievements.trim().is_empty() {
            errors.push(FieldError::new("achievements", "required"));
        }
        let mut actuals = Vec::new();
        for (indicator, raw) in &fields.actuals {
            match parse_decimal("actual", raw) {
                Ok(value) => actuals.push((*indicator, value)),
                Err(error) => errors.push(error),
            }
        }
        match (progress, budget) {
            (Some(progress), Some(budget_executed)) if errors.is_empty() => Ok(ReportInput {
                status: fields.status.trim().to_string(),
                progress,
                achievements: fields.achievements.trim().to_string(),
                problems: fields.problems.trim().to_string(),
                next_steps: fields.next_steps.trim().to_string(),
                budget_executed,
                links: fields.links.trim().to_string(),
                actuals,
                submit: fields.submit,
                checked: (),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>() -> ReportFields<'a> {
        ReportFields {
            status: "on_track",
            progress: "40%",
            achievements: "착공",
            budget_executed: "1,200,000원",
            ..Default::default()
        }
    }

    #[test]
    fn a_report_is_checked_once_with_every_error_at_once() {
        let taxonomy = Taxonomy::default();
        let ok = ReportInput::parse(&taxonomy, &ReportFields { actuals: vec![(7, "012.50")], ..fields() }).unwrap();
        assert_eq!((ok.progress, ok.budget_executed), (40, 1_200_000));
        assert_eq!(ok.actuals, vec![(7, "12.5".to_string())]);
        let bad = ReportFields {
            status: "진행중",
            progress: "101",
            budget_executed: "1,2,3",
            achievements: " ",
            submit: true,
            actuals: vec![(7, "-1")],
            ..fields()
        };
        let errors = ReportInput::parse(&taxonomy, &bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["status", "progress", "budget_executed", "achievements", "actual"]);
        // A draft may leave the achievements empty.
        let draft = ReportFields { achievements: "", ..fields_of_draft() };
        assert!(ReportInput::parse(&taxonomy, &draft).is_ok());
    }

    fn fields_of_draft<'a>() -> ReportFields<'a> {
        ReportFields { submit: false, ..fields() }
    }
}
