//! Webhooks and the job queue on both engines: an administrator adds a webhook on its
//! page; a proposal answered, a notice published and a quarter published reach a real
//! HTTP receiver (Python's standard library) as JSON whose signature the receiver
//! checks with its own HMAC; a failed delivery is retried with the same id and logged;
//! a paused webhook is sent nothing; jobs are claimed once by concurrent claimers and
//! taken over when their lease runs out; the last failed attempt gives a job up.

mod common;

use common::smtp::free_port;
use common::{Browser, Fixture, TestApp};
use serde_json::Value;
use sotong_core::voice::notices::NewNotice;
use sotong_core::voice::proposals::{Answer, ProposalState};
use sotong_core::webhooks::{NewWebhook, MAX_ATTEMPTS};
use sotong_store::voice::proposals::ProposalFilter;
use sotong_store::{both_backends, Actor, AuditFilter, Store};
use sotong_web::jobs::{JobRunner, JobSettings};
use sotong_web::WebConfig;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SITE: &str = "https://sotong.hanbit.example";

/// The receiver process and the JSON lines it prints, one per request.
struct Receiver {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Receiver {
    fn start(port: u16, secret: &str, fail_first: usize) -> Receiver {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/webhook_receiver.py");
        let mut child = Command::new("python3")
            .args(["-u", script, &port.to_string(), secret, &fail_first.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 (scripts/test.sh installs it)");
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Receiver { child, lines };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the webhook receiver did not start");
    }

    /// The next request the receiver got (blocks until it prints it).
    fn next(&mut self) -> Value {
        let line = self.lines.next().expect("a request").unwrap();
        serde_json::from_str(&line).unwrap()
    }
}

fn runner(store: &Store) -> JobRunner {
    // A retry waits a minute: no pass of `run_due`, however slow the machine, reaches
    // it; the tests move it forward instead of sleeping.
    let settings = JobSettings { site_url: SITE.into(), retry_base: Duration::from_secs(60), ..Default::default() };
    JobRunner::new(store.clone(), &settings)
}

async fn city_id(app: &TestApp) -> i64 {
    app.store.public_body("hanbit").await.unwrap().unwrap().id
}

/// Answers the first proposal under review (the demo has several).
async fn answer_one(store: &Store, body_id: i64) -> sotong_store::voice::proposals::Proposal {
    let filter = ProposalFilter { state: Some(ProposalState::Reviewing), limit: 1, ..Default::default() };
    let proposal = store.proposals(body_id, &filter).await.unwrap().0.remove(0);
    let answer = Answer::parse("accepted", "내년 본예산에 반영해 추진하겠습니다.", "정담당", "041-360-3300").unwrap();
    store.answer_proposal(&Actor::cli(), "hanbit", &proposal, &answer).await.unwrap()
}

fn notice_on(day: &str, title: &str) -> NewNotice {
    NewNotice::parse(title, "자세한 내용은 첨부 공고문을 확인해 주세요.", "general", false, day, "", day).unwrap()
}

both_backends!(events_reach_a_real_receiver_signed_retried_and_logged, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let store = &app.store;
    let city = city_id(&app).await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let list = "/hanbit/admin/webhooks";

    // A bad form names its fields in Korean and adds nothing.
    let bad = admin.submit(list, list, &[("url", "https://receiver.example/hook")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("https 주소로는 직접 보낼 수 없습니다") && bad.body.contains("필수 입력 항목입니다"));
    assert!(store.webhooks(city).await.unwrap().is_empty());

    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/sotong");
    let fields = [
        ("description", "한빛 통합민원 시스템"),
        ("url", url.as_str()),
        ("event_proposal_answered", "1"),
        ("event_notice_published", "1"),
        ("event_period_published", "1"),
    ];
    let created = admin.submit(list, list, &fields).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let hook_page = created.location.unwrap();
    let hook = store.webhooks(city).await.unwrap().remove(0);
    assert!(hook.secret.starts_with("whsec_") && hook.secret.len() == 70);
    let page = admin.get(&hook_page).await;
    assert!(page.body.contains(&hook.secret) && page.body.contains("웹훅을 추가했습니다"), "{}", page.body);
    let mut receiver = Receiver::start(port, &hook.secret, 1);

    // Three events now, and a notice whose first day is tomorrow.
    let answered = answer_one(store, city).await;
    let today = sotong_web::html::voice::views::kst_today(sotong_store::now());
    let tomorrow = sotong_core::format::kst_date_after(sotong_store::now(), 1);
    let notice = store.create_notice(&Actor::cli(), city, &notice_on(&today, "동절기 제설 대책 안내")).await.unwrap();
    store.create_notice(&Actor::cli(), city, &notice_on(&tomorrow, "내일 게시할 공고")).await.unwrap();
    let plan = common::pledge_plan(&app).await;
    let snapshot = store.close_period(&Actor::cli(), &plan.plan, &plan.open).await.unwrap();

    let jobs = runner(store);
    assert_eq!(jobs.run_due().await.unwrap(), 3, "tomorrow's notice is not due");
    let first: Vec<Value> = (0..3).map(|_| receiver.next()).collect();
    assert_eq!(first[0]["status"], 500, "the receiver refuses the first request");
    assert_eq!(jobs.run_due().await.unwrap(), 0, "the refused delivery waits before its retry");
    sqlx::query("UPDATE jobs SET run_at = 0 WHERE done_at IS NULL AND failed_at IS NULL AND attempts > 0")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(jobs.run_due().await.unwrap(), 1, "the refused delivery is retried after the first wait");
    let retried = receiver.next();
    assert_eq!(retried["delivery"], first[0]["delivery"], "a retry keeps the delivery id");
    assert_eq!(retried["body"]["id"], first[0]["body"]["id"]);
    assert_eq!(jobs.run_due().await.unwrap(), 0, "delivered jobs are done");

    let delivered: Vec<&Value> = first[1..].iter().chain([&retried]).collect();
    for request in &delivered {
        assert_eq!(request["signature_ok"], true, "signed with the webhook's key: {request}");
        assert_eq!(request["content_type"], "application/json; charset=utf-8");
        assert_eq!(request["body"]["body"]["slug"], "hanbit");
        assert_eq!(request["event"], request["body"]["event"]);
    }
    let by_event = |event: &str| delivered.iter().find(|r| r["event"] == event).map(|r| r["body"]["data"].clone());
    let proposal = by_event("proposal.answered").expect("the answer was sent");
    assert_eq!(proposal["proposal"]["id"], answered.id);
    assert_eq!(proposal["proposal"]["title"], answered.title.as_str());
    assert_eq!(proposal["answer"]["result"], "accepted");
    assert_eq!(proposal["answer"]["officer"], "정담당");
    assert_eq!(proposal["proposal"]["url"], format!("{SITE}/hanbit/proposals/{}", answered.id));
    let author = store.user(answered.author_id).await.unwrap().unwrap();
    let sent = proposal.to_string();
    assert!(!sent.contains(&author.email) && !sent.contains(&author.display_name) && !sent.contains("author"));
    let notice_data = by_event("notice.published").expect("today's notice was sent");
    assert_eq!(notice_data["notice"]["id"], notice.id);
    let period = by_event("period.published").expect("the quarter was sent");
    assert_eq!(period["period"], sotong_web::demo::commitments::OPEN_QUARTER);
    assert_eq!(period["snapshot"]["hash"], snapshot.hash.as_str());

    // The delivery log shows the refusal and the successes.
    let log = admin.get(&hook_page).await.body;
    assert!(log.contains("실패") && log.contains("HTTP 500") && log.contains("성공"), "{log}");
    assert_eq!(store.deliveries(hook.id, 50).await.unwrap().len(), 4);

    // Paused: an answer queues nothing for it; the test button still sends a ping.
    let hook_path = hook_page.split('?').next().unwrap().to_string();
    let paused = admin.submit(&hook_path, &format!("{hook_path}/active"), &[("active", "0")]).await;
    assert_eq!(paused.status, 303);
    let pending = store.pending_jobs().await.unwrap();
    answer_one(store, city).await;
    assert_eq!(store.pending_jobs().await.unwrap(), pending, "nothing queued while paused");
    assert_eq!(admin.submit(&hook_path, &format!("{hook_path}/ping"), &[]).await.status, 303);
    assert_eq!(jobs.run_due().await.unwrap(), 1);
    let ping = receiver.next();
    assert_eq!((ping["event"].as_str(), ping["signature_ok"].as_bool()), (Some("ping"), Some(true)));

    // Removed: gone from the list; the audit log never holds the key.
    assert_eq!(admin.submit(&hook_path, &format!("{hook_path}/remove"), &[]).await.status, 303);
    assert!(!admin.get(list).await.body.contains("한빛 통합민원 시스템"));
    let filter = AuditFilter { body_id: Some(city), limit: 50, ..Default::default() };
    let audit = store.audit_entries(&filter).await.unwrap();
    let actions: Vec<&str> = audit.iter().filter(|e| e.entity == "webhook").map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["webhook.remove", "webhook.ping", "webhook.active", "webhook.create"]);
    assert!(audit.iter().all(|e| !format!("{:?}{:?}", e.before_json, e.after_json).contains(&hook.secret)));
});

/// A webhook of the demo city pointing at `url`, made through the store.
async fn hook_at(store: &Store, url: &str) -> sotong_store::webhooks::Webhook {
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let new = NewWebhook::parse(url, &["proposal.answered".to_string()], "").unwrap();
    store.create_webhook(&Actor::cli(), city.id, &new, "whsec_test").await.unwrap()
}

both_backends!(jobs_are_claimed_once_and_taken_over_when_a_lease_runs_out, |backend| async move {
    let store = common::fixture_store(backend, Fixture::Demo).await;
    let hook = hook_at(&store, "http://127.0.0.1:9/unused").await;
    for _ in 0..200 {
        store.ping_webhook(&Actor::cli(), &hook).await.unwrap();
    }
    // Eight claimers at once, as eight server processes would: each job goes to one.
    let claimers = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = store.claim_jobs(7, 60).await.unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                mine.extend(jobs.into_iter().map(|job| job.id));
            }
        })
    });
    let mut claimed: Vec<i64> = Vec::new();
    for claimer in claimers.collect::<Vec<_>>() {
        claimed.extend(claimer.await.unwrap());
    }
    let total = claimed.len();
    claimed.sort_unstable();
    claimed.dedup();
    assert_eq!((total, claimed.len()), (200, 200), "every job claimed, none twice");

    // A job whose process died is taken over once its lease ends, the attempt counted.
    let job = store.ping_webhook(&Actor::cli(), &hook).await.unwrap();
    assert_eq!(store.claim_jobs(10, 1).await.unwrap().iter().map(|j| j.id).collect::<Vec<_>>(), [job]);
    assert!(store.claim_jobs(10, 1).await.unwrap().is_empty(), "held under its lease");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let again = store.claim_jobs(10, 1).await.unwrap();
    assert_eq!((again[0].id, again[0].attempts), (job, 2));
});

