//! Publishing a process's results: lock → load → count (pure, in core) → write →
//! chain. The publication holds the digest of the ballot list (every ballot's random
//! id and hash, in id order) and each pot's result as an item, and is chained to the
//! body's previous publication like the commitments' snapshots (`core::snapshot`;
//! docs/VERIFY.md). `sotong verify` recomputes all of it.

use super::ballots::StoredBallot;
use super::{invalid, lock_key, process_in, Process};
use crate::audit::{record, Actor, Change};
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::budgeting::ballot::{ballot_hash, ballot_list_digest, Ballot, Channel, PotChoices};
use sotong_core::budgeting::results::{count, CountedProject, PotCount, PotResult};
use sotong_core::budgeting::{Phase, ProjectState};
use sotong_core::snapshot::{build_snapshot, canonical_json, chain_hash};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Publication {
    pub id: i64,
    pub body_id: i64,
    pub process_id: i64,
    pub sequence: i64,
    pub summary_json: String,
    pub hash: String,
    pub previous_hash: Option<String>,
    pub published_at: i64,
}

const PUBLICATION_COLUMNS: &str =
    "id, body_id, process_id, sequence, summary_json, hash, previous_hash, published_at";

/// What `sotong verify` found wrong in a body's chain of budgeting publications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetTampering {
    pub body_id: i64,
    pub process_slug: String,
    pub what: &'static str,
}

impl std::fmt::Display for BudgetTampering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "participatory budgeting {} (body {}): {}", self.process_slug, self.body_id, self.what)
    }
}

fn pot_code(pot_id: i64) -> String {
    format!("pot-{pot_id:08}")
}

