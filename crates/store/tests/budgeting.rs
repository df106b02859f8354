//! Participatory budgeting on both databases: a process from ideas to paper ballots,
//! resident verification, one person's thousand concurrent ballots counted once, and
//! ballots that nothing in the database ties to their voters.

use sotong_core::budgeting::ballot::{Ballot, BallotKind, BallotRules};
use sotong_core::budgeting::score::ScoreFormula;
use sotong_core::budgeting::{
    FeasibilityReview, NewPot, NewProcess, NewProject, OutcomeRule, Phase, ProjectInput, ProjectState,
};
use sotong_core::org::{NewOrg, Slug};
use sotong_core::user::Email;
use sotong_core::verification::{Basis, Eligibility};
use sotong_core::FieldError;
use sotong_store::budgeting::paper::PaperOutcome;
use sotong_store::budgeting::projects::{Project, Submitter};
use sotong_store::budgeting::{Process, ProcessSetup};
use sotong_store::testing::fresh_store;
use sotong_store::verification::{IssuedCode, RosterEntry};
use sotong_store::{both_backends, Actor, Store, StoreError};
use std::collections::BTreeMap;

fn org(kind: &str, slug: &str, ko: &str) -> NewOrg {
    NewOrg::parse(kind, slug, ko, &format!("{slug} (en)"), "").unwrap()
}

async fn user(store: &Store, n: usize) -> i64 {
    let email = Email::parse(&format!("resident{n}@hanbit.example")).unwrap();
    store.create_user(&Actor::cli(), &email, &format!("주민{n}"), "$argon2id$fake", false).await.unwrap().id
}

fn invalid_code<T: std::fmt::Debug>(result: Result<T, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Invalid(FieldError { code, .. })) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

struct City {
    store: Store,
    body: i64,
    setup: ProcessSetup,
}

impl City {
    fn process(&self) -> &Process {
        &self.setup.process
    }

    async fn refresh(&mut self) {
        let process = self.store.process_by_slug(self.body, "2027").await.unwrap().unwrap();
        self.setup = self.store.process_setup(process).await.unwrap();
    }

    async fn advance(&mut self, to: Phase) {
        self.store.advance_phase(&Actor::cli(), self.process(), to).await.unwrap();
        self.refresh().await;
    }

    /// The ballot of a voter of `district`, checked as the ballot page checks it.
    fn check(&self, projects: &[Project], district: Option<&str>, ballot: Ballot) -> sotong_core::budgeting::ballot::CheckedBallot {
        self.setup.ballot_sheet(projects).check(district, ballot).expect("a valid ballot")
    }
}

/// 한빛시 with a process of two pots — the whole city (pick up to 3, at most 2
/// environment projects) and 중앙동 (within its 3억 budget) — in its proposals phase.
async fn city(store: Store) -> City {
    let cli = Actor::cli();
    let body = store.create_org(&cli, None, &org("city", "hanbit", "한빛시")).await.unwrap().id;
    let new = NewProcess {
        slug: Slug::parse("2027").unwrap(),
        title: "2027년 주민참여예산".into(),
        description: "시민이 직접 제안하고 투표합니다.".into(),
        rule: OutcomeRule::GreedyCombined,
        formula: ScoreFormula { resident_percent: 50, committee_percent: 50, ..ScoreFormula::default() },
        eligibility: Eligibility::default(),
        committee_max_score: 100,
        voting_opens_at: None,
        voting_closes_at: None,
    };
    let process = store.create_process(&cli, body, &new).await.unwrap();
    let city_pot =
        NewPot { name: "시 전체".into(), district: None, budget: 2_500_000_000, rules: BallotRules::approval(3) };
    store.add_pot(&cli, &process, &city_pot).await.unwrap();
    let district_pot = NewPot {
        name: "중앙동".into(),
        district: Some("중앙동".into()),
        budget: 300_000_000,
        rules: BallotRules { kind: BallotKind::Knapsack, max_picks: None, ..BallotRules::approval(1) },
    };
    store.add_pot(&cli, &process, &district_pot).await.unwrap();
    store.add_category(&cli, &process, "환경", Some(2)).await.unwrap();
    store.add_category(&cli, &process, "안전", None).await.unwrap();
    let setup = store.process_setup(process).await.unwrap();
    City { store, body, setup }
}

