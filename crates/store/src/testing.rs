//! Fresh databases for tests, on either engine, copied from templates.
//!
//! SQLite: a new file in the temp directory. PostgreSQL: a new database on the server
//! named by `SOTONG_TEST_POSTGRES_URL` (scripts/test.sh starts one). Without that
//! variable a PostgreSQL test fails loudly rather than passing without having run.
//!
//! Migrating and populating a database (the demo city hashes its accounts' passwords
//! with Argon2id) is done once per test process and kind of data: the first test
//! that asks builds a *template*, and every test gets its own copy of it —
//! `CREATE DATABASE … TEMPLATE …` on PostgreSQL, a copied file on SQLite.
//!
//! Databases do not pile up: a test made by [`both_backends!`] drops the databases it
//! made when it passes, and the first database a process makes sweeps away those of
//! test processes that are no longer running (failed tests, templates).

use crate::{Backend, Store};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

pub const POSTGRES_ENV: &str = "SOTONG_TEST_POSTGRES_URL";

static COUNTER: AtomicU32 = AtomicU32::new(0);

thread_local! {
    /// The databases this thread's test made (each `#[tokio::test]` has its own thread).
    static CREATED: std::cell::RefCell<Vec<(Backend, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A database URL that no other test uses (dropped when the test passes).
pub async fn fresh_database_url(backend: Backend) -> String {
    let url = new_database_url(backend).await;
    CREATED.with(|created| created.borrow_mut().push((backend, url.clone())));
    url
}

/// Drops the databases this test made (called by [`both_backends!`] after a test passed).
pub async fn drop_created() {
    let created = CREATED.with(|created| std::mem::take(&mut *created.borrow_mut()));
    for (backend, url) in created {
        drop_database(backend, &url).await;
    }
}

async fn drop_database(backend: Backend, url: &str) {
    match backend {
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var(POSTGRES_ENV) else { return };
            let Some((_, name)) = url.rsplit_once('/') else { return };
            if let Ok(admin) = Store::connect(&admin_url).await {
                let _ =
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin.pool()).await;
                admin.close().await;
            }
        }
    }
}

/// Whether a test database's name (`sotong_test_{pid}_…`) belongs to a process that
/// is no longer running.
fn is_orphan(name: &str) -> bool {
    let pid = name.strip_prefix("sotong_test_").and_then(|rest| rest.split('_').next());
    pid.and_then(|pid| pid.parse::<u32>().ok())
        .is_some_and(|pid| pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists())
}

/// Once per process: removes the databases of test processes that have ended.
async fn sweep_orphans(backend: Backend) {
    static SWEPT: Mutex<Vec<Backend>> = Mutex::new(Vec::new());
    {
        let mut swept = SWEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if swept.contains(&backend) {
            return;
        }
        swept.push(backend);
    }
    match backend {
        Backend::Sqlite => {
            let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with("sotong_test_") && is_orphan(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var(POSTGRES_ENV) else { return };
            let Ok(admin) = Store::connect(&admin_url).await else { return };
            let names: Vec<(String,)> =
                sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'sotong_test_%'")
                    .fetch_all(admin.pool())
                    .await
                    .unwrap_or_default();
            for (name,) in names.into_iter().filter(|(name,)| is_orphan(name)) {
                let _ =
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin.pool()).await;
            }
            admin.close().await;
        }
    }
}

/// A new database of this process (a template's, or a test's via the callers).
async fn new_database_url(backend: Backend) -> String {
    sweep_orphans(backend).await;
    let unique = format!("{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), crate::now());
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("sotong_test_{unique}.db"));
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| {
                panic!("{POSTGRES_ENV} is not set: run scripts/test.sh, which starts a PostgreSQL server")
            });
            let name = format!("sotong_test_{unique}");
            let admin = Store::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.expect("create test database");
            admin.close().await;
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
    }
}

/// A fresh, migrated store (a copy of the migrated template).
pub async fn fresh_store(backend: Backend) -> Store {
    store_from_template(backend, "migrated", |_| async {}).await
}

