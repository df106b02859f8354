//! A ballot: what one voter chose in each pot of a process, checked as a whole when
//! it is submitted (no cart kept on the server), so a ballot either counts entirely
//! or not at all. Each broken rule is reported with what it concerns, so the voter
//! reads "동 예산: 최대 3개까지 고를 수 있습니다 (4개 선택)" rather than "invalid".
//!
//! Kinds (../REFERENCE.md "Participatory budgeting"): 선택형 `approval` (pick up to k,
//! optionally at least m, optionally at most q in a category — 7 + 3), 예산형
//! `knapsack` (picks whose costs fit the pot's budget) and 점수형 `cumulative`
//! (spread a number of points, at most some per project).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

text_enum!(
    /// How voters fill in a pot's ballot.
    BallotKind { Approval => "approval", Knapsack => "knapsack", Cumulative => "cumulative" }
);

impl BallotKind {
    /// The Pabulib `vote_type` a pot's ballots are exported as.
    pub fn pabulib_vote_type(self) -> &'static str {
        match self {
            BallotKind::Approval | BallotKind::Knapsack => "approval",
            BallotKind::Cumulative => "cumulative",
        }
    }
}

/// A pot's ballot rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRules {
    pub kind: BallotKind,
    /// Approval and knapsack: most projects one may pick (None: any number).
    pub max_picks: Option<i64>,
    /// Fewest projects a non-empty choice in this pot must name (None: one).
    pub min_picks: Option<i64>,
    /// Cumulative: points to spread.
    pub points: Option<i64>,
    /// Cumulative: most points on one project.
    pub max_points_per_project: Option<i64>,
}

impl BallotRules {
    pub fn approval(max_picks: i64) -> BallotRules {
        BallotRules {
            kind: BallotKind::Approval,
            max_picks: Some(max_picks),
            min_picks: None,
            points: None,
            max_points_per_project: None,
        }
    }

    /// Rules that make sense together; reported on the field the staff form names.
    pub fn check(&self) -> Result<(), crate::FieldError> {
        use crate::FieldError;
        let positive = |v: Option<i64>| v.is_none_or(|v| v > 0);
        if !positive(self.max_picks) {
            return Err(FieldError::new("max_picks", "amount_not_positive"));
        }
        if !positive(self.min_picks) {
            return Err(FieldError::new("min_picks", "amount_not_positive"));
        }
        if let (Some(min), Some(max)) = (self.min_picks, self.max_picks) {
            if min > max {
                return Err(FieldError::new("min_picks", "min_above_max"));
            }
        }
        if self.kind == BallotKind::Cumulative {
            match self.points {
                Some(p) if p > 0 => {}
                _ => return Err(FieldError::new("points", "required")),
            }
            if !positive(self.max_points_per_project) {
                return Err(FieldError::new("max_points_per_project", "amount_not_positive"));
            }
        }
        Ok(())
    }
}

/// A project as a ballot sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotProject {
    pub id: i64,
    pub cost: i64,
    pub category_id: Option<i64>,
}

/// A category's most picks within one pot (None: no quota).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryQuota {
    pub category_id: i64,
    pub max_picks: i64,
}

/// Everything a pot's ballot is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotBallot<'a> {
    pub pot_id: i64,
    pub budget: i64,
    pub rules: &'a BallotRules,
    pub projects: &'a [BallotProject],
    pub quotas: &'a [CategoryQuota],
}

/// One pot's choices: project id → points (1 for approval and knapsack).
pub type PotChoices = BTreeMap<i64, i64>;

/// A whole ballot: pot id → its choices. Pots left out (or empty) are abstentions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub pots: BTreeMap<i64, PotChoices>,
}

/// A rule a submitted ballot broke, with what the voter needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Violation {
    /// Chose nothing in any pot.
    Empty,
    /// Named a pot that is not on this ballot (or not the voter's district).
    UnknownPot {
        pot_id: i64,
    },
    /// Named a project that is not on this pot's ballot.
    UnknownProject {
        pot_id: i64,
        project_id: i64,
    },
    TooManyPicks {
        pot_id: i64,
        max: i64,
        chosen: i64,
    },
    TooFewPicks {
        pot_id: i64,
        min: i64,
        chosen: i64,
    },
    QuotaExceeded {
        pot_id: i64,
        category_id: i64,
        max: i64,
        chosen: i64,
    },
    OverBudget {
        pot_id: i64,
        budget: i64,
        chosen_cost: i64,
    },
    /// Approval and knapsack ballots give a project 1, nothing else.
    NotAPick {
        pot_id: i64,
        project_id: i64,
    },
    /// Cumulative: points must be whole and at least 1.
    BadPoints {
        pot_id: i64,
        project_id: i64,
    },
    TooManyPointsOnProject {
        pot_id: i64,
        project_id: i64,
        max: i64,
        given: i64,
    },
    TooManyPoints {
        pot_id: i64,
        max: i64,
        given: i64,
    },
}

