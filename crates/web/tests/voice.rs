//! Citizen voice over HTTP on both engines: a citizen proposes (checking it on the
//! preview step), another supports, a coordinator assigns, the department answers,
//! and the author is told in the app and by e-mail (and who is told of reaching the
//! threshold, a withdrawal and hiding); one person's 1,000 simultaneous
//! supports count once; reports hide a comment until a moderator decides; a refused
//! proposal keeps what was typed; notices show between their dates and their feeds
//! parse in a real feed parser.

mod common;

use common::{smtp, Browser, Fixture, TestApp};
use sotong_core::voice::proposals::{NewProposal, ProposalRules};
use sotong_store::voice::proposals::Supported;
use sotong_store::{both_backends, Actor, Store};
use sotong_web::demo::DEMO_PASSWORD;
use sotong_web::mail::Mailer;
use sotong_web::WebConfig;

/// A resident's account (the demo has one citizen; supports need more people).
async fn resident(store: &Store, n: usize) -> sotong_store::users::User {
    let email = sotong_core::user::Email::parse(&format!("resident-{n}@hanbit.example")).unwrap();
    let hash = sotong_web::passwords::hash_password(DEMO_PASSWORD).unwrap();
    store.create_user(&Actor::cli(), &email, &format!("주민{n}"), &hash, false).await.unwrap()
}

async fn logged_in(app: &TestApp, email: &str) -> Browser {
    Browser::login_demo(app, email).await
}

