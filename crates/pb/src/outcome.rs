//! What a rule returns: the selected projects and, for every project, why.

use crate::decimal::Decimal;
use crate::election::Election;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The score greedy ranks projects by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    /// Number of ballots naming the project (pabutools' greedy with `Cost_Sat`).
    Approvals,
    /// Points: cumulative or scoring points, positional points on ordinal ballots,
    /// approvals on approval ballots.
    Points,
    /// A score the file itself gives each project, in the project column that META
    /// `score_column` names: sotong's extension for greedy by a combined score of
    /// resident votes and committee scores (docs/PB.md "Scores given by the file").
    Column,
}

impl Score {
    pub fn of(self, election: &Election) -> Vec<Decimal> {
        match self {
            Score::Approvals => election.approvals().into_iter().map(Decimal::from).collect(),
            Score::Points => election.points(),
            Score::Column => {
                let column = election.meta("score_column").unwrap_or("");
                (0..election.projects.len())
                    .map(|p| election.project_field(p, column).and_then(|v| Decimal::parse(v).ok()).unwrap_or(Decimal::ZERO))
                    .collect()
            }
        }
    }
}

/// How to choose between projects that a rule values equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// The smaller project id, compared as a string (pabutools' default).
    #[default]
    ProjectId,
    /// The cheaper project, then the project id.
    LowestCost,
    /// The project on more ballots, then the project id.
    MostVotes,
}

impl TieBreak {
    /// `Less` when `a` wins the tie against `b`. Always a total order.
    pub fn compare(self, election: &Election, approvals: &[u64], a: usize, b: usize) -> Ordering {
        let (pa, pb) = (&election.projects[a], &election.projects[b]);
        let first = match self {
            TieBreak::ProjectId => Ordering::Equal,
            TieBreak::LowestCost => pa.cost.cmp(&pb.cost),
            TieBreak::MostVotes => approvals[b].cmp(&approvals[a]),
        };
        first.then_with(|| pa.id.cmp(&pb.id))
    }
}

/// Why a project was or was not selected. Money is exact; ρ and payments under equal
/// shares are rationals shown as decimals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Greedy: funded when its turn came (`rank` 1 = highest score).
    Funded { rank: usize, score: Decimal, money_before: Decimal },
    /// Greedy: its cost exceeded the money left when its turn came.
    DidNotFit { rank: usize, score: Decimal, money_left: Decimal },
    /// Greedy without skipping: ranked after the first project that did not fit.
    AfterStop { rank: usize, score: Decimal, stopped_at: String },
    /// Greedy with a minimum: its score was below the threshold.
    BelowThreshold { score: Decimal, threshold: Decimal },
    /// Equal shares: bought at `step`; each supporter paid `max_payment` or, if they
    /// had less left, everything they had (`paying_everything` of them did).
    Bought { step: usize, rho: String, max_payment: String, supporters: u64, paying_everything: u64 },
    /// Equal shares: costs nothing and has supporters, so it is selected first.
    Free,
    /// Equal shares: no ballot names it.
    NoSupporters,
    /// Equal shares: in the end its supporters had less money left than it costs.
    Unaffordable { supporters: u64, money_left: String, shortfall: String },
    /// Greedy completion after equal shares: funded with the money left.
    CompletedByGreedy { rank: usize, score: Decimal, money_before: Decimal },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub project: String,
    pub selected: bool,
    /// The rule's reason first; a completion adds its own.
    pub reasons: Vec<Reason>,
}

/// Why add1 stopped raising the voters' budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// No completion was asked for.
    NoCompletion,
    /// The outcome could not take one more project.
    Exhaustive,
    /// One more unit per voter would have spent more than the budget; the outcome
    /// is the last one that fitted.
    NextOverspends,
    /// Every supported project fits the budget, so raising never overspends; the
    /// outcome is the one at pabutools' upper bound of the raise.
    EverythingFits,
}

/// Equal shares' run details.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EqualSharesSummary {
    /// Each voter's share of money in the run that gave the outcome.
    pub voter_budget: String,
    /// How many times add1 raised each voter's share by one unit.
    pub increments: u64,
    pub stop: Stop,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub rule: String,
    /// Project indices in the order the rule selected them.
    pub selected: Vec<usize>,
    pub total_cost: Decimal,
    /// One per project, in file order.
    pub explanations: Vec<Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equal_shares: Option<EqualSharesSummary>,
}

impl Outcome {
    /// The selected project ids sorted as strings: the form pabutools results and
    /// Pabulib's `selected` column are compared in.
    pub fn selected_ids(&self, election: &Election) -> Vec<String> {
        sorted_ids(election, &self.selected)
    }
}

pub fn sorted_ids(election: &Election, projects: &[usize]) -> Vec<String> {
    let mut ids: Vec<String> = projects.iter().map(|&p| election.projects[p].id.clone()).collect();
    ids.sort();
    ids
}