impl Violation {
    /// The catalogue key (`ballot_violation.<code>`) of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Violation::Empty => "empty",
            Violation::UnknownPot { .. } => "unknown_pot",
            Violation::UnknownProject { .. } => "unknown_project",
            Violation::TooManyPicks { .. } => "too_many_picks",
            Violation::TooFewPicks { .. } => "too_few_picks",
            Violation::QuotaExceeded { .. } => "quota_exceeded",
            Violation::OverBudget { .. } => "over_budget",
            Violation::NotAPick { .. } => "not_a_pick",
            Violation::BadPoints { .. } => "bad_points",
            Violation::TooManyPointsOnProject { .. } => "too_many_points_on_project",
            Violation::TooManyPoints { .. } => "too_many_points",
        }
    }

    pub fn pot_id(&self) -> Option<i64> {
        match *self {
            Violation::Empty => None,
            Violation::UnknownPot { pot_id }
            | Violation::UnknownProject { pot_id, .. }
            | Violation::TooManyPicks { pot_id, .. }
            | Violation::TooFewPicks { pot_id, .. }
            | Violation::QuotaExceeded { pot_id, .. }
            | Violation::OverBudget { pot_id, .. }
            | Violation::NotAPick { pot_id, .. }
            | Violation::BadPoints { pot_id, .. }
            | Violation::TooManyPointsOnProject { pot_id, .. }
            | Violation::TooManyPoints { pot_id, .. } => Some(pot_id),
        }
    }
}

/// A ballot that passed [`Ballot::check`]: the only kind the store writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBallot(Ballot);

impl CheckedBallot {
    pub fn ballot(&self) -> &Ballot {
        &self.0
    }

    /// The ballot's content as stored and hashed: canonical JSON (`core::snapshot`).
    pub fn canonical(&self) -> String {
        crate::snapshot::canonical_json(&serde_json::to_value(&self.0).expect("a ballot serializes"))
    }
}

text_enum!(
    /// How a ballot reached the count: on the web (or the API), or on paper at a
    /// polling station and keyed in by two officers.
    Channel { Online => "online", Paper => "paper" }
);

