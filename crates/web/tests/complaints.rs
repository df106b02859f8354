//! Complaints over HTTP on both engines, on the demo city: the demo citizen files the
//! matter they filed last month, is shown that complaint's answer first, files anyway
//! and finds the new one on the repeated-complaints board linked to the first; the
//! coordinator receives it, extends it, answers it, and the filer is told and rates
//! the answer. A private complaint is seen by its filer and the staff handling it,
//! and by no one else on any public page. The officer's inbox shows the D-days.

mod common;

use common::{Browser, Fixture, TestApp};
use sotong_core::voice::complaints::ComplaintState;
use sotong_store::both_backends;
use sotong_store::voice::complaints::ComplaintFilter;
use sotong_web::WebConfig;

fn id_from(location: &str) -> i64 {
    let path = location.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

async fn category_id(app: &TestApp, code: &str) -> String {
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    app.store.complaint_category_by_code(city.id, code).await.unwrap().unwrap().id.to_string()
}

/// Fills the form, checks the preview, then files; returns the new complaint's page.
async fn file(browser: &Browser, fields: &[(&str, &str)]) -> (common::Page, String) {
    let mut preview_fields = fields.to_vec();
    preview_fields.push(("step", "preview"));
    let preview = browser.submit("/hanbit/complaints/new", "/hanbit/complaints/new", &preview_fields).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let mut submit_fields = fields.to_vec();
    submit_fields.push(("step", "submit"));
    let filed = browser.submit("/hanbit/complaints/new", "/hanbit/complaints/new", &submit_fields).await;
    assert_eq!(filed.status, 303, "{}", filed.body);
    (preview, filed.location.unwrap())
}

both_backends!(a_repeat_is_shown_the_earlier_answer_and_lands_on_the_repeated_board, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let transit = category_id(&app, "transit").await;
    // A bad form names each field and saves nothing.
    let bad = citizen.submit("/hanbit/complaints/new", "/hanbit/complaints/new", &[("subject", "짧음")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("필수 입력 항목입니다"), "{}", bad.body);

    let text = "한빛동 행정복지센터 앞 횡단보도의 보행 신호가 여전히 짧아 어르신들이 건너는 도중에 신호가 바뀝니다. 보행 신호 시간을 더 늘려 주세요.";
    let fields = [
        ("category", transit.as_str()),
        ("subject", "행정복지센터 앞 횡단보도 신호가 아직도 짧습니다"),
        ("content", text),
        ("visibility", "public"),
        ("address", "한빛동 행정복지센터 앞"),
    ];
    let (preview, location) = file(&citizen, &fields).await;
    // The preview showed last month's complaint with its answer, and "file anyway".
    assert!(preview.body.contains("같은 내용으로 신청하신 민원이 있습니다"), "{}", preview.body);
    assert!(preview.body.contains("20초에서 28초로 늘렸습니다"), "the earlier answer is shown: {}", preview.body);
    assert!(preview.body.contains("그래도 새로 신청하기"));
    let id = id_from(&location);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let filed = app.store.complaint(city.id, id).await.unwrap().unwrap();
    let first = app.store.complaint(city.id, filed.repeat_of.expect("linked to the first")).await.unwrap().unwrap();
    assert_eq!(first.title, "행정복지센터 앞 횡단보도 신호가 짧습니다");
    assert_eq!(filed.state, ComplaintState::Received);

    // The repeated-complaints board lists the matter with both filings.
    let board = Browser::new(&app).get("/hanbit/complaints/repeated").await;
    assert_eq!(board.status, 200);
    assert!(board.body.contains("행정복지센터 앞 횡단보도 신호가 짧습니다"), "{}", board.body);
    assert!(
        board.body.contains(&format!("/hanbit/complaints/{id}\"")),
        "the new filing is in the chain: {}",
        board.body
    );

    // The coordinator receives it, extends it once with a reason, and answers it.
    let staff = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let page = format!("/hanbit/staff/complaints/{id}");
    let shown = staff.get(&page).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("김시민") && shown.body.contains("citizen@hanbit.example"), "staff see the filer");
    assert!(shown.body.contains("행정복지센터 앞 횡단보도 신호가 짧습니다"), "the officer sees the earlier one");
    let department = filed.department_id.unwrap().to_string();
    let assigned = staff.submit(&page, &format!("{page}/assign"), &[("department", department.as_str())]).await;
    assert_eq!(assigned.status, 303, "{}", assigned.body);
    // An extension before the deadline is refused, with the field named.
    let refused =
        staff.submit(&page, &format!("{page}/extend"), &[("due_date", "2020-01-01"), ("reason", "조사 필요")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("field-due_date") || refused.body.contains("due_date"), "{}", refused.body);
    let due = sotong_core::format::KstDateTime::from_unix(filed.due_at + 3 * 86_400);
    let date = format!("{:04}-{:02}-{:02}", due.year, due.month, due.day);
    let extended = staff
        .submit(
            &page,
            &format!("{page}/extend"),
            &[("due_date", date.as_str()), ("reason", "경찰서와 신호 체계를 협의하는 중입니다.")],
        )
        .await;
    assert_eq!(extended.status, 303, "{}", extended.body);
    let after = app.store.complaint(city.id, id).await.unwrap().unwrap();
    assert_eq!(after.extensions, 1);
    assert!(after.due_at > filed.due_at);
    let answer = [
        ("outcome", "resolved"),
        ("answer", "경찰서와 협의해 보행 신호를 28초에서 32초로 더 늘립니다."),
        ("officer", "교통정책과 주무관 한지민"),
        ("contact", "041-360-3400"),
    ];
    let answered = staff.submit(&page, &format!("{page}/answer"), &answer).await;
    assert_eq!(answered.status, 303, "{}", answered.body);

    // The filer is told, reads the answer with its unit, officer and remedies, rates it.
    let user = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    let notes = app.store.notifications(user.id, 50).await.unwrap();
    assert!(notes.iter().any(|n| n.kind == "complaint_extended"), "told of the extension");
    assert!(notes.iter().any(|n| n.kind == "complaint_answered"), "told of the answer");
    let public = citizen.get(&format!("/hanbit/complaints/{id}")).await;
    assert!(
        public.body.contains("32초로 더 늘립니다") && public.body.contains("교통정책과 주무관 한지민"),
        "{}",
        public.body
    );
    let rated = citizen
        .submit(&format!("/hanbit/complaints/{id}"), &format!("/hanbit/complaints/{id}/rate"), &[("satisfaction", "4")])
        .await;
    assert_eq!(rated.status, 303, "{}", rated.body);
    assert_eq!(app.store.complaint(city.id, id).await.unwrap().unwrap().satisfaction, Some(4));
    // Nobody else rates it.
    let other = Browser::login_demo(&app, "officer@hanbit.example").await;
    let forbidden = other
        .submit(&format!("/hanbit/complaints/{id}"), &format!("/hanbit/complaints/{id}/rate"), &[("satisfaction", "1")])
        .await;
    assert_eq!(forbidden.status, 403);
});

both_backends!(a_private_complaint_is_seen_by_its_filer_and_handlers_only, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let welfare = category_id(&app, "welfare").await;
    let title = "장애인 활동지원 시간 추가 문의드립니다";
    let fields = [
        ("category", welfare.as_str()),
        ("subject", title),
        ("content", "아들의 장애인 활동지원 시간이 줄었습니다. 재판정을 받을 수 있는지 알고 싶습니다."),
        ("visibility", "private"),
        ("phone", "010-9876-5432"),
    ];
    let (_, location) = file(&citizen, &fields).await;
    let id = id_from(&location);
    let path = format!("/hanbit/complaints/{id}");
    let own = citizen.get(&path).await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains(title));
    // The filer's own list has it; the public board, a stranger, another citizen and
    // the search do not.
    assert!(citizen.get("/hanbit/complaints/mine").await.body.contains(title));
    let anonymous = Browser::new(&app);
    assert_eq!(anonymous.get(&path).await.status, 404);
    for page in ["/hanbit/complaints", "/hanbit/complaints?state=open", "/hanbit/complaints/repeated"] {
        let body = anonymous.get(page).await.body;
        assert!(!body.contains(title), "{page} lists a private complaint");
    }
    let stranger = Browser::login_demo(&app, "secretary@hanbit.example").await;
    assert_eq!(stranger.get(&path).await.status, 404);
    // The search index follows changes within 2 seconds (tests/search.rs).
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let search = anonymous.get(&format!("/search?q={}", sotong_web::security::url_encode("활동지원 재판정"))).await;
    assert!(!search.body.contains(title), "search shows a private complaint");
    // The staff handling it see it, with the filer's phone.
    let staff = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let handled = staff.get(&format!("/hanbit/staff/complaints/{id}")).await;
    assert_eq!(handled.status, 200);
    assert!(handled.body.contains("010-9876-5432"));
    assert!(staff.get("/hanbit/staff/complaints?view=new").await.body.contains(title));
    // An officer of another department is refused it.
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    assert_eq!(officer.get(&format!("/hanbit/staff/complaints/{id}")).await.status, 403);
    assert_eq!(officer.get(&path).await.status, 404);
});