both_backends!(a_delivery_failing_its_last_attempt_is_given_up, |backend| async move {
    let store = common::fixture_store(backend, Fixture::Demo).await;
    // Nothing listens on the port: every attempt fails to connect.
    let hook = hook_at(&store, &format!("http://127.0.0.1:{}/closed", free_port())).await;
    let job = store.ping_webhook(&Actor::cli(), &hook).await.unwrap();
    let jobs = runner(&store);
    assert_eq!(jobs.run_due().await.unwrap(), 1);
    let first = store.deliveries(hook.id, 10).await.unwrap().remove(0);
    assert!(!first.succeeded.0 && first.status_code.is_none());
    assert!(first.error.as_deref().unwrap().contains("연결할 수 없음"), "{first:?}");
    assert!(first.next_attempt_at.is_some(), "a retry is scheduled");
    // Jump to the last attempt: it fails, is logged without a next attempt, and ends.
    sqlx::query("UPDATE jobs SET attempts = $1, run_at = 0 WHERE id = $2")
        .bind(MAX_ATTEMPTS - 1)
        .bind(job)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(jobs.run_due().await.unwrap(), 1);
    let last = store.deliveries(hook.id, 10).await.unwrap().remove(0);
    assert_eq!((last.attempt, last.next_attempt_at), (MAX_ATTEMPTS, None));
    assert_eq!(store.pending_jobs().await.unwrap(), 0, "given up, not retried");
});
