//! `sotong text …`: the Korean text engine from the command line, no database.

use anyhow::{bail, Context};
use clap::{Subcommand, ValueEnum};
use korean::dedupe::{groups, NearDuplicates};
use korean::search::{Analysis, SearchIndex};
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
    /// Build a search index in DIR from a file of documents (id, title, optional body).
    /// The index is derived data: building again into DIR replaces it.
    Index {
        /// A .jsonl file (one object per line) or a .csv file with a header row.
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        id_field: String,
        #[arg(long)]
        title_field: String,
        /// The body; without it only titles are indexed.
        #[arg(long)]
        text_field: Option<String>,
        /// Add to the index already in DIR instead of replacing it (e.g. titles from one
        /// file, full petitions from another).
        #[arg(long)]
        append: bool,
    },
    /// Search an index built by `text index`: the best matches with ids and scores.
    /// Words inside compounds and before particles are found ("주차" finds
    /// "불법주차가"); a word in initial consonants ("ㅂㅂㅈㅊ", "불법ㅈㅊ") searches titles.
    Search {
        #[arg(long)]
        dir: PathBuf,
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value = "text")]
        format: SearchFormat,
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
pub enum SearchFormat {
    /// One line per result: rank, score, id, title.
    Text,
    /// One JSON object per result: {"rank","id","score","title"}.
    Jsonl,
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
            let mut wanted = vec![required(&id_field), required(&text_field)];
            if let Some(author) = &author_field {
                wanted.push(Wanted { name: author, required: false });
            }
            let records = read_records(&input, &wanted)?
                .into_iter()
                .map(|mut r| {
                    let author = r.get_mut(2).and_then(Option::take);
                    (r[0].take().unwrap_or_default(), author, r[1].take().unwrap_or_default())
                })
                .collect();
            dedupe(records, threshold, report);
        }
        TextCommand::Index { input, dir, id_field, title_field, text_field, append } => {
            let mut wanted = vec![required(&id_field), required(&title_field)];
            if let Some(body) = &text_field {
                wanted.push(required(body));
            }
            let records = read_records(&input, &wanted)?;
            build_index(&dir, records, append)?;
        }
        TextCommand::Search { dir, query, limit, format } => search(&dir, &query, limit, format)?,
        TextCommand::Chosung { text } => println!("{}", korean::jamo::chosung(&korean::normalize::normalize(&text))),
        TextCommand::Normalize { text } => println!("{}", korean::normalize::normalize(&text)),
    }
    Ok(())
}

/// A field to read from every input record; an optional one may be missing or null
/// on a line (an author), a required one fails naming the line.
struct Wanted<'a> {
    name: &'a str,
    required: bool,
}

fn required(name: &str) -> Wanted<'_> {
    Wanted { name, required: true }
}

/// Each record's wanted fields, in the order asked.
type Record = Vec<Option<String>>;

/// Reads every record of a .jsonl or .csv file; any error names the file and line.
fn read_records(path: &Path, wanted: &[Wanted]) -> anyhow::Result<Vec<Record>> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" | "ndjson" => read_jsonl(path, wanted),
        "csv" => read_csv(path, wanted),
        _ => bail!("{}: expected a .jsonl or .csv file", path.display()),
    }
}

fn read_jsonl(path: &Path, wanted: &[Wanted]) -> anyhow::Result<Vec<Record>> {
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
        let mut record = Vec::with_capacity(wanted.len());
        for want in wanted {
            let cell = field(want.name);
            if want.required && cell.is_none() {
                bail!("{} line {line_no}: no \"{}\" field", path.display(), want.name);
            }
            record.push(cell);
        }
        records.push(record);
    }
    Ok(records)
}

fn read_csv(path: &Path, wanted: &[Wanted]) -> anyhow::Result<Vec<Record>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers: Vec<String> =
        reader.headers()?.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
    let columns = wanted
        .iter()
        .map(|w| {
            headers
                .iter()
                .position(|h| h == w.name)
                .with_context(|| format!("{}: no column \"{}\"", path.display(), w.name))
        })
        .collect::<anyhow::Result<Vec<usize>>>()?;
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.with_context(|| format!("reading {}", path.display()))?;
        records.push(columns.iter().map(|&i| Some(row.get(i).unwrap_or("").to_string())).collect());
    }
    Ok(records)
}

/// Adds every record to the index in `dir` (a new one unless appending), all or nothing:
/// nothing is committed if a record fails.
fn build_index(dir: &Path, records: Vec<Record>, append: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let index =
        if append && dir.exists() { SearchIndex::open(dir)? } else { SearchIndex::create(dir, Analysis::Bigram)? };
    let mut writer = index.writer()?;
    for record in &records {
        let cell = |i: usize| record.get(i).and_then(|v| v.as_deref()).unwrap_or("");
        writer.add(cell(0), cell(1), cell(2))?;
    }
    writer.commit()?;
    eprintln!(
        "indexed {} documents into {} ({} in the index) in {:.1} s",
        records.len(),
        dir.display(),
        index.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn search(dir: &Path, query: &str, limit: usize, format: SearchFormat) -> anyhow::Result<()> {
    let index = SearchIndex::open(dir)?;
    let hits = index.search(query, limit)?;
    if hits.is_empty() {
        eprintln!("no matches for \"{query}\"");
    }
    for (rank, hit) in hits.iter().enumerate() {
        match format {
            SearchFormat::Text => println!("{}\t{:.3}\t{}\t{}", rank + 1, hit.score, hit.id, hit.title),
            SearchFormat::Jsonl => println!(
                "{}",
                serde_json::json!({ "rank": rank + 1, "id": hit.id, "score": hit.score, "title": hit.title })
            ),
        }
    }
    Ok(())
}

fn dedupe(records: Vec<(String, Option<String>, String)>, threshold: f64, report: Report) {
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
