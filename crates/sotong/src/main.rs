//! `sotong`: one binary that serves the platform and administers it.

mod backup_command;
mod budgeting_command;
mod config;
mod holidays_command;
mod pb_command;
mod text_command;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use config::Config;
use sotong_core::commitments::states::PlanKind;
use sotong_core::org::NewOrg;
use sotong_core::role::Role;
use sotong_core::user::NewUser;
use sotong_store::{Actor, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "sotong", version, about = "소통 — transparent, two-way local administration")]
struct Cli {
    /// TOML configuration file (see docs/CONFIGURATION.md).
    #[arg(long, global = true, env = "SOTONG_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB [env: SOTONG_DATABASE].
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web site and API (migrations are applied first).
    Serve {
        /// Address to listen on [env: SOTONG_ADDR; default 127.0.0.1:8080].
        #[arg(long)]
        addr: Option<String>,
    },
    /// Create a fresh demo database, fill it with the demo city and serve it.
    Demo {
        #[arg(long)]
        addr: Option<String>,
        /// SQLite file for the demo (replaced on every start).
        #[arg(long, default_value = "sotong-demo.db")]
        file: PathBuf,
        /// Fill this empty PostgreSQL database instead of a SQLite file.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Plans of commitments (pledges, policy tasks, department plans).
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Reporting periods of a plan.
    #[command(subcommand)]
    Period(PeriodCommand),
    /// Import data from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export published data to files.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Participatory budgeting on Pabulib `.pb` files: compute, check, compare (no database).
    #[command(subcommand)]
    Pb(pb_command::PbCommand),
    /// Korean text: initial consonants, normalisation (no database).
    #[command(subcommand)]
    Text(text_command::TextCommand),
    /// Recompute every published snapshot chain; exit 1 naming the first altered
    /// snapshot (and commitment) of each plan, if any.
    Verify,
    /// The site search index (derived data).
    #[command(subcommand)]
    Search(SearchCommand),
    /// The public holidays deadlines are counted with (shipped 2020–2030, and added).
    #[command(subcommand)]
    Holidays(holidays_command::HolidaysCommand),
    /// Participatory budgeting: import a Pabulib election as a process.
    #[command(subcommand)]
    Budgeting(budgeting_command::BudgetingCommand),
    /// Write a consistent copy of the live SQLite database into a new folder, without
    /// stopping the server (PostgreSQL: pg_dump, see docs/OPERATIONS.md).
    Backup {
        #[arg(long)]
        output: PathBuf,
    },
    /// Replace the SQLite database (--database) with a backup folder, after checking
    /// its checksum, integrity and every published hash chain. Stop the server first.
    Restore {
        #[arg(long)]
        input: PathBuf,
        /// Replace an existing database file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the search index from the database: this configuration's index
    /// directory now (when no server holds it), and every running server's own index
    /// within a second.
    Reindex,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Create a plan in a public body.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        slug: String,
        /// pledges, policy_tasks or department_plan.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title_ko: String,
        #[arg(long)]
        title_en: String,
        /// First day of the term, YYYY-MM-DD.
        #[arg(long)]
        term_start: String,
        /// Last day of the term, YYYY-MM-DD.
        #[arg(long)]
        term_end: String,
        /// quarterly, half_yearly or monthly.
        #[arg(long, default_value = "quarterly")]
        cadence: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import commitments (and, with --period, their status for that period as approved
    /// reports) from a CSV file: UTF-8 with or without BOM, or CP949. All or nothing:
    /// any error, reported with its line and column, changes nothing.
    Commitments {
        #[arg(long)]
        org: String,
        #[arg(long)]
        plan: String,
        /// Record each row's status and progress as this period's approved report
        /// (the period is opened when it does not exist yet).
        #[arg(long)]
        period: Option<String>,
        /// Create lead departments that the public body does not have yet.
        #[arg(long)]
        create_departments: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Export a published period of a plan: csv (the import format), xlsx or json.
    Commitments {
        #[arg(long)]
        org: String,
        #[arg(long)]
        plan: String,
        /// A published period (default: the latest).
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "csv")]
        format: String,
        /// File to write (default: standard output, except for xlsx).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PeriodCommand {
    /// Close a period and publish its approved reports as a hash-chained snapshot.
    Close {
        /// Slug of the public body.
        #[arg(long)]
        org: String,
        /// Slug of the plan.
        #[arg(long)]
        plan: String,
        /// 2026-Q1, 2026-H1 or 2026-03.
        #[arg(long)]
        period: String,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation: a public body (province, metropolitan_city, city, county,
    /// district) or a unit of one (bureau, department, office).
    Create {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name_ko: String,
        #[arg(long)]
        name_en: String,
        /// Slug of the parent public body; for a unit under a bureau, BODY/BUREAU.
        #[arg(long)]
        parent: Option<String>,
        /// 행정기관코드, 7 digits.
        #[arg(long, default_value = "")]
        admin_code: String,
    },
    /// List organisations (public bodies and their units).
    List,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input (one line).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Installation administrator: every permission in every organisation.
        #[arg(long)]
        superadmin: bool,
    },
    /// Grant a staff role in a public body.
    Grant {
        #[arg(long)]
        email: String,
        /// Slug of the public body.
        #[arg(long)]
        org: String,
        /// officer, coordinator, council_secretary, evaluator or administrator.
        #[arg(long)]
        role: String,
        /// Slug of the department (officers only).
        #[arg(long)]
        department: Option<String>,
    },
}

/// Exit codes (README, "Commands"): 0 done, 1 failed (the message says
/// why; `verify`: published data was altered), 2 wrong usage (from clap).
fn main() -> ExitCode {
    quiet_on_closed_pipe();
    match run_cli() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The message and its causes, never a backtrace: those are for real panics.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `sotong org list | head` closes the pipe early; printing then fails. That is the
/// reader's choice, not an error: stop quietly instead of panicking.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn run_cli() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Pb(command) => return pb_command::run(command),
        Command::Text(command) => return text_command::run(command),
        _ => {}
    }
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(database) = &cli.database {
        config.database = database.clone();
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(cli.command, config))
}

async fn open(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect(&config.database).await.with_context(|| format!("connecting to {}", config.database))?;
    store.migrate().await.context("applying migrations")?;
    Ok(store)
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { addr } => {
            if let Some(addr) = addr {
                config.addr = addr;
            }
            let store = open(&config).await?;
            serve(store, &config, None).await
        }
        Command::Demo { addr, file, postgres } => {
            if let Some(addr) = addr {
                config.addr = addr;
            }
            match postgres {
                Some(url) => config.database = url,
                None => {
                    for suffix in ["", "-wal", "-shm"] {
                        let path = PathBuf::from(format!("{}{suffix}", file.display()));
                        if path.exists() {
                            std::fs::remove_file(&path)
                                .with_context(|| format!("removing old demo file {}", path.display()))?;
                        }
                    }
                    // Its search index and e-mails belong to the old file: the index is
                    // built again from the new one.
                    for beside in ["search", "mail"] {
                        let dir = PathBuf::from(format!("{}.{beside}", file.display()));
                        if dir.exists() {
                            std::fs::remove_dir_all(&dir)
                                .with_context(|| format!("removing old demo files {}", dir.display()))?;
                        }
                    }
                    config.database = format!("sqlite://{}", file.display());
                }
            }
            let store = open(&config).await?;
            if !store.public_bodies().await?.is_empty() {
                bail!("{} already holds organisations: the demo fills only an empty database", config.database);
            }
            sotong_web::demo::populate(&store).await.context("filling the demo city")?;
            sotong_web::demo::commitments::populate(&store).await.context("filling the demo pledge plan")?;
            sotong_web::demo::voice::populate(&store).await.context("filling the demo proposals and notices")?;
            // The demo's verification key lives beside its file (a city keeps its own
            // key away from the database: docs/BUDGETING.md "Who may vote").
            if config.verification_key_file.is_none() {
                let key_file = PathBuf::from(format!("{}.verification-key", file.display()));
                let mut key = [0u8; 32];
                getrandom::getrandom(&mut key).context("operating-system randomness")?;
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                std::fs::write(&key_file, hex).with_context(|| format!("writing {}", key_file.display()))?;
                config.verification_key_file = Some(key_file.display().to_string());
            }
            let key = config.verification_key()?.context("the demo's verification key")?;
            let codes = sotong_web::demo::budgeting::populate(&store, &key)
                .await
                .context("filling the demo participatory budgeting")?;
            // The demo's made-up history is nobody's news: only what happens from now on
            // is e-mailed — to the relay if one is set, else into a folder beside the file.
            store.mark_notifications_emailed().await?;
            let mail = match config.smtp() {
                Some(_) => None,
                None => Some(PathBuf::from(format!("{}.mail", file.display()))),
            };
            serve(store, &config, Some(Demo { mail, codes })).await
        }
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied to {}", config.database);
            Ok(())
        }
        Command::Org(command) => org_command(&open(&config).await?, command).await,
        Command::User(command) => user_command(&open(&config).await?, command).await,
        Command::Plan(command) => plan_command(&open(&config).await?, command).await,
        Command::Period(command) => period_command(&open(&config).await?, command).await,
        Command::Import(command) => import_command(&open(&config).await?, command).await,
        Command::Export(command) => export_command(&open(&config).await?, command).await,
        Command::Verify => verify(&open(&config).await?).await,
        Command::Search(SearchCommand::Reindex) => reindex(&open(&config).await?, &config).await,
        Command::Holidays(command) => holidays_command::run(&open(&config).await?, command).await,
        Command::Budgeting(command) => budgeting_command::run(&open(&config).await?, command).await,
        Command::Backup { output } => backup_command::backup(&open(&config).await?, &output).await,
        Command::Restore { input, force } => {
            let index = config.search_index_path();
            backup_command::restore(&input, &config.database, index.as_deref(), force).await
        }
        Command::Pb(_) | Command::Text(_) => unreachable!("file commands run before the runtime starts"),
    }
}

/// What `serve` does differently for `sotong demo`: a banner with the accounts, and
/// e-mails into a folder when no relay is configured.
struct Demo {
    mail: Option<PathBuf>,
    codes: Vec<sotong_web::demo::budgeting::DemoCode>,
}

fn demo_banner(url: &str, demo: &Demo) {
    println!("\n소통 demo — 한빛시 (Hanbit City) is running at {url}");
    println!("Open {url}/hanbit — its pledges: {url}/hanbit/plans/pledges-8 — press Ctrl+C to stop.");
    if let Some(dir) = &demo.mail {
        println!(
            "E-mails it sends are written to {} (one .eml file each; set SOTONG_SMTP_HOST to send them).",
            dir.display()
        );
    }
    println!();
    println!("Demo accounts (password for all: {}):", sotong_web::demo::DEMO_PASSWORD);
    for account in sotong_web::demo::ACCOUNTS {
        let place = if account.org_slug.is_empty() { String::new() } else { format!(" @ /{}", account.org_slug) };
        println!("  {:<28} {:<18} {}{place}", account.email, account.role, account.display_name);
    }
    println!();
    println!("Voting codes for the 2027 participatory budgeting ({url}/hanbit/budgeting/2027; one use each):");
    for code in &demo.codes {
        println!("  {}  {}", code.code, code.district);
    }
    println!();
}

async fn serve(store: Store, config: &Config, demo: Option<Demo>) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(&config.addr).await.with_context(|| format!("binding {}", config.addr))?;
    let url = format!("http://{}", listener.local_addr()?);
    match &demo {
        Some(demo) => demo_banner(&url, demo),
        None => println!("sotong serving {url} ({} database)", store.backend().name()),
    }
    let mut web = config.web();
    web.verification_key = config.verification_key()?;
    let state = sotong_web::AppState::new(store.clone(), web);
    let maintenance = sotong_web::spawn_maintenance(store.clone());
    let warmup = sotong_web::spawn_complaint_index_warmup(&state);
    let runner = sotong_web::jobs::JobRunner::new(store.clone(), &config.jobs());
    let jobs = sotong_web::jobs::spawn_runner(runner, std::time::Duration::from_secs(2));
    let demo_mail = demo.and_then(|d| d.mail);
    let delivery = match (config.smtp(), demo_mail) {
        (Some(smtp), _) => {
            let mailer = sotong_web::mail::Mailer::new(&smtp).map_err(|e| anyhow::anyhow!("SMTP settings: {e}"))?;
            tracing::info!(host = %smtp.host, port = smtp.port, "notification e-mails enabled");
            Some(sotong_web::mail::spawn_delivery(store.clone(), mailer, std::time::Duration::from_secs(30)))
        }
        (None, Some(dir)) => {
            // Links lead to this demo, wherever it listens.
            let mailer = sotong_web::mail::Mailer::to_folder(&dir, &config.smtp_from, &url)
                .map_err(|e| anyhow::anyhow!("demo e-mail folder: {e}"))?;
            Some(sotong_web::mail::spawn_delivery(store.clone(), mailer, std::time::Duration::from_secs(5)))
        }
        (None, None) => None,
    };
    sotong_web::serve(listener, state, shutdown_signal()).await?;
    maintenance.abort();
    warmup.abort();
    jobs.abort();
    if let Some(delivery) = delivery {
        delivery.abort();
    }
    store.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on SIGINT (Ctrl+C) or SIGTERM; the server then stops accepting and lets
/// requests in flight finish.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested: finishing requests in flight");
}

