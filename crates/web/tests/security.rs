//! Regression tests for defects found by attacking the demo (issue: hardening before
//! citizens write). Each reproduces the attack as it was made and checks the fix.

mod common;

use common::{spawn_app, spawn_app_with, Browser, Page};
use sotong_store::both_backends;
use sotong_web::demo::DEMO_PASSWORD;
use sotong_web::WebConfig;
use std::sync::Arc;

/// Sends `count` requests at once and returns their statuses.
async fn at_once<F, Fut>(count: usize, request: F) -> Vec<u16>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Page> + Send + 'static,
{
    let handles: Vec<_> = (0..count).map(|n| tokio::spawn(request(n))).collect();
    let mut statuses = Vec::with_capacity(count);
    for handle in handles {
        statuses.push(handle.await.unwrap().status);
    }
    statuses
}

fn tally(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

both_backends!(simultaneous_wrong_passwords_on_one_account_are_checked_only_up_to_the_limit, |backend| async move {
    let app = spawn_app(backend).await;
    let attacker = Arc::new(Browser::new(&app));
    let token = attacker.get("/login").await.csrf();
    let statuses = at_once(100, |_| {
        let (attacker, token) = (attacker.clone(), token.clone());
        async move {
            let fields = [("_csrf", token.as_str()), ("email", "citizen@hanbit.example"), ("password", "wrong guess 1")];
            attacker.post_form("/login", &fields).await
        }
    })
    .await;
    assert_eq!(tally(&statuses, 401), 5, "checked: the per-account-and-address limit is 5 ({statuses:?})");
    assert_eq!(tally(&statuses, 429), 95);
    // The owner, from their own address, still signs in.
    let owner = Browser::from_address(&app, "127.0.0.2");
    assert_eq!(owner.login("citizen@hanbit.example", DEMO_PASSWORD).await.status, 303);
});

both_backends!(simultaneous_failures_from_one_address_are_checked_only_up_to_its_limit, |backend| async move {
    let app = spawn_app(backend).await;
    let attacker = Arc::new(Browser::new(&app));
    let token = attacker.get("/login").await.csrf();
    let statuses = at_once(100, |n| {
        let (attacker, token) = (attacker.clone(), token.clone());
        async move {
            let email = format!("nobody{n}@example.kr");
            let fields = [("_csrf", token.as_str()), ("email", email.as_str()), ("password", "any password")];
            attacker.post_form("/login", &fields).await
        }
    })
    .await;
    assert_eq!(tally(&statuses, 401), 30, "the per-address limit is 30 ({statuses:?})");
    assert_eq!(tally(&statuses, 429), 70);
});

both_backends!(simultaneous_sign_ups_from_one_address_stop_at_the_limit, |backend| async move {
    let app = spawn_app(backend).await;
    let client = Arc::new(Browser::new(&app));
    let token = client.get("/signup").await.csrf();
    let statuses = at_once(40, |n| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let email = format!("burst{n}@example.kr");
            let fields = [
                ("_csrf", token.as_str()),
                ("email", email.as_str()),
                ("display_name", "시민"),
                ("password", "충분히 긴 비밀번호"),
                ("password_confirm", "충분히 긴 비밀번호"),
            ];
            client.post_form("/signup", &fields).await
        }
    })
    .await;
    assert_eq!(tally(&statuses, 303), 20, "{statuses:?}");
    assert_eq!(tally(&statuses, 429), 20);
    let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email LIKE 'burst%'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(accounts, 20);
});

both_backends!(guesses_from_elsewhere_do_not_lock_the_owner_out, |backend| async move {
    let app = spawn_app(backend).await;
    for address in ["127.0.0.3", "127.0.0.4"] {
        let attacker = Browser::from_address(&app, address);
        for _ in 0..5 {
            assert_eq!(attacker.login("officer@hanbit.example", "wrong guess 2").await.status, 401);
        }
        assert_eq!(attacker.login("officer@hanbit.example", "wrong guess 3").await.status, 429);
    }
    let owner = Browser::from_address(&app, "127.0.0.5");
    assert_eq!(owner.login("officer@hanbit.example", DEMO_PASSWORD).await.status, 303);
});

both_backends!(wrong_current_passwords_are_throttled_like_logins, |backend| async move {
    let app = spawn_app(backend).await;
    let citizen = Arc::new(Browser::login_demo(&app, "citizen@hanbit.example").await);
    let token = citizen.get("/account").await.csrf();
    let statuses = at_once(40, |_| {
        let (citizen, token) = (citizen.clone(), token.clone());
        async move {
            let fields = [
                ("_csrf", token.as_str()),
                ("current_password", "not my password"),
                ("new_password", "새롭고 충분히 긴 비밀번호"),
                ("new_password_confirm", "새롭고 충분히 긴 비밀번호"),
            ];
            citizen.post_form("/account/password", &fields).await
        }
    })
    .await;
    assert_eq!(tally(&statuses, 422), 5, "checked: {statuses:?}");
    assert_eq!(tally(&statuses, 429), 35);
});

