//! The scenario on the real `sotong demo` process, without an SMTP relay: a
//! citizen types a proposal title, is shown the near-identical proposal that exists,
//! supports it instead of filing, and when the department answers the e-mail is in the
//! demo's mail folder (read back with Python's standard e-mail parser). The demo's
//! made-up history sends nothing.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Demo {
    child: Child,
    base: String,
    file: std::path::PathBuf,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.file.display()));
        }
        for beside in ["search", "mail"] {
            let _ = std::fs::remove_dir_all(format!("{}.{beside}", self.file.display()));
        }
    }
}

async fn start_demo() -> Demo {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let file = std::env::temp_dir().join(format!("sotong-demo-mail-{}.db", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_sotong"))
        .args(["demo", "--addr", &format!("127.0.0.1:{port}"), "--file", &file.display().to_string()])
        .env_remove("SOTONG_CONFIG")
        .env_remove("SOTONG_SMTP_HOST")
        .env("SOTONG_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let demo = Demo { child, base: format!("http://127.0.0.1:{port}"), file };
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(format!("{}/healthz", demo.base)).send().await.is_ok_and(|r| r.status().is_success()) {
            return demo;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the demo did not start");
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn csrf(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = page.find(marker).expect("a form") + marker.len();
    page[start..start + 64].to_string()
}

async fn get(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// Posts a form of the page at `page` (its CSRF token) to `action`; the status.
async fn post(client: &reqwest::Client, base: &str, page: &str, action: &str, fields: &[(&str, &str)]) -> u16 {
    let token = csrf(&get(client, &format!("{base}{page}")).await);
    let mut form: Vec<(&str, &str)> = vec![("_csrf", &token)];
    form.extend_from_slice(fields);
    client.post(format!("{base}{action}")).form(&form).send().await.unwrap().status().as_u16()
}

async fn signed_in(base: &str, email: &str) -> reqwest::Client {
    let client = browser();
    let fields = [("email", email), ("password", sotong_web::demo::DEMO_PASSWORD)];
    assert_eq!(post(&client, base, "/login", "/login", &fields).await, 303, "{email} signs in");
    client
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn messages(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
}

/// To, Subject and the text of a message, as Python's `email` package reads it.
fn parsed(path: &std::path::Path) -> String {
    let script = "import sys\nfrom email import policy, message_from_binary_file\n\
                  m = message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n\
                  print(m['To']); print(m['Subject']); print(m.get_content())";
    let python = std::env::var("SOTONG_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python).args(["-c", script]).arg(path).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn in_the_demo_a_citizen_supports_the_proposal_shown_and_reads_the_answer_by_email() {
    let demo = start_demo().await;
    let base = demo.base.as_str();
    let mail = std::path::PathBuf::from(format!("{}.mail", demo.file.display()));
    let citizen = signed_in(base, "citizen@hanbit.example").await;
    // Typing a title like an existing proposal's shows it, with a support button.
    let hint =
        get(&citizen, &format!("{base}/hanbit/proposals/similar?subject={}", urlencode("한빛역 자전거 보관대에 지붕")))
            .await;
    assert!(hint.contains("비슷한 제안이 이미 있습니다") && hint.contains("한빛역 자전거 보관대 지붕 설치"), "{hint}");
    assert!(hint.contains("새로 제안하지 않고 공감하기"));
    let start = hint.find("action=\"/hanbit/proposals/").unwrap() + "action=\"".len();
    let action = &hint[start..start + hint[start..].find('"').unwrap()];
    let page = action.trim_end_matches("/support").to_string();
    assert_eq!(post(&citizen, base, &page, action, &[("action", "support")]).await, 303);
    assert!(get(&citizen, &format!("{base}{page}")).await.contains("이 제안에 공감했습니다"));

    // Nothing of the made-up history was e-mailed.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(messages(&mail).is_empty(), "the demo's history sends no e-mail: {:?}", messages(&mail));

    // The coordinator answers for the department it was assigned to.
    let coordinator = signed_in(base, "coordinator@hanbit.example").await;
    let staff = page.replace("/hanbit/proposals/", "/hanbit/staff/proposals/");
    let answer = [
        ("result", "accepted"),
        ("answer", "내년 3월까지 한빛역 2번 출구 자전거 보관대에 지붕과 조명을 설치하겠습니다."),
        ("officer", "박주무관"),
        ("contact", "041-360-3150"),
    ];
    assert_eq!(post(&coordinator, base, &staff, &format!("{staff}/answer"), &answer).await, 303);

    // Within a delivery round (5 s) the citizen's e-mail is in the folder.
    let deadline = Instant::now() + Duration::from_secs(30);
    let to_citizen = loop {
        let found = messages(&mail).into_iter().map(|p| parsed(&p)).find(|m| m.contains("citizen@hanbit.example"));
        if let Some(message) = found {
            break message;
        }
        assert!(Instant::now() < deadline, "no e-mail to the citizen in {}", mail.display());
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(to_citizen.contains("김시민 <citizen@hanbit.example>"), "{to_citizen}");
    assert!(to_citizen.contains("[소통] 정책제안 답변: 한빛역 자전거 보관대 지붕 설치"), "{to_citizen}");
    assert!(to_citizen.contains("담당 부서가 답변했습니다"), "{to_citizen}");
    assert!(to_citizen.contains(&format!("{base}{page}")), "the link leads to this demo: {to_citizen}");
}
