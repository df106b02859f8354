//! `sotong pb …`: participatory-budgeting outcomes from Pabulib files, no database.

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use pb::{Decimal, Election, Outcome, Reason, Rule, Score, TieBreak};
use sotong_core::format::group_thousands;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Subcommand)]
pub enum PbCommand {
    /// Compute the outcome of a rule, with the reason for every project.
    Compute {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "mes-add1")]
        rule: RuleName,
        #[command(flatten)]
        options: RuleOptions,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also write the election with its `selected` column set to this outcome.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Validate a file: errors (with their line) make the command fail; warnings are listed.
    Check { file: PathBuf },
    /// Greedy and equal shares side by side: costs, votes, and how many voters got a project.
    Compare {
        file: PathBuf,
        /// The equal-shares variant to compare with greedy.
        #[arg(long, value_enum, default_value = "mes-add1")]
        mes: RuleName,
        #[command(flatten)]
        options: RuleOptions,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum RuleName {
    Greedy,
    Mes,
    MesAdd1,
    MesAdd1Greedy,
    /// add1 until the next raise overspends (Wieliczka 2023).
    MesAdd1Overspend,
    /// The rule the file's META `rule` names (greedy, greedy-no-skip, greedy-threshold,
    /// equalshares, equalshares/add1, equalshares/add1-comparison).
    Official,
}

#[derive(clap::Args, Clone)]
pub struct RuleOptions {
    /// What greedy ranks by: points (cumulative/scoring points, positional points for
    /// ordinal ballots, approvals otherwise) or approvals (ballots naming the project,
    /// which is pabutools' Cost_Sat).
    #[arg(long, value_enum, default_value = "points")]
    score: ScoreName,
    #[arg(long, value_enum, default_value = "project-id")]
    tie_break: TieBreakName,
    /// Greedy stops at the first project that does not fit instead of skipping it.
    #[arg(long)]
    no_skip: bool,
    /// Greedy funds no project scoring below this.
    #[arg(long)]
    threshold: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScoreName {
    Points,
    Approvals,
}

#[derive(Clone, Copy, ValueEnum)]
enum TieBreakName {
    ProjectId,
    LowestCost,
    MostVotes,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(command: PbCommand) -> anyhow::Result<()> {
    match command {
        PbCommand::Compute { file, rule, options, format, output } => {
            compute(&file, rule, &options, format, output.as_deref())
        }
        PbCommand::Check { file } => check(&file),
        PbCommand::Compare { file, mes, options, format } => compare(&file, mes, &options, format),
    }
}

fn read(file: &Path) -> anyhow::Result<Election> {
    Ok(pb::pabulib::read_file(file)?)
}

fn resolve(election: &Election, rule: RuleName, options: &RuleOptions) -> anyhow::Result<Rule> {
    let score = match options.score {
        ScoreName::Points => Score::Points,
        ScoreName::Approvals => Score::Approvals,
    };
    let tie_break = match options.tie_break {
        TieBreakName::ProjectId => TieBreak::ProjectId,
        TieBreakName::LowestCost => TieBreak::LowestCost,
        TieBreakName::MostVotes => TieBreak::MostVotes,
    };
    let threshold = match &options.threshold {
        Some(text) => Some(Decimal::parse(text).with_context(|| format!("--threshold {text}"))?),
        None => None,
    };
    if rule == RuleName::Official {
        return Rule::declared(election, tie_break).map_err(|e| anyhow::anyhow!("{e}; choose a rule with --rule"));
    }
    let name = rule.to_possible_value().expect("every rule has a name");
    let mut rule = Rule::named(name.get_name(), score, tie_break).expect("the CLI's names are pb's");
    if let Rule::Greedy(greedy) = &mut rule {
        greedy.skip = !options.no_skip;
        greedy.threshold = threshold;
    }
    Ok(rule)
}

fn compute(
    file: &Path,
    rule: RuleName,
    options: &RuleOptions,
    format: Format,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let election = read(file)?;
    let resolved = resolve(&election, rule, options)?;
    let started = Instant::now();
    let outcome = resolved.compute(&election);
    let seconds = started.elapsed().as_secs_f64();
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "rule": outcome.rule,
                "selected": outcome.selected_ids(&election),
                "total_cost": outcome.total_cost.to_string(),
                "budget": election.budget.to_string(),
                "seconds": seconds,
                "equal_shares": outcome.equal_shares,
                "projects": outcome.explanations,
            });
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        Format::Text => print_outcome(&election, &outcome, seconds),
    }
    if let Some(output) = output {
        let text = pb::pabulib::to_string(&election.with_selection(&outcome.selected));
        std::fs::write(output, text).with_context(|| format!("writing {}", output.display()))?;
    }
    Ok(())
}

fn print_outcome(election: &Election, outcome: &Outcome, seconds: f64) {
    println!(
        "{}: {} of {} projects selected, {} of the budget {} ({:.3} s)",
        outcome.rule,
        outcome.selected.len(),
        election.projects.len(),
        grouped(outcome.total_cost),
        grouped(election.budget),
        seconds
    );
    if let Some(summary) = &outcome.equal_shares {
        println!(
            "each voter's share: {} (raised {} time(s); stop: {:?})",
            summary.voter_budget, summary.increments, summary.stop
        );
    }
    let approvals = election.approvals();
    println!("\n{:<3} {:<14} {:>14} {:>8}  reason", "", "project", "cost", "votes");
    for (p, explanation) in outcome.explanations.iter().enumerate() {
        let mark = if explanation.selected { "✓" } else { "" };
        let reasons: Vec<String> = explanation.reasons.iter().map(describe).collect();
        println!(
            "{:<3} {:<14} {:>14} {:>8}  {}",
            mark,
            explanation.project,
            grouped(election.projects[p].cost),
            approvals[p],
            reasons.join("; then ")
        );
    }
}

