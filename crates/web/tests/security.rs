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
            let fields =
                [("_csrf", token.as_str()), ("email", "citizen@hanbit.example"), ("password", "wrong guess 1")];
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
                ("consent_personal_data", "yes"),
                ("consent_terms", "yes"),
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
    let attacks =
        ["/%09/evil.example", "/%5C%09%5Cevil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"];
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
    for next in ["/\t/evil.example", "/\r\nSet-Cookie: x=1", "/account"] {
        let browser = Browser::new(&app);
        let token = browser.get("/login").await.csrf();
        let fields = [
            ("_csrf", token.as_str()),
            ("email", "citizen@hanbit.example"),
            ("password", DEMO_PASSWORD),
            ("next", next),
        ];
        let page = browser.post_form("/login", &fields).await;
        assert_eq!(page.status, 303, "{next:?}");
        let expected = if next == "/account" { "/account" } else { "/" };
        assert_eq!(page.location.as_deref(), Some(expected), "{next:?}");
        assert!(page.headers.get("set-cookie").is_some(), "signed in: {next:?}");
    }
    // A vertical tab is no text any field may hold: refused before anything happens.
    let browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf();
    let fields = [
        ("_csrf", token.as_str()),
        ("email", "citizen@hanbit.example"),
        ("password", DEMO_PASSWORD),
        ("next", "/\u{b}/x"),
    ];
    assert_eq!(browser.post_form("/login", &fields).await.status, 400);
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
            client
                .post_form("/login", &[("_csrf", token.as_str()), ("email", email.as_str()), ("password", "pw pw pw")])
                .await
        }
    })
    .await;
    assert!(tally(&statuses, 503) > 0, "{statuses:?}");
    assert_eq!(tally(&statuses, 503) + tally(&statuses, 401), 20, "{statuses:?}");
    let page =
        client.post_form("/login", &[("_csrf", token.as_str()), ("email", "x@example.kr"), ("password", "pw")]).await;
    assert_ne!(page.status, 500);
});

