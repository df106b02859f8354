//! A Pabulib election imported as a finished process (docs/BUDGETING.md "Importing
//! a Pabulib file"): one pot with the file's budget, its projects on the ballot, its
//! ballots cast as anonymous participations, the vote closed and the results
//! published with the rule the file declares — so sotong's published outcome can be
//! compared with `sotong pb compute` on the file. Amounts of the file are read as
//! thousands of won (the unit of the count), so the count is the file's own.
//! Everything is checked before anything is written: a file with one bad ballot
//! imports nothing.

use super::projects::Submitter;
use super::Process;
use crate::audit::Actor;
use crate::{Store, StoreError};
use pb::{Election, VoteType};
use sotong_core::budgeting::ballot::{Ballot, BallotKind, BallotProject, BallotRules, PotBallot};
use sotong_core::budgeting::score::ScoreFormula;
use sotong_core::budgeting::{FeasibilityReview, NewPot, NewProcess, NewProject, OutcomeRule, Phase, AMOUNT_UNIT_KRW};
use sotong_core::verification::Eligibility;
use std::collections::BTreeMap;

/// Why a file cannot be imported, naming the voter or project when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PabulibImportError {
    #[error("the file's vote type {0} is not one a process can hold (approval or cumulative)")]
    VoteType(String),
    #[error("the file declares no rule a process can use: {0}")]
    Rule(String),
    #[error("project {project}: its cost is not a whole number of units")]
    Cost { project: String },
    #[error("voter {voter}: the ballot breaks the file's own rules ({code})")]
    Ballot { voter: String, code: &'static str },
    #[error(transparent)]
    Store(#[from] StoreErrorText),
}

/// A store error, kept as text so the import's error stays comparable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StoreErrorText(pub String);

impl From<StoreError> for PabulibImportError {
    fn from(error: StoreError) -> Self {
        PabulibImportError::Store(StoreErrorText(error.to_string()))
    }
}

fn whole(value: pb::Decimal) -> Option<i64> {
    value.is_integer().then(|| value.to_string().parse::<i64>().ok()).flatten()
}

impl Store {
    pub async fn import_pabulib(
        &self,
        actor: &Actor,
        body_id: i64,
        slug: sotong_core::org::Slug,
        election: &Election,
    ) -> Result<Process, PabulibImportError> {
        let kind = match election.vote_type {
            VoteType::Approval | VoteType::Choose1 => BallotKind::Approval,
            VoteType::Cumulative => BallotKind::Cumulative,
            other => return Err(PabulibImportError::VoteType(other.as_str().into())),
        };
        let rule = match election.meta("rule").unwrap_or("").trim() {
            "greedy" => OutcomeRule::GreedyVotes,
            "equalshares/add1" => OutcomeRule::EqualShares,
            other => return Err(PabulibImportError::Rule(other.into())),
        };
        let number = |key: &str| election.meta(key).and_then(|v| v.trim().parse::<i64>().ok());
        let rules = BallotRules {
            kind,
            max_picks: number("max_length").or(if election.vote_type == VoteType::Choose1 { Some(1) } else { None }),
            min_picks: number("min_length"),
            points: if kind == BallotKind::Cumulative { number("max_sum_points").or(Some(i64::MAX / 4)) } else { None },
            max_points_per_project: if kind == BallotKind::Cumulative { number("max_points") } else { None },
        };
        let budget = whole(election.budget).ok_or(PabulibImportError::Cost { project: "budget".into() })?;
        let mut costs = Vec::new();
        for project in &election.projects {
            costs.push(whole(project.cost).ok_or(PabulibImportError::Cost { project: project.id.clone() })?);
        }
        // Every ballot is checked against the file's rules before anything is written.
        let stand_in: Vec<BallotProject> =
            costs.iter().enumerate().map(|(i, c)| BallotProject { id: i as i64 + 1, cost: *c, category_id: None }).collect();
        let sheet = [PotBallot { pot_id: 1, budget, rules: &rules, projects: &stand_in, quotas: &[] }];
        for voter in &election.voters {
            let choices: BTreeMap<i64, i64> = voter
                .ballot
                .iter()
                .enumerate()
                .map(|(n, &p)| (p as i64 + 1, voter.points.get(n).and_then(|d| whole(*d)).unwrap_or(1)))
                .collect();
            if choices.is_empty() {
                continue;
            }
            if let Err(violations) = (Ballot { pots: BTreeMap::from([(1, choices)]) }).check(&sheet) {
                return Err(PabulibImportError::Ballot { voter: voter.id.clone(), code: violations[0].code() });
            }
        }

        let title = election.meta("description").unwrap_or("Pabulib").chars().take(90).collect::<String>();
        let new = NewProcess {
            slug,
            title,
            description: format!(
                "{} {} — Pabulib",
                election.meta("unit").unwrap_or(""),
                election.meta("instance").unwrap_or("")
            ),
            rule,
            formula: ScoreFormula::default(),
            eligibility: Eligibility { min_age: 0, ..Eligibility::default() },
            committee_max_score: 1,
            voting_opens_at: None,
            voting_closes_at: None,
        };
        let process = self.create_process(actor, body_id, &new).await?;
        let pot = NewPot {
            name: election.meta("district").unwrap_or("전체").chars().take(90).collect(),
            district: None,
            budget: budget * AMOUNT_UNIT_KRW,
            rules: rules.clone(),
        };
        let pot = self.add_pot(actor, &process, &pot).await?;
        let mut projects = Vec::new();
        for (project, cost) in election.projects.iter().zip(&costs) {
            let name = election.project_field(projects.len(), "name").unwrap_or("").trim();
            let title = if name.is_empty() { format!("사업 {}", project.id) } else { name.chars().take(100).collect() };
            let new = NewProject {
                description: format!("Pabulib project {}", project.id),
                title,
                pot_id: pot.id,
                category_id: None,
                cost: cost * AMOUNT_UNIT_KRW,
                location: None,
                show_proposer: false,
            };
            projects.push(self.submit_project(actor, &process, Submitter::Staff, &new).await?);
        }
        let process = self.advance_phase(actor, &process, Phase::Feasibility).await?;
        let review = FeasibilityReview::parse("feasible", "", None).map_err(|e| StoreError::Invalid(e[0].clone()))?;
        for project in &mut projects {
            *project = self.review_project(actor, &process, project, None, &review).await?;
        }
        let process = self.advance_phase(actor, &process, Phase::Committee).await?;
        for project in &mut projects {
            *project = self.select_project(actor, &process, project, true).await?;
        }
        let process = self.advance_phase(actor, &process, Phase::Voting).await?;
        let setup = self.process_setup(process.clone()).await?;
        let sheet = setup.ballot_sheet(&projects);
        for voter in &election.voters {
            let choices: BTreeMap<i64, i64> = voter
                .ballot
                .iter()
                .enumerate()
                .map(|(n, &p)| (projects[p as usize].id, voter.points.get(n).and_then(|d| whole(*d)).unwrap_or(1)))
                .collect();
            if choices.is_empty() {
                continue;
            }
            let ballot = sheet
                .check(None, Ballot { pots: BTreeMap::from([(pot.id, choices)]) })
                .map_err(|v| PabulibImportError::Ballot { voter: voter.id.clone(), code: v[0].code() })?;
            self.cast_ballot(actor, &process, &format!("pabulib:{}", voter.id), &ballot).await?;
        }
        let process = self.advance_phase(actor, &process, Phase::Results).await?;
        self.publish_results(actor, &process).await?;
        Ok(process)
    }
}
