//! The Pabulib `.pb` file format (<https://pabulib.org/format>): three `;`-separated
//! sections, META (key;value), PROJECTS and VOTES, each headed by its column names.
//!
//! The reader accepts what real files contain — section names in any case, `"`
//! quoting, a UTF-8 byte-order mark, blank lines, costs written `400000.0` or `1,5` —
//! and turns everything else into a [`ParseError`] naming the line. It never panics.
//! Oddities that pabutools accepts silently (a project named twice on one ballot, a
//! short row) are accepted too and reported as [`Warning`]s, which `sotong pb check`
//! prints.

use crate::decimal::Decimal;
use crate::election::{Election, Project, VoteType, Voter, COST, POINTS, PROJECT_ID, VOTE, VOTER_ID};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

/// A malformed file: the line (1-based) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: u64,
    pub message: String,
}

/// Something legal but suspicious, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: {source}")]
    Parse { path: String, source: ParseError },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn parse(name: &str) -> Option<Section> {
        match name.trim().to_ascii_lowercase().as_str() {
            "meta" => Some(Section::Meta),
            "projects" => Some(Section::Projects),
            "votes" => Some(Section::Votes),
            _ => None,
        }
    }
}

/// Reads a `.pb` file.
pub fn read_file(path: impl AsRef<Path>) -> Result<Election, ReadError> {
    read_file_with_warnings(path).map(|(election, _)| election)
}

pub fn read_file_with_warnings(path: impl AsRef<Path>) -> Result<(Election, Vec<Warning>), ReadError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io { path: name.clone(), source })?;
    parse_with_warnings(&bytes).map_err(|source| ReadError::Parse { path: name, source })
}

pub fn parse(bytes: &[u8]) -> Result<Election, ParseError> {
    parse_with_warnings(bytes).map(|(election, _)| election)
}