fn idea(title: &str, pot: i64, category: Option<i64>, cost: i64) -> NewProject {
    NewProject::parse(&ProjectInput {
        title,
        description: "주민들이 오래 바라 온 사업으로 예산이 필요합니다.",
        pot_id: Some(pot),
        category_id: category,
        cost: Some(cost),
        location: "한빛시 중앙동",
        show_proposer: true,
    })
    .unwrap()
}

/// Ideas in, reviewed, selected: six projects on the ballot (four city-wide, two in
/// 중앙동), one infeasible left off; the city in its voting phase.
async fn city_voting(store: Store) -> (City, Vec<Project>) {
    let mut c = city(store).await;
    let cli = Actor::cli();
    let proposer = user(&c.store, 0).await;
    let (city_pot, district_pot) = (c.setup.pots[0].id, c.setup.pots[1].id);
    let (environment, safety) = (c.setup.categories[0].id, c.setup.categories[1].id);
    let mut projects = Vec::new();
    for (title, pot, category, cost) in [
        ("하천 산책로 정비", city_pot, Some(environment), 1_200_000_000),
        ("도시숲 조성 사업", city_pot, Some(environment), 800_000_000),
        ("미세먼지 쉼터 설치", city_pot, Some(environment), 400_000_000),
        ("어린이 보호구역 안전시설", city_pot, Some(safety), 600_000_000),
        ("중앙시장 보행로 개선", district_pot, Some(safety), 200_000_000),
        ("중앙동 경로당 냉방기 교체", district_pot, None, 90_000_000),
        ("중앙동 공영주차장 신축", district_pot, None, 5_000_000_000),
    ] {
        let project = c
            .store
            .submit_project(&cli, c.process(), Submitter::Citizen(proposer), &idea(title, pot, category, cost))
            .await
            .unwrap();
        projects.push(project);
    }
    c.advance(Phase::Feasibility).await;
    let late = c
        .store
        .submit_project(&cli, c.process(), Submitter::Citizen(proposer), &idea("늦은 제안입니다", city_pot, None, 1_000_000))
        .await;
    assert_eq!(invalid_code(late), "ideas_closed");
    for project in &mut projects {
        let review = if project.title.contains("주차장") {
            FeasibilityReview::parse("infeasible", "부지 확보가 불가능합니다.", None).unwrap()
        } else {
            FeasibilityReview::parse("feasible", "", None).unwrap()
        };
        *project = c.store.review_project(&cli, c.process(), project, None, &review).await.unwrap();
    }
    c.advance(Phase::Committee).await;
    for project in &mut projects {
        let infeasible = project.title.contains("주차장");
        if infeasible {
            let refused = c.store.select_project(&cli, c.process(), project, true).await;
            assert_eq!(invalid_code(refused), "project_infeasible");
        }
        *project = c.store.select_project(&cli, c.process(), project, !infeasible).await.unwrap();
    }
    c.advance(Phase::Voting).await;
    (c, projects)
}

fn picks(pots: &[(i64, &[i64])]) -> Ballot {
    Ballot {
        pots: pots.iter().map(|(pot, ids)| (*pot, ids.iter().map(|id| (*id, 1)).collect())).collect::<BTreeMap<_, _>>(),
    }
}

