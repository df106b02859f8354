//! A pot's count: the ballots turned into a `pb` election, the process's rule
//! applied, the other rules computed beside it for comparison, and every project's
//! reason in a form pages can word in Korean (docs/BUDGETING.md "Results").
//!
//! The election built here is also what the Pabulib export writes, so
//! `sotong pb compute --rule official` on the exported file gives the published
//! outcome: greedy by votes is Pabulib's `greedy`; greedy by the combined score is
//! `greedy` over the file's `score` column (META `score_column`); equal shares is
//! `equalshares/add1`. Ties go to the smaller project id compared as text, pabutools'
//! default, so anyone can repeat the count. Amounts in the election are thousands of
//! won (천원, `AMOUNT_UNIT_KRW`), as Korean budget documents write them; explanations
//! come back in won.

use super::ballot::{BallotKind, Channel, PotChoices};
use super::score::{hundredths, Components, Figures, ScoreFormula};
use super::{OutcomeRule, AMOUNT_UNIT_KRW};
use pb::{Completion, Decimal, Election, GreedyOptions, MesOptions, Project, Reason, Rule, Score, TieBreak, VoteType, Voter};
use serde::{Deserialize, Serialize};

/// A project as counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedProject {
    pub id: i64,
    pub title: String,
    pub cost: i64,
    pub committee_points: i64,
}

/// One pot's count, before it is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotCount<'a> {
    pub pot_id: i64,
    pub name: &'a str,
    pub budget: i64,
    pub kind: BallotKind,
    pub projects: Vec<CountedProject>,
    /// Each ballot's choices in this pot (ballots that left the pot empty are not here).
    pub ballots: Vec<(Channel, &'a PotChoices)>,
}

/// Why a project was funded or not, in whole won, stored with the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// Greedy: funded at its rank, with this much money left before it.
    Funded { rank: i64, score: String, money_before: i64 },
    /// Greedy: did not fit in the money left when its turn came.
    DidNotFit { rank: i64, score: String, money_left: i64 },
    /// Equal shares: bought at this step, each supporter paying at most this much.
    Bought { step: i64, max_payment: i64, supporters: i64, paying_everything: i64 },
    /// Equal shares: its supporters together had less money left than it costs.
    Unaffordable { supporters: i64, money_left: i64, shortfall: i64 },
    /// No ballot named it.
    NoSupporters,
    /// Costs nothing and has supporters.
    Free,
    /// Added after equal shares with the money still left.
    CompletedByGreedy { rank: i64, score: String, money_before: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectResult {
    pub id: i64,
    pub title: String,
    pub cost: i64,
    pub online_votes: i64,
    pub paper_votes: i64,
    /// Cumulative ballots: the points given; otherwise the votes.
    pub points: i64,
    pub committee_points: i64,
    pub resident_votes: i64,
    /// Hundredths of a point (core::budgeting::score).
    pub resident_normalised: i64,
    pub committee_normalised: i64,
    pub combined: i64,
    pub selected: bool,
    pub reasons: Vec<Why>,
}

/// Another rule's outcome of the same ballots, for the side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutcome {
    pub rule: OutcomeRule,
    pub selected: Vec<i64>,
    pub total_cost: i64,
    /// Share of this pot's voters with at least one funded project they chose, in
    /// tenths of a percent.
    pub voters_satisfied_permille: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PotResult {
    pub pot_id: i64,
    pub name: String,
    pub budget: i64,
    pub voters: i64,
    pub rule: OutcomeRule,
    /// Funded projects in the order the rule chose them.
    pub selected: Vec<i64>,
    pub total_cost: i64,
    /// Projects by combined score, then votes, then id.
    pub projects: Vec<ProjectResult>,
    pub comparison: Vec<RuleOutcome>,
    /// How many residents' votes one committee member's vote weighed, when more
    /// than the formula's warning threshold (the Geumcheon case).
    pub committee_outweighs: Option<i64>,
}

/// The rules a process can choose that apply under `formula`.
pub fn applicable_rules(formula: &ScoreFormula) -> Vec<OutcomeRule> {
    OutcomeRule::ALL.iter().copied().filter(|r| *r != OutcomeRule::GreedyCombined || formula.uses_committee()).collect()
}

/// Counts one pot under `rule`, with the other applicable rules beside it.
pub fn count(pot: &PotCount<'_>, formula: &ScoreFormula, rule: OutcomeRule, committee_members: i64) -> PotResult {
    let figures = figures(pot);
    let components = formula.components(&figures);
    let counted = election(pot, &components, rule, formula);
    let outcome = rule_of(rule).compute(&counted);
    let comparison = applicable_rules(formula)
        .into_iter()
        .map(|other| {
            let other_outcome = if other == rule { outcome.clone() } else { rule_of(other).compute(&election(pot, &components, other, formula)) };
            summarise(other, &counted, &other_outcome, pot)
        })
        .collect();
    let mut projects: Vec<ProjectResult> = pot
        .projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            let f = &figures[i];
            let c: &Components = &components[i];
            let explanation = &outcome.explanations[i];
            ProjectResult {
                id: project.id,
                title: project.title.clone(),
                cost: project.cost,
                online_votes: f.online_votes,
                paper_votes: f.paper_votes,
                points: points_of(pot, project.id),
                committee_points: project.committee_points,
                resident_votes: c.resident_votes,
                resident_normalised: c.resident_normalised,
                committee_normalised: c.committee_normalised,
                combined: c.combined,
                selected: explanation.selected,
                reasons: explanation.reasons.iter().map(why).collect(),
            }
        })
        .collect();
    projects.sort_by(|a, b| b.combined.cmp(&a.combined).then(b.resident_votes.cmp(&a.resident_votes)).then(a.id.cmp(&b.id)));
    let selected: Vec<i64> = outcome.selected.iter().map(|&p| pot.projects[p].id).collect();
    PotResult {
        pot_id: pot.pot_id,
        name: pot.name.to_string(),
        budget: pot.budget,
        voters: pot.ballots.len() as i64,
        rule,
        total_cost: selected.iter().map(|id| cost_of(pot, *id)).sum(),
        selected,
        projects,
        comparison,
        committee_outweighs: formula.outweighs(committee_members, pot.ballots.len() as i64),
    }
}