fn id_from(location: &str) -> i64 {
    let path = location.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

both_backends!(a_proposal_is_supported_assigned_answered_and_its_author_told_by_email, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::Demo, WebConfig::default()).await;
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let title = "한빛공원 공영주차장 확충";
    let text = "주말마다 공원 주변 도로가 주차 차량으로 막힙니다.\n\n공원 서쪽 유휴부지에 공영주차장을 만들어 주세요.";
    let fields = [("subject", title), ("content", text), ("category", "transport"), ("location", "한빛공원")];

    // A bad form names each field and changes nothing.
    let bad = citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &[("subject", "짧음")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("너무 짧습니다") && bad.body.contains("필수 입력 항목입니다"), "{}", bad.body);
    // The preview step shows the checked proposal and a submit button, without JavaScript.
    let mut preview_fields = fields.to_vec();
    preview_fields.push(("step", "preview"));
    let preview = citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &preview_fields).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("제안 내용 확인") && preview.body.contains(r#"value="submit""#), "{}", preview.body);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    assert_eq!(app.store.proposals(city.id, &Default::default()).await.unwrap().1, 0, "nothing saved yet");
    let mut submit_fields = fields.to_vec();
    submit_fields.push(("step", "submit"));
    let submitted = citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &submit_fields).await;
    assert_eq!(submitted.status, 303, "{}", submitted.body);
    let location = submitted.location.unwrap();
    let id = id_from(&location);
    let page = citizen.get(&location).await;
    assert!(page.body.contains("제안이 접수되었습니다") && page.body.contains(title));
    assert!(page.body.contains("김*민"), "the author's name is masked");

    // Another resident supports it, once however often they press.
    resident(&app.store, 1).await;
    let supporter = Browser::from_address(&app, "127.0.0.2");
    assert_eq!(supporter.login("resident-1@hanbit.example", DEMO_PASSWORD).await.status, 303);
    let path = format!("/hanbit/proposals/{id}");
    let support = format!("{path}/support");
    for _ in 0..3 {
        assert_eq!(supporter.submit(&path, &support, &[("action", "support")]).await.status, 303);
    }
    assert!(supporter.get(&path).await.body.contains("공감 1명 / 답변 기준 50명"));
    assert_eq!(app.store.counted_supports(id).await.unwrap(), 1);

    // The coordinator assigns it to the culture department; the queue shows it first.
    let coordinator = logged_in(&app, "coordinator@hanbit.example").await;
    let queue = coordinator.get("/hanbit/staff/proposals").await;
    assert!(queue.body.contains(title), "{}", queue.body);
    let culture = app.store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let staff_page = format!("/hanbit/staff/proposals/{id}");
    let assigned = coordinator
        .submit(&staff_page, &format!("{staff_page}/assign"), &[("department", &culture.id.to_string())])
        .await;
    assert_eq!(assigned.status, 303, "{}", assigned.body);
    let proposal = app.store.proposal(city.id, id).await.unwrap().unwrap();
    assert_eq!(proposal.state.as_str(), "reviewing");
    let due = proposal.due_on.clone().expect("a deadline once assigned");
    assert_eq!(due, sotong_core::format::kst_date_after(proposal.assigned_at.unwrap(), 14));
    // The officer of another department may not answer; the culture officer may.
    let officer = logged_in(&app, "officer@hanbit.example").await;
    let officer_queue = officer.get("/hanbit/staff/proposals").await;
    assert!(officer_queue.body.contains(title), "the department's queue lists it");
    let answer_fields = [
        ("result", "partially_accepted"),
        ("answer", "공원 서쪽 부지에 내년 상반기까지 120면 규모 임시 주차장을 만들겠습니다."),
        ("officer", "문담당"),
        ("contact", "041-360-3190"),
    ];
    // A bad answer names its fields.
    let bad_answer = officer.submit(&staff_page, &format!("{staff_page}/answer"), &[("result", "maybe")]).await;
    assert_eq!(bad_answer.status, 422);
    assert!(bad_answer.body.contains("목록에 있는 값을 골라 주세요"));
    let answered = officer.submit(&staff_page, &format!("{staff_page}/answer"), &answer_fields).await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let public = Browser::new(&app).get(&path).await.body;
    for expected in ["답변완료", "부분수용", "120면 규모", "문화관광과", "문담당", "041-360-3190"] {
        assert!(public.contains(expected), "the public page shows {expected}");
    }
    // Supports end with the answer.
    assert!(!public.contains("공감하기"));

    // The author and the supporter were told of the assignment and the answer.
    let author = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    let kinds: Vec<String> =
        app.store.notifications(author.id, 10).await.unwrap().into_iter().map(|n| n.kind).collect();
    assert_eq!(kinds, ["proposal_answered", "proposal_assigned"]);
    let supporter_user = app.store.user_by_email("resident-1@hanbit.example").await.unwrap().unwrap();
    assert_eq!(app.store.notifications(supporter_user.id, 10).await.unwrap().len(), 2);
    let mut server = smtp::start_smtp();
    let mailer = Mailer::new(&smtp::config(server.port)).unwrap();
    assert_eq!(mailer.deliver_pending(&app.store).await.unwrap(), 4);
    let mut bodies = Vec::new();
    for _ in 0..4 {
        bodies.push(smtp::next_message(&mut server));
    }
    let to_author: Vec<_> = bodies
        .iter()
        .filter(|m| m.headers.iter().any(|h| h.starts_with("To: ") && h.ends_with("<citizen@hanbit.example>")))
        .collect();
    assert_eq!(to_author.len(), 2);
    let answer_mail =
        to_author.iter().find(|m| m.body.contains("담당 부서가 답변했습니다")).expect("the answer e-mail");
    assert!(answer_mail.body.starts_with("김시민님"), "{}", answer_mail.body);
    assert!(answer_mail.body.contains(title));
    assert!(answer_mail.body.contains(&format!("https://sotong.hanbit.example/hanbit/proposals/{id}")));
});