both_backends!(a_process_from_ideas_to_paper_ballots, |backend| async move {
    let (mut c, projects) = city_voting(fresh_store(backend).await).await;
    let cli = Actor::cli();
    assert_eq!(projects.iter().filter(|p| p.state == ProjectState::OnBallot).count(), 6);
    assert_eq!(projects[6].state, ProjectState::NotSelected);
    let (city_pot, district_pot) = (c.setup.pots[0].id, c.setup.pots[1].id);

    // A roster of two residents and a code printed for a third.
    let roster = [
        RosterEntry { person_key: "key-kim".into(), basis: Basis::Resident, district: Some("중앙동".into()) },
        RosterEntry { person_key: "key-lee".into(), basis: Basis::Worker, district: None },
        RosterEntry { person_key: "key-kim".into(), basis: Basis::Resident, district: Some("중앙동".into()) },
    ];
    let imported = c.store.import_roster(&cli, c.body, "2026년 11월 명부", &roster).await.unwrap();
    assert_eq!(imported.entries, 2, "a person listed twice is one entry");
    let code = IssuedCode {
        code: "AAAA-BBBB-CCCC".into(),
        digest: "digest-of-code".into(),
        person_key: None,
        basis: Basis::Resident,
        district: None,
    };
    c.store.issue_codes(&cli, c.body, "1차", std::slice::from_ref(&code)).await.unwrap();

    let (kim, kim_again, park) = (user(&c.store, 1).await, user(&c.store, 2).await, user(&c.store, 3).await);
    let verified = c.store.verify_by_roster(&cli, c.body, kim, "key-kim", "1980-05-05").await.unwrap();
    assert_eq!(verified.district.as_deref(), Some("중앙동"));
    let unknown = c.store.verify_by_roster(&cli, c.body, park, "key-nobody", "1980-05-05").await;
    assert_eq!(invalid_code(unknown), "not_on_roster");
    let twice = c.store.verify_by_roster(&cli, c.body, kim_again, "key-kim", "1980-05-05").await;
    assert_eq!(invalid_code(twice), "person_verified_elsewhere", "one person, one account");
    let by_code = c.store.verify_by_code(&cli, c.body, park, "digest-of-code").await.unwrap();
    assert_eq!(by_code.person_key, "code:digest-of-code");
    let reused = c.store.verify_by_code(&cli, c.body, kim_again, "digest-of-code").await;
    assert_eq!(invalid_code(reused), "voting_code_used");
    assert_eq!(c.store.code_batches(c.body).await.unwrap()[0].used, 1);

    // 김 votes in both pots; a second ballot is refused, whichever channel.
    let ballot = c.check(
        &projects,
        Some("중앙동"),
        picks(&[(city_pot, &[projects[0].id, projects[3].id]), (district_pot, &[projects[4].id, projects[5].id])]),
    );
    let receipt = c.store.cast_ballot(&cli, c.process(), "key-kim", &ballot).await.unwrap();
    let again = c.store.cast_ballot(&cli, c.process(), "key-kim", &ballot).await;
    assert_eq!(invalid_code(again), "already_voted");
    let station = c.store.add_station(&cli, c.process(), "중앙동 행정복지센터", "한빛시 중앙로 10").await.unwrap();
    let at_station = c.store.check_in(&cli, c.process(), station.id, "key-kim").await;
    assert_eq!(invalid_code(at_station), "already_voted", "who voted on the web cannot vote on paper");
    let found = c.store.check_receipt(c.process().id, &receipt.code.to_lowercase()).await.unwrap().unwrap();
    assert_eq!(found.hash, receipt.hash, "the receipt finds the ballot, however it is typed");
    assert!(c.store.check_receipt(c.process().id, "ZZZZ-ZZZZ-ZZZZ-ZZZZ").await.unwrap().is_none());

    // Two people check in at the station; their sheets are keyed in twice.
    c.store.check_in(&cli, c.process(), station.id, "key-lee").await.unwrap();
    c.store.check_in(&cli, c.process(), station.id, "paper-only-person").await.unwrap();
    let (first, second, third) = (user(&c.store, 11).await, user(&c.store, 12).await, user(&c.store, 13).await);
    let sheet1 = c.check(&projects, None, picks(&[(city_pot, &[projects[1].id])]));
    let sheet1_wrong = c.check(&projects, None, picks(&[(city_pot, &[projects[2].id])]));
    let enter = |officer, sheet: &'static str, ballot| {
        let (store, process, station) = (c.store.clone(), c.process().clone(), station.clone());
        async move { store.enter_paper_ballot(&Actor::cli(), &process, &station, sheet, officer, &ballot).await }
    };
    assert_eq!(enter(first, "1", sheet1.clone()).await.unwrap(), PaperOutcome::Waiting);
    assert_eq!(invalid_code(enter(first, "1", sheet1.clone()).await), "sheet_entered_by_you");
    assert_eq!(enter(second, "1", sheet1_wrong.clone()).await.unwrap(), PaperOutcome::Mismatch);
    assert_eq!(
        enter(third, "1", sheet1.clone()).await.unwrap(),
        PaperOutcome::Reconciled,
        "the third agrees with the first"
    );
    assert_eq!(invalid_code(enter(second, "1", sheet1.clone()).await), "sheet_already_counted");
    assert_eq!(enter(first, "2", sheet1_wrong.clone()).await.unwrap(), PaperOutcome::Waiting);
    assert_eq!(enter(second, "2", sheet1_wrong.clone()).await.unwrap(), PaperOutcome::Reconciled);
    enter(first, "3", sheet1.clone()).await.unwrap();
    let too_many = enter(second, "3", sheet1.clone()).await;
    assert_eq!(invalid_code(too_many), "paper_exceeds_check_ins", "two check-ins, two paper ballots");
    let count = c.store.station_count(station.id).await.unwrap();
    assert_eq!((count.check_ins, count.ballots, count.sheets_waiting), (2, 2, 1));

    let turnout = c.store.turnout(c.process().id).await.unwrap();
    assert_eq!((turnout.online, turnout.paper), (1, 2));
    assert_eq!(c.store.ballots(c.process().id).await.unwrap().len(), 3);

    // The vote closes: no ballot after it, and the rules no longer change.
    c.advance(Phase::Results).await;
    let late = c.store.cast_ballot(&cli, c.process(), "code:digest-of-code", &ballot).await;
    assert_eq!(invalid_code(late), "voting_closed");
    let pot = NewPot { name: "새 예산".into(), district: None, budget: 1_000_000, rules: BallotRules::approval(1) };
    assert_eq!(invalid_code(c.store.add_pot(&cli, c.process(), &pot).await), "process_rules_locked");

    // Published once: each pot counted, the projects funded or not, the chain verifies.
    let publication = c.store.publish_results(&cli, c.process()).await.unwrap();
    assert_eq!(publication.sequence, 1);
    assert_eq!(invalid_code(c.store.publish_results(&cli, c.process()).await), "results_published");
    let results = c.store.published_results(c.process().id).await.unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].voters, 3, "the web ballot and two paper ballots named the city-wide pot");
    assert_eq!(results[1].voters, 1);
    assert_eq!(results[1].selected.len(), 2, "중앙동: both fit its 3억");
    let funded: Vec<_> = c.store.projects(c.process().id).await.unwrap().into_iter().filter(|p| p.state == ProjectState::Funded).collect();
    assert_eq!(funded.len(), results.iter().map(|r| r.selected.len()).sum::<usize>());
    assert!(c.store.verify_budget_publications().await.unwrap().is_empty());

    // Tampering with a ballot, or with a published result, is found.
    let pool = c.store.pool();
    sqlx::query("UPDATE budget_ballots SET content = REPLACE(content, ':1}', ':1,\"99\":1}') WHERE channel = 'online'")
        .execute(pool)
        .await
        .unwrap();
    let problems = c.store.verify_budget_publications().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].what, "a ballot's content differs from its hash");
    sqlx::query("UPDATE budget_ballots SET content = $1, hash = $2 WHERE channel = 'online'")
        .bind(ballot.canonical())
        .bind(sotong_core::budgeting::ballot::ballot_hash(c.process().id, "forged", &ballot.canonical()))
        .execute(pool)
        .await
        .unwrap();
    let problems = c.store.verify_budget_publications().await.unwrap();
    assert_eq!(problems[0].what, "a ballot's content differs from its hash", "the hash covers the ballot's id");
    sqlx::query("DELETE FROM budget_ballots WHERE channel = 'online'").execute(pool).await.unwrap();
    let problems = c.store.verify_budget_publications().await.unwrap();
    assert!(problems[0].what.starts_with("the ballot list differs"), "{}", problems[0].what);
});

