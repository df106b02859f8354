//! Greedy by score: what most cities use. Projects in order of score (ties broken by
//! the [`TieBreak`]); each is funded if it fits in the money left.
//!
//! With `Score::Approvals` and the default tie-break this is pabutools'
//! `greedy_utilitarian_welfare` with `Cost_Sat` (whose welfare per unit of cost is the
//! number of approvals), including its habit of funding projects nobody voted for if
//! money is left; the threshold variant is how cities avoid that.

use crate::decimal::Decimal;
use crate::election::Election;
use crate::outcome::{Explanation, Outcome, Reason, Score, TieBreak};

#[derive(Debug, Clone, PartialEq)]
pub struct GreedyOptions {
    pub score: Score,
    /// `false`: stop at the first project that does not fit (Pabulib's
    /// `greedy-no-skip`), instead of skipping it and trying cheaper ones.
    pub skip: bool,
    /// Projects scoring below this are never funded (`greedy-threshold`).
    pub threshold: Option<Decimal>,
    pub tie_break: TieBreak,
}

impl Default for GreedyOptions {
    fn default() -> Self {
        GreedyOptions { score: Score::Points, skip: true, threshold: None, tie_break: TieBreak::ProjectId }
    }
}

pub fn greedy(election: &Election, options: &GreedyOptions) -> Outcome {
    let scores = options.score.of(election);
    let mut walk = Walk::new(election, election.budget);
    walk.run(election, &scores, options, |rank, score, money_before| Reason::Funded { rank, score, money_before });
    let explanations = explain(election, walk.reasons);
    Outcome {
        rule: "greedy".into(),
        total_cost: election.total_cost(&walk.selected),
        selected: walk.selected,
        explanations,
        equal_shares: None,
    }
}

/// Completes an outcome greedily: the unselected projects in score order, each funded
/// if it fits in what `selected` left of the budget. Returns the added projects and
/// each considered project's reason.
pub(crate) fn complete(
    election: &Election,
    selected: &[usize],
    options: &GreedyOptions,
) -> (Vec<usize>, Vec<Option<Reason>>) {
    let scores = options.score.of(election);
    let mut walk = Walk::new(election, election.budget - election.total_cost(selected));
    for &p in selected {
        walk.done[p] = true;
    }
    walk.run(election, &scores, options, |rank, score, money_before| Reason::CompletedByGreedy {
        rank,
        score,
        money_before,
    });
    (walk.selected, walk.reasons)
}

/// Projects in greedy order: highest score first, ties by the tie-break.
pub fn order(election: &Election, scores: &[Decimal], tie_break: TieBreak) -> Vec<usize> {
    let approvals = election.approvals();
    let mut order: Vec<usize> = (0..election.projects.len()).collect();
    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]).then_with(|| tie_break.compare(election, &approvals, a, b)));
    order
}

struct Walk {
    money_left: Decimal,
    selected: Vec<usize>,
    /// Projects already decided before the walk (completion) are skipped.
    done: Vec<bool>,
    reasons: Vec<Option<Reason>>,
}

impl Walk {
    fn new(election: &Election, money: Decimal) -> Walk {
        let n = election.projects.len();
        Walk { money_left: money, selected: Vec::new(), done: vec![false; n], reasons: vec![None; n] }
    }

    fn run(
        &mut self,
        election: &Election,
        scores: &[Decimal],
        options: &GreedyOptions,
        funded: impl Fn(usize, Decimal, Decimal) -> Reason,
    ) {
        let mut stopped_at: Option<String> = None;
        let mut rank = 0;
        for p in order(election, scores, options.tie_break) {
            if self.done[p] {
                continue;
            }
            rank += 1;
            let score = scores[p];
            let cost = election.projects[p].cost;
            self.reasons[p] = Some(match (&options.threshold, &stopped_at) {
                (Some(threshold), _) if score < *threshold => Reason::BelowThreshold { score, threshold: *threshold },
                (_, Some(stop)) => Reason::AfterStop { rank, score, stopped_at: stop.clone() },
                _ if cost <= self.money_left => {
                    let reason = funded(rank, score, self.money_left);
                    self.money_left = self.money_left - cost;
                    self.selected.push(p);
                    reason
                }
                _ => {
                    if !options.skip {
                        stopped_at = Some(election.projects[p].id.clone());
                    }
                    Reason::DidNotFit { rank, score, money_left: self.money_left }
                }
            });
        }
    }
}

fn explain(election: &Election, reasons: Vec<Option<Reason>>) -> Vec<Explanation> {
    reasons
        .into_iter()
        .zip(&election.projects)
        .map(|(reason, project)| {
            let reason = reason.expect("the walk decides every project");
            Explanation {
                project: project.id.clone(),
                selected: matches!(reason, Reason::Funded { .. }),
                reasons: vec![reason],
            }
        })
        .collect()
}
