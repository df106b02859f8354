//! The `sotong` binary as an operator uses it, on SQLite and on PostgreSQL: migrate,
//! create organisations and accounts, refuse bad input with the flag named, serve, and
//! stop cleanly on SIGTERM.

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

fn ok(output: Output) -> String {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn refused(output: Output) -> String {
    assert!(!output.status.success(), "should have failed: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).unwrap()
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
    use sotong_core::commitment::Taxonomy;
    use sotong_core::org::{NewOrg, Slug};
    use sotong_core::period::{Cadence, Period};
    use sotong_store::plans::{CommitmentInput, NewPlan};
    use sotong_store::reports::ReportInput;
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
        kind: "pledges",
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
    let report = ReportInput {
        status: "completed".into(),
        progress: 100,
        achievements: "완료".into(),
        problems: String::new(),
        next_steps: String::new(),
        budget_executed: 0,
        links: String::new(),
    };
    let saved = store.save_report(&cli, &plan, &commitment, &period, &report, true).await.unwrap();
    store.review_report(&cli, &plan, saved.id, true, "").await.unwrap();

    let closed =
        ok(sotong(&db, &["period", "close", "--org", "dangjin", "--plan", "pledges", "--period", "2026-Q1"], ""));
    assert!(closed.contains("snapshot #1"), "{closed}");
    assert!(ok(sotong(&db, &["verify"], "")).contains("intact"));
    sqlx::query("UPDATE progress_reports SET progress = 90").execute(store.pool()).await.unwrap();
    let error = refused(sotong(&db, &["verify"], ""));
    assert!(error.contains("1-07") && error.contains("2026-Q1") && error.contains("pledges"), "{error}");
}

both_backends!(verify_names_an_altered_published_report, |backend| async move { tamper(backend).await });