both_backends!(a_thousand_concurrent_ballots_of_one_person_count_once, |backend| async move {
    let (c, projects) = city_voting(fresh_store(backend).await).await;
    let ballot = c.check(&projects, None, picks(&[(c.setup.pots[0].id, &[projects[0].id])]));
    let attempts: Vec<_> = (0..1000)
        .map(|_| {
            let (store, process, ballot) = (c.store.clone(), c.process().clone(), ballot.clone());
            tokio::spawn(async move { store.cast_ballot(&Actor::cli(), &process, "key-one-person", &ballot).await })
        })
        .collect();
    let mut counted = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => counted += 1,
            Err(StoreError::Invalid(e)) => assert_eq!(e.code, "already_voted"),
            Err(other) => panic!("an attempt failed otherwise: {other:?}"),
        }
    }
    assert_eq!(counted, 1, "exactly one of 1,000 attempts is counted");
    assert_eq!(c.store.ballots(c.process().id).await.unwrap().len(), 1);
    assert_eq!(c.store.turnout(c.process().id).await.unwrap().total(), 1);
});

both_backends!(nothing_in_the_database_ties_a_ballot_to_its_voter, |backend| async move {
    let (c, projects) = city_voting(fresh_store(backend).await).await;
    let mut keys = Vec::new();
    let mut cast_order = Vec::new();
    for n in 0..20 {
        let key = format!("person-key-{n:02}");
        let account = user(&c.store, 100 + n).await;
        let voter = Actor {
            user_id: Some(account),
            label: format!("resident{n}"),
            ip: "10.0.0.1".into(),
            request_id: format!("req-{n}"),
        };
        let chosen = [projects[n % 4].id];
        let ballot = c.check(&projects, None, picks(&[(c.setup.pots[0].id, &chosen)]));
        let receipt = c.store.cast_ballot(&voter, c.process(), &key, &ballot).await.unwrap();
        cast_order.push(receipt.hash);
        keys.push((key, account));
    }
    let pool = c.store.pool();
    // The ballot table has no column that could name a person or a moment.
    let columns: Vec<String> = match backend {
        sotong_store::Backend::Sqlite => sqlx::query_as::<_, (String,)>("SELECT name FROM pragma_table_info('budget_ballots') ORDER BY cid")
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(n,)| n)
            .collect(),
        sotong_store::Backend::Postgres => sqlx::query_as::<_, (String,)>(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'budget_ballots' ORDER BY ordinal_position",
        )
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(n,)| n)
        .collect(),
    };
    assert_eq!(columns, ["id", "process_id", "channel", "station_id", "content", "hash", "receipt_digest"]);
    // No stored ballot holds a voter's key or account, and the audit log names no
    // ballot: ids and hashes appear nowhere in it.
    let ballots = c.store.ballots(c.process().id).await.unwrap();
    let audit: Vec<(String,)> =
        sqlx::query_as("SELECT COALESCE(after_json, '') FROM audit_log").fetch_all(pool).await.unwrap();
    for ballot in &ballots {
        let row = format!("{} {} {}", ballot.id, ballot.content, ballot.hash);
        assert!(keys.iter().all(|(key, _)| !row.contains(key.as_str())));
        assert!(audit.iter().all(|(a,)| !a.contains(&ballot.id) && !a.contains(&ballot.hash)));
    }
    // Participations name no ballot and keep only the day.
    let participation_columns: Vec<(String,)> = match backend {
        sotong_store::Backend::Sqlite => sqlx::query_as("SELECT name FROM pragma_table_info('budget_participations') ORDER BY cid"),
        sotong_store::Backend::Postgres => sqlx::query_as(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'budget_participations' ORDER BY ordinal_position",
        ),
    }
    .fetch_all(pool)
    .await
    .unwrap();
    let participation_columns: Vec<&str> = participation_columns.iter().map(|(n,)| n.as_str()).collect();
    assert_eq!(participation_columns, ["process_id", "person_key", "channel", "station_id", "voted_on"]);
    // SQLite keeps the ballots without a rowid, in the order of their random ids:
    // read back as stored, they do not follow the order they were cast in (20 ballots
    // in cast order by chance: 1 in 20!). PostgreSQL's heap keeps insertion order;
    // docs/BUDGETING.md "Secrecy" says so.
    if backend == sotong_store::Backend::Sqlite {
        let stored: Vec<(String,)> = sqlx::query_as("SELECT hash FROM budget_ballots").fetch_all(pool).await.unwrap();
        let stored: Vec<String> = stored.into_iter().map(|(h,)| h).collect();
        assert_ne!(stored, cast_order, "stored by random id, not by time");
        let mut sorted = stored.clone();
        sorted.sort();
        let mut cast_sorted = cast_order.clone();
        cast_sorted.sort();
        assert_eq!(sorted, cast_sorted);
    }
});

