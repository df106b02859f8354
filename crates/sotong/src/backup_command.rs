//! `sotong backup` and `sotong restore`: a copy of a live SQLite installation taken
//! without stopping the server, and brought back only after it has been checked.
//! A backup is a folder: `sotong.db` (the database) and `manifest.json` (when, from
//! which engine, and the database file's SHA-256). PostgreSQL installations use
//! `pg_dump` (docs/OPERATIONS.md).

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use sotong_store::Store;
use std::path::{Path, PathBuf};

const FORMAT: &str = "sotong-backup-1";
const DATABASE_FILE: &str = "sotong.db";
const MANIFEST_FILE: &str = "manifest.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    engine: String,
    /// Unix seconds, UTC.
    created_at: i64,
    database: String,
    sha256: String,
}

pub async fn backup(store: &Store, output: &Path) -> anyhow::Result<()> {
    if output.exists() && std::fs::read_dir(output)?.next().is_some() {
        bail!("{} exists and is not empty: name a new folder", output.display());
    }
    std::fs::create_dir_all(output).with_context(|| format!("creating {}", output.display()))?;
    let database = output.join(DATABASE_FILE);
    store.backup_sqlite(&database).await.context("copying the database")?;
    let copy = open_sqlite(&database).await?;
    let integrity = copy.integrity_check().await?;
    copy.close().await;
    if integrity != ["ok"] {
        bail!("the copy failed SQLite's integrity check: {}", integrity.join("; "));
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        engine: "sqlite".into(),
        created_at: sotong_store::now(),
        database: DATABASE_FILE.into(),
        sha256: file_sha256(&database)?,
    };
    std::fs::write(output.join(MANIFEST_FILE), serde_json::to_string_pretty(&manifest)?)?;
    let size = std::fs::metadata(&database)?.len();
    println!("backup written to {}: {DATABASE_FILE} ({size} bytes, sha256 {})", output.display(), manifest.sha256);
    Ok(())
}

/// Replaces the SQLite database at `database_url` with the backup in `input`, after
/// checking the backup's checksum, SQLite's integrity check and every published hash
/// chain. The server must be stopped first.
/// Restores a SQLite backup over `database_url`; the search index kept beside it
/// (`index_dir`) belonged to the replaced database and is removed (the next `serve`
/// builds it from the restored one).
pub async fn restore(input: &Path, database_url: &str, index_dir: Option<&Path>, force: bool) -> anyhow::Result<()> {
    let Some(target) = database_url.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p)) else {
        bail!("restore writes a SQLite database (--database sqlite://FILE); for PostgreSQL use pg_restore");
    };
    let target = PathBuf::from(target);
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(input.join(MANIFEST_FILE))
            .with_context(|| format!("{} is not a sotong backup (no {MANIFEST_FILE})", input.display()))?,
    )
    .context("reading the backup's manifest")?;
    if manifest.format != FORMAT || manifest.engine != "sqlite" {
        bail!("unknown backup format {} ({})", manifest.format, manifest.engine);
    }
    let source = input.join(&manifest.database);
    if file_sha256(&source)? != manifest.sha256 {
        bail!("{} does not match the checksum in its manifest: the backup is damaged", source.display());
    }
    if target.exists() && !force {
        bail!("{} exists: stop the server and add --force to replace it", target.display());
    }
    // Copied beside the target, checked there, then moved over it in one rename.
    let staging = target.with_extension("restoring");
    std::fs::copy(&source, &staging).with_context(|| format!("copying to {}", staging.display()))?;
    let restored = open_sqlite(&staging).await?;
    let integrity = restored.integrity_check().await?;
    let tampered = restored.verify_snapshots().await?;
    restored.close().await;
    if integrity != ["ok"] || !tampered.is_empty() {
        let _ = std::fs::remove_file(&staging);
        bail!("the backup does not check out: integrity {integrity:?}, {} altered plan(s)", tampered.len());
    }
    for stale in ["-wal", "-shm"] {
        // A write-ahead log of the old database must not be replayed into the new one.
        let _ = std::fs::remove_file(format!("{}{stale}", target.display()));
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", staging.display()));
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("moving the restored database to {}", target.display()))?;
    if let Some(dir) = index_dir.filter(|dir| dir.exists()) {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing the old search index {}", dir.display()))?;
        println!(
            "removed the search index of the replaced database ({}); it is rebuilt at the next start",
            dir.display()
        );
    }
    println!(
        "restored {} from the backup of {} (integrity ok, every published chain verifies)",
        target.display(),
        sotong_core::format::date_time(manifest.created_at, sotong_core::format::Lang::Ko)
    );
    Ok(())
}

async fn open_sqlite(path: &Path) -> anyhow::Result<Store> {
    Store::connect(&format!("sqlite://{}", path.display())).await.with_context(|| format!("opening {}", path.display()))
}

fn file_sha256(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