/// The pot's anonymised ballots as the Pabulib file of its count under `rule`.
pub fn export(pot: &PotCount<'_>, formula: &ScoreFormula, rule: OutcomeRule) -> Election {
    let components = formula.components(&figures(pot));
    election(pot, &components, rule, formula)
}

/// The pot as a Pabulib election under `rule`: what is counted and what is exported.
pub fn election(pot: &PotCount<'_>, components: &[Components], rule: OutcomeRule, formula: &ScoreFormula) -> Election {
    let vote_type = match pot.kind {
        BallotKind::Approval | BallotKind::Knapsack => VoteType::Approval,
        BallotKind::Cumulative => VoteType::Cumulative,
    };
    let declared = match rule {
        OutcomeRule::GreedyVotes | OutcomeRule::GreedyCombined => "greedy",
        OutcomeRule::EqualShares => "equalshares/add1",
    };
    let mut meta = vec![
        ("description".to_string(), format!("sotong: {}", pot.name)),
        ("country".to_string(), "Korea".to_string()),
        ("district".to_string(), pot.name.to_string()),
        ("num_projects".to_string(), pot.projects.len().to_string()),
        ("num_votes".to_string(), pot.ballots.len().to_string()),
        ("budget".to_string(), (pot.budget / AMOUNT_UNIT_KRW).to_string()),
        ("vote_type".to_string(), vote_type.as_str().to_string()),
        ("rule".to_string(), declared.to_string()),
        ("currency".to_string(), "KRW".to_string()),
        ("comment".to_string(), "costs and budget in thousands of KRW (천원)".to_string()),
    ];
    if rule == OutcomeRule::GreedyCombined {
        meta.push(("score_column".to_string(), "score".to_string()));
    }
    let mut project_columns: Vec<String> = ["project_id", "cost", "name", "votes"].map(String::from).to_vec();
    if formula.uses_committee() {
        project_columns.extend(["committee".to_string(), "score".to_string()]);
    }
    let index: std::collections::HashMap<i64, u32> =
        pot.projects.iter().enumerate().map(|(i, p)| (p.id, i as u32)).collect();
    let figures = figures(pot);
    let projects = pot
        .projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            let mut extra =
                vec![project.title.replace([';', '\n', '"'], " "), (figures[i].online_votes + figures[i].paper_votes).to_string()];
            if formula.uses_committee() {
                extra.push(project.committee_points.to_string());
                extra.push(hundredths(components[i].combined));
            }
            Project { id: project.id.to_string(), cost: Decimal::from_int(project.cost / AMOUNT_UNIT_KRW), extra }
        })
        .collect();
    let mut vote_columns: Vec<String> = vec!["voter_id".into(), "vote".into()];
    if vote_type.has_points() {
        vote_columns.push("points".into());
    }
    let voters = pot
        .ballots
        .iter()
        .enumerate()
        .map(|(n, (_, choices))| {
            let chosen: Vec<(u32, i64)> =
                choices.iter().filter_map(|(project, points)| index.get(project).map(|&i| (i, *points))).collect();
            Voter {
                id: (n + 1).to_string(),
                ballot: chosen.iter().map(|(i, _)| *i).collect(),
                points: if vote_type.has_points() {
                    chosen.iter().map(|(_, p)| Decimal::from_int(*p)).collect()
                } else {
                    Vec::new()
                },
                extra: Vec::new(),
            }
        })
        .collect();
    Election {
        meta,
        vote_type,
        budget: Decimal::from_int(pot.budget / AMOUNT_UNIT_KRW),
        project_columns,
        projects,
        vote_columns,
        voters,
    }
}