/// One line of plain English per reason.
fn describe(reason: &Reason) -> String {
    match reason {
        Reason::Funded { rank, score, money_before } => {
            format!("funded: rank {rank} (score {score}), {} left before it", grouped(*money_before))
        }
        Reason::DidNotFit { rank, score, money_left } => {
            format!("did not fit: rank {rank} (score {score}), only {} left", grouped(*money_left))
        }
        Reason::AfterStop { rank, score, stopped_at } => {
            format!("not reached: rank {rank} (score {score}), greedy stopped at {stopped_at}")
        }
        Reason::BelowThreshold { score, threshold } => format!("score {score} below the threshold {threshold}"),
        Reason::Bought { step, rho, max_payment, supporters, paying_everything } => format!(
            "bought at step {step}: ρ = {rho}, each of {supporters} supporters paid up to {max_payment} \
             ({paying_everything} paid all they had left)"
        ),
        Reason::Free => "costs nothing and has supporters".into(),
        Reason::NoSupporters => "no ballot names it".into(),
        Reason::Unaffordable { supporters, money_left, shortfall } => {
            format!("its {supporters} supporters had only {money_left} left, {shortfall} short")
        }
        Reason::CompletedByGreedy { rank, score, money_before } => format!(
            "added by the greedy completion: rank {rank} (score {score}), {} left before it",
            grouped(*money_before)
        ),
    }
}

/// `1234567.5` → `1,234,567.5` (the whole part grouped as everywhere in sotong).
fn grouped(value: Decimal) -> String {
    let text = value.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |rest| ("-", rest));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let whole = match whole.parse::<i64>() {
        Ok(number) => group_thousands(number),
        Err(_) => whole.to_string(), // beyond i64: shown ungrouped rather than wrong
    };
    match fraction {
        Some(fraction) => format!("{sign}{whole}.{fraction}"),
        None => format!("{sign}{whole}"),
    }
}

fn check(file: &Path) -> anyhow::Result<()> {
    let (election, warnings) = pb::pabulib::read_file_with_warnings(file)?;
    let empty = election.voters.iter().filter(|v| v.ballot.is_empty()).count();
    println!(
        "{}: valid — {} ballots ({} empty), {} projects, {} vote type, budget {}",
        file.display(),
        grouped(Decimal::from(election.voters.len() as u64)),
        grouped(Decimal::from(empty as u64)),
        election.projects.len(),
        election.vote_type.as_str(),
        grouped(election.budget)
    );
    let total = election.total_cost(&(0..election.projects.len()).collect::<Vec<_>>());
    println!("projects cost {} in total", grouped(total));
    for warning in &warnings {
        println!("warning: line {}: {}", warning.line, warning.message);
    }
    Ok(())
}

fn compare(file: &Path, mes: RuleName, options: &RuleOptions, format: Format) -> anyhow::Result<()> {
    if matches!(mes, RuleName::Greedy) {
        bail!("--mes: choose an equal-shares variant (mes, mes-add1, mes-add1-greedy, mes-add1-overspend)");
    }
    let election = read(file)?;
    let greedy = resolve(&election, RuleName::Greedy, options)?.compute(&election);
    let shares = resolve(&election, mes, options)?.compute(&election);
    let approvals = election.approvals();
    let chosen = |outcome: &Outcome| {
        let mut chosen = vec![false; election.projects.len()];
        for &p in &outcome.selected {
            chosen[p] = true;
        }
        chosen
    };
    let (in_greedy, in_shares) = (chosen(&greedy), chosen(&shares));
    let summary = |outcome: &Outcome| {
        serde_json::json!({
            "rule": outcome.rule,
            "selected": outcome.selected_ids(&election),
            "projects": outcome.selected.len(),
            "total_cost": outcome.total_cost.to_string(),
            "share_of_voters_with_a_project": election.share_of_voters_with_a_project(&outcome.selected),
        })
    };
    if format == Format::Json {
        let json = serde_json::json!({ "greedy": summary(&greedy), "equal_shares": summary(&shares) });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    println!("{:<14} {:>14} {:>8} {:>7} {:>7}  name", "project", "cost", "votes", "greedy", shares.rule);
    let mut order: Vec<usize> = (0..election.projects.len()).collect();
    order.sort_by(|&a, &b| {
        approvals[b].cmp(&approvals[a]).then_with(|| election.projects[a].id.cmp(&election.projects[b].id))
    });
    for p in order {
        let mark = |chosen: bool| if chosen { "✓" } else { "·" };
        println!(
            "{:<14} {:>14} {:>8} {:>7} {:>7}  {}",
            election.projects[p].id,
            grouped(election.projects[p].cost),
            approvals[p],
            mark(in_greedy[p]),
            mark(in_shares[p]),
            election.project_field(p, "name").unwrap_or("")
        );
    }
    println!();
    for outcome in [&greedy, &shares] {
        println!(
            "{:<16} {:>3} projects, {:>14} spent, {:.1}% of voters got at least one project they voted for",
            outcome.rule,
            outcome.selected.len(),
            grouped(outcome.total_cost),
            100.0 * election.share_of_voters_with_a_project(&outcome.selected)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(grouped(Decimal::parse("1234567.5").unwrap()), "1,234,567.5");
        assert_eq!(grouped(Decimal::parse("100").unwrap()), "100");
        assert_eq!(grouped(Decimal::parse("-1000").unwrap()), "-1,000");
    }
}