fn field_errors(errors: &[sotong_core::FieldError]) -> String {
    errors.iter().map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.code)).collect::<Vec<_>>().join(", ")
}

async fn org_command(store: &Store, command: OrgCommand) -> anyhow::Result<()> {
    match command {
        OrgCommand::Create { kind, slug, name_ko, name_en, parent, admin_code } => {
            let new = NewOrg::parse(&kind, &slug, &name_ko, &name_en, &admin_code)
                .map_err(|errors| anyhow::anyhow!("invalid organisation: {}", field_errors(&errors)))?;
            let parent_id = match parent.as_deref() {
                None => None,
                Some(path) => Some(resolve_org(store, path).await?.id),
            };
            let org = store.create_org(&Actor::cli(), parent_id, &new).await.map_err(store_error)?;
            println!("created {} {} (id {})", org.kind, org.slug, org.id);
            Ok(())
        }
        OrgCommand::List => {
            for body in store.public_bodies().await? {
                println!("{:<20} {:<18} {}", body.slug, body.kind, body.name_ko);
                for unit in store.units(body.id).await? {
                    println!("  {}/{:<20} {:<12} {}", body.slug, unit.slug, unit.kind, unit.name_ko);
                }
            }
            Ok(())
        }
    }
}

/// `BODY` or `BODY/UNIT`.
async fn resolve_org(store: &Store, path: &str) -> anyhow::Result<sotong_store::orgs::Org> {
    let (body_slug, unit_slug) = match path.split_once('/') {
        Some((body, unit)) => (body, Some(unit)),
        None => (path, None),
    };
    let body = store.public_body(body_slug).await?.with_context(|| format!("no public body {body_slug:?}"))?;
    match unit_slug {
        None => Ok(body),
        Some(unit) => store.unit(body.id, unit).await?.with_context(|| format!("no unit {unit:?} in {body_slug}")),
    }
}

