//! `sotong holidays …`: the public holidays deadlines are counted with — the table
//! shipped in the binary (2020–2030) and those added to the database (a holiday the
//! government declares, a year beyond the table).

use anyhow::{bail, Context};
use clap::Subcommand;
use sotong_core::workdays::{entries, CalendarError};
use sotong_store::{Actor, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum HolidaysCommand {
    /// Add holidays from a file of `YYYY-MM-DD,name` lines (a `date,name` header and
    /// `#` comments allowed): a holiday the government declared, or a whole new year
    /// (at least its fixed-date holidays). All or nothing; a bad line is named.
    Add {
        #[arg(long)]
        file: PathBuf,
    },
    /// List one year's holidays, shipped and added (this year by default).
    List {
        #[arg(long)]
        year: Option<i64>,
    },
}

pub async fn run(store: &Store, command: HolidaysCommand) -> anyhow::Result<()> {
    match command {
        HolidaysCommand::Add { file } => add(store, &file).await,
        HolidaysCommand::List { year } => list(store, year).await,
    }
}

async fn add(store: &Store, file: &PathBuf) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let lines = entries(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if lines.is_empty() {
        bail!("{}: no holidays in the file", file.display());
    }
    let added: Vec<(String, String)> = lines.iter().map(|(_, date, name)| (date.clone(), name.clone())).collect();
    // Checked here first, to name the file's line; the store checks again as it writes.
    match store.calendar().await?.with_added(&added) {
        Ok(calendar) => {
            store.add_holidays(&Actor::cli(), &added).await?;
            let (first, last) = calendar.years();
            println!("added {} holidays; deadlines are counted for {first}–{last}", added.len());
            Ok(())
        }
        Err(CalendarError::BadLine { line, reason }) => {
            bail!("{}: line {}: {reason}; nothing was added", file.display(), lines[line - 1].0)
        }
        Err(error) => bail!("{}: {error}; nothing was added", file.display()),
    }
}

async fn list(store: &Store, year: Option<i64>) -> anyhow::Result<()> {
    let calendar = store.calendar().await?;
    let year = year.unwrap_or_else(|| sotong_core::format::KstDateTime::from_unix(sotong_store::now()).year);
    let (first, last) = calendar.years();
    if year < first || year > last {
        bail!("no holidays known for {year} (the calendar covers {first}–{last}): add them with `sotong holidays add`");
    }
    for (date, name) in calendar.of_year(year) {
        println!("{date}  {name}");
    }
    Ok(())
}