both_backends!(reaching_the_threshold_withdrawal_and_hiding_are_told_to_those_concerned, |backend| async move {
    use sotong_store::voice::moderation::{Decision, Subject};
    let store = common::fixture_store(backend, Fixture::Demo).await;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let (author, early, last) = (resident(&store, 1).await, resident(&store, 2).await, resident(&store, 3).await);
    let new = |title: &str| {
        NewProposal::parse(title, "알림이 누구에게 가는지 확인하는 시험용 제안입니다.", "other", "").unwrap()
    };
    let kinds = |user: i64| {
        let store = store.clone();
        async move { store.notifications(user, 10).await.unwrap().into_iter().map(|n| n.kind).collect::<Vec<_>>() }
    };
    let rules = ProposalRules { support_threshold: 2, ..ProposalRules::default() };
    // The second support makes it 답변 대상: the author and the first supporter are told.
    let due = store.create_proposal(&Actor::cli(), city.id, author.id, &new("답변 대상이 될 제안")).await.unwrap();
    store.support_proposal(&Actor::cli(), &due, early.id, &rules).await.unwrap();
    assert!(kinds(author.id).await.is_empty(), "one support below the threshold tells no one");
    let reached = store.support_proposal(&Actor::cli(), &due, last.id, &rules).await.unwrap();
    assert!(matches!(reached, Supported::Added { reached_threshold: true, .. }));
    assert_eq!(kinds(author.id).await, ["proposal_threshold"]);
    assert_eq!(kinds(early.id).await, ["proposal_threshold"]);
    assert!(kinds(last.id).await.is_empty(), "the one who made it reach the threshold saw it on the page");
    // A withdrawal tells the supporters, not the author who withdrew it.
    let taken_back = store.create_proposal(&Actor::cli(), city.id, author.id, &new("철회할 제안")).await.unwrap();
    store.support_proposal(&Actor::cli(), &taken_back, last.id, &rules).await.unwrap();
    store.withdraw_proposal(&Actor::cli(), &taken_back).await.unwrap();
    assert_eq!(kinds(last.id).await, ["proposal_withdrawn"]);
    assert_eq!(kinds(author.id).await, ["proposal_threshold"]);
    // A moderator hiding a proposal or a comment tells its author only, once.
    let comment = store.add_comment(&Actor::cli(), &due, early.id, "광고 문구가 들어간 댓글입니다.").await.unwrap();
    let hide = Decision::Hide { reason: "광고라 숨깁니다.".into() };
    store.moderate(&Actor::cli(), city.id, Subject::Comment(comment), &hide).await.unwrap();
    store.moderate(&Actor::cli(), city.id, Subject::Proposal(due.id), &hide).await.unwrap();
    store.moderate(&Actor::cli(), city.id, Subject::Proposal(due.id), &hide).await.unwrap();
    assert_eq!(kinds(early.id).await, ["comment_hidden", "proposal_threshold"]);
    assert_eq!(kinds(author.id).await, ["proposal_hidden", "proposal_threshold"]);
    let told = &store.notifications(author.id, 1).await.unwrap()[0];
    assert_eq!(told.link, format!("/hanbit/proposals/{}", due.id));
    // By e-mail too, each in words of its own.
    let mut server = smtp::start_smtp();
    let mailer = Mailer::new(&smtp::config(server.port)).unwrap();
    assert_eq!(mailer.deliver_pending(&store).await.unwrap(), 5);
    let bodies: Vec<String> = (0..5).map(|_| smtp::next_message(&mut server).body).collect();
    for expected in ["답변 대상이 되었습니다", "제안자가 철회했습니다", "남기신 정책제안이", "남기신 댓글이"]
    {
        assert!(bodies.iter().any(|b| b.contains(expected)), "an e-mail says {expected}: {bodies:?}");
    }
});

both_backends!(one_persons_thousand_simultaneous_supports_count_once, |backend| async move {
    let store = common::fixture_store(backend, Fixture::Demo).await;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let author = resident(&store, 1).await;
    let supporter = resident(&store, 2).await;
    let new = NewProposal::parse(
        "동시 공감 시험 제안",
        "같은 사람이 한꺼번에 천 번 공감해도 한 번만 세어야 합니다.",
        "other",
        "",
    )
    .unwrap();
    let proposal = store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let rules = ProposalRules::default();
    let attempts: Vec<_> = (0..1000)
        .map(|_| {
            let (store, proposal) = (store.clone(), proposal.clone());
            tokio::spawn(async move { store.support_proposal(&Actor::cli(), &proposal, supporter.id, &rules).await })
        })
        .collect();
    let mut added = 0;
    let mut already = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(Supported::Added { .. }) => added += 1,
            Ok(Supported::Already) => already += 1,
            // A database too busy to take the write refuses it: it was not counted.
            Err(sotong_store::StoreError::Unavailable(_)) => {}
            Err(other) => panic!("support failed: {other}"),
        }
    }
    assert_eq!(added, 1, "exactly one attempt counted ({already} saw it already counted)");
    assert!(already >= 900, "the others were refused by the constraint, not by a busy database: {already}");
    assert_eq!(store.counted_supports(proposal.id).await.unwrap(), 1);
    assert_eq!(store.proposal(city.id, proposal.id).await.unwrap().unwrap().support_count, 1);
});