fn store_error(error: sotong_store::StoreError) -> anyhow::Error {
    match error {
        sotong_store::StoreError::Invalid(field) => anyhow::anyhow!("invalid: {}", field_errors(&[field])),
        other => anyhow::Error::new(other),
    }
}

async fn user_command(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create { email, name, superadmin } => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let new = NewUser::parse(&email, &name, password)
                .map_err(|errors| anyhow::anyhow!("invalid account: {}", field_errors(&errors)))?;
            let hash = sotong_web::passwords::hash_password(new.password.expose())
                .map_err(|_| anyhow::anyhow!("password hashing failed"))?;
            let user = store
                .create_user(&Actor::cli(), &new.email, &new.display_name, &hash, superadmin)
                .await
                .map_err(store_error)?;
            println!("created account {} (id {})", user.email, user.id);
            Ok(())
        }
        UserCommand::Grant { email, org, role, department } => {
            let role = Role::parse(&role).map_err(|_| anyhow::anyhow!("--role: unknown role {role:?}"))?;
            if role == Role::Citizen {
                bail!("--role: every account is a citizen already; grant a staff role");
            }
            let user = store
                .user_by_email(&email.trim().to_lowercase())
                .await?
                .with_context(|| format!("no account {email}"))?;
            let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
            let department_id = match department {
                Some(slug) => {
                    Some(store.unit(body.id, &slug).await?.with_context(|| format!("no unit {slug:?} in {org}"))?.id)
                }
                None => None,
            };
            store.grant_role(&Actor::cli(), user.id, body.id, role, department_id).await.map_err(store_error)?;
            println!("granted {} in {} to {}", role.key(), body.slug, user.email);
            Ok(())
        }
    }
}

