//! The `sotong` binary as an operator uses it, on SQLite and on PostgreSQL: migrate,
//! create organisations and accounts, refuse bad input with the flag named, serve, and
//! stop cleanly on SIGTERM.

mod common;

use common::{ok, refused};
use sotong_store::testing::fresh_database_url;
use sotong_store::{both_backends, Backend};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn sotong(database: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("SOTONG_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

async fn operate(backend: Backend) {
    let db = fresh_database_url(backend).await;
    assert!(ok(sotong(&db, &["migrate"], "")).contains("migrations applied"));
    let args = [
        "org",
        "create",
        "--kind",
        "province",
        "--slug",
        "testdo",
        "--name-ko",
        "시험도",
        "--name-en",
        "Test Province",
    ];
    ok(sotong(&db, &args, ""));
    let args = [
        "org",
        "create",
        "--kind",
        "city",
        "--slug",
        "testsi",
        "--name-ko",
        "시험시",
        "--name-en",
        "Test City",
        "--parent",
        "testdo",
        "--admin-code",
        "1234567",
    ];
    ok(sotong(&db, &args, ""));
    let args = [
        "org",
        "create",
        "--kind",
        "department",
        "--slug",
        "culture",
        "--name-ko",
        "문화과",
        "--name-en",
        "Culture",
        "--parent",
        "testsi",
    ];
    ok(sotong(&db, &args, ""));
    assert!(ok(sotong(&db, &["org", "list"], "")).contains("testsi/culture"));

    let error = refused(sotong(
        &db,
        &["org", "create", "--kind", "planet", "--slug", "x", "--name-ko", "가", "--name-en", "A"],
        "",
    ));
    assert!(error.contains("--kind") && error.contains("--slug"), "{error}");
    let error = refused(sotong(
        &db,
        &["org", "create", "--kind", "city", "--slug", "testsi", "--name-ko", "가", "--name-en", "A"],
        "",
    ));
    assert!(error.contains("slug_taken"), "{error}");

    ok(sotong(&db, &["user", "create", "--email", "Boss@Test.kr", "--name", "김관리"], "a long enough password\n"));
    let error = refused(sotong(&db, &["user", "create", "--email", "x@test.kr", "--name", "짧음"], "short\n"));
    assert!(error.contains("--password"), "{error}");
    ok(sotong(&db, &["user", "grant", "--email", "boss@test.kr", "--org", "testsi", "--role", "administrator"], ""));
    let error =
        refused(sotong(&db, &["user", "grant", "--email", "boss@test.kr", "--org", "testsi", "--role", "officer"], ""));
    assert!(error.contains("department"), "an officer needs a department: {error}");

    // Serve on a free port, answer, and stop cleanly on SIGTERM.
    let mut server = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["--database", &db, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("SOTONG_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let url =
        first_line.split_whitespace().find(|w| w.starts_with("http://")).expect("serve prints its URL").to_string();
    let health: serde_json::Value = reqwest::get(format!("{url}/healthz")).await.unwrap().json().await.unwrap();
    assert_eq!(health["database"], backend.name());
    let units = reqwest::get(format!("{url}/api/v1/orgs/testsi/units")).await.unwrap().text().await.unwrap();
    assert!(units.contains("문화과"));
    let page = reqwest::get(format!("{url}/testsi")).await.unwrap().text().await.unwrap();
    assert!(page.contains("1234567") && page.contains("lang=\"ko\""));

    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let output = server.wait_with_output().unwrap();
    assert!(output.status.success(), "SIGTERM ends sotong with status 0");
    assert!(String::from_utf8_lossy(&output.stderr).contains("stopped cleanly"));
    assert!(reqwest::get(format!("{url}/healthz")).await.is_err(), "the port is closed");
}

both_backends!(an_operator_sets_up_and_serves_an_installation, |backend| async move { operate(backend).await });

async fn tamper(backend: Backend) {
    use sotong_core::commitments::period::{Cadence, Period};
    use sotong_core::commitments::Taxonomy;
    use sotong_core::org::{NewOrg, Slug};
    use sotong_store::commitments::plans::{CommitmentInput, NewPlan};
    use sotong_store::{Actor, Store};

    let db = fresh_database_url(backend).await;
    let store = Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    let cli = Actor::cli();
    let city = store
        .create_org(&cli, None, &NewOrg::parse("city", "dangjin", "당진시", "Dangjin", "").unwrap())
        .await
        .unwrap();
    let dept = store
        .create_org(&cli, Some(city.id), &NewOrg::parse("department", "plan", "기획과", "Planning", "").unwrap())
        .await
        .unwrap();
    let new = NewPlan {
        slug: Slug::parse("pledges").unwrap(),
        kind: sotong_core::commitments::states::PlanKind::Pledges,
        title_ko: "민선8기 공약".into(),
        title_en: "Pledges".into(),
        term_start: "2022-07-01".into(),
        term_end: "2026-06-30".into(),
        cadence: Cadence::Quarterly,
        taxonomy: Taxonomy::default(),
    };
    let plan = store.create_plan(&cli, city.id, &new).await.unwrap();
    let sector = store.sector_named(&cli, &plan, "경제", "Economy").await.unwrap();
    let input = CommitmentInput {
        code: "1-07".into(),
        sector_id: sector.id,
        title: "청년 일자리".into(),
        summary: String::new(),
        lead_department_id: dept.id,
        term_target: String::new(),
        start_date: None,
        end_date: None,
        budget_national: 0,
        budget_provincial: 0,
        budget_city: 0,
        budget_other: 0,
        status: "on_track".into(),
        progress: 0,
    };
    let commitment = store.create_commitment(&cli, &plan, &input).await.unwrap();
    store.open_period(&cli, &plan, Period::parse("2026-Q1").unwrap(), "2026-04-10").await.unwrap();
    let period = store.period(plan.id, "2026-Q1").await.unwrap().unwrap();
    let report = sotong_store::testing::report(&plan, "completed", 100, true);
    let saved = store.save_report(&cli, &plan, &commitment, &period, &report).await.unwrap();
    store.review_report(&cli, &plan, saved.id, true, "").await.unwrap();

    let closed =
        ok(sotong(&db, &["period", "close", "--org", "dangjin", "--plan", "pledges", "--period", "2026-Q1"], ""));
    assert!(closed.contains("snapshot #1"), "{closed}");
    assert!(ok(sotong(&db, &["verify"], "")).contains("intact"));
    sqlx::query("UPDATE progress_reports SET progress = 90").execute(store.pool()).await.unwrap();
    let error = refused(sotong(&db, &["verify"], ""));
    assert!(error.contains("1-07") && error.contains("2026-Q1") && error.contains("pledges"), "{error}");
    // An error reads like one, even where developers keep backtraces switched on.
    let output = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["--database", &db, "verify"])
        .env("RUST_BACKTRACE", "1")
        .env_remove("SOTONG_CONFIG")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.lines().last().unwrap().starts_with("error: 1 plan(s) have published data"), "{stderr}");
    assert!(!stderr.contains("backtrace") && !stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    // `sotong org list | head`: the reader is gone before sotong prints.
    let db =
        format!("sqlite://{}", std::env::temp_dir().join(format!("sotong-pipe-{}.db", std::process::id())).display());
    let created = sotong(
        &db,
        &["org", "create", "--kind", "city", "--slug", "pipe", "--name-ko", "파이프시", "--name-en", "Pipe"],
        "",
    );
    assert!(created.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["--database", &db, "org", "list"])
        .env("RUST_BACKTRACE", "1")
        .env_remove("SOTONG_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

both_backends!(verify_names_an_altered_published_report, |backend| async move { tamper(backend).await });

/// Dangjin's pledges as a spreadsheet: 100 in 6 sectors, 55 완료, 39 정상추진, 6 일부추진.
fn dangjin_csv() -> String {
    let sectors = ["경제", "복지", "문화관광", "환경", "안전", "행정"];
    let mut csv =
        String::from("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n");
    for i in 0..100 {
        let status = if i < 55 {
            "완료"
        } else if i < 94 {
            "정상추진"
        } else {
            "일부추진"
        };
        let progress = if i < 55 { 100 } else { 60 };
        csv.push_str(&format!(
            "{}-{:02},{},공약 {i},기획예산과,{status},{progress},목표 {i},2022-07-01,2026-06-30,\"{},000,000\"\n",
            i % 6 + 1,
            i,
            sectors[i % 6],
            i + 1
        ));
    }
    csv
}

async fn import(backend: Backend) {
    let db = fresh_database_url(backend).await;
    let dir = std::env::temp_dir().join(format!("sotong-import-{}-{}", std::process::id(), backend.name()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    ok(sotong(
        &db,
        &["org", "create", "--kind", "city", "--slug", "dangjin", "--name-ko", "당진시", "--name-en", "Dangjin City"],
        "",
    ));
    ok(sotong(
        &db,
        &[
            "org",
            "create",
            "--kind",
            "department",
            "--slug",
            "planning",
            "--name-ko",
            "기획예산과",
            "--name-en",
            "Planning",
            "--parent",
            "dangjin",
        ],
        "",
    ));
    let plan = [
        "plan",
        "create",
        "--org",
        "dangjin",
        "--slug",
        "pledges",
        "--kind",
        "pledges",
        "--title-ko",
        "민선8기 공약",
        "--title-en",
        "Pledges",
        "--term-start",
        "2022-07-01",
        "--term-end",
        "2026-06-30",
    ];
    ok(sotong(&db, &plan, ""));
    let import = |path: &str| {
        sotong(
            &db,
            &["import", "commitments", "--org", "dangjin", "--plan", "pledges", "--period", "2026-Q2", path],
            "",
        )
    };

    // Bad files: each named precisely, none changes anything.
    let good = dangjin_csv();
    let cases = [
        ("bad-status.csv", good.replacen("정상추진", "진행중", 1).into_bytes(), "column status: invalid_status"),
        ("bad-date.csv", good.replacen("2026-06-30", "2026-06-31", 1).into_bytes(), "column end_date: invalid_date"),
        (
            "unknown-dept.csv",
            good.replacen("기획예산과", "없는과", 1).into_bytes(),
            "column lead_department: unknown_department",
        ),
        (
            "utf16.csv",
            [b"\xFF\xFE".as_slice(), &good.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>()].concat(),
            "unknown_encoding",
        ),
        (
            "duplicate.csv",
            format!("{good}1-00,경제,또,기획예산과,완료,1,,,,\n").into_bytes(),
            "line 102, column code: duplicate_code",
        ),
    ];
    for (name, bytes, expected) in cases {
        let error = refused(import(&file(name, &bytes)));
        assert!(error.contains(expected) && error.contains("nothing was imported"), "{name}: {error}");
    }
    let store = sotong_store::Store::connect(&db).await.unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM commitments").fetch_one(store.pool()).await.unwrap();
    assert_eq!(count, 0, "no bad file changed anything");
    // Not even the period the import would have opened (it once stayed behind).
    let (periods,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM reporting_periods").fetch_one(store.pool()).await.unwrap();
    assert_eq!(periods, 0, "a rejected import opens no period");

    // CP949, as Excel writes it in Korean Windows, imports fine.
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(&good);
    let out = ok(import(&file("dangjin.csv", &cp949)));
    assert!(
        out.contains("imported 100 rows") && out.contains("100 created") && out.contains("100 approved reports"),
        "{out}"
    );
    let closed =
        ok(sotong(&db, &["period", "close", "--org", "dangjin", "--plan", "pledges", "--period", "2026-Q2"], ""));
    assert!(closed.contains("snapshot #1"));
    let (summary,): (String,) =
        sqlx::query_as("SELECT summary_json FROM snapshots").fetch_one(store.pool()).await.unwrap();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(summary["metrics"]["implementation"]["numerator"], 55);
    assert_eq!(summary["metrics"]["goal_achievement"]["numerator"], 94);
    assert_eq!(summary["metrics"]["total"], 100);
    assert_eq!(summary["metrics"]["budget_secured"], (1..=100).sum::<i64>() * 1_000_000);
    let sectors: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sectors").fetch_one(store.pool()).await.unwrap();
    assert_eq!(sectors.0, 6);

    // The export is the import format: importing it back is accepted unchanged.
    let exported = ok(sotong(&db, &["export", "commitments", "--org", "dangjin", "--plan", "pledges"], ""));
    assert!(exported.starts_with('\u{feff}') && exported.lines().count() == 101);
    let again = ok(sotong(
        &db,
        &["import", "commitments", "--org", "dangjin", "--plan", "pledges", &file("again.csv", exported.as_bytes())],
        "",
    ));
    assert!(again.contains("0 created, 100 updated"), "{again}");
    let xlsx = dir.join("pledges.xlsx");
    let args = ["export", "commitments", "--org", "dangjin", "--plan", "pledges", "--format", "xlsx", "--output"];
    let mut args: Vec<&str> = args.to_vec();
    let xlsx_path = xlsx.display().to_string();
    args.push(&xlsx_path);
    ok(sotong(&db, &args, ""));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let error = refused(sotong(
        &db,
        &["export", "commitments", "--org", "dangjin", "--plan", "pledges", "--period", "2026-Q3"],
        "",
    ));
    assert!(error.contains("no period 2026-Q3"), "{error}");
    std::fs::remove_dir_all(&dir).ok();
}

both_backends!(dangjin_pledges_are_imported_and_published, |backend| async move { import(backend).await });

/// The holiday calendar from the command line: the shipped years listed, a bad file
/// refused with its line named and nothing added, a whole new year added (and then
/// counted), the same day twice refused.
async fn holidays(backend: Backend) {
    let db = fresh_database_url(backend).await;
    ok(sotong(&db, &["migrate"], ""));
    let listed = ok(sotong(&db, &["holidays", "list", "--year", "2026"], ""));
    for expected in ["2026-09-25  추석", "2026-10-05  개천절 대체 휴일", "2026-06-03  지방선거일"] {
        assert!(listed.contains(expected), "{listed}");
    }
    let unknown = refused(sotong(&db, &["holidays", "list", "--year", "2031"], ""));
    assert!(unknown.contains("no holidays known for 2031"), "{unknown}");

    let dir = std::env::temp_dir().join(format!("sotong-holidays-{}-{}", backend.name(), std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let bad = write("bad.csv", "date,name\n# 2031년\n2031-01-01,1월 1일\n2031-02-30,없는 날\n");
    let refusal = refused(sotong(&db, &["holidays", "add", "--file", &bad], ""));
    assert!(refusal.contains("line 4") && refusal.contains("not a date"), "{refusal}");
    let lonely = write("lonely.csv", "2031-01-02,임시공휴일\n");
    let refusal = refused(sotong(&db, &["holidays", "add", "--file", &lonely], ""));
    assert!(refusal.contains("fixed-date holidays") && refusal.contains("nothing was added"), "{refusal}");
    assert!(refused(sotong(&db, &["holidays", "list", "--year", "2031"], "")).contains("no holidays known"));

    let year = "date,name\n2031-01-01,1월 1일\n2031-01-22,설날 전날\n2031-01-23,설날\n2031-01-24,설날 다음날\n\
                2031-03-01,삼일절\n2031-03-03,삼일절 대체 휴일\n2031-05-05,어린이날\n2031-06-06,현충일\n\
                2031-08-15,광복절\n2031-10-03,개천절\n2031-10-09,한글날\n2031-12-25,기독탄신일\n";
    let added = ok(sotong(&db, &["holidays", "add", "--file", &write("2031.csv", year)], ""));
    assert!(added.contains("added 12 holidays") && added.contains("2020–2031"), "{added}");
    let listed = ok(sotong(&db, &["holidays", "list", "--year", "2031"], ""));
    assert!(listed.contains("2031-03-03  삼일절 대체 휴일"), "{listed}");
    let again = write("again.csv", "2031-03-03,삼일절 대체 휴일\n");
    let refusal = refused(sotong(&db, &["holidays", "add", "--file", &again], ""));
    assert!(refusal.contains("line 1") && refusal.contains("already a holiday"), "{refusal}");
    let store = sotong_store::Store::connect(&db).await.unwrap();
    let calendar = store.calendar().await.unwrap();
    assert_eq!(calendar.years(), (2020, 2031));
    assert_eq!(store.added_holidays().await.unwrap().len(), 12);
    let filter =
        sotong_store::audit::AuditFilter { action: Some("holiday.add".into()), limit: 100, ..Default::default() };
    assert_eq!(store.audit_entries(&filter).await.unwrap().len(), 12, "every added holiday is audited");
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

both_backends!(
    holidays_are_listed_and_added_whole_from_the_command_line,
    |backend| async move { holidays(backend).await }
);
