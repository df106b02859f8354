//! Notification e-mails through a real SMTP server (Python's standard-library smtpd,
//! which prints every message it receives), on both engines.

mod common;

use common::Browser;
use sotong_store::{both_backends, Actor};
use sotong_web::mail::{Mailer, SmtpConfig};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct SmtpServer {
    child: Child,
    port: u16,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_smtp() -> SmtpServer {
    let port = free_port();
    let server = SmtpServer {
        port,
        child: Command::new("python3")
            .args(["-u", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with the smtpd module (scripts/test.sh installs python3)"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the SMTP server did not start");
}

fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        from: "소통 <no-reply@hanbit.example>".into(),
        site_url: "https://sotong.hanbit.example/".into(),
    }
}

both_backends!(followers_get_an_email_per_notification, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    citizen
        .submit("/hanbit/plans/pledges-8", "/hanbit/plans/pledges-8/follow", &[("action", "follow"), ("code", "")])
        .await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges-8").await.unwrap().unwrap();
    let q3 = app.store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    app.store.close_period(&Actor::cli(), &plan, &q3).await.unwrap();

    // The relay is down: nothing is lost, the notification waits for the next round.
    let down = Mailer::new(&config(free_port())).unwrap();
    assert_eq!(down.deliver_pending(&app.store).await.unwrap(), 0);

    let mut server = start_smtp();
    let mailer = Mailer::new(&config(server.port)).unwrap();
    assert_eq!(mailer.deliver_pending(&app.store).await.unwrap(), 1);
    assert_eq!(mailer.deliver_pending(&app.store).await.unwrap(), 0, "each notification is sent once");
    let mut received = String::new();
    let mut lines = BufReader::new(server.child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        received.push_str(&line);
        received.push('\n');
        if line.contains("END MESSAGE") {
            break;
        }
    }
    // smtpd prints each line as a Python bytes literal; the body is base64.
    let lines: Vec<&str> = received.lines().map(|l| l.trim_start_matches("b'").trim_end_matches('\'')).collect();
    assert!(lines.iter().any(|l| l.starts_with("To: ") && l.ends_with("<citizen@hanbit.example>")), "{received}");
    assert!(lines.iter().any(|l| l.starts_with("Subject: =?utf-8?b?")), "{received}");
    let body_start = lines.iter().position(|l| l.is_empty()).expect("a blank line before the body") + 1;
    let encoded: String = lines[body_start..].iter().take_while(|l| !l.contains("END MESSAGE")).copied().collect();
    use base64::Engine;
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).unwrap()).unwrap();
    assert!(body.starts_with("김시민님, 팔로우하신 소식이 공개되었습니다."), "{body}");
    assert!(body.contains("민선8기 시장 공약 — 2026-Q3"), "{body}");
    assert!(body.contains("https://sotong.hanbit.example/hanbit/plans/pledges-8?period=2026-Q3"), "{body}");
    let notifications = app
        .store
        .notifications(app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap().id, 5)
        .await
        .unwrap();
    assert!(notifications[0].emailed_at.is_some());
});
