//! The final score of a project when a process combines channels — e.g. resident
//! votes 50% + committee 50% (Busan 2019), committee 70% + citizens 30% (Daegu 2017)
//! — written down so anyone can recompute it (docs/BUDGETING.md "The final score";
//! ../REFERENCE.md "Participatory budgeting").
//!
//! Each channel's raw figure is normalised to 0–100 before it is weighted:
//! - `max`: the project's figure ÷ the highest figure of the pot × 100 (the top
//!   project gets 100);
//! - `share`: the project's figure ÷ the sum over the pot × 100.
//!
//! Resident votes are online votes plus paper votes × the paper weight (Seongdong
//! 2015 counted on-site votes twice); the committee figure is the sum of the
//! members' scores. The combined score is Σ weight × normalised ÷ 100. Every figure
//! is kept in hundredths of a point and rounded half up, in integers, so the published
//! components add up exactly and nothing depends on floating point.

use crate::FieldError;
use serde::{Deserialize, Serialize};

text_enum!(
    /// How a channel's figures are brought to 0–100.
    Normalisation { Max => "max", Share => "share" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreFormula {
    /// Percent of the final score from resident votes (online and paper).
    pub resident_percent: i64,
    /// Percent from the committee's scores; the two add up to 100.
    pub committee_percent: i64,
    /// How many online votes one paper ballot counts as.
    pub paper_weight: i64,
    pub normalisation: Normalisation,
    /// Warn when one committee member's vote weighs more than this many residents'.
    pub warn_ratio: i64,
}

impl Default for ScoreFormula {
    /// Votes alone: what a process without a committee channel counts.
    fn default() -> Self {
        ScoreFormula {
            resident_percent: 100,
            committee_percent: 0,
            paper_weight: 1,
            normalisation: Normalisation::Max,
            warn_ratio: 10,
        }
    }
}

/// A project's raw figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub online_votes: i64,
    pub paper_votes: i64,
    pub committee_points: i64,
}

/// A project's published components, in hundredths of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Components {
    pub resident_votes: i64,
    pub resident_normalised: i64,
    pub committee_normalised: i64,
    pub combined: i64,
}

impl ScoreFormula {
    pub fn check(&self) -> Result<(), FieldError> {
        if !(0..=100).contains(&self.resident_percent) || !(0..=100).contains(&self.committee_percent) {
            return Err(FieldError::new("resident_percent", "percent_out_of_range"));
        }
        if self.resident_percent + self.committee_percent != 100 {
            return Err(FieldError::new("committee_percent", "weights_not_100"));
        }
        if !(1..=10).contains(&self.paper_weight) {
            return Err(FieldError::new("paper_weight", "paper_weight_out_of_range"));
        }
        if self.warn_ratio < 1 {
            return Err(FieldError::new("warn_ratio", "amount_not_positive"));
        }
        Ok(())
    }

    pub fn uses_committee(&self) -> bool {
        self.committee_percent > 0
    }

    /// Every project's components, in the order given.
    pub fn components(&self, figures: &[Figures]) -> Vec<Components> {
        let votes: Vec<i64> = figures.iter().map(|f| f.online_votes + f.paper_votes * self.paper_weight).collect();
        let committee: Vec<i64> = figures.iter().map(|f| f.committee_points).collect();
        let resident = normalise(self.normalisation, &votes);
        let committee = normalise(self.normalisation, &committee);
        votes
            .iter()
            .zip(resident.iter().zip(&committee))
            .map(|(&votes, (&r, &c))| Components {
                resident_votes: votes,
                resident_normalised: r,
                committee_normalised: c,
                combined: rounded_div(self.resident_percent * r + self.committee_percent * c, 100),
            })
            .collect()
    }