async fn period_command(store: &Store, command: PeriodCommand) -> anyhow::Result<()> {
    match command {
        PeriodCommand::Close { org, plan, period } => {
            let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
            let plan = store.plan(body.id, &plan).await?.with_context(|| format!("no plan {plan:?} in {org}"))?;
            let code = sotong_core::commitments::period::Period::parse(&period)
                .map_err(|_| anyhow::anyhow!("--period: write 2026-Q1, 2026-H1 or 2026-03"))?;
            let open = store
                .period(plan.id, &code.code())
                .await?
                .with_context(|| format!("no period {code} in plan {}", plan.slug))?;
            let snapshot = store.close_period(&Actor::cli(), &plan, &open).await.map_err(store_error)?;
            println!("published {} of {} as snapshot #{} — hash {}", code, plan.slug, snapshot.sequence, snapshot.hash);
            Ok(())
        }
    }
}

/// `sotong search reindex`: asks every running server to rebuild (an entry in the
/// database's search log), and rebuilds this configuration's index directory when no
/// server is using it.
async fn reindex(store: &Store, config: &Config) -> anyhow::Result<()> {
    store.enqueue_search(sotong_store::search::REINDEX).await?;
    println!("running servers rebuild their search indexes within a second");
    let Some(dir) = config.search_index_path() else {
        println!("this configuration keeps its index in memory: nothing else to rebuild");
        return Ok(());
    };
    let service = std::sync::Arc::new(
        sotong_web::search::SearchService::open(Some(dir.clone()))
            .with_context(|| format!("opening the search index in {}", dir.display()))?,
    );
    match service.rebuild(store).await {
        Ok(count) => println!("rebuilt {} with {count} documents", dir.display()),
        Err(error) => println!("{} is in use by a running server, which rebuilds it itself ({error})", dir.display()),
    }
    Ok(())
}