both_backends!(the_inbox_shows_each_cases_d_day_and_the_overdue_figures, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let at = sotong_store::now();
    let filter = ComplaintFilter { due_before: Some(at), limit: 500, ..Default::default() };
    let (overdue, count) = app.store.complaints(city.id, &filter).await.unwrap();
    assert!(count > 0, "the demo has overdue complaints");
    let staff = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let inbox = staff.get("/hanbit/staff/complaints?view=overdue").await;
    assert_eq!(inbox.status, 200);
    for complaint in overdue.iter().take(5) {
        assert!(inbox.body.contains(&complaint.title), "{} is in the overdue view", complaint.title);
    }
    assert!(inbox.body.contains("일 지남"), "overdue ones read as days past: {}", inbox.body);
    assert!(inbox.body.contains("부서별 처리 현황") || inbox.body.contains("<table"), "the figures table is shown");
    // Citizens are refused the inbox.
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    assert_eq!(citizen.get("/hanbit/staff/complaints").await.status, 403);
});

both_backends!(the_api_gives_the_per_department_figures_the_coordinator_sees, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let page = Browser::new(&app).get("/api/v1/orgs/hanbit/complaints/figures").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let figures: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let rows = figures["departments"].as_array().unwrap();
    let sum = |key: &str| rows.iter().map(|r| r[key].as_i64().unwrap()).sum::<i64>();
    let open = ComplaintFilter {
        states: vec![ComplaintState::Received, ComplaintState::Assigned, ComplaintState::InProgress],
        limit: 1,
        ..Default::default()
    };
    assert_eq!(sum("open"), app.store.complaints(city.id, &open).await.unwrap().1, "every open complaint counted once");
    let overdue = ComplaintFilter { due_before: Some(sotong_store::now()), limit: 1, ..Default::default() };
    assert_eq!(sum("overdue"), app.store.complaints(city.id, &overdue).await.unwrap().1);
    assert!(sum("overdue") > 0 && sum("answered_late") <= sum("answered"), "{figures}");
    let roads = rows.iter().find(|r| r["department"] == "urban-planning").expect("the roads' department");
    assert_eq!(roads["name"], "도시계획과");
    // Counts only: no complaint's text or filer.
    assert!(!page.body.contains("횡단보도") && !page.body.contains("@"), "{}", page.body);
});

