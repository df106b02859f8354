//! Backups a city can trust: `sotong backup` of a live SQLite database during a burst
//! of writes, `sotong restore`, and PostgreSQL's pg_dump brought back and verified.

mod common;

use common::{ok, refused};
use sotong_store::testing::fresh_database_url;
use sotong_store::{Actor, Backend, Store};
use std::process::Command;
use std::sync::{Arc, Mutex};

fn sotong(database: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sotong"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("SOTONG_CONFIG")
        .output()
        .unwrap()
}

async fn labels_in(store: &Store) -> std::collections::HashSet<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT actor_label FROM audit_log WHERE action = 'burst.write'")
        .fetch_all(store.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(label,)| label).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_acknowledged_write() {
    let url = fresh_database_url(Backend::Sqlite).await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    sotong_web::demo::populate(&store).await.unwrap();
    sotong_web::demo::commitments::populate(&store).await.unwrap();

    // Four writers, each write acknowledged (committed) before it is counted.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (store, acknowledged, stop) = (store.clone(), acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let label = format!("writer{w}-{n}");
                let actor = Actor { label: label.clone(), ..Actor::cli() };
                store
                    .record_event(&actor, sotong_store::audit::Change::new(None, "burst.write", "test", n))
                    .await
                    .unwrap();
                acknowledged.lock().unwrap().push(label);
                n += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before_backup: Vec<String> = acknowledged.lock().unwrap().clone();
    let folder = std::env::temp_dir().join(format!("sotong-backup-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let backup_url = url.clone();
    let folder_arg = folder.display().to_string();
    let output =
        tokio::task::spawn_blocking(move || sotong(&backup_url, &["backup", "--output", &folder_arg])).await.unwrap();
    let written = ok(output);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let total = acknowledged.lock().unwrap().len();
    assert!(written.contains("backup written"), "{written}");
    assert!(
        before_backup.len() > 50 && total > before_backup.len(),
        "writes went on: {} then {total}",
        before_backup.len()
    );

    let target = std::env::temp_dir().join(format!("sotong-restored-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&target);
    let target_url = format!("sqlite://{}", target.display());
    let restored = ok(sotong(&target_url, &["restore", "--input", &folder.display().to_string()]));
    assert!(restored.contains("every published chain verifies"), "{restored}");
    let copy = Store::connect(&target_url).await.unwrap();
    let present = labels_in(&copy).await;
    let missing: Vec<&String> = before_backup.iter().filter(|l| !present.contains(*l)).collect();
    assert!(missing.is_empty(), "acknowledged before the backup began but missing: {missing:?}");
    assert!(copy.verify_snapshots().await.unwrap().is_empty());
    assert_eq!(copy.integrity_check().await.unwrap(), ["ok"]);
    assert!(ok(sotong(&target_url, &["verify"])).contains("intact"));

    // A damaged backup is refused and the database left as it was.
    let database = folder.join("sotong.db");
    let mut bytes = std::fs::read(&database).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&database, bytes).unwrap();
    let error = refused(sotong(&target_url, &["restore", "--force", "--input", &folder.display().to_string()]));
    assert!(error.contains("damaged"), "{error}");
    assert!(ok(sotong(&target_url, &["verify"])).contains("intact"));
}

#[tokio::test]
async fn a_postgres_dump_restores_into_a_database_that_verifies() {
    let url = fresh_database_url(Backend::Postgres).await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    sotong_web::demo::populate(&store).await.unwrap();
    sotong_web::demo::commitments::populate(&store).await.unwrap();
    store.close().await;
    // As docs/OPERATIONS.md says: pg_dump in custom format, pg_restore into a new database.
    let dump = std::env::temp_dir().join(format!("sotong-{}.dump", std::process::id()));
    let status = Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&dump).arg(&url).status().unwrap();
    assert!(status.success(), "pg_dump");
    let restored_url = fresh_database_url(Backend::Postgres).await;
    let status =
        Command::new("pg_restore").args(["--no-owner", "--dbname", &restored_url]).arg(&dump).status().unwrap();
    assert!(status.success(), "pg_restore");
    assert!(ok(sotong(&restored_url, &["verify"])).contains("intact"));
    let restored = Store::connect(&restored_url).await.unwrap();
    let (snapshots,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM snapshots").fetch_one(restored.pool()).await.unwrap();
    assert!(snapshots >= 10, "{snapshots} snapshots came back");
    // The audit log is still append-only after the restore (its triggers came along).
    assert!(sqlx::query("DELETE FROM audit_log").execute(restored.pool()).await.is_err());
}