async fn verify(store: &Store) -> anyhow::Result<()> {
    let problems = store.verify_snapshots().await?;
    let budgeting = store.verify_budget_publications().await?;
    if problems.is_empty() && budgeting.is_empty() {
        println!("all published snapshots and budgeting results verify: every hash chain is intact");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("ALTERED: {problem}");
    }
    for problem in &budgeting {
        eprintln!("ALTERED: {problem}");
    }
    let mut altered = Vec::new();
    if !problems.is_empty() {
        altered.push(format!("{} plan(s)", problems.len()));
    }
    if !budgeting.is_empty() {
        altered.push(format!("{} budgeting process(es)", budgeting.len()));
    }
    bail!("{} have published data that no longer matches their hashes", altered.join(" and "))
}

async fn plan_command(store: &Store, command: PlanCommand) -> anyhow::Result<()> {
    let PlanCommand::Create { org, slug, kind, title_ko, title_en, term_start, term_end, cadence } = command;
    let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
    let new = sotong_store::commitments::plans::NewPlan::parse(
        &slug,
        &kind,
        &title_ko,
        &title_en,
        &term_start,
        &term_end,
        &cadence,
    )
    .map_err(|errors| {
        let kinds = PlanKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
        let problems: Vec<String> =
            errors.iter().map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.code)).collect();
        anyhow::anyhow!(
            "{} (kinds: {kinds}; cadences: quarterly, half_yearly, monthly; dates YYYY-MM-DD)",
            problems.join(", ")
        )
    })?;
    let plan = store.create_plan(&Actor::cli(), body.id, &new).await.map_err(store_error)?;
    println!("created plan {} in {} (id {})", plan.slug, body.slug, plan.id);
    Ok(())
}