both_backends!(an_approved_report_and_its_actuals_cannot_change, |backend| async move {
    use sotong_store::Actor;
    let app = common::spawn_app_with_plans(backend).await;
    let store = &app.store;
    let common::PledgePlan { city, plan, open } = common::pledge_plan(&app).await;
    // A submitted report of the culture department, whose officer signs in below.
    let culture = store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let commitments = store.commitments(plan.id).await.unwrap();
    let submitted = store
        .reports(open.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.state.as_str() == "submitted")
        .find(|r| commitments.iter().any(|c| c.id == r.commitment_id && c.lead_department_id == culture.id))
        .unwrap();
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

both_backends!(control_characters_and_bad_utf8_get_a_clear_400_on_every_route, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let anonymous = Browser::new(&app);
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    // Once 500 on PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00").
    for path in [
        "/hanbit%00",
        "/api/v1/orgs/hanbit%00",
        "/hanbit/plans/pledges-8/commitments/1-01%00",
        "/hanbit/plans/pledges-8%0b",
        "/lang/ko?next=/%00",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 400, "{path}");
        if !path.starts_with("/api/") {
            assert!(page.body.contains("쓸 수 없는 문자(제어 문자)"), "{path}: {}", page.body);
        }
    }
    let audit = admin.get("/hanbit/admin/audit?actor=%00").await;
    assert_eq!(audit.status, 400);
    let api = anonymous.get("/api/v1/orgs/hanbit%00").await;
    assert!(api.body.contains("\"error\":\"bad_request\""), "{}", api.body);

    let token = admin.get("/hanbit/plans/pledges-8").await.csrf();
    let form = |fields: &[(&str, &str)]| {
        let mut body = format!("_csrf={token}");
        for (name, value) in fields {
            body.push_str(&format!("&{name}={value}"));
        }
        body
    };
    let forms = [
        ("/hanbit/plans/pledges-8/follow", form(&[("action", "follow"), ("code", "1-01%00")])),
        (
            "/hanbit/staff/plans/pledges-8/reports/1-01",
            form(&[("status", "on_track"), ("progress", "5"), ("achievements", "a%00b")]),
        ),
        ("/hanbit/staff/plans/pledges-8/reports/1-01/changes", form(&[("kind", "modify"), ("reason", "%00")])),
        ("/hanbit/staff/plans/pledges-8/commitments/1-01/edit", form(&[("summary", "x%01y")])),
        ("/hanbit/admin/departments", form(&[("kind", "department"), ("slug", "x"), ("name_ko", "%00")])),
    ];
    let before = changes_recorded(&app.store).await;
    for (path, body) in forms {
        let response = admin
            .client
            .post(format!("{}{path}", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{path}");
        assert!(response.text().await.unwrap().contains("쓸 수 없는 문자"), "{path}");
    }
    // Not UTF-8: a 400 that says so, not a CSRF refusal or silent U+FFFD.
    let latin1 = admin
        .client
        .post(format!("{}/hanbit/admin/departments", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body([format!("_csrf={token}&kind=department&slug=x&name_ko=").into_bytes(), vec![0xC7, 0xD1]].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(latin1.status().as_u16(), 400);
    assert!(latin1.text().await.unwrap().contains("UTF-8 글자로 읽을 수 없습니다"));
    // JSON escapes are text too.
    let json = admin
        .client
        .post(format!("{}/api/v1/orgs/hanbit/units", app.base))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"kind": "department", "slug": "nul", "name_ko": "a\u{0}b", "name_en": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status().as_u16(), 400);
    assert_eq!(changes_recorded(&app.store).await, before, "nothing changed");
});

both_backends!(spoofed_forwarded_for_entries_do_not_escape_the_throttle, |backend| async move {
    let config = WebConfig { trust_proxy_headers: true, ..Default::default() };
    let app = spawn_app_with(backend, config).await;
    let browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf();
    let mut statuses = Vec::new();
    for n in 0..40 {
        // The client writes any first entry; the proxy appends the address it saw.
        let forwarded = format!("10.{}.{}.1, 203.0.113.7", n / 250, n % 250);
        let response = browser
            .client
            .post(format!("{}/login", app.base))
            .header("x-forwarded-for", forwarded)
            .form(&[("_csrf", token.as_str()), ("email", "citizen@hanbit.example"), ("password", "guess guess")])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(tally(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(tally(&statuses, 429), 35);
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT subject FROM rate_events WHERE bucket = 'login_address'")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(rows, vec![("203.0.113.7".to_string(),)]);
});

both_backends!(slow_clients_are_timed_out_and_capped, |backend| async move {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut config = WebConfig::default();
    config.connections = sotong_web::ConnectionLimits {
        max_connections: 16,
        header_read_timeout: std::time::Duration::from_millis(500),
        request_timeout: std::time::Duration::from_millis(1500),
    };
    let app = spawn_app_with(backend, config).await;
    let address = app.base.trim_start_matches("http://").to_string();
    // Twice the connection cap, each sending half a request's headers and stopping.
    let mut slow = Vec::new();
    for _ in 0..32 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        slow.push(stream);
    }
    // They are closed by the header timeout, and a real visitor is served meanwhile.
    let started = std::time::Instant::now();
    let page = Browser::new(&app).get("/").await;
    assert_eq!(page.status, 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "served after {:?}", started.elapsed());
    for mut stream in slow {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "the server closed the half-sent request");
    }
    // Headers sent, the body never finished: a 408, not a connection held for ever.
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let token = Browser::new(&app).get("/login").await.csrf();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n_csrf={token}"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer[..read.expect("answered in time").unwrap()]).to_string();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
});

both_backends!(the_edit_form_refuses_what_the_import_refuses, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges-8").await.unwrap().unwrap();
    let before = app.store.commitments(plan.id).await.unwrap().remove(0);
    let edit = format!("/hanbit/staff/plans/pledges-8/commitments/{}/edit", before.code);
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let form = |start: &'static str, end: &'static str, national: &'static str, city_part: &'static str| {
        vec![
            ("title", "제목"),
            ("start_date", start),
            ("end_date", end),
            ("budget_national", national),
            ("budget_provincial", "0"),
            ("budget_city", city_part),
            ("budget_other", "0"),
        ]
    };
    let cases = [
        (form("2026-06-30", "2022-07-01", "0", "0"), "종료일이 시작일보다 앞섭니다"),
        (form("", "", "1,2,3", "0"), "쉼표는 세 자리마다"),
        // Two maximal parts once summed to −2원.
        (form("", "", "9223372036854775807", "9223372036854775807"), "쉼표는 세 자리마다"),
    ];
    for (fields, expected) in cases {
        let page = coordinator.submit(&edit, &edit, &fields).await;
        assert_eq!(page.status, 422, "{fields:?}");
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let after = app.store.commitment_by_code(plan.id, &before.code).await.unwrap().unwrap();
    assert_eq!(after, before, "nothing changed");
});

both_backends!(smaller_defences_hold, |backend| async move {
    let app = spawn_app(backend).await;
    // Common passwords are refused at sign-up.
    let visitor = Browser::new(&app);
    let fields = [
        ("email", "common@example.kr"),
        ("display_name", "시민"),
        ("password", "qwertyuiop"),
        ("password_confirm", "qwertyuiop"),
        ("consent_personal_data", "yes"),
        ("consent_terms", "yes"),
    ];
    let page = visitor.submit("/signup", "/signup", &fields).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("너무 흔해서 쉽게 추측되는 비밀번호입니다"));
    // TRACE and unused methods are not served (they were answered as CSRF failures).
    for path in ["/", "/login", "/api/v1/orgs"] {
        for method in [reqwest::Method::TRACE, reqwest::Method::PUT, reqwest::Method::DELETE] {
            let answer = visitor.client.request(method.clone(), format!("{}{path}", app.base)).send().await.unwrap();
            assert_eq!(answer.status().as_u16(), 405, "{method} {path}");
        }
    }
    // What a signed-in person sees is not cached.
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    for path in ["/api/v1/me", "/account", "/hanbit"] {
        assert_eq!(citizen.get(path).await.headers["cache-control"], "no-store", "{path}");
    }
    assert!(citizen.get("/assets/sotong.css").await.headers["cache-control"].to_str().unwrap().contains("immutable"));
});

both_backends!(changing_the_password_rotates_the_session_token, |backend| async move {
    let app = spawn_app(backend).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let old_cookie = session_cookie(&citizen, &app);
    let fields = [
        ("current_password", DEMO_PASSWORD),
        ("new_password", "새롭고 충분히 긴 비밀번호"),
        ("new_password_confirm", "새롭고 충분히 긴 비밀번호"),
    ];
    let changed = citizen.submit("/account", "/account/password", &fields).await;
    assert_eq!(changed.status, 303);
    let new_cookie = session_cookie(&citizen, &app);
    assert_ne!(old_cookie, new_cookie, "a new token");
    assert_eq!(citizen.get("/account").await.status, 200, "still signed in with the new token");
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let old = replay.get(format!("{}/account", app.base)).header("cookie", &old_cookie).send().await.unwrap();
    assert_eq!(old.status().as_u16(), 303, "the old token no longer signs anyone in");
});

fn session_cookie(browser: &Browser, app: &common::TestApp) -> String {
    use reqwest::cookie::CookieStore;
    let jar = browser.jar.cookies(&app.base.parse().unwrap()).unwrap();
    let all = jar.to_str().unwrap();
    all.split("; ").find(|c| c.starts_with("sotong_session=")).unwrap().to_string()
}

both_backends!(milestones_and_decided_changes_are_public_only_as_published, |backend| async move {
    use sotong_store::Actor;
    let app = common::spawn_app_with_plans(backend).await;
    let store = &app.store;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges-8").await.unwrap().unwrap();
    let c = store.commitment_by_code(plan.id, "1-06").await.unwrap().unwrap();
    let page_path = "/hanbit/plans/pledges-8/commitments/1-06";
    let visitor = Browser::new(&app);
    let published = visitor.get(page_path).await.body;
    assert!(published.contains("청년 창업 지원센터 개소"), "the demo's milestones were published");
    store.add_milestone(&Actor::cli(), &plan, &c, "청년 일자리 박람회 개최", "2026-09-30", None).await.unwrap();
    let request = store
        .request_change(
            &Actor::cli(),
            &plan,
            &c,
            sotong_core::commitments::states::ChangeKind::Modify,
            "목표 수정 필요: 고용 여건 변화",
        )
        .await
        .unwrap();
    store.decide_change(&Actor::cli(), &plan, &c, request.id, true, "목표를 1만 2천 개로 조정").await.unwrap();
    let before = visitor.get(page_path).await.body;
    for unpublished in ["청년 일자리 박람회 개최", "목표 수정 필요", "1만 2천 개로 조정"] {
        assert!(!before.contains(unpublished), "{unpublished} is not public before the period is published");
    }
    let open = store.period(plan.id, sotong_web::demo::commitments::OPEN_QUARTER).await.unwrap().unwrap();
    store.close_period(&Actor::cli(), &plan, &open).await.unwrap();
    let after = visitor.get(page_path).await.body;
    for now_published in ["청년 일자리 박람회 개최", "목표 수정 필요", "1만 2천 개로 조정"] {
        assert!(after.contains(now_published), "{now_published} is published");
    }
    assert!(store.verify_snapshots().await.unwrap().is_empty());
    // Covered by the chain: rewriting a published milestone is found.
    sqlx::query(
        "UPDATE snapshot_items SET content_json = REPLACE(content_json, '박람회', '축제') WHERE commitment_id = $1",
    )
    .bind(c.id)
    .execute(store.pool())
    .await
    .unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].commitment_code.as_deref(), Some("1-06"));
});