both_backends!(next_never_leads_to_another_site, |backend| async move {
    let app = spawn_app(backend).await;
    let visitor = Browser::new(&app);
    let attacks = ["/%09/evil.example", "/%5C%09%5Cevil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"];
    for next in attacks {
        let page = visitor.get(&format!("/lang/en?next={next}")).await;
        assert_eq!((page.status, page.location.as_deref()), (303, Some("/")), "/lang next={next}");
    }
    // Signed in already, GET /login goes straight to next.
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    for next in attacks {
        let page = citizen.get(&format!("/login?next={next}")).await;
        assert_eq!(page.location.as_deref(), Some("/"), "/login next={next}");
    }
    // Line breaks once made `Redirect::to` panic: the login succeeded without a cookie.
    for next in ["/\t/evil.example", "/\r\nSet-Cookie: x=1", "/\u{b}/evil.example", "/account"] {
        let browser = Browser::new(&app);
        let token = browser.get("/login").await.csrf();
        let fields =
            [("_csrf", token.as_str()), ("email", "citizen@hanbit.example"), ("password", DEMO_PASSWORD), ("next", next)];
        let page = browser.post_form("/login", &fields).await;
        assert_eq!(page.status, 303, "{next:?}");
        let expected = if next == "/account" { "/account" } else { "/" };
        assert_eq!(page.location.as_deref(), Some(expected), "{next:?}");
        assert!(page.headers.get("set-cookie").is_some(), "signed in: {next:?}");
    }
});

both_backends!(a_busy_password_hasher_answers_503_with_retry_after, |backend| async move {
    // One slot, nobody may wait: the second of two simultaneous logins is turned away.
    let mut config = WebConfig::default();
    config.password_hashing =
        sotong_web::passwords::HashLimits { slots: 1, max_waiting: 0, max_wait: std::time::Duration::from_secs(1) };
    let app = spawn_app_with(backend, config).await;
    let client = Arc::new(Browser::new(&app));
    let token = client.get("/login").await.csrf();
    let statuses = at_once(20, |n| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let email = format!("someone{n}@example.kr");
            client.post_form("/login", &[("_csrf", token.as_str()), ("email", email.as_str()), ("password", "pw pw pw")]).await
        }
    })
    .await;
    assert!(tally(&statuses, 503) > 0, "{statuses:?}");
    assert_eq!(tally(&statuses, 503) + tally(&statuses, 401), 20, "{statuses:?}");
    let page = client.post_form("/login", &[("_csrf", token.as_str()), ("email", "x@example.kr"), ("password", "pw")]).await;
    assert_ne!(page.status, 500);
});

both_backends!(an_approved_report_and_its_actuals_cannot_change, |backend| async move {
    use sotong_store::Actor;
    let app = spawn_app(backend).await;
    let store = &app.store;
    sotong_web::demo_plans::populate(store).await.unwrap();
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges-8").await.unwrap().unwrap();
    let open = store.period(plan.id, sotong_web::demo_plans::OPEN_QUARTER).await.unwrap().unwrap();
    let submitted = store.reports(open.id).await.unwrap().into_iter().find(|r| r.state == "submitted").unwrap();
    let commitments = store.commitments(plan.id).await.unwrap();
    let c = commitments.iter().find(|c| c.id == submitted.commitment_id).unwrap();
    let indicator = store.add_indicator(&Actor::cli(), &plan, c, "참여 인원", "명", "500").await.unwrap();
    store.review_report(&Actor::cli(), &plan, submitted.id, true, "").await.unwrap();
    let audit_before = changes_recorded(store).await;

    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let form = format!("/hanbit/staff/plans/pledges-8/reports/{}", c.code);
    let actual = format!("actual_{}", indicator.id);
    let fields = [
        ("status", "on_track"),
        ("progress", "50"),
        ("achievements", "바꾼 실적"),
        ("budget_executed", "0"),
        ("action", "draft"),
        (actual.as_str(), "123456"),
    ];
    let page = officer.submit(&form, &form, &fields).await;
    assert_eq!(page.status, 422, "{}", page.body);
    let actuals = store.indicator_actuals(c.id).await.unwrap();
    assert!(actuals.is_empty(), "the actual was not saved: {actuals:?}");
    let report = store.reports(open.id).await.unwrap().into_iter().find(|r| r.id == submitted.id).unwrap();
    assert_eq!((report.state.as_str(), &report.achievements), ("approved", &submitted.achievements));
    assert_eq!(changes_recorded(store).await, audit_before, "no audit row either");
});

/// Audit rows of changes (sign-ins aside).
async fn changes_recorded(store: &sotong_store::Store) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'auth.%'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    count
}
