//! The `.pb` reader and writer on real files and on malformed ones.

use pb::pabulib::{parse, parse_with_warnings, to_string};
use pb::{Decimal, VoteType};
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pabulib")
}

#[test]
fn every_real_file_reads_and_writes_back_to_the_same_election() {
    let mut files = 0;
    for entry in std::fs::read_dir(data_dir()).expect("../shared/data/pabulib") {
        let path = entry.unwrap().path();
        let election = pb::pabulib::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let written = to_string(&election);
        let again = parse(written.as_bytes()).unwrap_or_else(|e| panic!("{}: rereading: {e}", path.display()));
        assert!(again == election, "{}: the written file reads back different", path.display());
        // META's own counts agree with what was read.
        let declared_votes: usize = election.meta("num_votes").unwrap().parse().unwrap();
        assert_eq!(declared_votes, election.voters.len(), "{}", path.display());
        files += 1;
    }
    assert_eq!(files, 15);
}

#[test]
fn reads_each_vote_type_with_its_points() {
    let katowice = pb::pabulib::read_file(data_dir().join("Poland_Katowice_2023.pb")).unwrap();
    assert_eq!(katowice.vote_type, VoteType::Cumulative);
    // The file's own `score` column is the sum of cumulative points.
    let points = katowice.points();
    for (p, project) in katowice.projects.iter().enumerate() {
        let score = Decimal::parse(katowice.project_field(p, "score").unwrap()).unwrap();
        assert_eq!(points[p], score, "project {}", project.id);
    }
    // Ordinal ballots: positional points (3, 2, 1 in Kraków) match the `score` column.
    let krakow = pb::pabulib::read_file(data_dir().join("Poland_Krakow_2024.pb")).unwrap();
    assert_eq!(krakow.vote_type, VoteType::Ordinal);
    let points = krakow.points();
    let approvals = krakow.approvals();
    for p in 0..krakow.projects.len() {
        assert_eq!(points[p], Decimal::parse(krakow.project_field(p, "score").unwrap()).unwrap());
        assert_eq!(approvals[p].to_string(), krakow.project_field(p, "votes").unwrap());
    }
    let wroclaw = pb::pabulib::read_file(data_dir().join("Poland_Wroclaw_2015_150_-_500.pb")).unwrap();
    assert_eq!(wroclaw.vote_type, VoteType::Choose1);
    assert_eq!(wroclaw.voters.len(), 131_778);
}

const SMALL: &str = "\u{feff}meta\nkey;value\nbudget;1,5\nvote_type;APPROVAL\nnum_votes;3\n\nProjects\n\
project_id;cost;name\n1;1.0;\"Park; with a \"\"quote\"\"\"\n2;0,5;Library\n   \nVOTES\nvoter_id;vote;age\n\
a;1,2;30\nb;;41\nc;2;\n";

#[test]
fn accepts_what_real_files_contain() {
    let election = parse(SMALL.as_bytes()).unwrap();
    assert_eq!(election.budget, Decimal::parse("1.5").unwrap());
    assert_eq!(election.vote_type, VoteType::Approval);
    assert_eq!(election.meta("vote_type"), Some("approval"));
    assert_eq!(election.projects[1].cost, Decimal::parse("0.5").unwrap());
    assert_eq!(election.project_field(0, "name"), Some("Park; with a \"quote\""));
    // The empty ballot is a voter.
    assert_eq!(election.voters.len(), 3);
    assert!(election.voters[1].ballot.is_empty());
    assert_eq!(parse(to_string(&election).as_bytes()).unwrap(), election);
}

fn error_of(text: &str) -> (u64, String) {
    let error = parse(text.as_bytes()).expect_err("the file should be rejected");
    (error.line, error.message)
}

fn with(lines: &[&str]) -> String {
    lines.join("\n")
}

const META: &str = "META\nkey;value\nbudget;100\nvote_type;approval";
const PROJECTS: &str = "PROJECTS\nproject_id;cost\nA;60\nB;50";