both_backends!(the_threshold_makes_a_proposal_due_an_answer_and_locks_its_supports, |backend| async move {
    let store = common::fixture_store(backend, Fixture::Demo).await;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let rules = ProposalRules { support_threshold: 3, ..ProposalRules::default() };
    store.set_proposal_rules(&Actor::cli(), city.id, &rules).await.unwrap();
    assert_eq!(store.proposal_rules(city.id).await.unwrap(), rules);
    let author = resident(&store, 1).await;
    let new = NewProposal::parse("답변 기준 시험 제안", "세 명이 공감하면 답변 대상이 되는지 확인합니다.", "other", "")
        .unwrap();
    let proposal = store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let mut people = Vec::new();
    for n in 2..=4 {
        people.push(resident(&store, n).await);
    }
    assert!(matches!(
        store.support_proposal(&Actor::cli(), &proposal, people[0].id, &rules).await.unwrap(),
        Supported::Added { count: 1, reached_threshold: false }
    ));
    // Before the threshold a support can be taken back, and given again.
    assert!(store.withdraw_support(&Actor::cli(), &proposal, people[0].id).await.unwrap());
    store.support_proposal(&Actor::cli(), &proposal, people[0].id, &rules).await.unwrap();
    store.support_proposal(&Actor::cli(), &proposal, people[1].id, &rules).await.unwrap();
    let third = store.support_proposal(&Actor::cli(), &proposal, people[2].id, &rules).await.unwrap();
    assert_eq!(third, Supported::Added { count: 3, reached_threshold: true });
    let due = store.proposal(city.id, proposal.id).await.unwrap().unwrap();
    assert!(due.is_answer_due());
    assert_eq!(due.due_on.clone().unwrap(), sotong_core::format::kst_date_after(due.threshold_reached_at.unwrap(), 30));
    // Now the supports that made it 답변 대상 stay.
    let locked = store.withdraw_support(&Actor::cli(), &due, people[0].id).await.unwrap_err();
    assert!(matches!(locked, sotong_store::StoreError::Invalid(e) if e.code == "support_locked"));
    assert_eq!(store.counted_supports(proposal.id).await.unwrap(), 3);
});

both_backends!(three_reports_hide_a_comment_until_a_moderator_decides, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::Demo, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let author = resident(&app.store, 1).await;
    let new = NewProposal::parse("댓글 신고 시험 제안", "신고가 세 번 모이면 댓글이 숨겨지는지 봅니다.", "other", "")
        .unwrap();
    let proposal = app.store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let path = format!("/hanbit/proposals/{}", proposal.id);
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let posted =
        citizen.submit(&path, &format!("{path}/comments"), &[("comment", "연락처는 010-1234-5678입니다")]).await;
    assert_eq!(posted.status, 303);
    let comment = app.store.comments_of(proposal.id).await.unwrap().remove(0);
    let comment_id = comment.id.to_string();
    for n in 2..=4 {
        resident(&app.store, n).await;
        let reporter = Browser::from_address(&app, &format!("127.0.0.{n}"));
        assert_eq!(reporter.login(&format!("resident-{n}@hanbit.example"), DEMO_PASSWORD).await.status, 303);
        let fields = [("kind", "comment"), ("comment", comment_id.as_str()), ("reason", "personal_data")];
        assert_eq!(reporter.submit(&path, &format!("{path}/report"), &fields).await.status, 303);
        // The same person reporting twice counts once.
        reporter.submit(&path, &format!("{path}/report"), &fields).await;
    }
    let public = Browser::new(&app).get(&path).await.body;
    assert!(!public.contains("010-1234-5678"), "hidden after three reports");
    assert!(public.contains("숨김 처리된 댓글입니다"));
    let coordinator = logged_in(&app, "coordinator@hanbit.example").await;
    let queue = coordinator.get("/hanbit/staff/moderation").await.body;
    assert!(queue.contains("010-1234-5678") && queue.contains("신고 3건"), "{queue}");
    let decision = [("kind", "comment"), ("id", comment_id.as_str()), ("decision", "hide"), ("reason", "")];
    let refused = coordinator.submit("/hanbit/staff/moderation", "/hanbit/staff/moderation", &decision).await;
    assert_eq!(refused.status, 422, "hiding needs a reason");
    let reason = "다른 사람의 전화번호가 있어 숨깁니다.";
    let decision = [("kind", "comment"), ("id", comment_id.as_str()), ("decision", "hide"), ("reason", reason)];
    let hidden = coordinator.submit("/hanbit/staff/moderation", "/hanbit/staff/moderation", &decision).await;
    assert_eq!(hidden.status, 303);
    let public = Browser::new(&app).get(&path).await.body;
    assert!(public.contains(reason), "the reason is shown in the comment's place");
    assert!(coordinator.get("/hanbit/staff/moderation").await.body.contains("처리할 신고가 없습니다"));
    let audited: Vec<String> = app
        .store
        .audit_entries(&sotong_store::AuditFilter { body_id: Some(city.id), limit: 50, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audited.iter().filter(|a| *a == "content.report").count(), 3);
    assert!(audited.contains(&"content.hide".to_string()));
});

