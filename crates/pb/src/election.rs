//! A participatory-budgeting election: the budget, the projects and the ballots.

use crate::decimal::Decimal;

/// How voters filled in their ballot (Pabulib's `vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoteType {
    /// Pick any number of projects (within the legal limits).
    Approval,
    /// Pick exactly one project.
    Choose1,
    /// Distribute points over projects.
    Cumulative,
    /// Give each project a score.
    Scoring,
    /// Rank projects, best first.
    Ordinal,
}

impl VoteType {
    pub fn parse(text: &str) -> Option<VoteType> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "approval" => VoteType::Approval,
            "choose-1" => VoteType::Choose1,
            "cumulative" => VoteType::Cumulative,
            "scoring" => VoteType::Scoring,
            "ordinal" => VoteType::Ordinal,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::Choose1 => "choose-1",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Ordinal => "ordinal",
        }
    }

    /// Ballots of this type carry a `points` column.
    pub fn has_points(self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

/// A project on the ballot. `extra` holds the file's other columns (name, category,
/// votes, selected, …) in the order of [`Election::project_extra_columns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub cost: Decimal,
    pub extra: Vec<String>,
}

/// One voter's ballot: the projects named (in ballot order, each once), their points
/// for cumulative and scoring ballots, and the file's other columns (age, sex, …).
/// An empty ballot is a voter too: it holds a share of the budget under equal shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voter {
    pub id: String,
    pub ballot: Vec<u32>,
    pub points: Vec<Decimal>,
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    /// The META section in file order. `budget` and `vote_type` are stored in their
    /// canonical spelling, so a written file reads back equal.
    pub meta: Vec<(String, String)>,
    pub vote_type: VoteType,
    pub budget: Decimal,
    /// The PROJECTS header, including `project_id` and `cost`.
    pub project_columns: Vec<String>,
    pub projects: Vec<Project>,
    /// The VOTES header, including `voter_id`, `vote` and (if any) `points`.
    pub vote_columns: Vec<String>,
    pub voters: Vec<Voter>,
}

/// Columns the reader interprets itself; every other column is kept as text.
pub(crate) const PROJECT_ID: &str = "project_id";
pub(crate) const COST: &str = "cost";
pub(crate) const VOTER_ID: &str = "voter_id";
pub(crate) const VOTE: &str = "vote";
pub(crate) const POINTS: &str = "points";

impl Election {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn project_extra_columns(&self) -> impl Iterator<Item = &str> {
        self.project_columns.iter().map(String::as_str).filter(|c| *c != PROJECT_ID && *c != COST)
    }

    pub fn vote_extra_columns(&self) -> impl Iterator<Item = &str> {
        self.vote_columns.iter().map(String::as_str).filter(|c| *c != VOTER_ID && *c != VOTE && *c != POINTS)
    }

    /// A project's value in one of the file's other columns (`name`, `selected`, …).
    pub fn project_field(&self, project: usize, column: &str) -> Option<&str> {
        let position = self.project_extra_columns().position(|c| c == column)?;
        self.projects[project].extra.get(position).map(String::as_str)
    }

    /// The official outcome recorded in the file's `selected` column, if it has one.
    pub fn official_selection(&self) -> Option<Vec<usize>> {
        self.project_columns
            .iter()
            .any(|c| c == "selected")
            .then(|| (0..self.projects.len()).filter(|&p| self.project_field(p, "selected") == Some("1")).collect())
    }

    /// The election with its `selected` column (added if missing) set to `projects`:
    /// `1` for a selected project, `0` otherwise — how Pabulib records an outcome.
    pub fn with_selection(&self, projects: &[usize]) -> Election {
        let mut election = self.clone();
        if !election.project_columns.iter().any(|c| c == "selected") {
            election.project_columns.push("selected".into());
            for project in &mut election.projects {
                project.extra.push(String::new());
            }
        }
        let position = election.project_extra_columns().position(|c| c == "selected").expect("added above");
        for (p, project) in election.projects.iter_mut().enumerate() {
            project.extra[position] = if projects.contains(&p) { "1" } else { "0" }.into();
        }
        election
    }

    /// How many ballots name each project.
    pub fn approvals(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.projects.len()];
        for voter in &self.voters {
            for &p in &voter.ballot {
                counts[p as usize] += 1;
            }
        }
        counts
    }

    /// Each project's points: the sum of points on cumulative and scoring ballots;
    /// on ordinal ballots a positional (Borda) score, `max_length − position` for the
    /// project ranked at `position` (0 = first), as Pabulib's Polish files count it;
    /// on approval and choose-1 ballots the number of approvals.
    pub fn points(&self) -> Vec<Decimal> {
        match self.vote_type {
            VoteType::Cumulative | VoteType::Scoring => {
                let mut points = vec![Decimal::ZERO; self.projects.len()];
                for voter in &self.voters {
                    for (&p, &value) in voter.ballot.iter().zip(&voter.points) {
                        points[p as usize] = points[p as usize] + value;
                    }
                }
                points
            }
            VoteType::Ordinal => {
                let longest = self.voters.iter().map(|v| v.ballot.len()).max().unwrap_or(0);
                let max_length = self.meta("max_length").and_then(|v| v.trim().parse().ok()).unwrap_or(longest);
                let mut points = vec![0u64; self.projects.len()];
                for voter in &self.voters {
                    for (position, &p) in voter.ballot.iter().enumerate() {
                        points[p as usize] += max_length.saturating_sub(position) as u64;
                    }
                }
                points.into_iter().map(Decimal::from).collect()
            }
            VoteType::Approval | VoteType::Choose1 => self.approvals().into_iter().map(Decimal::from).collect(),
        }
    }

    pub fn total_cost(&self, projects: &[usize]) -> Decimal {
        Decimal::sum(projects.iter().map(|&p| &self.projects[p].cost))
    }

    /// Share of voters (all ballots, empty ones included) who named at least one of
    /// `projects`.
    pub fn share_of_voters_with_a_project(&self, projects: &[usize]) -> f64 {
        if self.voters.is_empty() {
            return 0.0;
        }
        let mut chosen = vec![false; self.projects.len()];
        for &p in projects {
            chosen[p] = true;
        }
        let satisfied = self.voters.iter().filter(|v| v.ballot.iter().any(|&p| chosen[p as usize])).count();
        satisfied as f64 / self.voters.len() as f64
    }
}