/// The `pb` rule a process's choice means — the same one Pabulib's META names.
pub fn rule_of(rule: OutcomeRule) -> Rule {
    match rule {
        OutcomeRule::GreedyVotes => {
            Rule::Greedy(GreedyOptions { score: Score::Points, tie_break: TieBreak::ProjectId, ..Default::default() })
        }
        OutcomeRule::GreedyCombined => {
            Rule::Greedy(GreedyOptions { score: Score::Column, tie_break: TieBreak::ProjectId, ..Default::default() })
        }
        OutcomeRule::EqualShares => Rule::EqualShares(MesOptions {
            completion: Completion::Add1,
            tie_break: TieBreak::ProjectId,
            completion_score: Score::Points,
        }),
    }
}

fn figures(pot: &PotCount<'_>) -> Vec<Figures> {
    pot.projects
        .iter()
        .map(|project| {
            let mut f = Figures { committee_points: project.committee_points, ..Figures::default() };
            for (channel, choices) in &pot.ballots {
                if let Some(points) = choices.get(&project.id) {
                    let votes = if pot.kind == BallotKind::Cumulative { *points } else { 1 };
                    match channel {
                        Channel::Online => f.online_votes += votes,
                        Channel::Paper => f.paper_votes += votes,
                    }
                }
            }
            f
        })
        .collect()
}

fn points_of(pot: &PotCount<'_>, project: i64) -> i64 {
    pot.ballots.iter().filter_map(|(_, choices)| choices.get(&project)).sum()
}

fn cost_of(pot: &PotCount<'_>, project: i64) -> i64 {
    pot.projects.iter().find(|p| p.id == project).map_or(0, |p| p.cost)
}

fn summarise(rule: OutcomeRule, election: &Election, outcome: &pb::Outcome, pot: &PotCount<'_>) -> RuleOutcome {
    let selected: Vec<i64> = outcome.selected.iter().map(|&p| pot.projects[p].id).collect();
    let share = election.share_of_voters_with_a_project(&outcome.selected);
    RuleOutcome {
        rule,
        total_cost: selected.iter().map(|id| cost_of(pot, *id)).sum(),
        selected,
        voters_satisfied_permille: (share * 1000.0).round() as i64,
    }
}

/// Whole won of an amount in thousands of won as `pb` writes it (`1234.5` → 1,234,500).
fn won(text: &str) -> i64 {
    text.parse::<f64>().map(|v| (v * AMOUNT_UNIT_KRW as f64).round() as i64).unwrap_or(0)
}