both_backends!(a_refused_proposal_keeps_what_was_typed, |backend| async move {
    let mut config = WebConfig::default();
    config.citizen_limits.proposals_per_day = 1;
    let app = common::spawn_fixture(backend, Fixture::Demo, config).await;
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let first = [
        ("subject", "첫 번째 제안입니다"),
        ("content", "하루에 한 번만 제안할 수 있을 때 첫 제안은 접수됩니다."),
        ("category", "other"),
        ("step", "submit"),
    ];
    assert_eq!(citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &first).await.status, 303);
    let typed = "두 번째 제안의 긴 본문: 거절되더라도 쓴 글이 사라지면 안 됩니다.";
    let second = [("subject", "두 번째 제안입니다"), ("content", typed), ("category", "other"), ("step", "submit")];
    let refused = citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &second).await;
    assert_eq!(refused.status, 429);
    assert!(refused.body.contains("오늘 제안할 수 있는 횟수를 넘었습니다"));
    assert!(refused.body.contains(typed), "what was typed is on the page again");
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    assert_eq!(app.store.proposals(city.id, &Default::default()).await.unwrap().1, 1);
});

both_backends!(following_is_limited_like_supports_across_modules, |backend| async move {
    let mut config = WebConfig::default();
    config.citizen_limits.supports_per_hour = 2;
    let app = common::spawn_fixture(backend, Fixture::DemoPlans, config).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let author = resident(&app.store, 1).await;
    let new = NewProposal::parse(
        "소식 받기 제한 시험 제안",
        "같은 사람이 소식 받기를 끝없이 누를 수는 없습니다.",
        "other",
        "",
    )
    .unwrap();
    let proposal = app.store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let page = format!("/hanbit/proposals/{}", proposal.id);
    let follow = format!("{page}/follow");
    assert_eq!(citizen.submit(&page, &follow, &[("action", "follow")]).await.status, 303);
    assert_eq!(citizen.submit(&page, &follow, &[("action", "unfollow")]).await.status, 303);
    // The same count covers following a plan: one limiter for every module.
    let plan_follow = "/hanbit/plans/pledges-8/follow";
    let refused = citizen.submit("/hanbit/plans/pledges-8", plan_follow, &[("action", "follow"), ("code", "")]).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    let refused = citizen.submit(&page, &follow, &[("action", "follow")]).await;
    assert_eq!(refused.status, 429);
    let user = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    assert!(!app.store.follows_proposal(proposal.id, user.id).await.unwrap(), "a refused follow changes nothing");
});