    /// How many residents' votes one committee member's vote weighs: the committee's
    /// share per member over the residents' share per voter. Geumcheon 2018: 50% for
    /// 40 members against 50% for about 1,200 voters — one member weighed 30 voters.
    pub fn committee_vote_weight(&self, members: i64, voters: i64) -> Option<i64> {
        if !self.uses_committee() || members <= 0 || voters <= 0 || self.resident_percent == 0 {
            return None;
        }
        Some(rounded_div(self.committee_percent * voters, self.resident_percent * members))
    }

    /// The Geumcheon warning: one member outweighs `warn_ratio` residents.
    pub fn outweighs(&self, members: i64, voters: i64) -> Option<i64> {
        self.committee_vote_weight(members, voters).filter(|&w| w > self.warn_ratio)
    }
}

/// Each figure brought to 0–100, in hundredths (0–10,000). All zero stays zero.
fn normalise(how: Normalisation, figures: &[i64]) -> Vec<i64> {
    let base = match how {
        Normalisation::Max => figures.iter().copied().max().unwrap_or(0),
        Normalisation::Share => figures.iter().sum(),
    };
    figures.iter().map(|&f| if base <= 0 { 0 } else { rounded_div(f * 10_000, base) }).collect()
}

/// `a ÷ b` rounded half up, for non-negative `a` and positive `b`.
fn rounded_div(a: i64, b: i64) -> i64 {
    (2 * a + b) / (2 * b)
}

/// Hundredths of a point as written on a page: `87.50`.
pub fn hundredths(value: i64) -> String {
    format!("{}.{:02}", value / 100, value % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busan() -> ScoreFormula {
        ScoreFormula { resident_percent: 50, committee_percent: 50, ..ScoreFormula::default() }
    }

    #[test]
    fn half_votes_half_committee_normalised_to_the_top_project() {
        let figures = [
            Figures { online_votes: 800, paper_votes: 0, committee_points: 300 },
            Figures { online_votes: 400, paper_votes: 0, committee_points: 400 },
            Figures { online_votes: 0, paper_votes: 0, committee_points: 0 },
        ];
        let c = busan().components(&figures);
        assert_eq!((c[0].resident_normalised, c[0].committee_normalised, c[0].combined), (10_000, 7_500, 8_750));
        assert_eq!((c[1].resident_normalised, c[1].committee_normalised, c[1].combined), (5_000, 10_000, 7_500));
        assert_eq!(c[2].combined, 0);
        assert_eq!(hundredths(c[0].combined), "87.50");
    }

    #[test]
    fn shares_and_paper_weight() {
        let formula = ScoreFormula { paper_weight: 2, normalisation: Normalisation::Share, ..ScoreFormula::default() };
        let figures = [
            Figures { online_votes: 100, paper_votes: 50, committee_points: 0 },
            Figures { online_votes: 100, paper_votes: 0, committee_points: 0 },
        ];
        let c = formula.components(&figures);
        assert_eq!(c[0].resident_votes, 200, "Seongdong: on-site votes count twice");
        assert_eq!((c[0].combined, c[1].combined), (6_667, 3_333), "200/300 and 100/300, rounded half up");
    }

    #[test]
    fn geumcheon_one_member_weighs_thirty_voters() {
        assert_eq!(busan().committee_vote_weight(40, 1_200), Some(30));
        assert_eq!(busan().outweighs(40, 1_200), Some(30));
        assert_eq!(busan().outweighs(40, 300), None, "7.5 voters per member stays under 10");
        assert_eq!(ScoreFormula::default().committee_vote_weight(40, 1_200), None, "no committee channel");
        let daegu = ScoreFormula { resident_percent: 30, committee_percent: 70, ..ScoreFormula::default() };
        assert_eq!(daegu.committee_vote_weight(20, 3_000), Some(350));
    }

    #[test]
    fn weights_must_add_up() {
        let wrong = ScoreFormula { committee_percent: 40, ..busan() };
        assert_eq!(wrong.check().unwrap_err().code, "weights_not_100");
        assert!(busan().check().is_ok());
        assert_eq!(ScoreFormula { paper_weight: 0, ..busan() }.check().unwrap_err().field, "paper_weight");
    }
}
