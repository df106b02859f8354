//! Configuration: built-in defaults, then a TOML file, then `SOTONG_*` environment
//! variables, then command-line flags — each later source overriding the earlier.
//! docs/CONFIGURATION.md lists every key.

use anyhow::Context;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://path` or `postgres://user@host/db`.
    pub database: String,
    /// Address to listen on.
    pub addr: String,
    /// Cookies `Secure` and HSTS on: set when users reach sotong over HTTPS.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind your own proxy).
    pub trust_proxy_headers: bool,
    /// How many proxies of yours a request passes (each appends to X-Forwarded-For).
    pub trusted_proxy_hops: usize,
    /// Connections served at once.
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers.
    pub header_read_timeout_seconds: u64,
    /// Seconds a request may take, its body included.
    pub request_timeout_seconds: u64,
    /// Hours a login lasts.
    pub session_hours: i64,
    /// Failed logins allowed on one account from one client address within the window.
    pub login_max_failures_per_account_address: i64,
    /// Failed logins allowed per client address within the window.
    pub login_max_failures_per_ip: i64,
    /// The login throttle's window, in minutes.
    pub login_window_minutes: i64,
    /// Accounts one client address may create per hour.
    pub signups_per_ip_per_hour: i64,
    /// Where this server keeps its search index (derived data, rebuilt when missing);
    /// unset: next to a SQLite file, in memory for PostgreSQL.
    pub search_index_dir: Option<String>,
    /// Policy proposals one account may submit per day.
    pub proposals_per_day: i64,
    /// Complaints one account may file per day.
    pub complaints_per_day: i64,
    /// Comments one account may post per hour.
    pub comments_per_hour: i64,
    /// Supports one account may give per hour.
    pub supports_per_hour: i64,
    /// How many times one account's limits one client address may write.
    pub citizen_writes_address_factor: i64,
    /// Password hashes computed at once (each holds 19 MiB); 0 means one per core.
    pub password_hash_slots: usize,
    /// Milliseconds a server trusts its cached published pages before asking the
    /// database whether anything changed (other servers' and the CLI's changes show
    /// after at most this long).
    pub page_cache_revalidate_ms: u64,
    /// The largest file one may attach to a report or commitment, in megabytes.
    pub attachment_max_megabytes: usize,
    /// SMTP relay for notification e-mails; none configured means in-app only.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// Sender of notification e-mails, e.g. `소통 <no-reply@city.go.kr>`.
    pub smtp_from: String,
    /// Public address of the site, for links in e-mails.
    pub site_url: String,
    /// Log filter, e.g. `info` or `sotong=debug,info`.
    pub log: String,
    /// A file holding the resident-verification key (at least 32 bytes; e.g. 64 hex
    /// characters from `openssl rand -hex 32`), kept outside the database and its
    /// backups. Without it, residents verify with voting codes only.
    pub verification_key_file: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        let web = sotong_web::WebConfig::default();
        Config {
            database: "sqlite://sotong.db".into(),
            addr: "127.0.0.1:8080".into(),
            secure_cookies: web.secure_cookies,
            trust_proxy_headers: web.trust_proxy_headers,
            trusted_proxy_hops: web.trusted_proxy_hops,
            max_connections: web.connections.max_connections,
            header_read_timeout_seconds: web.connections.header_read_timeout.as_secs(),
            request_timeout_seconds: web.connections.request_timeout.as_secs(),
            session_hours: web.session_hours,
            login_max_failures_per_account_address: web.login_limit.per_account_address,
            login_max_failures_per_ip: web.login_limit.per_ip,
            login_window_minutes: web.login_limit.window_minutes,
            signups_per_ip_per_hour: web.signups_per_ip_per_hour,
            search_index_dir: None,
            proposals_per_day: web.citizen_limits.proposals_per_day,
            complaints_per_day: web.citizen_limits.complaints_per_day,
            comments_per_hour: web.citizen_limits.comments_per_hour,
            supports_per_hour: web.citizen_limits.supports_per_hour,
            citizen_writes_address_factor: web.citizen_limits.address_factor,
            password_hash_slots: 0,
            page_cache_revalidate_ms: web.page_cache_revalidate.as_millis() as u64,
            attachment_max_megabytes: web.attachment_max_bytes / (1024 * 1024),
            smtp_host: None,
            smtp_port: 25,
            smtp_from: "소통 <no-reply@localhost>".into(),
            site_url: "http://127.0.0.1:8080".into(),
            log: "info".into(),
            verification_key_file: None,
        }
    }
}