both_backends!(notices_show_between_their_dates_and_their_feeds_parse, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let visitor = Browser::new(&app);
    let list = visitor.get("/hanbit/notices").await;
    assert_eq!(list.status, 200);
    // Pinned first.
    let pinned = list.body.find("2027년도 주민참여예산 시민 제안 공모").unwrap();
    let later = list.body.find("한빛천 달빛 음악회 겨울 특별 공연").unwrap();
    assert!(pinned < later);
    let coordinator = logged_in(&app, "coordinator@hanbit.example").await;
    // A notice whose day has not come is not public yet; staff see it.
    let tomorrow = sotong_core::format::kst_date_after(sotong_store::now(), 1);
    let fields = [
        ("subject", "내일부터 게시할 알림"),
        ("content", "내일 게시됩니다."),
        ("category", "event"),
        ("publish_on", tomorrow.as_str()),
    ];
    assert_eq!(coordinator.submit("/hanbit/staff/notices", "/hanbit/staff/notices", &fields).await.status, 303);
    assert!(!visitor.get("/hanbit/notices").await.body.contains("내일부터 게시할 알림"));
    assert!(coordinator.get("/hanbit/staff/notices").await.body.contains("내일부터 게시할 알림"));
    let bad = [("subject", ""), ("content", "x"), ("category", "gossip"), ("publish_on", "2026-13-40")];
    let refused = coordinator.submit("/hanbit/staff/notices", "/hanbit/staff/notices", &bad).await;
    assert_eq!(refused.status, 422);
    for (path, version, count) in [
        ("/hanbit/notices/feed.rss", "rss20", 20),
        ("/hanbit/notices/feed.atom", "atom10", 20),
        ("/hanbit/notices/feed.rss?category=event", "rss20", 0),
    ] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let feed = common::feeds::parse_feed(&page.body);
        assert_eq!(feed["version"], version, "{path}");
        assert_eq!(feed["bozo"], 0, "{path}: {}", feed["error"]);
        let entries = feed["entries"].as_array().unwrap();
        if count > 0 {
            // Every notice on display today (some demo notices have ended).
            let city = app.store.public_body("hanbit").await.unwrap().unwrap();
            let today = sotong_core::format::kst_date_after(sotong_store::now(), 0);
            let (_, shown) = app.store.public_notices(city.id, None, &today, 0, 100).await.unwrap();
            assert_eq!(entries.len() as i64, shown.min(30), "{path}");
            assert!(entries[0]["link"].as_str().unwrap().starts_with(&app.base));
        } else {
            assert!(
                entries.iter().all(|e| e["title"] != "2027년도 주민참여예산 시민 제안 공모"),
                "{path}: one category"
            );
            assert!(!entries.is_empty(), "{path}: the demo has events on display");
        }
    }
    assert_eq!(visitor.get("/hanbit/notices/feed.rss?category=gossip").await.status, 404);
});