impl Store {
    /// Counts the ballots with the process's rule and publishes the results, once, in
    /// the results phase. The projects become funded or not funded.
    pub async fn publish_results(&self, actor: &Actor, process: &Process) -> Result<Publication, StoreError> {
        let mut tx = self.begin().await?;
        crate::dialect::lock_keys(self.backend, &mut tx, &[lock_key(process.id), format!("budget_chain:{}", process.body_id)])
            .await?;
        let current = process_in(&mut tx, process.id).await?;
        if current.phase != Phase::Results {
            return Err(invalid("phase", "results_not_now"));
        }
        let already: Option<(i64,)> = sqlx::query_as("SELECT id FROM budget_publications WHERE process_id = $1")
            .bind(process.id)
            .fetch_optional(&mut *tx)
            .await?;
        if already.is_some() {
            return Err(invalid("phase", "results_published"));
        }
        let results = self.count_process(&current).await?;
        let ballots = self.ballots(process.id).await?;
        let mut header = serde_json::Map::new();
        header.insert("kind".into(), "budget_results".into());
        header.insert("body_id".into(), process.body_id.into());
        header.insert("process".into(), process.slug.clone().into());
        header.insert("rule".into(), current.rule.as_str().into());
        header.insert("formula".into(), serde_json::to_value(&current.formula.0).unwrap_or_default());
        header.insert("ballots".into(), (ballots.len() as i64).into());
        header.insert("ballots_digest".into(), ballot_list_digest(ballots.iter().map(|b| (b.id.as_str(), b.hash.as_str()))).into());
        let previous: Option<(i64, String)> = sqlx::query_as(
            "SELECT sequence, hash FROM budget_publications WHERE body_id = $1 ORDER BY sequence DESC LIMIT 1",
        )
        .bind(process.body_id)
        .fetch_optional(&mut *tx)
        .await?;
        let built = build_snapshot(
            previous.as_ref().map(|(_, hash)| hash.as_str()),
            header,
            results.iter().map(|r| (pot_code(r.pot_id), r)),
        )
        .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        for result in &results {
            sqlx::query("INSERT INTO budget_results (process_id, pot_id, outcome_json) VALUES ($1, $2, $3)")
                .bind(process.id)
                .bind(result.pot_id)
                .bind(canonical_json(&serde_json::to_value(result).unwrap_or_default()))
                .execute(&mut *tx)
                .await?;
            for project in &result.projects {
                let state = if project.selected { ProjectState::Funded } else { ProjectState::NotFunded };
                sqlx::query("UPDATE budget_projects SET state = $1, updated_at = $2 WHERE id = $3")
                    .bind(state.as_str())
                    .bind(now())
                    .bind(project.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let publication = sqlx::query_as::<_, Publication>(&format!(
            "INSERT INTO budget_publications (body_id, process_id, sequence, summary_json, hash, previous_hash, published_at, published_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {PUBLICATION_COLUMNS}"
        ))
        .bind(process.body_id)
        .bind(process.id)
        .bind(previous.as_ref().map_or(1, |(sequence, _)| sequence + 1))
        .bind(&built.summary)
        .bind(&built.hash)
        .bind(previous.map(|(_, hash)| hash))
        .bind(now())
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(process.body_id), "budget_results.publish", "budget_process", process.id)
            .after(&serde_json::json!({ "hash": publication.hash, "ballots": ballots.len() }));
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(publication)
    }

    /// Each pot's count as it stands: what publication writes, and what staff preview
    /// in the results phase before publishing.
    pub async fn count_process(&self, process: &Process) -> Result<Vec<PotResult>, StoreError> {
        let inputs = self.count_inputs(process).await?;
        Ok((0..inputs.pots.len()).map(|i| count(&inputs.pot_count(i), &process.formula.0, process.rule, inputs.members)).collect())
    }

    /// What a count reads: the pots with their projects on the ballot (and committee
    /// points), every ballot, and the committee's size.
    pub async fn count_inputs(&self, process: &Process) -> Result<CountInputs, StoreError> {
        let setup = self.process_setup(process.clone()).await?;
        let projects = self.projects(process.id).await?;
        let committee: BTreeMap<i64, i64> =
            self.committee_points(process.id).await?.into_iter().map(|(project, points, _)| (project, points)).collect();
        let members = self.committee_members(process.id).await?.len() as i64;
        let ballots = decode_ballots(&self.ballots(process.id).await?)?;
        let pots = setup
            .pots
            .into_iter()
            .map(|pot| {
                let counted = projects
                    .iter()
                    .filter(|p| p.pot_id == pot.id && p.state.is_on_ballot())
                    .map(|p| CountedProject {
                        id: p.id,
                        title: p.title.clone(),
                        cost: p.ballot_cost(),
                        committee_points: committee.get(&p.id).copied().unwrap_or(0),
                    })
                    .collect();
                (pot, counted)
            })
            .collect();
        Ok(CountInputs { pots, ballots, members })
    }

    pub async fn publication(&self, process_id: i64) -> Result<Option<Publication>, StoreError> {
        let row = sqlx::query_as::<_, Publication>(&format!(
            "SELECT {PUBLICATION_COLUMNS} FROM budget_publications WHERE process_id = $1"
        ))
        .bind(process_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// The published result of each pot, as frozen at publication.
    pub async fn published_results(&self, process_id: i64) -> Result<Vec<PotResult>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT outcome_json FROM budget_results WHERE process_id = $1 ORDER BY pot_id")
                .bind(process_id)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(json,)| serde_json::from_str(&json).map_err(|e| StoreError::Unreadable(e.to_string())))
            .collect()
    }

    /// Recomputes every body's chain of budgeting publications: each ballot's hash
    /// from its content, each list's digest, each pot's result, each link.
    pub async fn verify_budget_publications(&self) -> Result<Vec<BudgetTampering>, StoreError> {
        let rows = sqlx::query_as::<_, Publication>(&format!(
            "SELECT {PUBLICATION_COLUMNS} FROM budget_publications ORDER BY body_id, sequence"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut problems = Vec::new();
        let mut previous: Option<(i64, String)> = None;
        let mut broken_bodies = Vec::new();
        for publication in rows {
            if broken_bodies.contains(&publication.body_id) {
                continue;
            }
            let expected_previous = previous.as_ref().filter(|(body, _)| *body == publication.body_id).map(|(_, h)| h.clone());
            if let Some(what) = self.check_publication(&publication, expected_previous.as_deref()).await? {
                let (slug,): (String,) = sqlx::query_as("SELECT slug FROM budget_processes WHERE id = $1")
                    .bind(publication.process_id)
                    .fetch_one(&self.pool)
                    .await?;
                problems.push(BudgetTampering { body_id: publication.body_id, process_slug: slug, what });
                broken_bodies.push(publication.body_id);
            }
            previous = Some((publication.body_id, publication.hash.clone()));
        }
        Ok(problems)
    }

    async fn check_publication(&self, publication: &Publication, previous: Option<&str>) -> Result<Option<&'static str>, StoreError> {
        let summary: serde_json::Value = serde_json::from_str(&publication.summary_json).unwrap_or_default();
        let ballots = self.ballots(publication.process_id).await?;
        if ballots.iter().any(|b| ballot_hash(publication.process_id, &b.id, &b.content) != b.hash) {
            return Ok(Some("a ballot's content differs from its hash"));
        }
        let digest = ballot_list_digest(ballots.iter().map(|b| (b.id.as_str(), b.hash.as_str())));
        if summary["ballots_digest"] != serde_json::Value::String(digest) || summary["ballots"] != (ballots.len() as i64) {
            return Ok(Some("the ballot list differs from the published one (a ballot added, removed or changed)"));
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT pot_id, outcome_json FROM budget_results WHERE process_id = $1 ORDER BY pot_id")
                .bind(publication.process_id)
                .fetch_all(&self.pool)
                .await?;
        let mut listed: Vec<(String, String)> =
            rows.iter().map(|(pot, json)| (pot_code(*pot), chain_hash(None, json))).collect();
        listed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let listed: Vec<serde_json::Value> = listed.into_iter().map(|(c, h)| serde_json::json!([c, h])).collect();
        if summary["items"] != serde_json::Value::Array(listed) {
            return Ok(Some("a published result differs from the publication"));
        }
        if publication.previous_hash.as_deref() != previous
            || chain_hash(previous, &publication.summary_json) != publication.hash
        {
            return Ok(Some("the publication's hash or its link to the previous one does not match"));
        }
        Ok(None)
    }
}

/// Everything one process's count reads, owned; `pot_count` lends one pot of it.
pub struct CountInputs {
    pub pots: Vec<(super::Pot, Vec<CountedProject>)>,
    pub ballots: Vec<(Channel, Ballot)>,
    pub members: i64,
}

impl CountInputs {
    pub fn pot_count(&self, index: usize) -> PotCount<'_> {
        let (pot, projects) = &self.pots[index];
        let ballots: Vec<(Channel, &PotChoices)> =
            self.ballots.iter().filter_map(|(channel, b)| b.pots.get(&pot.id).map(|c| (*channel, c))).collect();
        PotCount { pot_id: pot.id, name: &pot.name, budget: pot.budget, kind: pot.ballot_kind, projects: projects.clone(), ballots }
    }
}

/// Stored ballots read back as ballots; one that does not read is a defect.
fn decode_ballots(ballots: &[StoredBallot]) -> Result<Vec<(Channel, Ballot)>, StoreError> {
    ballots
        .iter()
        .map(|b| {
            serde_json::from_str::<Ballot>(&b.content)
                .map(|ballot| (b.channel, ballot))
                .map_err(|e| StoreError::Unreadable(format!("ballot {}: {e}", b.id)))
        })
        .collect()
}