impl Config {
    /// Defaults, overridden by the file (when given) and then by the environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|key| std::env::var(key).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn parse<T: std::str::FromStr>(key: &str, value: String) -> anyhow::Result<T> {
            value.trim().parse().map_err(|_| anyhow::anyhow!("{key}: cannot parse {value:?}"))
        }
        if let Some(v) = var("SOTONG_DATABASE") {
            self.database = v;
        }
        if let Some(v) = var("SOTONG_ADDR") {
            self.addr = v;
        }
        if let Some(v) = var("SOTONG_SECURE_COOKIES") {
            self.secure_cookies = parse("SOTONG_SECURE_COOKIES", v)?;
        }
        if let Some(v) = var("SOTONG_TRUST_PROXY_HEADERS") {
            self.trust_proxy_headers = parse("SOTONG_TRUST_PROXY_HEADERS", v)?;
        }
        if let Some(v) = var("SOTONG_TRUSTED_PROXY_HOPS") {
            self.trusted_proxy_hops = parse("SOTONG_TRUSTED_PROXY_HOPS", v)?;
        }
        if let Some(v) = var("SOTONG_MAX_CONNECTIONS") {
            self.max_connections = parse("SOTONG_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = var("SOTONG_HEADER_READ_TIMEOUT_SECONDS") {
            self.header_read_timeout_seconds = parse("SOTONG_HEADER_READ_TIMEOUT_SECONDS", v)?;
        }
        if let Some(v) = var("SOTONG_REQUEST_TIMEOUT_SECONDS") {
            self.request_timeout_seconds = parse("SOTONG_REQUEST_TIMEOUT_SECONDS", v)?;
        }
        if let Some(v) = var("SOTONG_SESSION_HOURS") {
            self.session_hours = parse("SOTONG_SESSION_HOURS", v)?;
        }
        if let Some(v) = var("SOTONG_LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS") {
            self.login_max_failures_per_account_address = parse("SOTONG_LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS", v)?;
        }
        if let Some(v) = var("SOTONG_LOGIN_MAX_FAILURES_PER_IP") {
            self.login_max_failures_per_ip = parse("SOTONG_LOGIN_MAX_FAILURES_PER_IP", v)?;
        }
        if let Some(v) = var("SOTONG_LOGIN_WINDOW_MINUTES") {
            self.login_window_minutes = parse("SOTONG_LOGIN_WINDOW_MINUTES", v)?;
        }
        if let Some(v) = var("SOTONG_SIGNUPS_PER_IP_PER_HOUR") {
            self.signups_per_ip_per_hour = parse("SOTONG_SIGNUPS_PER_IP_PER_HOUR", v)?;
        }
        if let Some(v) = var("SOTONG_SEARCH_INDEX_DIR") {
            self.search_index_dir = Some(v);
        }
        if let Some(v) = var("SOTONG_PROPOSALS_PER_DAY") {
            self.proposals_per_day = parse("SOTONG_PROPOSALS_PER_DAY", v)?;
        }
        if let Some(v) = var("SOTONG_COMPLAINTS_PER_DAY") {
            self.complaints_per_day = parse("SOTONG_COMPLAINTS_PER_DAY", v)?;
        }
        if let Some(v) = var("SOTONG_COMMENTS_PER_HOUR") {
            self.comments_per_hour = parse("SOTONG_COMMENTS_PER_HOUR", v)?;
        }
        if let Some(v) = var("SOTONG_SUPPORTS_PER_HOUR") {
            self.supports_per_hour = parse("SOTONG_SUPPORTS_PER_HOUR", v)?;
        }
        if let Some(v) = var("SOTONG_CITIZEN_WRITES_ADDRESS_FACTOR") {
            self.citizen_writes_address_factor = parse("SOTONG_CITIZEN_WRITES_ADDRESS_FACTOR", v)?;
        }
        if let Some(v) = var("SOTONG_PASSWORD_HASH_SLOTS") {
            self.password_hash_slots = parse("SOTONG_PASSWORD_HASH_SLOTS", v)?;
        }
        if let Some(v) = var("SOTONG_PAGE_CACHE_REVALIDATE_MS") {
            self.page_cache_revalidate_ms = parse("SOTONG_PAGE_CACHE_REVALIDATE_MS", v)?;
        }
        if let Some(v) = var("SOTONG_ATTACHMENT_MAX_MEGABYTES") {
            self.attachment_max_megabytes = parse("SOTONG_ATTACHMENT_MAX_MEGABYTES", v)?;
        }
        if let Some(v) = var("SOTONG_SMTP_HOST") {
            self.smtp_host = Some(v).filter(|h| !h.trim().is_empty());
        }
        if let Some(v) = var("SOTONG_SMTP_PORT") {
            self.smtp_port = parse("SOTONG_SMTP_PORT", v)?;
        }
        if let Some(v) = var("SOTONG_SMTP_FROM") {
            self.smtp_from = v;
        }
        if let Some(v) = var("SOTONG_SITE_URL") {
            self.site_url = v;
        }
        if let Some(v) = var("SOTONG_LOG") {
            self.log = v;
        }
        if let Some(v) = var("SOTONG_VERIFICATION_KEY_FILE") {
            self.verification_key_file = Some(v).filter(|f| !f.trim().is_empty());
        }
        Ok(())
    }

    /// The resident-verification key from `verification_key_file`, if one is set.
    pub fn verification_key(&self) -> anyhow::Result<Option<std::sync::Arc<[u8]>>> {
        let Some(path) = &self.verification_key_file else { return Ok(None) };
        let bytes = std::fs::read(path).with_context(|| format!("reading the verification key {path}"))?;
        let key: Vec<u8> = bytes.trim_ascii().to_vec();
        if key.len() < 32 {
            anyhow::bail!("the verification key in {path} is shorter than 32 bytes");
        }
        Ok(Some(key.into()))
    }

    /// The e-mail settings, when an SMTP relay is configured.
    pub fn smtp(&self) -> Option<sotong_web::mail::SmtpConfig> {
        self.smtp_host.as_ref().map(|host| sotong_web::mail::SmtpConfig {
            host: host.clone(),
            port: self.smtp_port,
            from: self.smtp_from.clone(),
            site_url: self.site_url.clone(),
        })
    }

    /// The job runner's settings (webhook deliveries): links point at `site_url`.
    pub fn jobs(&self) -> sotong_web::jobs::JobSettings {
        sotong_web::jobs::JobSettings { site_url: self.site_url.clone(), ..Default::default() }
    }

    pub fn web(&self) -> sotong_web::WebConfig {
        sotong_web::WebConfig {
            secure_cookies: self.secure_cookies,
            trust_proxy_headers: self.trust_proxy_headers,
            trusted_proxy_hops: self.trusted_proxy_hops.max(1),
            session_hours: self.session_hours,
            login_limit: sotong_web::LoginLimit {
                per_account_address: self.login_max_failures_per_account_address,
                per_ip: self.login_max_failures_per_ip,
                window_minutes: self.login_window_minutes,
            },
            signups_per_ip_per_hour: self.signups_per_ip_per_hour,
            search_index_dir: self.search_index_path(),
            // Read from its file by `verification_key`, which can fail: the caller sets it.
            verification_key: None,
            citizen_limits: sotong_web::limits::CitizenLimits {
                proposals_per_day: self.proposals_per_day.max(1),
                complaints_per_day: self.complaints_per_day.max(1),
                comments_per_hour: self.comments_per_hour.max(1),
                supports_per_hour: self.supports_per_hour.max(1),
                address_factor: self.citizen_writes_address_factor.max(1),
                ..Default::default()
            },
            password_hashing: self.password_hashing(),
            page_cache_revalidate: std::time::Duration::from_millis(self.page_cache_revalidate_ms),
            attachment_max_bytes: self.attachment_max_megabytes.max(1) * 1024 * 1024,
            mail_enabled: self.smtp_host.is_some(),
            connections: sotong_web::ConnectionLimits {
                max_connections: self.max_connections.max(1),
                header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout_seconds.max(1)),
                request_timeout: std::time::Duration::from_secs(self.request_timeout_seconds.max(1)),
            },
        }
    }

    /// The search index's directory: as configured, else beside a SQLite database file
    /// (`data.db` → `data.db.search`); a PostgreSQL server keeps it in memory (each of
    /// several servers builds its own at start and follows the database's log).
    pub fn search_index_path(&self) -> Option<std::path::PathBuf> {
        if let Some(dir) = &self.search_index_dir {
            return Some(dir.into());
        }
        let file = self.database.strip_prefix("sqlite://")?;
        let file = file.split('?').next()?;
        (!file.is_empty() && !file.contains(":memory:")).then(|| format!("{file}.search").into())
    }

    fn password_hashing(&self) -> sotong_web::passwords::HashLimits {
        let mut limits = sotong_web::passwords::HashLimits::default();
        if self.password_hash_slots > 0 {
            limits.slots = self.password_hash_slots;
            limits.max_waiting = 16 * self.password_hash_slots;
        }
        limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_environment() {
        let mut config: Config = toml::from_str("database = \"postgres://db/sotong\"\nsession_hours = 4\n").unwrap();
        assert_eq!(config.addr, "127.0.0.1:8080", "unset keys keep their defaults");
        config
            .apply_env(|key| match key {
                "SOTONG_ADDR" => Some("0.0.0.0:9000".into()),
                "SOTONG_SECURE_COOKIES" => Some("true".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(config.database, "postgres://db/sotong");
        assert_eq!(config.addr, "0.0.0.0:9000");
        assert!(config.secure_cookies);
        assert_eq!(config.web().session_hours, 4);
    }

    #[test]
    fn bad_values_are_named() {
        let mut config = Config::default();
        let error = config.apply_env(|key| (key == "SOTONG_SESSION_HOURS").then(|| "many".into())).unwrap_err();
        assert!(error.to_string().contains("SOTONG_SESSION_HOURS"));
        assert!(toml::from_str::<Config>("databse = \"x\"").is_err(), "a misspelt key is an error, not ignored");
    }
}
