//! `sotong text …`: the Korean text engine from the command line, no database.

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use korean::dedupe::{groups, NearDuplicates};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum TextCommand {
    /// Near-duplicate texts: one JSON line per pair {"a","b","similarity"} (a < b as
    /// strings), similarity = Jaccard of the texts' character 3-grams without
    /// whitespace (docs/TEXT.md).
    Dedupe {
        /// A .jsonl file (one object per line) or a .csv file with a header row.
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        id_field: String,
        #[arg(long)]
        text_field: String,
        /// With an author, pairs by the same author are marked "same_author": true
        /// (반복민원, a repeated complaint).
        #[arg(long)]
        author_field: Option<String>,
        #[arg(long, default_value_t = 0.8)]
        threshold: f64,
        /// `pairs`: one line per pair; `groups`: one line per group of connected pairs
        /// (중복민원, one case for many people).
        #[arg(long, value_enum, default_value = "pairs")]
        report: Report,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: OutputFormat,
    },
    /// Print the initial consonants (초성) of a text: "불법주차" → ㅂㅂㅈㅊ.
    Chosung { text: String },
    /// Print a text normalised (NFC, full-width folded, whitespace collapsed).
    Normalize { text: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Report {
    Pairs,
    Groups,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Jsonl,
}

pub fn run(command: TextCommand) -> anyhow::Result<()> {
    match command {
        TextCommand::Dedupe { input, id_field, text_field, author_field, threshold, report, format: _ } => {
            if !(threshold > 0.0 && threshold <= 1.0) {
                bail!("--threshold {threshold}: must be above 0 and at most 1");
            }
            let fields = Fields { id: &id_field, text: &text_field, author: author_field.as_deref() };
            let records = read_records(&input, &fields)?;
            dedupe(records, threshold, report);
        }
        TextCommand::Chosung { text } => println!("{}", korean::jamo::chosung(&korean::normalize::normalize(&text))),
        TextCommand::Normalize { text } => println!("{}", korean::normalize::normalize(&text)),
    }
    Ok(())
}

/// The fields of each input record that dedupe reads.
struct Fields<'a> {
    id: &'a str,
    text: &'a str,
    author: Option<&'a str>,
}

type Record = (String, Option<String>, String);

/// Reads every record; a record without the id or text field fails naming its line.
fn read_records(path: &Path, fields: &Fields) -> anyhow::Result<Vec<Record>> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" | "ndjson" => read_jsonl(path, fields),
        "csv" => read_csv(path, fields),
        _ => bail!("{}: expected a .jsonl or .csv file", path.display()),
    }
}

fn read_jsonl(path: &Path, fields: &Fields) -> anyhow::Result<Vec<Record>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut records = Vec::new();
    for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = number + 1;
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{} line {line_no}: not JSON", path.display()))?;
        let field = |name: &str| -> Option<String> {
            match value.get(name)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            }
        };
        let id = field(fields.id)
            .with_context(|| format!("{} line {line_no}: no \"{}\" field", path.display(), fields.id))?;
        let text = field(fields.text)
            .with_context(|| format!("{} line {line_no}: no \"{}\" field", path.display(), fields.text))?;
        records.push((id, fields.author.and_then(field), text));
    }
    Ok(records)
}

fn read_csv(path: &Path, fields: &Fields) -> anyhow::Result<Vec<Record>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers: Vec<String> =
        reader.headers()?.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
    let column = |name: &str| {
        headers.iter().position(|h| h == name).with_context(|| format!("{}: no column \"{name}\"", path.display()))
    };
    let (id, text) = (column(fields.id)?, column(fields.text)?);
    let author = fields.author.map(column).transpose()?;
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.with_context(|| format!("reading {}", path.display()))?;
        let cell = |i: usize| row.get(i).unwrap_or("").to_string();
        records.push((cell(id), author.map(cell), cell(text)));
    }
    Ok(records)
}

fn dedupe(records: Vec<Record>, threshold: f64, report: Report) {
    let index = NearDuplicates::build(threshold, records);
    let pairs = index.pairs();
    match report {
        Report::Pairs => {
            let mut lines: Vec<(String, String, serde_json::Value)> = pairs
                .iter()
                .map(|&(a, b, similarity)| {
                    let (da, db) = (index.document(a), index.document(b));
                    let (a, b) = if da.id <= db.id { (da, db) } else { (db, da) };
                    let mut line = serde_json::json!({ "a": a.id, "b": b.id, "similarity": similarity });
                    if let (Some(x), Some(y)) = (&a.author, &b.author) {
                        line["same_author"] = serde_json::Value::Bool(x == y);
                    }
                    (a.id.clone(), b.id.clone(), line)
                })
                .collect();
            lines.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
            for (_, _, line) in lines {
                println!("{line}");
            }
        }
        Report::Groups => {
            for (number, group) in groups(index.len(), &pairs).iter().enumerate() {
                let mut ids: Vec<&str> = group.iter().map(|&d| index.document(d).id.as_str()).collect();
                ids.sort();
                println!("{}", serde_json::json!({ "group": number + 1, "size": ids.len(), "ids": ids }));
            }
        }
    }
}
