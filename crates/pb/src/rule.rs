//! A rule with all its options, including the one an election file declares.

use crate::decimal::Decimal;
use crate::election::Election;
use crate::greedy::{greedy, GreedyOptions};
use crate::mes::{equal_shares, Completion, MesOptions};
use crate::outcome::{Outcome, Score, TieBreak};

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Greedy(GreedyOptions),
    EqualShares(MesOptions),
}

/// The file's META `rule` is missing or names a rule sotong does not compute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeclaredRuleError {
    #[error("the file's META names no rule")]
    Missing,
    #[error("the file's META rule \"{0}\" is not one sotong computes")]
    Unknown(String),
    #[error("META min_project_score_threshold: {0}")]
    BadThreshold(String),
    #[error("META score_column names \"{0}\", which is not a project column of numbers")]
    BadScoreColumn(String),
}

impl Rule {
    pub fn compute(&self, election: &Election) -> Outcome {
        match self {
            Rule::Greedy(options) => greedy(election, options),
            Rule::EqualShares(options) => equal_shares(election, options),
        }
    }

    /// A rule by the name the CLI, the benchmark and the pabutools fixtures use:
    /// `greedy` (skipping what does not fit, no threshold) or an equal-shares variant
    /// named by [`Completion::rule_name`]; greedy and the greedy completion rank by `score`.
    pub fn named(name: &str, score: Score, tie_break: TieBreak) -> Option<Rule> {
        if name == "greedy" {
            return Some(Rule::Greedy(GreedyOptions { score, tie_break, ..Default::default() }));
        }
        [Completion::None, Completion::Add1, Completion::Add1ThenGreedy, Completion::Add1UntilOverspend]
            .into_iter()
            .find(|completion| completion.rule_name() == name)
            .map(|completion| Rule::EqualShares(MesOptions { completion, tie_break, completion_score: score }))
    }

    /// The rule the election's META says the city used, as Pabulib names them:
    /// `greedy`, `greedy-no-skip`, `greedy-threshold` (with
    /// `min_project_score_threshold`), `equalshares`, `equalshares/add1`, and
    /// `equalshares/add1-comparison` (Wieliczka: add1 until the next raise overspends).
    /// Greedy ranks by points, which is how the Polish files' cumulative and ordinal
    /// elections were counted — or, when META `score_column` names a project column,
    /// by the scores in it (sotong's files of processes that combine channels).
    pub fn declared(election: &Election, tie_break: TieBreak) -> Result<Rule, DeclaredRuleError> {
        let declared = election.meta("rule").unwrap_or("").trim().to_ascii_lowercase();
        let threshold = match election.meta("min_project_score_threshold") {
            Some(text) => Some(Decimal::parse(text).map_err(|e| DeclaredRuleError::BadThreshold(e.to_string()))?),
            None => None,
        };
        let score = match election.meta("score_column") {
            None => Score::Points,
            Some(column) => {
                let numbers = (0..election.projects.len())
                    .all(|p| election.project_field(p, column).is_some_and(|v| Decimal::parse(v).is_ok()));
                if !numbers || election.projects.is_empty() {
                    return Err(DeclaredRuleError::BadScoreColumn(column.to_string()));
                }
                Score::Column
            }
        };
        let greedy = |skip| Rule::Greedy(GreedyOptions { score, skip, threshold, tie_break });
        let mes = |completion| Rule::EqualShares(MesOptions { completion, tie_break, completion_score: Score::Points });
        Ok(match declared.as_str() {
            "greedy" | "greedy-threshold" => greedy(true),
            "greedy-no-skip" => greedy(false),
            "equalshares" => mes(Completion::None),
            "equalshares/add1" => mes(Completion::Add1),
            "equalshares/add1-comparison" => mes(Completion::Add1UntilOverspend),
            "" => return Err(DeclaredRuleError::Missing),
            other => return Err(DeclaredRuleError::Unknown(other.to_string())),
        })
    }
}