pub fn parse_with_warnings(bytes: &[u8]) -> Result<(Election, Vec<Warning>), ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(bytes);
    let mut parser = Parser::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line() + 1;
        let more = reader.read_byte_record(&mut record).map_err(|e| ParseError {
            line: e.position().map_or(line, |p| p.line()),
            message: format!("unreadable row: {e}"),
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(line, |p| p.line());
        let mut fields: Vec<&str> = Vec::with_capacity(record.len());
        for field in record.iter() {
            let text = std::str::from_utf8(field)
                .map_err(|_| ParseError { line, message: "text is not valid UTF-8".into() })?;
            fields.push(text);
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        parser.row(line, &fields)?;
    }
    parser.finish()
}

/// Where the reader is: which section, and whether its header has been read.
#[derive(Default)]
struct Parser {
    section: Option<(Section, u64)>,
    header_pending: bool,
    seen: Vec<Section>,
    meta: Vec<(String, String)>,
    meta_lines: HashMap<String, u64>,
    vote_type: Option<VoteType>,
    budget: Option<Decimal>,
    project_columns: Vec<String>,
    projects: Vec<Project>,
    /// Project id → position in `projects`; `project_lines` holds each one's line.
    project_positions: FxHashMap<String, u32>,
    project_lines: Vec<u64>,
    vote_columns: Vec<String>,
    voters: Vec<Voter>,
    voter_lines: FxHashMap<String, u64>,
    limits: BallotLimits,
    warnings: Vec<Warning>,
}

/// The ballot rules META declares, checked per ballot (as warnings: the votes were
/// cast and counted; `check` reports them).
#[derive(Default)]
struct BallotLimits {
    min_length: Option<usize>,
    max_length: Option<usize>,
    max_sum_points: Option<Decimal>,
}

fn error(line: u64, message: impl Into<String>) -> ParseError {
    ParseError { line, message: message.into() }
}

impl Parser {
    fn row(&mut self, line: u64, fields: &[&str]) -> Result<(), ParseError> {
        if let Some(section) = Section::parse(fields[0]) {
            if fields[1..].iter().all(|f| f.trim().is_empty()) {
                return self.start_section(line, section);
            }
        }
        let Some((section, _)) = self.section else {
            return Err(error(line, "expected a section name (META, PROJECTS or VOTES) first"));
        };
        if self.header_pending {
            self.header_pending = false;
            return self.header(line, section, fields);
        }
        match section {
            Section::Meta => self.meta_row(line, fields),
            Section::Projects => self.project_row(line, fields),
            Section::Votes => self.vote_row(line, fields),
        }
    }

    fn start_section(&mut self, line: u64, section: Section) -> Result<(), ParseError> {
        if self.seen.contains(&section) {
            return Err(error(line, format!("section {section:?} appears twice")));
        }
        if section != Section::Meta && !self.seen.contains(&Section::Meta) {
            return Err(error(line, "the META section must come first"));
        }
        if section == Section::Meta {
            // Nothing else can precede META.
        } else {
            self.finish_meta(line)?;
        }
        if section == Section::Votes && !self.seen.contains(&Section::Projects) {
            return Err(error(line, "the PROJECTS section must come before VOTES"));
        }
        self.seen.push(section);
        self.section = Some((section, line));
        self.header_pending = true;
        Ok(())
    }

    fn header(&mut self, line: u64, section: Section, fields: &[&str]) -> Result<(), ParseError> {
        let columns: Vec<String> = fields.iter().map(|f| f.trim().to_string()).collect();
        for (i, column) in columns.iter().enumerate() {
            if columns[..i].contains(column) {
                return Err(error(line, format!("column \"{column}\" appears twice in the header")));
            }
        }
        let require = |name: &str| {
            if columns.iter().any(|c| c == name) {
                Ok(())
            } else {
                Err(error(line, format!("the {section:?} header has no \"{name}\" column")))
            }
        };
        match section {
            Section::Meta => {
                if columns.len() < 2 {
                    return Err(error(line, "the META header must name two columns (key;value)"));
                }
            }
            Section::Projects => {
                require(PROJECT_ID)?;
                require(COST)?;
                self.project_columns = columns;
            }
            Section::Votes => {
                require(VOTER_ID)?;
                require(VOTE)?;
                if self.vote_type.is_some_and(VoteType::has_points) {
                    require(POINTS)?;
                }
                self.vote_columns = columns;
                let number = |key| self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim());
                self.limits = BallotLimits {
                    min_length: number("min_length").and_then(|v| v.parse().ok()),
                    max_length: number("max_length").and_then(|v| v.parse().ok()),
                    max_sum_points: number("max_sum_points").and_then(|v| Decimal::parse(v).ok()),
                };
                self.check_costs();
            }
        }
        Ok(())
    }

    fn check_costs(&mut self) {
        let budget = self.budget.expect("META checked before VOTES");
        for (project, &line) in self.projects.iter().zip(&self.project_lines) {
            if project.cost > budget {
                self.warnings.push(Warning {
                    line,
                    message: format!(
                        "project \"{}\" costs {} — more than the whole budget {budget}",
                        project.id, project.cost
                    ),
                });
            }
        }
    }

    fn check_ballot(&mut self, line: u64, voter: &Voter) {
        let length = voter.ballot.len();
        let mut warn = |message: String| self.warnings.push(Warning { line, message });
        if let Some(max) = self.limits.max_length.filter(|&max| length > max) {
            warn(format!("the ballot names {length} projects, more than max_length {max}"));
        }
        if let Some(min) = self.limits.min_length.filter(|&min| length < min && length > 0) {
            warn(format!("the ballot names {length} projects, fewer than min_length {min}"));
        }
        if let Some(max) = self.limits.max_sum_points {
            let sum = Decimal::sum(&voter.points);
            if sum > max {
                warn(format!("the ballot gives {sum} points, more than max_sum_points {max}"));
            }
        }
    }

    fn meta_row(&mut self, line: u64, fields: &[&str]) -> Result<(), ParseError> {
        if fields.len() < 2 {
            return Err(error(line, "a META row needs a key and a value (key;value)"));
        }
        let key = fields[0].trim().to_string();
        // An unquoted `;` inside a value splits it; join the pieces back.
        let mut value = fields[1..].join(";").trim().to_string();
        if key.is_empty() {
            return Err(error(line, "a META row has an empty key"));
        }
        if let Some(first) = self.meta_lines.get(&key) {
            return Err(error(line, format!("META key \"{key}\" appears twice (first on line {first})")));
        }
        match key.as_str() {
            "budget" => {
                let budget = Decimal::parse(&value).map_err(|e| error(line, format!("budget: {e}")))?;
                if budget.is_negative() {
                    return Err(error(line, "budget: must not be negative"));
                }
                value = budget.to_string();
                self.budget = Some(budget);
            }
            "vote_type" => {
                let vote_type = VoteType::parse(&value).ok_or_else(|| {
                    error(
                        line,
                        format!("vote_type \"{value}\" is not one of approval, choose-1, cumulative, scoring, ordinal"),
                    )
                })?;
                value = vote_type.as_str().to_string();
                self.vote_type = Some(vote_type);
            }
            _ => {}
        }
        self.meta_lines.insert(key.clone(), line);
        self.meta.push((key, value));
        Ok(())
    }

    fn finish_meta(&self, line: u64) -> Result<(), ParseError> {
        if self.budget.is_none() {
            return Err(error(line, "META has no budget"));
        }
        if self.vote_type.is_none() {
            return Err(error(line, "META has no vote_type"));
        }
        Ok(())
    }

    /// Splits a row into its columns' values, padding a short row (with a warning).
    fn cells<'a>(
        &mut self,
        line: u64,
        fields: &[&'a str],
        columns: usize,
        what: &str,
    ) -> Result<Vec<&'a str>, ParseError> {
        if fields.len() > columns {
            return Err(error(line, format!("{what} row has {} fields but the header has {columns}", fields.len())));
        }
        let mut cells = fields.to_vec();
        if cells.len() < columns {
            self.warnings.push(Warning {
                line,
                message: format!("{what} row has {} fields, the header {columns}; the rest are empty", cells.len()),
            });
            cells.resize(columns, "");
        }
        Ok(cells)
    }

    fn project_row(&mut self, line: u64, fields: &[&str]) -> Result<(), ParseError> {
        let cells = self.cells(line, fields, self.project_columns.len(), "a PROJECTS")?;
        let mut id = String::new();
        let mut cost = None;
        let mut extra = Vec::with_capacity(cells.len().saturating_sub(2));
        for (column, cell) in self.project_columns.iter().zip(&cells) {
            match column.as_str() {
                PROJECT_ID => id = cell.trim().to_string(),
                COST => {
                    let value = Decimal::parse(cell).map_err(|e| error(line, format!("cost: {e}")))?;
                    if value.is_negative() {
                        return Err(error(line, "cost: must not be negative"));
                    }
                    cost = Some(value);
                }
                _ => extra.push(cell.trim().to_string()),
            }
        }
        if id.is_empty() {
            return Err(error(line, "project_id is empty"));
        }
        if let Some(first) = self.project_positions.get(&id).map(|&p| self.project_lines[p as usize]) {
            return Err(error(line, format!("project \"{id}\" is listed twice (first on line {first})")));
        }
        self.project_positions.insert(id.clone(), self.projects.len() as u32);
        self.project_lines.push(line);
        self.projects.push(Project { id, cost: cost.expect("cost column required by header"), extra });
        Ok(())
    }

    fn vote_row(&mut self, line: u64, fields: &[&str]) -> Result<(), ParseError> {
        let cells = self.cells(line, fields, self.vote_columns.len(), "a VOTES row")?;
        let vote_type = self.vote_type.expect("META checked before VOTES");
        let mut voter = Voter { id: String::new(), ballot: Vec::new(), points: Vec::new(), extra: Vec::new() };
        let mut vote = "";
        let mut points = "";
        for (column, cell) in self.vote_columns.iter().zip(&cells) {
            match column.as_str() {
                VOTER_ID => voter.id = cell.trim().to_string(),
                VOTE => vote = cell,
                POINTS => points = cell,
                _ => voter.extra.push(cell.trim().to_string()),
            }
        }
        self.fill_ballot(line, &mut voter, vote, points, vote_type)?;
        self.check_ballot(line, &voter);
        if let Some(first) = self.voter_lines.insert(voter.id.clone(), line) {
            self.warnings
                .push(Warning { line, message: format!("voter_id \"{}\" was already used on line {first}", voter.id) });
        }
        self.voters.push(voter);
        Ok(())
    }

    fn fill_ballot(
        &mut self,
        line: u64,
        voter: &mut Voter,
        vote: &str,
        points: &str,
        vote_type: VoteType,
    ) -> Result<(), ParseError> {
        let names: Vec<&str> = vote.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
        let values: Vec<&str> = points.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
        if vote_type.has_points() && names.len() != values.len() {
            return Err(error(
                line,
                format!("vote names {} projects but points has {} values", names.len(), values.len()),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            let Some(project) = self.project_positions.get(*name).copied() else {
                return Err(error(line, format!("vote names project \"{name}\", which is not in PROJECTS")));
            };
            let value = if vote_type.has_points() {
                let value = Decimal::parse(values[i]).map_err(|e| error(line, format!("points: {e}")))?;
                if vote_type == VoteType::Cumulative && value.is_negative() {
                    return Err(error(line, "points: cumulative points must not be negative"));
                }
                Some(value)
            } else {
                None
            };
            match voter.ballot.iter().position(|&p| p == project) {
                Some(earlier) => {
                    // pabutools keeps one entry (the last points given); so do we.
                    self.warnings.push(Warning { line, message: format!("the ballot names project \"{name}\" twice") });
                    if let Some(value) = value {
                        voter.points[earlier] = value;
                    }
                }
                None => {
                    voter.ballot.push(project);
                    voter.points.extend(value);
                }
            }
        }
        if vote_type == VoteType::Choose1 && voter.ballot.len() > 1 {
            self.warnings.push(Warning { line, message: "a choose-1 ballot names more than one project".into() });
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(Election, Vec<Warning>), ParseError> {
        for (section, name) in [(Section::Meta, "META"), (Section::Projects, "PROJECTS"), (Section::Votes, "VOTES")] {
            if !self.seen.contains(&section) {
                return Err(error(self.section.map_or(1, |(_, l)| l), format!("the file has no {name} section")));
            }
        }
        if self.header_pending {
            return Err(error(self.section.map_or(1, |(_, l)| l), "a section ends before its header"));
        }
        self.check_meta_counts();
        let election = Election {
            meta: self.meta,
            vote_type: self.vote_type.expect("checked"),
            budget: self.budget.expect("checked"),
            project_columns: self.project_columns,
            projects: self.projects,
            vote_columns: self.vote_columns,
            voters: self.voters,
        };
        Ok((election, self.warnings))
    }

    fn check_meta_counts(&mut self) {
        for (key, actual) in [("num_projects", self.projects.len()), ("num_votes", self.voters.len())] {
            let Some(line) = self.meta_lines.get(key).copied() else { continue };
            let declared = self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string());
            if declared.as_deref() != Some(actual.to_string().as_str()) {
                self.warnings.push(Warning {
                    line,
                    message: format!("{key} says {} but the file has {actual}", declared.unwrap_or_default()),
                });
            }
        }
    }
}

/// Writes an election in the `.pb` format; reading the output gives an equal election.
pub fn write(election: &Election, out: impl Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(out);
    writer.write_record(["META"])?;
    writer.write_record(["key", "value"])?;
    for (key, value) in &election.meta {
        writer.write_record([key, value])?;
    }
    writer.write_record(["PROJECTS"])?;
    writer.write_record(&election.project_columns)?;
    for project in &election.projects {
        let mut extra = project.extra.iter();
        let mut row = Vec::with_capacity(election.project_columns.len());
        for column in &election.project_columns {
            row.push(match column.as_str() {
                PROJECT_ID => project.id.clone(),
                COST => project.cost.to_string(),
                _ => extra.next().cloned().unwrap_or_default(),
            });
        }
        writer.write_record(&row)?;
    }
    writer.write_record(["VOTES"])?;
    writer.write_record(&election.vote_columns)?;
    let mut row = Vec::with_capacity(election.vote_columns.len());
    for voter in &election.voters {
        let mut extra = voter.extra.iter();
        row.clear();
        for column in &election.vote_columns {
            row.push(match column.as_str() {
                VOTER_ID => voter.id.clone(),
                VOTE => join(voter.ballot.iter().map(|&p| election.projects[p as usize].id.as_str())),
                POINTS => join(voter.points.iter().map(|v| v.to_string())),
                _ => extra.next().cloned().unwrap_or_default(),
            });
        }
        writer.write_record(&row)?;
    }
    writer.flush()
}

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out
}

pub fn to_string(election: &Election) -> String {
    let mut out = Vec::new();
    write(election, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the writer only writes UTF-8 text")
}