both_backends!(staff_download_a_periods_complaints_without_personal_data, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let inbox = coordinator.get("/hanbit/staff/complaints").await;
    assert!(inbox.body.contains("기간별 민원 내려받기"), "the inbox offers the export");
    let today = sotong_core::format::kst_date_after(sotong_store::now(), 0);
    let from = sotong_core::format::kst_date_after(sotong_store::now(), -120);
    let csv = coordinator.get(&format!("/hanbit/staff/complaints/export?from={from}&to={today}&format=csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.headers["content-disposition"].to_str().unwrap().ends_with(".csv\""));
    let text = csv.body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("번호,신청 일시,분야,민원 종류,제목"), "{}", lines[0]);
    let start = sotong_core::format::kst_unix(&from, 0).unwrap();
    let filter = ComplaintFilter { filed_from: Some(start), limit: 1, ..Default::default() };
    let expected = app.store.complaints(city.id, &filter).await.unwrap().1;
    assert_eq!(lines.len() as i64 - 1, expected, "one line per complaint filed in the period");
    assert!(!text.contains('@') && !text.contains("010-"), "no filer's e-mail or telephone");
    assert!(text.contains(",준수,") && text.contains(",처리 중,"), "whether each deadline was kept");
    let xlsx = coordinator.get(&format!("/hanbit/staff/complaints/export?from={from}&to={today}&format=xlsx")).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    // A bad period says which field; a citizen may not download.
    let bad = coordinator.get("/hanbit/staff/complaints/export?from=2026-02-31&to=2025-01-01").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    assert_eq!(citizen.get(&format!("/hanbit/staff/complaints/export?from={from}&to={today}")).await.status, 403);
});

