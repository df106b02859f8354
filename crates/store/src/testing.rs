//! Fresh, migrated databases for tests, on either engine.
//!
//! SQLite: a new file in the temp directory. PostgreSQL: a new database on the server
//! named by `SOTONG_TEST_POSTGRES_URL` (scripts/test.sh starts one). Without that
//! variable a PostgreSQL test fails loudly rather than passing without having run.

use crate::{Backend, Store};
use std::sync::atomic::{AtomicU32, Ordering};

pub const POSTGRES_ENV: &str = "SOTONG_TEST_POSTGRES_URL";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database URL that no other test uses.
pub async fn fresh_database_url(backend: Backend) -> String {
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

/// A fresh, migrated store.
pub async fn fresh_store(backend: Backend) -> Store {
    let url = fresh_database_url(backend).await;
    let store = Store::connect(&url).await.expect("connect to test database");
    store.migrate().await.expect("migrate test database");
    store
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
                ($body)($crate::Backend::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                ($body)($crate::Backend::Postgres).await
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