/// A ballot's published hash: SHA-256 hex of
/// `sotong-ballot-v1\n{process id}\n{ballot id}\n{canonical content}` (docs/VERIFY.md).
pub fn ballot_hash(process_id: i64, ballot_id: &str, canonical: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(format!("sotong-ballot-v1\n{process_id}\n{ballot_id}\n").as_bytes());
    hasher.update(canonical.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of a published ballot list: SHA-256 hex of one line
/// `{ballot id} {ballot hash}\n` per ballot, in the byte order of the ids (random, so
/// the list says nothing of when each was cast). The chained publication holds it.
pub fn ballot_list_digest<'a>(ballots: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<(&str, &str)> = ballots.into_iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut hasher = Sha256::new();
    for (id, hash) in sorted {
        hasher.update(format!("{id} {hash}\n").as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Ballot {
    /// Checks the whole ballot against the pots this voter may vote in; every broken
    /// rule is returned, pot by pot. Empty pots are dropped from the ballot returned,
    /// so what is stored is exactly what counts.
    pub fn check(mut self, pots: &[PotBallot<'_>]) -> Result<CheckedBallot, Vec<Violation>> {
        self.pots.retain(|_, choices| !choices.is_empty());
        let mut violations = Vec::new();
        if self.pots.is_empty() {
            violations.push(Violation::Empty);
        }
        for (&pot_id, choices) in &self.pots {
            match pots.iter().find(|p| p.pot_id == pot_id) {
                Some(pot) => check_pot(pot, choices, &mut violations),
                None => violations.push(Violation::UnknownPot { pot_id }),
            }
        }
        if violations.is_empty() {
            Ok(CheckedBallot(self))
        } else {
            Err(violations)
        }
    }

    /// How many projects the ballot names in all.
    pub fn picks(&self) -> usize {
        self.pots.values().map(BTreeMap::len).sum()
    }
}

fn check_pot(pot: &PotBallot<'_>, choices: &PotChoices, violations: &mut Vec<Violation>) {
    let pot_id = pot.pot_id;
    let rules = pot.rules;
    let mut known = Vec::new();
    for (&project_id, &points) in choices {
        let Some(project) = pot.projects.iter().find(|p| p.id == project_id) else {
            violations.push(Violation::UnknownProject { pot_id, project_id });
            continue;
        };
        known.push(project);
        match rules.kind {
            BallotKind::Approval | BallotKind::Knapsack if points != 1 => {
                violations.push(Violation::NotAPick { pot_id, project_id })
            }
            BallotKind::Cumulative if points < 1 => violations.push(Violation::BadPoints { pot_id, project_id }),
            BallotKind::Cumulative => {
                if let Some(max) = rules.max_points_per_project.filter(|&max| points > max) {
                    violations.push(Violation::TooManyPointsOnProject { pot_id, project_id, max, given: points });
                }
            }
            _ => {}
        }
    }
    let chosen = choices.len() as i64;
    if let Some(max) = rules.max_picks.filter(|&max| chosen > max) {
        violations.push(Violation::TooManyPicks { pot_id, max, chosen });
    }
    if let Some(min) = rules.min_picks.filter(|&min| chosen < min) {
        violations.push(Violation::TooFewPicks { pot_id, min, chosen });
    }
    let categories: BTreeSet<i64> = known.iter().filter_map(|p| p.category_id).collect();
    for category_id in categories {
        let in_category = known.iter().filter(|p| p.category_id == Some(category_id)).count() as i64;
        if let Some(quota) = pot.quotas.iter().find(|q| q.category_id == category_id && in_category > q.max_picks) {
            violations.push(Violation::QuotaExceeded {
                pot_id,
                category_id,
                max: quota.max_picks,
                chosen: in_category,
            });
        }
    }
    if rules.kind == BallotKind::Knapsack {
        // Costs are bounded (`MAX_AMOUNT_KRW`), so the sum of a few hundred cannot overflow.
        let chosen_cost: i64 = known.iter().map(|p| p.cost).sum();
        if chosen_cost > pot.budget {
            violations.push(Violation::OverBudget { pot_id, budget: pot.budget, chosen_cost });
        }
    }
    if rules.kind == BallotKind::Cumulative {
        let given: i64 = choices.values().map(|&p| p.max(0)).sum();
        if let Some(max) = rules.points.filter(|&max| given > max) {
            violations.push(Violation::TooManyPoints { pot_id, max, given });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn projects() -> Vec<BallotProject> {
        (1..=8)
            .map(|id| BallotProject { id, cost: id * 100_000_000, category_id: Some(if id <= 5 { 1 } else { 2 }) })
            .collect()
    }

    fn ballot(pot: i64, picks: &[(i64, i64)]) -> Ballot {
        Ballot { pots: BTreeMap::from([(pot, picks.iter().copied().collect())]) }
    }

    #[test]
    fn approval_with_a_quota_reports_each_broken_rule() {
        let projects = projects();
        let rules = BallotRules { min_picks: Some(2), ..BallotRules::approval(3) };
        let quotas = [CategoryQuota { category_id: 1, max_picks: 2 }];
        let pot = PotBallot { pot_id: 7, budget: 1_000_000_000, rules: &rules, projects: &projects, quotas: &quotas };
        assert!(ballot(7, &[(1, 1), (6, 1)]).check(std::slice::from_ref(&pot)).is_ok());
        let violations = ballot(7, &[(1, 1), (2, 1), (3, 1), (4, 1)]).check(std::slice::from_ref(&pot)).unwrap_err();
        assert_eq!(
            violations,
            vec![
                Violation::TooManyPicks { pot_id: 7, max: 3, chosen: 4 },
                Violation::QuotaExceeded { pot_id: 7, category_id: 1, max: 2, chosen: 4 },
            ]
        );
        let violations = ballot(7, &[(1, 1)]).check(std::slice::from_ref(&pot)).unwrap_err();
        assert_eq!(violations, vec![Violation::TooFewPicks { pot_id: 7, min: 2, chosen: 1 }]);
        let violations = ballot(7, &[(1, 2), (99, 1)]).check(std::slice::from_ref(&pot)).unwrap_err();
        assert_eq!(
            violations,
            vec![
                Violation::NotAPick { pot_id: 7, project_id: 1 },
                Violation::UnknownProject { pot_id: 7, project_id: 99 }
            ]
        );
        assert_eq!(ballot(8, &[(1, 1)]).check(std::slice::from_ref(&pot)).unwrap_err(), vec![Violation::UnknownPot { pot_id: 8 }]);
        assert_eq!(Ballot::default().check(&[pot]).unwrap_err(), vec![Violation::Empty]);
    }

    #[test]
    fn knapsack_fits_the_pot_in_billions() {
        let projects = projects();
        let rules = BallotRules { kind: BallotKind::Knapsack, max_picks: None, ..BallotRules::approval(1) };
        let pot = PotBallot { pot_id: 1, budget: 1_000_000_000, rules: &rules, projects: &projects, quotas: &[] };
        assert!(ballot(1, &[(1, 1), (2, 1), (3, 1), (4, 1)]).check(std::slice::from_ref(&pot)).is_ok(), "exactly the budget");
        assert_eq!(
            ballot(1, &[(8, 1), (3, 1)]).check(&[pot]).unwrap_err(),
            vec![Violation::OverBudget { pot_id: 1, budget: 1_000_000_000, chosen_cost: 1_100_000_000 }]
        );
    }

    #[test]
    fn cumulative_points_are_bounded_per_project_and_in_all() {
        let projects = projects();
        let rules = BallotRules {
            kind: BallotKind::Cumulative,
            max_picks: None,
            min_picks: None,
            points: Some(10),
            max_points_per_project: Some(5),
        };
        let pot = PotBallot { pot_id: 1, budget: 1, rules: &rules, projects: &projects, quotas: &[] };
        assert!(ballot(1, &[(1, 5), (2, 5)]).check(std::slice::from_ref(&pot)).is_ok());
        assert_eq!(
            ballot(1, &[(1, 6), (2, 5), (3, 0)]).check(&[pot]).unwrap_err(),
            vec![
                Violation::TooManyPointsOnProject { pot_id: 1, project_id: 1, max: 5, given: 6 },
                Violation::BadPoints { pot_id: 1, project_id: 3 },
                Violation::TooManyPoints { pot_id: 1, max: 10, given: 11 },
            ]
        );
    }

    #[test]
    fn a_ballot_is_stored_and_hashed_in_one_canonical_form() {
        let projects = projects();
        let rules = BallotRules::approval(3);
        let pot = PotBallot { pot_id: 10, budget: 1, rules: &rules, projects: &projects, quotas: &[] };
        let checked = ballot(10, &[(2, 1), (1, 1)]).check(&[pot]).unwrap();
        assert_eq!(checked.canonical(), r#"{"pots":{"10":{"1":1,"2":1}}}"#);
        let hash = ballot_hash(3, "ab12", &checked.canonical());
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, ballot_hash(4, "ab12", &checked.canonical()), "the process is part of the hash");
    }

    #[test]
    fn rules_that_contradict_themselves_are_refused() {
        let rules = BallotRules { min_picks: Some(4), ..BallotRules::approval(3) };
        assert_eq!(rules.check().unwrap_err().code, "min_above_max");
        let rules = BallotRules { kind: BallotKind::Cumulative, ..BallotRules::approval(3) };
        assert_eq!(rules.check().unwrap_err().field, "points");
        assert!(BallotRules::approval(5).check().is_ok());
    }

    proptest! {
        /// Whatever is submitted, a ballot that passes keeps every rule.
        #[test]
        fn an_accepted_ballot_keeps_every_rule(picks in proptest::collection::btree_map(1i64..10, 0i64..4, 0..9)) {
            let projects = projects();
            let rules = BallotRules { kind: BallotKind::Knapsack, max_picks: Some(4), min_picks: Some(2), points: None, max_points_per_project: None };
            let quotas = [CategoryQuota { category_id: 2, max_picks: 1 }];
            let pot = PotBallot { pot_id: 1, budget: 1_200_000_000, rules: &rules, projects: &projects, quotas: &quotas };
            let submitted = Ballot { pots: BTreeMap::from([(1, picks)]) };
            if let Ok(accepted) = submitted.check(&[pot]) {
                let chosen = &accepted.ballot().pots[&1];
                prop_assert!((2..=4).contains(&chosen.len()));
                prop_assert!(chosen.values().all(|&p| p == 1));
                let cost: i64 = chosen.keys().map(|id| projects.iter().find(|p| p.id == *id).unwrap().cost).sum();
                prop_assert!(cost <= 1_200_000_000);
                prop_assert!(chosen.keys().filter(|&&id| id > 5).count() <= 1);
            }
        }
    }
}
