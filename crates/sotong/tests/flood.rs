//! The password-hash flood, as it was reproduced against the demo: the real server
//! process must stay under 200 MiB and still let a real person sign in.
//! (Before the fix: 128 concurrent wrong current passwords took it from 40 MiB to
//! 14.5 GiB; 100 concurrent unknown-e-mail logins to 1.9 GiB.)

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `sotong demo` on a free port, with extra `SOTONG_*` settings.
async fn demo(name: &str, env: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let file = std::env::temp_dir().join(format!("sotong-flood-{name}-{}.db", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["demo", "--addr", &format!("127.0.0.1:{port}"), "--file", &file.display().to_string()])
        .env_remove("SOTONG_CONFIG")
        .env("SOTONG_LOG", "error")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("{}/healthz", server.base)).send().await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the demo did not start");
}

/// Peak and current resident memory of the server process, in MiB.
fn memory_mib(server: &Server) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
    };
    (field("VmHWM:").unwrap() / 1024, field("VmRSS:").unwrap() / 1024)
}

fn browser(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn csrf(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..start + 64].to_string()
}

async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str) -> u16 {
    let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let fields = [("_csrf", csrf(&page)), ("email", email.into()), ("password", password.into())];
    client.post(format!("{base}/login")).form(&fields).send().await.unwrap().status().as_u16()
}

/// For `seconds`: 128 workers posting wrong current passwords as a signed-in citizen
/// and 100 workers logging in with unknown e-mails, each as fast as answers come.
async fn flood(base: &str, seconds: u64) -> Vec<u16> {
    let citizen = Arc::new(browser("127.0.0.1"));
    assert_eq!(login(&citizen, base, "citizen@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await, 303);
    let account = citizen.get(format!("{base}/account")).send().await.unwrap().text().await.unwrap();
    let token = csrf(&account);
    let anonymous = Arc::new(browser("127.0.0.3"));
    let login_page = anonymous.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let anonymous_token = csrf(&login_page);
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for n in 0..228 {
        let (citizen, anonymous, base) = (citizen.clone(), anonymous.clone(), base.to_string());
        let (token, anonymous_token) = (token.clone(), anonymous_token.clone());
        workers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            while Instant::now() < until {
                let request = if n < 128 {
                    let fields = [
                        ("_csrf", token.as_str()),
                        ("current_password", "not my password"),
                        ("new_password", "새롭고 충분히 긴 비밀번호"),
                        ("new_password_confirm", "새롭고 충분히 긴 비밀번호"),
                    ];
                    citizen.post(format!("{base}/account/password")).form(&fields)
                } else {
                    let email = format!("nobody{n}@example.kr");
                    let fields = [("_csrf", anonymous_token.as_str()), ("email", &email), ("password", "any password")];
                    anonymous.post(format!("{base}/login")).form(&fields)
                };
                match request.send().await {
                    Ok(response) => statuses.push(response.status().as_u16()),
                    Err(_) => statuses.push(0),
                }
            }
            statuses
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all
}

fn tally(statuses: &[u16]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for s in statuses {
        *counts.entry(*s).or_insert(0) += 1;
    }
    format!("{counts:?}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_password_hash_flood_stays_bounded_and_a_real_login_gets_through() {
    // As deployed: the limits stop most guesses before any hashing.
    let server = demo("limits", &[]).await;
    let base = server.base.clone();
    let attack = tokio::spawn({
        let base = base.clone();
        async move { flood(&base, 8).await }
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let started = Instant::now();
    let owner = browser("127.0.0.2");
    let status = login(&owner, &base, "officer@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await;
    let took = started.elapsed();
    let statuses = attack.await.unwrap();
    let (peak, now) = memory_mib(&server);
    println!(
        "with limits: {} requests {}; real login {status} in {took:?}; peak {peak} MiB, now {now} MiB",
        statuses.len(),
        tally(&statuses)
    );
    assert_eq!(status, 303, "the real login succeeded");
    assert!(statuses.iter().all(|s| [422, 429, 401, 503].contains(s)), "clean answers only: {}", tally(&statuses));
    assert!(peak < 200, "peak {peak} MiB");

    // Worst case: no login limits at all, every request hashes. The hashing bound
    // alone keeps memory flat; what cannot be served in time gets 503.
    let unlimited = [
        ("SOTONG_LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS", "100000000"),
        ("SOTONG_LOGIN_MAX_FAILURES_PER_IP", "100000000"),
    ];
    let server = demo("unlimited", &unlimited).await;
    let statuses = flood(&server.base, 8).await;
    let (peak, now) = memory_mib(&server);
    println!("without limits: {} requests {}; peak {peak} MiB, now {now} MiB", statuses.len(), tally(&statuses));
    assert!(statuses.contains(&503), "the queue bound answered: {}", tally(&statuses));
    assert!(statuses.iter().all(|s| [422, 401, 503].contains(s)), "clean answers only: {}", tally(&statuses));
    assert!(peak < 200, "peak {peak} MiB");
}
