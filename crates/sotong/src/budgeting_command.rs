//! `sotong budgeting …`: participatory budgeting from the command line.

use anyhow::Context;
use clap::Subcommand;
use sotong_store::{Actor, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BudgetingCommand {
    /// Import a Pabulib `.pb` election as a finished process of a body: its projects on
    /// the ballot, its ballots cast anonymously, the results published with the rule the
    /// file declares (greedy or equalshares/add1). Amounts are read as thousands of won.
    Import {
        #[arg(long)]
        org: String,
        /// The process's address: /{org}/budgeting/{slug}.
        #[arg(long)]
        slug: String,
        file: PathBuf,
    },
}

pub async fn run(store: &Store, command: BudgetingCommand) -> anyhow::Result<()> {
    let BudgetingCommand::Import { org, slug, file } = command;
    let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
    let slug = sotong_core::org::Slug::parse(&slug).map_err(|e| anyhow::anyhow!("--slug: {}", e.code))?;
    let election = pb::pabulib::read_file(&file).with_context(|| format!("reading {}", file.display()))?;
    let process = store.import_pabulib(&Actor::cli(), body.id, slug, &election).await?;
    let results = store.published_results(process.id).await?;
    let publication = store.publication(process.id).await?.context("the publication")?;
    for result in &results {
        let projects = store.projects(process.id).await?;
        let mut ids: Vec<String> = result
            .selected
            .iter()
            .filter_map(|id| projects.iter().position(|p| p.id == *id))
            .map(|at| election.projects[at].id.clone())
            .collect();
        ids.sort();
        println!("imported {} ballots as /{}/budgeting/{}; funded (file ids): {}", result.voters, org, process.slug, ids.join(", "));
    }
    println!("published with hash {}", publication.hash);
    Ok(())
}
