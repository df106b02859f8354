//! Two `sotong serve` processes on one database, each with its own search index: a
//! proposal submitted through one is found through the other within 5 seconds (on
//! PostgreSQL, the scale-out set-up; on SQLite too, with indexes on disk), and
//! `sotong search reindex` rebuilds while they run.

mod common;

use common::ok;
use sotong_store::testing::fresh_database_url;
use sotong_store::{both_backends, Actor, Backend, Store};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str, index_dir: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["--database", database, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("SOTONG_CONFIG")
        .env("SOTONG_SEARCH_INDEX_DIR", index_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let url = first_line.split_whitespace().find(|w| w.starts_with("http://")).expect("serve prints its URL");
    Server { url: url.to_string(), child }
}

/// The CSRF token of a page's forms.
fn csrf(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).expect("a form") + marker.len();
    page[start..start + 64].to_string()
}

async fn found(client: &reqwest::Client, server: &Server, query: &str, title: &str) -> bool {
    let url = format!("{}/hanbit/search?kind=proposal&q={}", server.url, urlencode(query));
    client.get(url).send().await.unwrap().text().await.unwrap().contains(title)
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn two_servers(backend: Backend) {
    let db = fresh_database_url(backend).await;
    let store = Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    let cli = Actor::cli();
    let city = sotong_core::org::NewOrg::parse("city", "hanbit", "한빛시", "Hanbit City", "").unwrap();
    store.create_org(&cli, None, &city).await.unwrap();
    let email = sotong_core::user::Email::parse("citizen@hanbit.example").unwrap();
    let hash = sotong_web::passwords::hash_password("충분히 긴 비밀번호").unwrap();
    store.create_user(&cli, &email, "김시민", &hash, false).await.unwrap();

    let dirs = std::env::temp_dir().join(format!("sotong-two-servers-{}-{}", backend.name(), std::process::id()));
    let _ = std::fs::remove_dir_all(&dirs);
    let (a, b) = (serve(&db, &dirs.join("a")), serve(&db, &dirs.join("b")));

    // A citizen submits a proposal through server A.
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client.get(format!("{}/login", a.url)).send().await.unwrap().text().await.unwrap();
    let fields = [
        ("_csrf", csrf(&login)),
        ("email", "citizen@hanbit.example".into()),
        ("password", "충분히 긴 비밀번호".into()),
    ];
    let signed_in = client.post(format!("{}/login", a.url)).form(&fields).send().await.unwrap();
    assert!(signed_in.status().is_success(), "signed in");
    let form = client.get(format!("{}/hanbit/proposals/new", a.url)).send().await.unwrap().text().await.unwrap();
    let title = "한빛천 징검다리 안전 난간 설치";
    let fields = [
        ("_csrf", csrf(&form)),
        ("subject", title.into()),
        ("content", "장마철마다 징검다리가 미끄러워 어르신들이 넘어집니다. 난간을 설치해 주세요.".into()),
        ("category", "safety".into()),
        ("step", "submit".into()),
    ];
    let submitted = client.post(format!("{}/hanbit/proposals/new", a.url)).form(&fields).send().await.unwrap();
    assert!(submitted.status().is_success(), "submitted: {}", submitted.status());
    let created = Instant::now();

    // Server B, with its own index, finds it by a word and by initial consonants.
    let anonymous = reqwest::Client::new();
    while !found(&anonymous, &b, "징검다리", title).await {
        assert!(created.elapsed() < Duration::from_secs(5), "server B did not find it within 5 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waited = created.elapsed();
    assert!(found(&anonymous, &b, "ㅈㄱㄷㄹ", title).await, "by 초성");
    assert!(found(&anonymous, &a, "안전 난간", title).await, "and through A");
    eprintln!("{}: found through the other server after {} ms", backend.name(), waited.as_millis());

    // Rebuilding while both run: each rebuilds its own index; search keeps working.
    let output = ok(Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["--database", &db, "search", "reindex"])
        .env_remove("SOTONG_CONFIG")
        .env("SOTONG_SEARCH_INDEX_DIR", dirs.join("cli"))
        .output()
        .unwrap());
    assert!(output.contains("running servers rebuild"), "{output}");
    assert!(output.contains("with 1 documents"), "the CLI's own directory was rebuilt: {output}");
    let asked = Instant::now();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    while !found(&anonymous, &b, "징검다리", title).await {
        assert!(asked.elapsed() < Duration::from_secs(5), "searchable again after the rebuild");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop((a, b));
    let _ = std::fs::remove_dir_all(&dirs);
}

both_backends!(a_proposal_made_through_one_server_is_found_through_another, |backend| async move {
    two_servers(backend).await
});
