//! Notification e-mails through a real SMTP server (Python's standard-library smtpd,
//! which prints every message it receives), on both engines.

mod common;

use common::{smtp, Browser};
use smtp::{config, free_port, start_smtp};
use sotong_store::{both_backends, Actor};
use sotong_web::mail::Mailer;

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
    let message = smtp::next_message(&mut server);
    let lines = &message.headers;
    let body = message.body;
    assert!(lines.iter().any(|l| l.starts_with("To: ") && l.ends_with("<citizen@hanbit.example>")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("Subject: =?utf-8?b?")), "{lines:?}");
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
