//! The application over HTTP, on SQLite and on PostgreSQL.

mod common;

use common::{spawn_app, Browser};
use sotong_store::both_backends;

both_backends!(home_is_korean_and_lists_the_demo_city, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<html lang=\"ko\">"));
    assert!(home.body.contains("한빛시") && home.body.contains("한가람도"));
    assert!(home.body.contains("본문 바로가기"), "skip link");
    let city = browser.get("/hanbit").await;
    assert!(city.body.contains("<title>한빛시 | 소통</title>"));
    let chart = browser.get("/hanbit/departments").await;
    for unit in [
        "기획예산담당관",
        "감사법무담당관",
        "홍보소통담당관",
        "지속가능발전담당관",
        "문화관광과",
        "평생학습과",
        "여성가족과",
    ] {
        assert!(chart.body.contains(unit), "{unit} on the organisation chart");
    }
});

both_backends!(health_and_security_headers, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let health = browser.get("/healthz").await;
    assert_eq!(health.status, 200);
    let json: serde_json::Value = serde_json::from_str(&health.body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], backend.name());
    let home = browser.get("/").await;
    assert!(home.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(home.headers["x-content-type-options"], "nosniff");
    assert_eq!(home.headers["x-request-id"].len(), 16);
});

both_backends!(unknown_routes_and_methods_get_404_pages, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let page = browser.get("/no-such-city").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("페이지를 찾을 수 없음") && page.body.contains("요청 번호"));
    let nested = browser.get("/hanbit/no/such/page").await;
    assert_eq!(nested.status, 404);
    let api = browser.get("/api/v1/nothing").await;
    assert_eq!(api.status, 404);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["error"], "not_found");
    assert!(json["message"].as_str().unwrap().contains("찾을 수 없습니다"));
    let delete =
        browser.client.delete(format!("{}/healthz", app.base)).header("x-csrf-token", "x").send().await.unwrap();
    assert_eq!(delete.status().as_u16(), 405, "a method no route has");
    let post = browser.client.post(format!("{}/healthz", app.base)).header("x-csrf-token", "x").send().await.unwrap();
    assert_eq!(post.status().as_u16(), 405, "a method this route lacks, whatever the token");
});

both_backends!(language_switch_to_english_and_back, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let switch = browser.get("/lang/en?next=/hanbit").await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location.as_deref(), Some("/hanbit"));
    let city = browser.get("/hanbit").await;
    assert!(city.body.contains("<html lang=\"en\">"));
    assert!(city.body.contains("Hanbit City") && city.body.contains("Skip to main content"));
    let api = browser.get("/api/v1/orgs/zzz").await;
    assert!(api.body.contains("does not exist"), "API messages follow the language too");
    // Open redirects are refused.
    assert_eq!(browser.get("/lang/ko?next=//evil.example").await.location.as_deref(), Some("/"));
    assert!(browser.get("/").await.body.contains("<html lang=\"ko\">"));
});

both_backends!(sign_up_log_out_and_log_in, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let fields = [
        ("email", "Newcomer@Example.kr"),
        ("display_name", "박새내"),
        ("password", "새 비밀번호는 길게"),
        ("password_confirm", "새 비밀번호는 길게"),
        ("consent_personal_data", "yes"),
        ("consent_terms", "yes"),
    ];
    let signed_up = browser.submit("/signup", "/signup", &fields).await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.location.as_deref(), Some("/account?welcome=1"));
    let account = browser.get("/account?welcome=1").await;
    assert!(account.body.contains("newcomer@example.kr") && account.body.contains("가입을 환영합니다"));
    let user = app.store.user_by_email("newcomer@example.kr").await.unwrap().unwrap();
    assert!(user.password_hash.starts_with("$argon2id$"));
    let consents = app.store.consents(user.id).await.unwrap();
    let kinds: Vec<&str> = consents.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["personal_data", "terms"], "both consents recorded");
    assert!(consents.iter().all(|c| c.version == sotong_core::user::CONSENT_VERSION && c.accepted_at > 0));
    assert!(account.body.contains("동의 기록") && account.body.contains(sotong_core::user::CONSENT_VERSION));

    let logout = browser.submit("/account", "/logout", &[]).await;
    assert_eq!(logout.status, 303);
    assert_eq!(browser.get("/account").await.status, 303, "logged out: the account page sends to login");
    assert_eq!(browser.login("newcomer@example.kr", "새 비밀번호는 길게").await.status, 303);
    assert_eq!(browser.get("/account").await.status, 200);

    // The same e-mail cannot sign up twice; the form says why, in Korean, at the field.
    let other = Browser::new(&app);
    let again = other.submit("/signup", "/signup", &fields).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("이미 가입된 이메일입니다") && again.body.contains("aria-invalid=\"true\""));
});