async fn import_command(store: &Store, command: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Commitments { org, plan, period, create_departments, file } = command;
    let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
    let plan = store.plan(body.id, &plan).await?.with_context(|| format!("no plan {plan:?} in {org}"))?;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let parsed = sotong_exchange::commitments_csv::parse(&bytes, &plan.taxonomy())
        .map_err(|errors| import_errors(&file, &errors))?;
    let cli = Actor::cli();
    let period = match period {
        None => None,
        Some(raw) => Some(
            sotong_core::commitments::period::Period::parse(&raw)
                .map_err(|_| anyhow::anyhow!("--period: write 2026-Q1, 2026-H1 or 2026-03"))?,
        ),
    };
    match store.import_commitments(&cli, &plan, &parsed.rows, period, create_departments).await {
        Ok(summary) => {
            println!(
                "imported {} rows into {}: {} created, {} updated, {} approved reports, {} departments created",
                summary.rows,
                plan.slug,
                summary.created,
                summary.updated,
                summary.approved_reports,
                summary.departments_created
            );
            Ok(())
        }
        Err(sotong_store::commitments::import::ImportFailure::Rows(errors)) => Err(import_errors(&file, &errors)),
        Err(sotong_store::commitments::import::ImportFailure::Store(error)) => Err(store_error(error)),
    }
}

fn import_errors(file: &std::path::Path, errors: &[sotong_exchange::commitments_csv::ImportError]) -> anyhow::Error {
    for error in errors {
        eprintln!("{}: {error}", file.display());
    }
    anyhow::anyhow!("{} problem(s) in {}; nothing was imported", errors.len(), file.display())
}

async fn export_command(store: &Store, command: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Commitments { org, plan, period, format, output } = command;
    let body = store.public_body(&org).await?.with_context(|| format!("no public body {org:?}"))?;
    let plan = store.plan(body.id, &plan).await?.with_context(|| format!("no plan {plan:?} in {org}"))?;
    let periods = store.periods(plan.id).await?;
    let snapshots = store.snapshots(plan.id).await?;
    let snapshot = match &period {
        None => snapshots.last().context("the plan has no published period yet")?,
        Some(raw) => {
            let code = sotong_core::commitments::period::Period::parse(raw)
                .map_err(|_| anyhow::anyhow!("--period: write 2026-Q1, 2026-H1 or 2026-03"))?;
            let found = periods.iter().find(|p| p.code == code.code()).with_context(|| format!("no period {code}"))?;
            snapshots.iter().find(|s| s.period_id == found.id).with_context(|| format!("{code} is not published"))?
        }
    };
    let code = periods.iter().find(|p| p.id == snapshot.period_id).map(|p| p.code.clone()).unwrap_or_default();
    let bytes = match format.as_str() {
        "csv" => {
            let rows = sotong_web::html::commitments::exports::snapshot_rows(store, &plan, snapshot.id).await?;
            sotong_exchange::commitments_csv::write(&rows, &plan.taxonomy()).into_bytes()
        }
        "json" => {
            sotong_web::html::commitments::exports::snapshot_document(store, &plan, snapshot, &code).await?.into_bytes()
        }
        "xlsx" => sotong_web::html::commitments::exports::snapshot_workbook(store, &plan, snapshot, &code).await?,
        other => bail!("--format: csv, xlsx or json, not {other:?}"),
    };
    match output {
        Some(path) => {
            std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {} ({} bytes) — {} of {}", path.display(), bytes.len(), code, plan.slug);
        }
        None if format == "xlsx" => bail!("--output is needed for xlsx (it is binary)"),
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