fn why(reason: &Reason) -> Why {
    let int = |d: &Decimal| won(&d.to_string());
    match reason {
        Reason::Funded { rank, score, money_before } => {
            Why::Funded { rank: *rank as i64, score: score.to_string(), money_before: int(money_before) }
        }
        Reason::DidNotFit { rank, score, money_left } => {
            Why::DidNotFit { rank: *rank as i64, score: score.to_string(), money_left: int(money_left) }
        }
        // Not produced: sotong's greedy skips what does not fit and has no threshold.
        Reason::AfterStop { rank, score, .. } => Why::DidNotFit { rank: *rank as i64, score: score.to_string(), money_left: 0 },
        Reason::BelowThreshold { score, .. } => Why::DidNotFit { rank: 0, score: score.to_string(), money_left: 0 },
        Reason::Bought { step, max_payment, supporters, paying_everything, .. } => Why::Bought {
            step: *step as i64,
            max_payment: won(max_payment),
            supporters: *supporters as i64,
            paying_everything: *paying_everything as i64,
        },
        Reason::Free => Why::Free,
        Reason::NoSupporters => Why::NoSupporters,
        Reason::Unaffordable { supporters, money_left, shortfall } => {
            Why::Unaffordable { supporters: *supporters as i64, money_left: won(money_left), shortfall: won(shortfall) }
        }
        Reason::CompletedByGreedy { rank, score, money_before } => {
            Why::CompletedByGreedy { rank: *rank as i64, score: score.to_string(), money_before: int(money_before) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn choices(ids: &[i64]) -> PotChoices {
        ids.iter().map(|id| (*id, 1)).collect::<BTreeMap<_, _>>()
    }

    /// 10 voters, a 1억 pot: 7 want the park (6천만) and the library (5천만), 3 want
    /// the sports hall (4천만) — greedy funds the two most voted that fit, equal
    /// shares gives the minority its project.
    fn pot<'a>(ballots: &'a [PotChoices], committee: [i64; 3]) -> PotCount<'a> {
        let project = |id, title: &str, cost, committee_points| CountedProject { id, title: title.into(), cost, committee_points };
        PotCount {
            pot_id: 1,
            name: "중앙동",
            budget: 100_000_000,
            kind: BallotKind::Approval,
            projects: vec![
                project(11, "공원", 60_000_000, committee[0]),
                project(12, "도서관", 40_000_000, committee[1]),
                project(13, "체육관", 40_000_000, committee[2]),
            ],
            ballots: ballots.iter().enumerate().map(|(i, c)| (if i == 0 { Channel::Paper } else { Channel::Online }, c)).collect(),
        }
    }

    fn ballots() -> Vec<PotChoices> {
        let mut all = vec![choices(&[11, 12]); 7];
        all.extend(vec![choices(&[13]); 3]);
        all
    }

    #[test]
    fn greedy_and_equal_shares_side_by_side() {
        let ballots = ballots();
        let formula = ScoreFormula::default();
        let greedy = count(&pot(&ballots, [0; 3]), &formula, OutcomeRule::GreedyVotes, 0);
        assert_eq!(greedy.selected, vec![11, 12]);
        assert_eq!(greedy.total_cost, 100_000_000);
        assert_eq!(greedy.voters, 10);
        let hall = greedy.projects.iter().find(|p| p.id == 13).unwrap();
        assert_eq!(hall.reasons, vec![Why::DidNotFit { rank: 3, score: "3".into(), money_left: 0 }]);
        let park = greedy.projects.iter().find(|p| p.id == 11).unwrap();
        assert_eq!((park.online_votes, park.paper_votes), (6, 1));
        let mes = greedy.comparison.iter().find(|r| r.rule == OutcomeRule::EqualShares).unwrap();
        assert!(mes.selected.contains(&13), "equal shares funds the minority's project: {:?}", mes.selected);
        assert_eq!(greedy.comparison.len(), 2, "no combined rule without a committee");
        assert_eq!(greedy.comparison.iter().find(|r| r.rule == OutcomeRule::GreedyVotes).unwrap().voters_satisfied_permille, 700);
    }

    #[test]
    fn the_committee_moves_a_combined_score() {
        let ballots = ballots();
        let formula = ScoreFormula { resident_percent: 50, committee_percent: 50, ..ScoreFormula::default() };
        let result = count(&pot(&ballots, [100, 0, 400]), &formula, OutcomeRule::GreedyCombined, 4);
        // 체육관: votes 3/7 → 42.86, committee 400/400 → 100: combined 71.43, first.
        assert_eq!(result.projects[0].id, 13);
        assert_eq!(result.projects[0].combined, 7_143);
        assert_eq!(result.selected, vec![13, 11]);
        assert_eq!(result.committee_outweighs, None, "4 members, 10 voters: 2.5 voters each");
        let outweighed = count(&pot(&ballots, [1, 0, 4]), &formula, OutcomeRule::GreedyCombined, 1);
        assert_eq!(outweighed.committee_outweighs, None, "1 member for 10 voters weighs exactly 10: not more");
    }

    #[test]
    fn the_exported_file_reproduces_each_rule() {
        let ballots = ballots();
        let formula = ScoreFormula { resident_percent: 30, committee_percent: 70, ..ScoreFormula::default() };
        let pot = pot(&ballots, [10, 90, 50]);
        for rule in applicable_rules(&formula) {
            let result = count(&pot, &formula, rule, 3);
            let components = formula.components(&figures(&pot));
            let text = pb::pabulib::to_string(&election(&pot, &components, rule, &formula));
            let read = pb::pabulib::parse(text.as_bytes()).expect("the export reads back");
            let declared = Rule::declared(&read, TieBreak::ProjectId).expect("the export declares its rule");
            let mut recomputed: Vec<i64> =
                declared.compute(&read).selected.iter().map(|&p| read.projects[p].id.parse().unwrap()).collect();
            let mut published = result.selected.clone();
            recomputed.sort();
            published.sort();
            assert_eq!(recomputed, published, "{rule:?}");
        }
    }
}