both_backends!(sign_up_errors_are_named_and_change_nothing, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let page = browser
        .submit(
            "/signup",
            "/signup",
            &[("email", "not-an-email"), ("display_name", ""), ("password", "short"), ("password_confirm", "other")],
        )
        .await;
    assert_eq!(page.status, 422);
    for message in [
        "이메일 주소 형식이 올바르지 않습니다",
        "필수 입력 항목입니다",
        "비밀번호가 너무 짧습니다",
        "비밀번호가 서로 다릅니다",
        "동의해야 가입할 수 있습니다",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(page.body.contains("value=\"not-an-email\""), "what was typed is kept");
    assert!(app.store.user_by_email("not-an-email").await.unwrap().is_none());
});

both_backends!(every_demo_account_can_log_in, |backend| async move {
    let app = spawn_app(backend).await;
    for account in sotong_web::demo::ACCOUNTS {
        let browser = Browser::login_demo(&app, account.email).await;
        assert!(browser.get("/account").await.body.contains(account.display_name));
    }
});

both_backends!(wrong_passwords_are_throttled_per_account, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    for _ in 0..5 {
        let page = browser.login("citizen@hanbit.example", "wrong password!").await;
        assert_eq!(page.status, 401);
        assert!(page.body.contains("이메일 또는 비밀번호가 올바르지 않습니다"));
    }
    // Now even the right password is refused until the window passes.
    let blocked = browser.login("citizen@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await;
    assert_eq!(blocked.status, 429);
    assert!(blocked.body.contains("로그인 시도가 너무 많습니다. 15분 후에 다시 시도해 주세요."));
    assert_eq!(blocked.headers["retry-after"], "900");
    // Another account from the same address is not blocked by this account's failures.
    assert_eq!(browser.login("officer@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await.status, 303);
});

both_backends!(wrong_passwords_are_throttled_per_address, |backend| async move {
    let mut config = sotong_web::WebConfig::default();
    config.login_limit.per_ip = 3;
    let app = common::spawn_app_with(backend, config).await;
    let browser = Browser::new(&app);
    for email in ["a@example.kr", "b@example.kr", "c@example.kr"] {
        assert_eq!(browser.login(email, "whatever-password").await.status, 401);
    }
    assert_eq!(browser.login("citizen@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await.status, 429);
});

both_backends!(forms_without_the_csrf_token_are_refused, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::login_demo(&app, "admin@hanbit.example").await;
    let forged = browser
        .post_form(
            "/hanbit/admin/departments",
            &[("kind", "department"), ("slug", "forged"), ("name_ko", "위조과"), ("name_en", "Forged")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("보안 확인 정보가 만료되었거나"));
    let wrong = browser
        .post_form(
            "/hanbit/admin/departments",
            &[
                ("_csrf", &"0".repeat(64)),
                ("kind", "department"),
                ("slug", "forged"),
                ("name_ko", "위조과"),
                ("name_en", "Forged"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    assert!(app.store.unit(city.id, "forged").await.unwrap().is_none(), "nothing was created");
    // Logging in without the token is refused too (login CSRF).
    let anonymous = Browser::new(&app);
    let page = anonymous
        .post_form("/login", &[("email", "admin@hanbit.example"), ("password", sotong_web::demo::DEMO_PASSWORD)])
        .await;
    assert_eq!(page.status, 403);
});

both_backends!(password_change_ends_other_sessions, |backend| async move {
    let app = spawn_app(backend).await;
    let laptop = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let phone = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let wrong = laptop
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "완전히 새 비밀번호"),
                ("new_password_confirm", "완전히 새 비밀번호"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("현재 비밀번호가 올바르지 않습니다"));
    let changed = laptop
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", sotong_web::demo::DEMO_PASSWORD),
                ("new_password", "완전히 새 비밀번호"),
                ("new_password_confirm", "완전히 새 비밀번호"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303);
    assert_eq!(laptop.get("/account").await.status, 200, "this session continues");
    assert_eq!(phone.get("/account").await.status, 303, "the other session ended");
    assert_eq!(Browser::new(&app).login("citizen@hanbit.example", "완전히 새 비밀번호").await.status, 303);
});

both_backends!(administrators_manage_units_and_roles_with_an_audit_trail, |backend| async move {
    let app = spawn_app(backend).await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let created = admin
        .submit(
            "/hanbit/admin/departments",
            "/hanbit/admin/departments",
            &[
                ("kind", "department"),
                ("slug", "smart-city"),
                ("name_ko", "스마트도시과"),
                ("name_en", "Smart City Division"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert!(admin.get("/hanbit/departments").await.body.contains("스마트도시과"));

    let duplicate = admin
        .submit(
            "/hanbit/admin/departments",
            "/hanbit/admin/departments",
            &[("kind", "department"), ("slug", "smart-city"), ("name_ko", "또스마트과"), ("name_en", "Again")],
        )
        .await;
    assert_eq!(duplicate.status, 422);
    assert!(duplicate.body.contains("이미 쓰이고 있는 이름입니다"));

    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let smart = app.store.unit(city.id, "smart-city").await.unwrap().unwrap();
    let smart_id = smart.id.to_string();
    let granted = admin
        .submit(
            "/hanbit/admin/members",
            "/hanbit/admin/members",
            &[("email", "citizen@hanbit.example"), ("role", "officer"), ("department_id", &smart_id)],
        )
        .await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    assert!(citizen.get("/hanbit/staff").await.body.contains("스마트도시과"));

    let no_dept = admin
        .submit(
            "/hanbit/admin/members",
            "/hanbit/admin/members",
            &[("email", "citizen@hanbit.example"), ("role", "officer"), ("department_id", "")],
        )
        .await;
    assert_eq!(no_dept.status, 422);
    let unknown = admin
        .submit(
            "/hanbit/admin/members",
            "/hanbit/admin/members",
            &[("email", "nobody@example.kr"), ("role", "evaluator")],
        )
        .await;
    assert_eq!(unknown.status, 422, "someone without an account is invited, and needs a name");
    assert!(unknown.body.contains("필수 입력 항목입니다"));

    let audit = admin.get("/hanbit/admin/audit?action=membership.grant").await;
    assert_eq!(audit.status, 200);
    assert!(audit.body.contains("admin@hanbit.example") && audit.body.contains("membership.grant"));
    assert!(!audit.body.contains("<code>org.create</code>"), "the filter applies");
    let by_date = admin.get("/hanbit/admin/audit?from=2000-01-01&until=2000-01-02").await;
    assert!(by_date.body.contains("조건에 맞는 기록이 없습니다"));
    let bad_date = admin.get("/hanbit/admin/audit?from=yesterday").await;
    assert_eq!(bad_date.status, 422);
    assert!(bad_date.body.contains("날짜는 2026-11-22 형식으로"));
});

both_backends!(internal_errors_show_a_request_id_and_nothing_internal, |backend| async move {
    let app = spawn_app(backend).await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    sqlx::query("DROP TABLE memberships").execute(app.store.pool()).await.unwrap();
    let page = admin.get("/hanbit/staff").await;
    assert_eq!(page.status, 500);
    assert!(page.body.contains("일시적인 오류가 발생했습니다") && page.body.contains("요청 번호"));
    let request_id = page.headers["x-request-id"].to_str().unwrap();
    assert!(page.body.contains(request_id));
    for internal in ["memberships", "sqlx", "no such table", "does not exist", "relation"] {
        assert!(!page.body.contains(internal), "internal text {internal:?} leaked");
    }
    let api = admin.get("/api/v1/me").await;
    assert_eq!(api.status, 500);
    assert!(!api.body.contains("memberships"));
});

both_backends!(sign_ups_are_limited_per_address, |backend| async move {
    let config = sotong_web::WebConfig { signups_per_ip_per_hour: 2, ..Default::default() };
    let app = common::spawn_app_with(backend, config).await;
    for n in 0..3 {
        let browser = Browser::new(&app);
        let email = format!("rate{n}@example.kr");
        let fields = [
            ("email", email.as_str()),
            ("display_name", "시민"),
            ("password", "충분히 긴 비밀번호"),
            ("password_confirm", "충분히 긴 비밀번호"),
            ("consent_personal_data", "yes"),
            ("consent_terms", "yes"),
        ];
        let page = browser.submit("/signup", "/signup", &fields).await;
        if n < 2 {
            assert_eq!(page.status, 303);
        } else {
            assert_eq!(page.status, 429);
            assert!(page.body.contains("너무 많은 계정이 만들어졌습니다"));
            assert!(app.store.user_by_email(&email).await.unwrap().is_none(), "nothing was created");
        }
    }
});

both_backends!(staff_land_on_their_workspace_and_citizens_on_the_home_page, |backend| async move {
    let app = spawn_app(backend).await;
    let password = sotong_web::demo::DEMO_PASSWORD;
    for (email, landing) in [
        ("officer@hanbit.example", "/hanbit/staff"),
        ("coordinator@hanbit.example", "/hanbit/staff"),
        ("citizen@hanbit.example", "/"),
    ] {
        let page = Browser::new(&app).login(email, password).await;
        assert_eq!((page.status, page.location.as_deref()), (303, Some(landing)), "{email}");
    }
    // A login with somewhere to return to goes there instead.
    let browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf();
    let back = browser
        .post_form(
            "/login",
            &[
                ("_csrf", &token),
                ("email", "officer@hanbit.example"),
                ("password", password),
                ("next", "/hanbit/plans"),
            ],
        )
        .await;
    assert_eq!(back.location.as_deref(), Some("/hanbit/plans"));
});

both_backends!(public_pages_name_their_body_and_describe_themselves, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let visitor = Browser::new(&app);
    let dashboard = visitor.get("/hanbit/plans/pledges-8").await.body;
    assert!(dashboard.contains("| 한빛시 | 소통</title>"), "the body's name is in the title");
    assert!(dashboard.contains(r#"<meta name="description" content="민선8기 시장 공약: 이행률 "#), "{dashboard}");
    assert!(dashboard.contains(r#"<meta property="og:title" content=""#));
    assert!(dashboard.contains(r#"<link rel="icon" href="/assets/favicon.svg?v="#));
    let commitment = visitor.get("/hanbit/plans/pledges-8/commitments/1-01").await.body;
    assert!(
        commitment.contains(r#"<meta property="og:description" content="청년 창업 지원센터 설립 추진으로"#),
        "the summary describes it"
    );
    let home = visitor.get("/").await.body;
    assert!(home.contains("공약·정책과제 추진 현황을 분기마다 공개"), "the site's own description");
    let icon = visitor.get("/assets/favicon.svg").await;
    assert_eq!((icon.status, icon.headers["content-type"].to_str().unwrap()), (200, "image/svg+xml"));
});

both_backends!(published_pages_are_cached_with_etags_and_change_when_the_data_does, |backend| async move {
    let config = sotong_web::WebConfig::default();
    let revalidate = config.page_cache_revalidate;
    let app = common::spawn_exactly(backend, common::Fixture::Demo, config).await;
    let visitor = Browser::new(&app);
    let first = visitor.get("/hanbit/departments").await;
    assert_eq!(first.status, 200);
    let etag = first.headers.get("etag").expect("a published page has an ETag").clone();
    assert_eq!(first.headers["cache-control"], "no-cache", "browsers revalidate");
    let again = visitor.client.get(format!("{}/hanbit/departments", app.base)).header("if-none-match", &etag);
    let again = again.send().await.unwrap();
    assert_eq!(again.status(), 304, "the browser's copy is current");
    assert!(again.text().await.unwrap().is_empty());
    assert_eq!(visitor.get("/hanbit/departments").await.headers["etag"], etag, "the same page, the same tag");

    // Another server (here the CLI's store) changes the data: seen within a second.
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let new =
        sotong_core::org::NewOrg::parse("department", "cache-test", "캐시시험과", "Cache Test Division", "").unwrap();
    app.store.create_org(&sotong_store::Actor::cli(), Some(city.id), &new).await.unwrap();
    let soon = visitor.get("/hanbit/departments").await;
    assert!(!soon.body.contains("캐시시험과"), "within the interval the kept page is served (no query)");
    tokio::time::sleep(revalidate + std::time::Duration::from_millis(200)).await;
    let changed = visitor.get("/hanbit/departments").await;
    assert!(changed.body.contains("캐시시험과"), "a change made elsewhere shows after the revalidation interval");
    assert_ne!(changed.headers["etag"], etag);
    let stale = visitor.client.get(format!("{}/hanbit/departments", app.base)).header("if-none-match", &etag);
    assert_eq!(stale.send().await.unwrap().status(), 200, "an old copy is replaced");

    // A change made through this server shows at once.
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let fields =
        [("kind", "department"), ("slug", "cache-now"), ("name_ko", "즉시반영과"), ("name_en", "Now Division")];
    assert_eq!(admin.submit("/hanbit/admin/departments", "/hanbit/admin/departments", &fields).await.status, 303);
    assert!(visitor.get("/hanbit/departments").await.body.contains("즉시반영과"), "no stale page after a write here");

    // Signed-in people get their own fresh page, never a shared one.
    let own = admin.get("/hanbit/departments").await;
    assert!(own.headers.get("etag").is_none());
    assert_eq!(own.headers["cache-control"], "no-store");
    // Pages with a form (the visitor's CSRF token) are not marked and not kept.
    assert!(visitor.get("/login").await.headers.get("etag").is_none());
});

both_backends!(administrators_set_the_footer_logo_and_policy_pages, |backend| async move {
    let app = spawn_app(backend).await;
    let visitor = Browser::new(&app);
    let home = visitor.get("/hanbit").await.body;
    assert!(home.contains("이 누리집은 대한민국 공식 전자정부 누리집입니다."), "the official banner");
    assert!(home.contains("대표전화 041-360-3114") && home.contains("(31787) 한가람도 한빛시 시청로 1"), "the footer");
    assert!(home.contains(r#"href="/hanbit/policies/privacy" class="point">개인정보처리방침"#));
    let privacy = visitor.get("/hanbit/policies/privacy").await;
    assert_eq!(privacy.status, 200);
    assert!(
        privacy.body.contains("한빛시(이하 ") && privacy.body.contains("은 「개인정보 보호법」 제30조"),
        "the default names the body"
    );
    assert!(privacy.body.contains("<h2>제3조 개인정보의 처리 및 보유 기간</h2>"));
    assert_eq!(visitor.get("/hanbit/policies/cookies").await.status, 404);

    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let settings = admin.get("/hanbit/admin/site").await;
    assert_eq!(settings.status, 200);
    let bad =
        admin.submit("/hanbit/admin/site", "/hanbit/admin/site", &[("address", "시청로 1"), ("phone", "전화해")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("전화번호는 숫자와 하이픈으로"), "named in Korean");
    let culture = app.store.unit(app.store.public_body("hanbit").await.unwrap().unwrap().id, "culture-tourism").await;
    let culture = culture.unwrap().unwrap();
    let field = format!("phone_{}", culture.id);
    let fields = [("address", "(31787) 한빛시 새청사로 7"), ("phone", "1577-1000"), (field.as_str(), "041-360-5555")];
    assert_eq!(admin.submit("/hanbit/admin/site", "/hanbit/admin/site", &fields).await.status, 303);
    let terms = [("content", "## 제1조 목적\n한빛시 누리집 이용약관 새 문안")];
    assert_eq!(admin.submit("/hanbit/admin/site", "/hanbit/admin/site/pages/terms", &terms).await.status, 303);
    let page = visitor.get("/hanbit/policies/terms").await.body;
    assert!(page.contains("<h2>제1조 목적</h2>") && page.contains("한빛시 누리집 이용약관 새 문안"));
    assert!(page.contains("개정"), "the revision date");
    let home = visitor.get("/hanbit").await.body;
    assert!(home.contains("대표전화 1577-1000") && home.contains("새청사로 7"));
    assert_eq!(
        app.store.unit(culture.body_id.unwrap(), "culture-tourism").await.unwrap().unwrap().phone,
        "041-360-5555"
    );

    // A logo: a PNG shows in the header; a PDF is refused.
    let token = admin.get("/hanbit/admin/site").await.csrf();
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        admin.client.post(format!("{}/hanbit/admin/site/logo?_csrf={token}", app.base)).multipart(form).send()
    };
    assert_eq!(upload(b"%PDF-1.4 logo".to_vec(), "logo.pdf").await.unwrap().status(), 422);
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 32]].concat();
    assert_eq!(upload(png.clone(), "logo.png").await.unwrap().status(), 303);
    let sha = sotong_store::files::sha256_hex(&png);
    let home = visitor.get("/hanbit").await.body;
    assert!(home.contains(&format!(r#"<img class="brand-logo" src="/hanbit/files/{sha}/logo.png""#)));
    let logo = visitor.get(&format!("/hanbit/files/{sha}/logo.png")).await;
    assert_eq!((logo.status, logo.headers["content-type"].to_str().unwrap()), (200, "image/png"));
});

both_backends!(people_see_download_and_delete_their_data_and_choose_e_mails, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let user = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    let plan = common::pledge_plan(&app).await.plan;
    let c = app.store.commitment_by_code(plan.id, "1-06").await.unwrap().unwrap();
    app.store.follow(user.id, plan.id, Some(c.id)).await.unwrap();
    app.store.follow(user.id, plan.id, None).await.unwrap();
    let account = citizen.get("/account").await.body;
    assert!(
        account.contains("1-06 청년 일자리 1만 개 창출") && account.contains("민선8기 시장 공약 전체"),
        "what they follow"
    );
    // Unfollowing from the account page uses the follow form.
    let unfollow =
        citizen.submit("/account", "/hanbit/plans/pledges-8/follow", &[("action", "unfollow"), ("code", "1-06")]).await;
    assert_eq!(unfollow.status, 303);
    assert!(!citizen.get("/account").await.body.contains("1-06 청년 일자리 1만 개 창출"));
    // E-mails off: pending ones are not sent, later ones not claimed.
    assert!(app.store.email_notifications(user.id).await.unwrap());
    assert_eq!(citizen.submit("/account", "/account/email", &[]).await.status, 303);
    assert!(!app.store.email_notifications(user.id).await.unwrap());
    assert_eq!(citizen.submit("/account", "/account/email", &[("email_notifications", "on")]).await.status, 303);
    assert!(app.store.email_notifications(user.id).await.unwrap());

    let download = citizen.get("/account/data").await;
    assert_eq!(download.status, 200);
    assert!(download.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let data: serde_json::Value = serde_json::from_str(&download.body).unwrap();
    assert_eq!(data["account"]["email"], "citizen@hanbit.example");
    assert_eq!(data["follows"].as_array().unwrap().len(), 1);
    assert!(!data["sessions"].as_array().unwrap().is_empty(), "their sign-ins");
    assert!(!download.body.contains("argon2"), "no password hash");

    let wrong =
        citizen.submit("/account", "/account/delete", &[("current_password", "틀림"), ("confirm", "yes")]).await;
    assert_eq!(wrong.status, 422);
    assert!(app.store.user_by_email("citizen@hanbit.example").await.unwrap().is_some(), "nothing deleted");
    let fields = [("current_password", sotong_web::demo::DEMO_PASSWORD), ("confirm", "yes")];
    let deleted = citizen.submit("/account", "/account/delete", &fields).await;
    assert_eq!((deleted.status, deleted.location.as_deref()), (303, Some("/?deleted=1")));
    assert!(app.store.user_by_email("citizen@hanbit.example").await.unwrap().is_none(), "the e-mail is gone");
    assert_eq!(citizen.get("/account").await.status, 303, "signed out");
    assert_eq!(Browser::new(&app).login("citizen@hanbit.example", sotong_web::demo::DEMO_PASSWORD).await.status, 401);
    let (name, follows): (String, i64) = sqlx::query_as(
        "SELECT display_name, (SELECT COUNT(*) FROM follows WHERE user_id = $1) FROM users WHERE id = $1",
    )
    .bind(user.id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!((name.as_str(), follows), ("탈퇴한 사용자", 0), "the row stays, anonymised");
});

both_backends!(administrators_invite_staff_who_set_their_password_once, |backend| async move {
    let app = spawn_app(backend).await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let culture = app.store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let department = culture.id.to_string();
    let nameless =
        [("email", "new.officer@hanbit.example"), ("role", "officer"), ("department_id", department.as_str())];
    let page = admin.submit("/hanbit/admin/members", "/hanbit/admin/members", &nameless).await;
    assert_eq!(page.status, 422, "a new person needs a name");
    let fields = [
        ("email", "new.officer@hanbit.example"),
        ("display_name", "신담당"),
        ("role", "officer"),
        ("department_id", department.as_str()),
    ];
    let invited = admin.submit("/hanbit/admin/members", "/hanbit/admin/members", &fields).await;
    // No SMTP relay here: the page shows the administrator the link to pass on.
    assert_eq!(invited.status, 200);
    assert!(invited.body.contains("이메일 발송이 설정되지 않아") && invited.body.contains("/invite/"));
    // The invitation is also queued for e-mail; its link is the token.
    let pending = app.store.claim_emails(10).await.unwrap();
    let invitation = pending.iter().find(|p| p.kind == "invitation").expect("an invitation e-mail");
    assert_eq!(invitation.email, "new.officer@hanbit.example");
    assert!(invitation.title.contains("한빛시 업무 공간에 초대되었습니다"));
    let link = invitation.link.clone();
    assert!(link.starts_with("/invite/"));
    let person = Browser::new(&app);
    assert_ne!(person.login("new.officer@hanbit.example", "아무 비밀번호나").await.status, 303, "no password yet");
    let form = person.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("신담당님(new.officer@hanbit.example)"));
    let missing = person
        .submit(&link, &link, &[("password", "새 담당자의 비밀번호"), ("password_confirm", "새 담당자의 비밀번호")])
        .await;
    assert_eq!(missing.status, 422, "consents are asked here too");
    let accept = [
        ("password", "새 담당자의 비밀번호"),
        ("password_confirm", "새 담당자의 비밀번호"),
        ("consent_personal_data", "yes"),
        ("consent_terms", "yes"),
    ];
    let accepted = person.submit(&link, &link, &accept).await;
    assert_eq!((accepted.status, accepted.location.as_deref()), (303, Some("/hanbit/staff")), "to the workspace");
    assert!(person.get("/hanbit/staff").await.body.contains("문화관광과"), "an officer of culture");
    assert_eq!(Browser::new(&app).get(&link).await.status, 404, "the link works once");
    assert_eq!(Browser::new(&app).login("new.officer@hanbit.example", "새 담당자의 비밀번호").await.status, 303);
});