both_backends!(staff_link_merge_split_transfer_and_answer_from_a_template, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let province = app.store.public_body("hangaram").await.unwrap().unwrap();
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;

    // Templates: the demo's are listed; a bad one names its field; a good one is added.
    let templates = coordinator.get("/hanbit/staff/complaints/templates").await;
    assert_eq!(templates.status, 200);
    assert!(templates.body.contains("가로등·보안등 고장"), "{}", templates.body);
    let form = "/hanbit/staff/complaints/templates";
    let bad = coordinator.submit(form, form, &[("template_title", ""), ("template_body", "짧음")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("서식 이름") && bad.body.contains("필수 입력 항목입니다"), "{}", bad.body);
    let text = "말씀하신 놀이터 시설은 현장을 확인해 이번 달 안에 고치겠습니다.";
    let added =
        coordinator.submit(form, form, &[("template_title", "놀이터 시설 보수"), ("template_body", text)]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let template =
        app.store.complaint_templates(city.id).await.unwrap().into_iter().find(|t| t.title == "놀이터 시설 보수");
    let template = template.expect("stored");

    // The citizen files two different matters.
    let roads = category_id(&app, "roads").await;
    let first_fields = [
        ("category", roads.as_str()),
        ("subject", "별빛초등학교 정문 앞 보도블록이 들떠 있습니다"),
        ("content", "별빛초등학교 정문 앞 보도블록 여러 장이 들떠서 아이들이 걸려 넘어집니다. 보수해 주세요."),
        ("visibility", "public"),
    ];
    let second_fields = [
        ("category", roads.as_str()),
        ("subject", "정문 앞 보도 아직 그대로입니다"),
        ("content", "지난번에 말씀드린 학교 앞 보도가 아직 고쳐지지 않아 등굣길 아이들이 차도로 걸어 다닙니다."),
        ("visibility", "public"),
    ];
    let first = id_from(&file(&citizen, &first_fields).await.1);
    let second = id_from(&file(&citizen, &second_fields).await.1);
    let page = format!("/hanbit/staff/complaints/{second}");
    assert_eq!(app.store.complaint(city.id, second).await.unwrap().unwrap().repeat_of, None, "not similar enough");

    // Linked by hand as a repeat of the first; another person's complaint is refused.
    let others = ComplaintFilter {
        states: vec![ComplaintState::Received, ComplaintState::Assigned, ComplaintState::InProgress],
        limit: 500,
        ..Default::default()
    };
    let user = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    let (open, _) = app.store.complaints(city.id, &others).await.unwrap();
    let stranger =
        open.iter().find(|c| c.filer_id.is_some() && c.filer_id != Some(user.id) && c.case_id.is_none()).unwrap();
    let refused = coordinator.submit(&page, &format!("{page}/link"), &[("repeat_of", &stranger.id.to_string())]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("다른 사람의 민원과는"), "{}", refused.body);
    let bad = coordinator.submit(&page, &format!("{page}/link"), &[("repeat_of", "일이삼")]).await;
    assert_eq!(bad.status, 422);
    let linked = coordinator.submit(&page, &format!("{page}/link"), &[("repeat_of", &first.to_string())]).await;
    assert_eq!(linked.status, 303, "{}", linked.body);
    assert_eq!(app.store.complaint(city.id, second).await.unwrap().unwrap().repeat_of, Some(first));
    let shown = coordinator.get(&page).await;
    assert!(shown.body.contains("별빛초등학교 정문 앞 보도블록이 들떠 있습니다"), "the chain is shown");
    let unlinked = coordinator.submit(&page, &format!("{page}/unlink"), &[]).await;
    assert_eq!(unlinked.status, 303, "{}", unlinked.body);
    assert_eq!(app.store.complaint(city.id, second).await.unwrap().unwrap().repeat_of, None);

    // Merged with another person's complaint into one case, then split out again.
    let merged =
        coordinator.submit(&page, &format!("{page}/merge"), &[("case_with", &format!("#{}", stranger.id))]).await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    let case = app.store.complaint(city.id, second).await.unwrap().unwrap().case_id.expect("in a case");
    assert_eq!(app.store.complaint(city.id, stranger.id).await.unwrap().unwrap().case_id, Some(case));
    assert!(coordinator.get(&page).await.body.contains("신청인 2명"), "the case counts its filers");
    let unknown = coordinator.submit(&page, &format!("{page}/merge"), &[("case_with", "99999999")]).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    let split = coordinator.submit(&page, &format!("{page}/split"), &[]).await;
    assert_eq!(split.status, 303, "{}", split.body);
    assert_eq!(app.store.complaint(city.id, second).await.unwrap().unwrap().case_id, None);
    assert_eq!(app.store.complaint(city.id, stranger.id).await.unwrap().unwrap().case_id, None, "a case of one ends");

    // Once assigned, the template loads into the answer form.
    let department = app.store.complaint(city.id, second).await.unwrap().unwrap().department_id.unwrap().to_string();
    let assigned = coordinator.submit(&page, &format!("{page}/assign"), &[("department", department.as_str())]).await;
    assert_eq!(assigned.status, 303, "{}", assigned.body);
    let loaded = coordinator.get(&format!("{page}?template={}", template.id)).await;
    assert_eq!(loaded.status, 200);
    assert!(loaded.body.contains(text), "the answer holds the template's text");
    assert_eq!(coordinator.get(&format!("{page}?template=99999999")).await.status, 404);

    // Transferred to the province: it ends here and starts there on a new clock.
    let target = app.store.complaint_category_by_code(province.id, "provincial-roads").await.unwrap().unwrap();
    let no_reason = coordinator.submit(&page, &format!("{page}/transfer"), &[("target", &target.id.to_string())]).await;
    assert_eq!(no_reason.status, 422);
    let own_category = coordinator
        .submit(&page, &format!("{page}/transfer"), &[("target", roads.as_str()), ("reason", "도 소관")])
        .await;
    assert_eq!(own_category.status, 422, "the body's own category is no transfer");
    let reason = "도가 관리하는 도로라 한가람도로 이송합니다.";
    let moved = coordinator
        .submit(&page, &format!("{page}/transfer"), &[("target", &target.id.to_string()), ("reason", reason)])
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let after = app.store.complaint(city.id, second).await.unwrap().unwrap();
    assert_eq!(after.state, ComplaintState::Transferred);
    let received = app.store.complaint(province.id, after.transferred_to.unwrap()).await.unwrap().unwrap();
    assert_eq!(received.state, ComplaintState::Received);
    assert_eq!(received.filer_id, Some(user.id));
    let notes = app.store.notifications(user.id, 50).await.unwrap();
    assert!(notes.iter().any(|n| n.kind == "complaint_transferred"), "the filer is told");

    // An officer who may not assign is refused merging and transferring.
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let page = format!("/hanbit/staff/complaints/{first}");
    assert_eq!(officer.post_form(&format!("{page}/merge"), &[("case_with", "1")]).await.status, 403);
    assert_eq!(officer.post_form("/hanbit/staff/complaints/templates", &[("template_title", "x")]).await.status, 403);
});

both_backends!(a_private_complaints_files_are_for_its_filer_and_handlers_only, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let welfare = category_id(&app, "welfare").await;
    let fields = [
        ("category", welfare.as_str()),
        ("subject", "기초연금 수급 자격 확인을 부탁드립니다"),
        ("content", "어머니의 기초연금 수급 자격이 바뀌었다는 안내를 받았습니다. 소득 인정액 계산 자료를 첨부합니다."),
        ("visibility", "private"),
    ];
    let (_, location) = file(&citizen, &fields).await;
    let id = id_from(&location);
    let page = format!("/hanbit/complaints/{id}");
    let files = format!("{page}/files");
    let pdf = b"%PDF-1.4 income statement of the filer's mother";
    let attached = citizen.upload(&page, &files, "소득 자료.pdf", pdf).await;
    assert_eq!(attached.status, 303, "{}", attached.body);
    assert!(citizen.get(&page).await.body.contains("소득 자료.pdf"));
    let refused = citizen.upload(&page, &files, "run.exe", b"MZ\x90\x00").await;
    assert_eq!(refused.status, 422, "a file of a kind not accepted names the field");
    assert!(refused.body.contains("PDF, 한글(HWP·HWPX)"), "{}", refused.body);

    let link = format!("/hanbit/files/{}/income.pdf", sotong_store::files::sha256_hex(pdf));
    let own = citizen.get(&link).await;
    assert_eq!(own.status, 200, "the filer opens it");
    assert_eq!(own.body.as_bytes(), pdf);
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    assert!(coordinator.get(&format!("/hanbit/staff/complaints/{id}")).await.body.contains("소득 자료.pdf"));
    assert_eq!(coordinator.get(&link).await.status, 200, "the staff handling it open it");
    for who in ["officer@hanbit.example", "secretary@hanbit.example"] {
        let other = Browser::login_demo(&app, who).await;
        assert_eq!(other.get(&link).await.status, 404, "{who} does not handle it");
        assert_eq!(other.upload(&page, &files, "x.pdf", b"%PDF-1.4 x").await.status, 404, "{who} cannot attach");
    }
    assert_eq!(Browser::new(&app).get(&link).await.status, 404, "nobody else knows it exists");

    // The filer takes it off; then not even they open it through the complaint.
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let stored = app.store.voice_files(sotong_store::voice::attachments::Owner::Complaint(id)).await.unwrap();
    assert_eq!(stored.len(), 1);
    let removed = citizen.submit(&page, &format!("{files}/{}/remove", stored[0].id), &[]).await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(citizen.get(&link).await.status, 404);
    // Once the complaint is answered or withdrawn, its files no longer change.
    let complaint = app.store.complaint(city.id, id).await.unwrap().unwrap();
    app.store.withdraw_complaint(&sotong_store::Actor::cli(), &complaint).await.unwrap();
    assert_eq!(citizen.upload(&page, &files, "late.pdf", b"%PDF-1.4 late").await.status, 403);
});