/// Posts JSON with the session's CSRF token (or without, when `token` is empty).
async fn post_json(browser: &Browser, path: &str, token: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let mut request = browser.client.post(format!("{}{path}", browser.base)).json(&body);
    if !token.is_empty() {
        request = request.header("x-csrf-token", token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}

both_backends!(the_api_reads_and_writes_proposals_without_naming_authors, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::Demo, WebConfig::default()).await;
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let token = citizen.get("/").await.csrf();
    let proposal = serde_json::json!({
        "title": "한빛역 광장 그늘막 설치",
        "text": "여름마다 한빛역 광장에서 버스를 기다리는 시민들이 뙤약볕에 서 있습니다. 그늘막을 설치해 주세요.",
        "category": "safety"
    });
    // Without the CSRF token nothing is saved.
    let (status, _) = post_json(&citizen, "/api/v1/orgs/hanbit/proposals", "", proposal.clone()).await;
    assert_eq!(status, 403);
    let (status, bad) = post_json(
        &citizen,
        "/api/v1/orgs/hanbit/proposals",
        &token,
        serde_json::json!({"title": "짧음", "text": "", "category": "x"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        bad["fields"]["title"].is_string()
            && bad["fields"]["text"].is_string()
            && bad["fields"]["category"].is_string(),
        "{bad}"
    );
    let (status, created) = post_json(&citizen, "/api/v1/orgs/hanbit/proposals", &token, proposal).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["state"], "received");
    // No author, account, name or e-mail anywhere in what the API says of it.
    let public = Browser::new(&app).get(&format!("/api/v1/orgs/hanbit/proposals/{id}")).await.body;
    for private in ["author", "citizen@hanbit.example", "김시민", "user_id"] {
        assert!(!public.contains(private), "{private} in {public}");
    }
    // Supports: once, however often asked.
    resident(&app.store, 1).await;
    let supporter = Browser::from_address(&app, "127.0.0.2");
    assert_eq!(supporter.login("resident-1@hanbit.example", DEMO_PASSWORD).await.status, 303);
    let supporter_token = supporter.get("/").await.csrf();
    let path = format!("/api/v1/orgs/hanbit/proposals/{id}/supports");
    let (_, first) = post_json(&supporter, &path, &supporter_token, serde_json::json!({})).await;
    let (_, second) = post_json(&supporter, &path, &supporter_token, serde_json::json!({})).await;
    assert_eq!((first["changed"].as_bool(), second["changed"].as_bool()), (Some(true), Some(false)));
    assert_eq!(second["supports"], 1);
    // The citizen may not assign; the coordinator does, the culture officer answers.
    let (status, _) = post_json(
        &citizen,
        &format!("/api/v1/orgs/hanbit/proposals/{id}/assignment"),
        &token,
        serde_json::json!({"department": "culture-tourism"}),
    )
    .await;
    assert_eq!(status, 403);
    let coordinator = logged_in(&app, "coordinator@hanbit.example").await;
    let coordinator_token = coordinator.get("/").await.csrf();
    let (status, assigned) = post_json(
        &coordinator,
        &format!("/api/v1/orgs/hanbit/proposals/{id}/assignment"),
        &coordinator_token,
        serde_json::json!({"department": "culture-tourism"}),
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(assigned["department"], "culture-tourism");
    assert!(assigned["due_on"].is_string());
    let officer = logged_in(&app, "officer@hanbit.example").await;
    let officer_token = officer.get("/").await.csrf();
    let answer = serde_json::json!({"result": "accepted", "text": "내년 여름 전에 그늘막 4개를 설치하겠습니다.", "officer": "문담당", "contact": "041-360-3190"});
    let (status, answered) =
        post_json(&officer, &format!("/api/v1/orgs/hanbit/proposals/{id}/answer"), &officer_token, answer).await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["answer"]["result"], "accepted");
    assert_eq!(answered["answer"]["unit"], "문화관광과");
    let list: serde_json::Value =
        serde_json::from_str(&Browser::new(&app).get("/api/v1/orgs/hanbit/proposals?state=answered").await.body)
            .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(Browser::new(&app).get("/api/v1/orgs/hanbit/proposals?state=nonsense").await.status, 422);
    // Notices: published by staff, read by anyone.
    let (status, _) = post_json(
        &citizen,
        "/api/v1/orgs/hanbit/notices",
        &token,
        serde_json::json!({"title": "x", "text": "y", "category": "general"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, notice) = post_json(&coordinator, "/api/v1/orgs/hanbit/notices", &coordinator_token, serde_json::json!({"title": "그늘막 설치 안내", "text": "한빛역 광장에 그늘막을 설치합니다.", "category": "general", "pinned": true})).await;
    assert_eq!(status, 201, "{notice}");
    let notices: serde_json::Value =
        serde_json::from_str(&Browser::new(&app).get("/api/v1/orgs/hanbit/notices").await.body).unwrap();
    assert_eq!(notices["items"][0]["title"], "그늘막 설치 안내");
});

both_backends!(files_on_proposals_and_notices_are_public_while_their_owner_is, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::Demo, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let author = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    let new = NewProposal::parse(
        "하천 산책로 가로등 설치",
        "밤에 산책로가 너무 어둡습니다. 가로등을 설치해 주세요.",
        "safety",
        "",
    )
    .unwrap();
    let proposal = app.store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let page = format!("/hanbit/proposals/{}", proposal.id);
    let files = format!("{page}/files");
    let pdf = b"%PDF-1.4 site photo and map";

    // The author attaches a document; anyone sees and downloads it.
    let citizen = logged_in(&app, "citizen@hanbit.example").await;
    let attached = citizen.upload(&page, &files, "현장 위치도.pdf", pdf).await;
    assert_eq!(attached.status, 303, "{}", attached.body);
    let public = Browser::new(&app).get(&page).await.body;
    assert!(public.contains("현장 위치도.pdf"), "{public}");
    let sha = sotong_store::files::sha256_hex(pdf);
    let link = format!("/hanbit/files/{sha}/%ED%98%84%EC%9E%A5.pdf");
    let download = Browser::new(&app).get(&link).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body.as_bytes(), pdf);
    // A file of a kind not accepted names the field in Korean; only five files.
    let refused = citizen.upload(&page, &files, "run.exe", b"MZ\x90\x00").await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("PDF, 한글(HWP·HWPX)"), "{}", refused.body);
    for n in 2..=5 {
        let bytes = format!("%PDF-1.4 page {n}");
        assert_eq!(citizen.upload(&page, &files, &format!("자료{n}.pdf"), bytes.as_bytes()).await.status, 303);
    }
    let sixth = citizen.upload(&page, &files, "자료6.pdf", b"%PDF-1.4 six").await;
    assert_eq!(sixth.status, 422);
    assert!(sixth.body.contains("다섯 개까지"), "{}", sixth.body);
    // Someone else may not attach to it.
    resident(&app.store, 7).await;
    let other = Browser::from_address(&app, "127.0.0.7");
    other.login("resident-7@hanbit.example", DEMO_PASSWORD).await;
    assert_eq!(other.upload(&page, &files, "x.pdf", b"%PDF-1.4 x").await.status, 403);

    // Another resident follows it and is told of the answer; unfollowing stops that.
    let follow = format!("{page}/follow");
    assert_eq!(other.submit(&page, &follow, &[("action", "follow")]).await.status, 303);
    assert!(other.get(&page).await.body.contains("소식 그만 받기"));
    let follower = app.store.user_by_email("resident-7@hanbit.example").await.unwrap().unwrap();
    let culture = app.store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let rules = ProposalRules::default();
    let assigned = app.store.assign_proposal(&Actor::cli(), "hanbit", &proposal, culture.id, &rules).await.unwrap();
    assert_eq!(app.store.notifications(follower.id, 10).await.unwrap().len(), 1, "told of the assignment");
    assert_eq!(other.submit(&page, &follow, &[("action", "unfollow")]).await.status, 303);
    let answer = sotong_core::voice::proposals::Answer::parse(
        "accepted",
        "내년에 가로등 12기를 설치합니다.",
        "문담당",
        "041-360-3190",
    )
    .unwrap();
    app.store.answer_proposal(&Actor::cli(), "hanbit", &assigned, &answer).await.unwrap();
    assert_eq!(app.store.notifications(follower.id, 10).await.unwrap().len(), 1, "not told once unfollowed");

    // Hidden by a moderator: its files are no longer public, staff still open them.
    let hide = sotong_store::voice::moderation::Decision::Hide { reason: "개인정보 노출".into() };
    let subject = sotong_store::voice::moderation::Subject::Proposal(proposal.id);
    app.store.moderate(&Actor::cli(), city.id, subject, &hide).await.unwrap();
    assert_eq!(Browser::new(&app).get(&link).await.status, 404);
    assert_eq!(logged_in(&app, "coordinator@hanbit.example").await.get(&link).await.status, 200);

    // A notice's file: staff attach it on the notice's page, the public downloads it
    // until the notice is withdrawn.
    let notice = sotong_core::voice::notices::NewNotice::parse(
        "동절기 제설 대책 안내",
        "제설 취약 구간과 모래주머니 위치를 알려 드립니다.",
        "general",
        false,
        "2026-01-01",
        "",
        "2026-01-01",
    )
    .unwrap();
    let notice = app.store.create_notice(&Actor::cli(), city.id, &notice).await.unwrap();
    let editor = logged_in(&app, "coordinator@hanbit.example").await;
    let staff_page = format!("/hanbit/staff/notices/{}", notice.id);
    let map = b"%PDF-1.4 snow map";
    assert_eq!(editor.upload(&staff_page, &format!("{staff_page}/files"), "제설 지도.pdf", map).await.status, 303);
    assert!(Browser::new(&app).get(&format!("/hanbit/notices/{}", notice.id)).await.body.contains("제설 지도.pdf"));
    let map_link = format!("/hanbit/files/{}/map.pdf", sotong_store::files::sha256_hex(map));
    assert_eq!(Browser::new(&app).get(&map_link).await.status, 200);
    let withdraw = format!("{staff_page}/withdraw");
    assert_eq!(editor.submit(&staff_page, &withdraw, &[]).await.status, 303);
    assert_eq!(Browser::new(&app).get(&map_link).await.status, 404);
    let audited: Vec<String> = app
        .store
        .audit_entries(&sotong_store::AuditFilter { body_id: Some(city.id), limit: 100, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audited.iter().filter(|a| *a == "attachment.add").count(), 6);
});
