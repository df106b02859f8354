//! Reporting periods: quarters (`2026-Q1`), halves (`2026-H1`) or months (`2026-03`),
//! following a plan's cadence.

use crate::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Quarterly,
    HalfYearly,
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Quarterly, Cadence::HalfYearly, Cadence::Monthly];

    pub fn key(self) -> &'static str {
        match self {
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYearly => "half_yearly",
            Cadence::Monthly => "monthly",
        }
    }

    pub fn parse(key: &str) -> Result<Cadence, FieldError> {
        Self::ALL.into_iter().find(|c| c.key() == key.trim()).ok_or(FieldError::new("cadence", "invalid_choice"))
    }

    fn periods_per_year(self) -> u32 {
        match self {
            Cadence::Quarterly => 4,
            Cadence::HalfYearly => 2,
            Cadence::Monthly => 12,
        }
    }
}

/// A stored cadence (rows decode it with `#[sqlx(try_from = "String")]`).
impl TryFrom<String> for Cadence {
    type Error = String;
    fn try_from(key: String) -> Result<Cadence, String> {
        Cadence::parse(&key).map_err(|_| format!("not a cadence: {key:?}"))
    }
}

/// One reporting period: the `index`-th (1-based) of its cadence in `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub index: u32,
    pub cadence: Cadence,
}

impl PartialOrd for Cadence {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cadence {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(other.key())
    }
}

impl Period {
    /// `2026-Q1`, `2026-H2`, `2026-03`.
    pub fn parse(raw: &str) -> Result<Period, FieldError> {
        let invalid = FieldError::new("period", "invalid_period");
        let raw = raw.trim();
        let (year, rest) = raw.split_once('-').ok_or(invalid.clone())?;
        if year.len() != 4 {
            return Err(invalid);
        }
        let year: i32 = year.parse().map_err(|_| invalid.clone())?;
        let (cadence, index) = if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            (Cadence::Quarterly, q)
        } else if let Some(h) = rest.strip_prefix(['H', 'h']) {
            (Cadence::HalfYearly, h)
        } else if rest.len() == 2 {
            (Cadence::Monthly, rest)
        } else {
            return Err(invalid);
        };
        let index: u32 = index.parse().map_err(|_| invalid.clone())?;
        if !(1..=cadence.periods_per_year()).contains(&index) || !(1900..=9999).contains(&year) {
            return Err(invalid);
        }
        Ok(Period { year, index, cadence })
    }

    /// The canonical code, as `parse` reads it.
    pub fn code(&self) -> String {
        match self.cadence {
            Cadence::Quarterly => format!("{}-Q{}", self.year, self.index),
            Cadence::HalfYearly => format!("{}-H{}", self.year, self.index),
            Cadence::Monthly => format!("{}-{:02}", self.year, self.index),
        }
    }

    /// `2026년 1분기`, `2026년 상반기`, `2026년 3월`.
    pub fn label_ko(&self) -> String {
        match (self.cadence, self.index) {
            (Cadence::Quarterly, i) => format!("{}년 {}분기", self.year, i),
            (Cadence::HalfYearly, 1) => format!("{}년 상반기", self.year),
            (Cadence::HalfYearly, _) => format!("{}년 하반기", self.year),
            (Cadence::Monthly, i) => format!("{}년 {}월", self.year, i),
        }
    }

    /// `Q1 2026`, `H2 2026`, `Mar 2026`.
    pub fn label_en(&self) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        match self.cadence {
            Cadence::Quarterly => format!("Q{} {}", self.index, self.year),
            Cadence::HalfYearly => format!("H{} {}", self.index, self.year),
            Cadence::Monthly => format!("{} {}", MONTHS[(self.index - 1) as usize], self.year),
        }
    }

    /// First and last month (1–12) the period covers.
    pub fn months(&self) -> (u32, u32) {
        let span = 12 / self.cadence.periods_per_year();
        let first = (self.index - 1) * span + 1;
        (first, first + span - 1)
    }

    /// When reports are due by default: the 10th of the month after the period
    /// (`2026-Q2` → `2026-07-10`, `2026-Q4` → `2027-01-10`).
    pub fn default_due_date(&self) -> String {
        let (_, last) = self.months();
        let year = if last == 12 { self.year + 1 } else { self.year };
        format!("{year}-{:02}-10", last % 12 + 1)
    }

    pub fn next(&self) -> Period {
        if self.index == self.cadence.periods_per_year() {
            Period { year: self.year + 1, index: 1, ..*self }
        } else {
            Period { index: self.index + 1, ..*self }
        }
    }

    /// The period of `cadence` containing month `month` of `year`.
    pub fn containing(cadence: Cadence, year: i32, month: u32) -> Period {
        let span = 12 / cadence.periods_per_year();
        Period { year, index: (month.clamp(1, 12) - 1) / span + 1, cadence }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_are_due_on_the_tenth_of_the_next_month() {
        assert_eq!(Period::parse("2026-Q2").unwrap().default_due_date(), "2026-07-10");
        assert_eq!(Period::parse("2026-Q4").unwrap().default_due_date(), "2027-01-10");
        assert_eq!(Period::parse("2026-H1").unwrap().default_due_date(), "2026-07-10");
        assert_eq!(Period::parse("2026-12").unwrap().default_due_date(), "2027-01-10");
    }

    #[test]
    fn codes_round_trip() {
        for code in ["2026-Q1", "2026-Q4", "2026-H1", "2026-H2", "2026-01", "2026-12"] {
            assert_eq!(Period::parse(code).unwrap().code(), code);
        }
        assert_eq!(Period::parse("2026-q3").unwrap().code(), "2026-Q3");
        for bad in ["2026-Q5", "2026-H3", "2026-13", "2026-00", "26-Q1", "2026Q1", "2026-Qx", "", "2026-3"] {
            assert_eq!(Period::parse(bad).unwrap_err().code, "invalid_period", "{bad}");
        }
    }

    #[test]
    fn labels_and_months() {
        let q3 = Period::parse("2026-Q3").unwrap();
        assert_eq!(q3.label_ko(), "2026년 3분기");
        assert_eq!(q3.months(), (7, 9));
        assert_eq!(Period::parse("2026-H2").unwrap().label_ko(), "2026년 하반기");
        assert_eq!(Period::parse("2026-H2").unwrap().months(), (7, 12));
        assert_eq!(Period::parse("2026-03").unwrap().label_en(), "Mar 2026");
    }

    #[test]
    fn next_and_containing() {
        assert_eq!(Period::parse("2026-Q4").unwrap().next().code(), "2027-Q1");
        assert_eq!(Period::parse("2026-11").unwrap().next().code(), "2026-12");
        assert_eq!(Period::containing(Cadence::Quarterly, 2026, 11).code(), "2026-Q4");
        assert_eq!(Period::containing(Cadence::HalfYearly, 2026, 6).code(), "2026-H1");
        assert!(Period::parse("2026-Q1").unwrap() < Period::parse("2026-Q2").unwrap());
    }
}