both_backends!(a_real_pabulib_election_imported_as_a_process_reproduces_its_outcome, |backend| async move {
    let store = fresh_store(backend).await;
    let body = store.create_org(&Actor::cli(), None, &org("city", "hanbit", "한빛시")).await.unwrap().id;
    // Assen 2024: 84 voters, 14 projects, equal shares with add1 (the official rule).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../pb/tests/fixtures/Netherlands_Assen_2024.pb");
    let election = pb::pabulib::read_file(path).unwrap();
    let process = store.import_pabulib(&Actor::cli(), body, Slug::parse("assen-2024").unwrap(), &election).await.unwrap();
    assert_eq!(process.phase, Phase::Results);
    assert_eq!(store.ballots(process.id).await.unwrap().len(), election.voters.iter().filter(|v| !v.ballot.is_empty()).count());
    let published = &store.published_results(process.id).await.unwrap()[0];
    let projects = store.projects(process.id).await.unwrap();
    let file_id = |db: i64| {
        let at = projects.iter().position(|p| p.id == db).unwrap();
        election.projects[at].id.clone()
    };
    let mut ours: Vec<String> = published.selected.iter().map(|&id| file_id(id)).collect();
    ours.sort();
    let rule = pb::Rule::declared(&election, pb::TieBreak::ProjectId).unwrap();
    assert_eq!(ours, rule.compute(&election).selected_ids(&election), "what `sotong pb compute --rule official` gives");
    assert_eq!(Some(ours), election.official_selection().map(|s| pb::outcome::sorted_ids(&election, &s)), "and Assen's own");
    assert!(store.verify_budget_publications().await.unwrap().is_empty());

    // A file breaking its own rules imports nothing.
    let mut broken = election.clone();
    broken.voters[0].ballot.truncate(1);
    let refused = store.import_pabulib(&Actor::cli(), body, Slug::parse("broken").unwrap(), &broken).await;
    assert!(matches!(refused, Err(sotong_store::budgeting::pabulib::PabulibImportError::Ballot { code: "too_few_picks", .. })), "{refused:?}");
    assert!(store.process_by_slug(body, "broken").await.unwrap().is_none());
});