type Templates = Mutex<HashMap<(Backend, &'static str), Arc<tokio::sync::OnceCell<String>>>>;
static TEMPLATES: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();

/// A store of its own for one test: a copy of the template `name`, which the first
/// caller in this process builds by migrating a new database and running `fill` on it.
/// Every caller must pass the same `fill` for one `name`.
pub async fn store_from_template<F, Fut>(backend: Backend, name: &'static str, fill: F) -> Store
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let cell =
        TEMPLATES.get_or_init(Default::default).lock().expect("templates").entry((backend, name)).or_default().clone();
    let template = cell
        .get_or_init(|| async {
            // Kept for the whole process (the sweep of a later run removes it).
            let url = new_database_url(backend).await;
            let store = Store::connect(&url).await.expect("connect to the template database");
            store.migrate().await.expect("migrate the template database");
            fill(store.clone()).await;
            if backend == Backend::Sqlite {
                // Everything into the main file, which is what is copied.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.pool()).await.expect("checkpoint");
            }
            store.close().await;
            url
        })
        .await
        .clone();
    let url = copy_database(backend, &template).await;
    CREATED.with(|created| created.borrow_mut().push((backend, url.clone())));
    Store::connect(&url).await.expect("connect to test database")
}

/// A new database with the template's contents; its URL.
async fn copy_database(backend: Backend, template_url: &str) -> String {
    let unique = format!("{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), crate::now());
    match backend {
        Backend::Sqlite => {
            let source = template_url.trim_start_matches("sqlite://");
            let path = std::env::temp_dir().join(format!("sotong_test_{unique}.db"));
            std::fs::copy(source, &path).expect("copy the template database file");
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).expect("checked when the template was made");
            let (base, template) = template_url.rsplit_once('/').expect("a database URL");
            let name = format!("sotong_test_{unique}");
            let admin = Store::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
            sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .execute(admin.pool())
                .await
                .expect("copy the template database");
            admin.close().await;
            format!("{base}/{name}")
        }
    }
}

/// Declares one async test per engine from a single body taking a `Backend`:
/// `both_backends!(creates_orgs, |backend| async move { ... });`
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                ($body)($crate::Backend::Sqlite).await;
                $crate::testing::drop_created().await;
            }
            #[tokio::test]
            async fn postgres() {
                ($body)($crate::Backend::Postgres).await;
                $crate::testing::drop_created().await;
            }
        }
    };
}

/// A checked report for tests: `status` and `progress`, standard text, and
/// submitted for review or kept as a draft.
pub fn report(
    plan: &crate::commitments::plans::Plan,
    status: &str,
    progress: i64,
    submit: bool,
) -> sotong_core::commitments::report::ReportInput {
    let progress = progress.to_string();
    let fields = sotong_core::commitments::report::ReportFields {
        status,
        progress: &progress,
        achievements: "추진 실적",
        next_steps: "향후 계획",
        budget_executed: "500",
        submit,
        ..Default::default()
    };
    sotong_core::commitments::report::ReportInput::parse(plan.taxonomy(), &fields).expect("a valid test report")
}

/// A budgeting process of `body_id` brought to `phase` for tests: one city-wide pot of
/// 5억 (pick up to 2) with three projects (1억, 2억, 3억) — on the ballot from the
/// vote on — and no ballots.
pub async fn budget_process(
    store: &Store,
    body_id: i64,
    slug: &str,
    phase: sotong_core::budgeting::Phase,
) -> (crate::budgeting::Process, Vec<crate::budgeting::projects::Project>) {
    use sotong_core::budgeting::{ballot::BallotRules, FeasibilityReview, NewPot, NewProcess, NewProject, Phase, ProjectInput};
    let cli = crate::Actor::cli();
    let new = NewProcess {
        slug: sotong_core::org::Slug::parse(slug).expect("a test slug"),
        title: format!("시험 주민참여예산 {slug}"),
        description: "시험용 주민참여예산입니다.".into(),
        rule: sotong_core::budgeting::OutcomeRule::GreedyVotes,
        formula: Default::default(),
        eligibility: Default::default(),
        committee_max_score: 100,
        voting_opens_at: None,
        voting_closes_at: None,
    };
    let mut process = store.create_process(&cli, body_id, &new).await.expect("process");
    let pot = NewPot { name: "시 전체".into(), district: None, budget: 500_000_000, rules: BallotRules::approval(2) };
    let pot = store.add_pot(&cli, &process, &pot).await.expect("pot");
    let mut projects = Vec::new();
    for (i, title) in ["골목길 보안등 정비", "어린이공원 그늘막 설치", "하천변 산책로 조명"].into_iter().enumerate() {
        let input = ProjectInput {
            title,
            description: "주민들이 오래 바라 온 사업으로 예산이 필요합니다.",
            pot_id: Some(pot.id),
            category_id: None,
            cost: Some((i as i64 + 1) * 100_000_000),
            location: "",
            show_proposer: false,
        };
        let new = NewProject::parse(&input).expect("project");
        let submitter = crate::budgeting::projects::Submitter::Staff;
        projects.push(store.submit_project(&cli, &process, submitter, &new).await.expect("submitted"));
    }
    let walk = [Phase::Feasibility, Phase::Committee, Phase::Voting, Phase::Results, Phase::Implementation];
    for to in walk.into_iter().take_while(|to| !phase.is_before(*to)) {
        // Reviews are recorded in the feasibility phase, the ballot chosen in the
        // committee's: both before moving on.
        if to == Phase::Committee {
            let review = FeasibilityReview::parse("feasible", "", None).expect("review");
            for project in &mut projects {
                *project = store.review_project(&cli, &process, project, None, &review).await.expect("reviewed");
            }
        }
        if to == Phase::Voting {
            for project in &mut projects {
                *project = store.select_project(&cli, &process, project, true).await.expect("selected");
            }
        }
        process = store.advance_phase(&cli, &process, to).await.expect("advanced");
    }
    (process, projects)
}