#[test]
fn malformed_files_are_rejected_naming_the_line() {
    let cases: Vec<(String, u64, &str)> = vec![
        (with(&["key;value", "budget;100"]), 1, "expected a section name"),
        (with(&["META", "key;value", "budget;lots", "vote_type;approval"]), 3, "budget: \"lots\" is not a decimal"),
        (with(&["META", "key;value", "budget;100", "vote_type;rating"]), 4, "vote_type \"rating\""),
        (with(&["META", "key;value", "budget;100", PROJECTS]), 4, "META has no vote_type"),
        (with(&[META, "PROJECTS", "project_id;cost", "A;-5"]), 7, "cost: must not be negative"),
        (with(&[META, "PROJECTS", "project_id;cost", "A;1e5"]), 7, "cost: \"1e5\" is not a decimal"),
        (with(&[META, "PROJECTS", "project_id;price", "A;5"]), 6, "no \"cost\" column"),
        (
            with(&[META, "PROJECTS", "project_id;cost", "A;5", "A;6"]),
            8,
            "project \"A\" is listed twice (first on line 7)",
        ),
        (with(&[META, "PROJECTS", "project_id;cost", "A;5;extra"]), 7, "has 3 fields but the header has 2"),
        (with(&[META, PROJECTS, "VOTES", "voter_id;vote", "1;A,C"]), 11, "vote names project \"C\""),
        (with(&[META, PROJECTS]), 5, "no VOTES section"),
        (with(&[META, "VOTES", "voter_id;vote"]), 5, "PROJECTS section must come before VOTES"),
        (with(&[META, PROJECTS, "VOTES", "voter_id;vote", "1;A", PROJECTS]), 12, "appears twice"),
        (
            with(&[
                "META",
                "key;value",
                "budget;100",
                "vote_type;cumulative",
                PROJECTS,
                "VOTES",
                "voter_id;vote;points",
                "1;A,B;2",
            ]),
            11,
            "vote names 2 projects but points has 1 values",
        ),
        (
            with(&[
                "META",
                "key;value",
                "budget;100",
                "vote_type;cumulative",
                PROJECTS,
                "VOTES",
                "voter_id;vote",
                "1;A",
            ]),
            10,
            "no \"points\" column",
        ),
    ];
    for (text, line, message) in cases {
        let (actual_line, actual_message) = error_of(&text);
        assert!(
            actual_line == line && actual_message.contains(message),
            "expected line {line}: …{message}…, got line {actual_line}: {actual_message}\nfor:\n{text}"
        );
    }
    let mut bytes = with(&[META, PROJECTS, "VOTES", "voter_id;vote", "1;A"]).into_bytes();
    bytes.extend_from_slice(b"\n2;\xff\xfe\n");
    let error = parse(&bytes).unwrap_err();
    assert_eq!((error.line, error.message.as_str()), (12, "text is not valid UTF-8"));
}

#[test]
fn oddities_pabutools_accepts_are_warnings() {
    let text = with(&[
        "META",
        "key;value",
        "budget;100",
        "vote_type;approval",
        "num_votes;5",
        "max_length;1",
        "PROJECTS",
        "project_id;cost;name",
        "A;60",
        "B;50;Bridge",
        "C;150;Tower",
        "VOTES",
        "voter_id;vote",
        "1;A,A",
        "1;B",
        "2;B,C",
    ]);
    let (election, warnings) = parse_with_warnings(text.as_bytes()).unwrap();
    assert_eq!(election.voters[0].ballot, vec![0]);
    let lines: Vec<(u64, &str)> = warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
    assert!(lines.contains(&(9, "a PROJECTS row has 2 fields, the header 3; the rest are empty")), "{lines:?}");
    assert!(lines.contains(&(14, "the ballot names project \"A\" twice")), "{lines:?}");
    assert!(lines.contains(&(15, "voter_id \"1\" was already used on line 14")), "{lines:?}");
    assert!(lines.contains(&(5, "num_votes says 5 but the file has 3")), "{lines:?}");
    assert!(lines.contains(&(16, "the ballot names 2 projects, more than max_length 1")), "{lines:?}");
    assert!(lines.contains(&(11, "project \"C\" costs 150 — more than the whole budget 100")), "{lines:?}");
}
