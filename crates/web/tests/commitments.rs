//! The commitments module over HTTP, on both engines.

mod common;

use common::{spawn_app, Browser, TestApp};
use sotong_core::commitments::period::Period;
use sotong_store::{both_backends, Actor};

/// Dangjin's figures, imported into 한빛시's plan `pledges` for 2026-Q2 and published;
/// 2026-Q3 is opened with one submitted report.
async fn dangjin(app: &TestApp) {
    let store = &app.store;
    let cli = Actor::cli();
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let new = sotong_store::commitments::plans::NewPlan {
        slug: sotong_core::org::Slug::parse("pledges").unwrap(),
        kind: sotong_core::commitments::states::PlanKind::Pledges,
        title_ko: "민선8기 공약".into(),
        title_en: "Pledges".into(),
        term_start: "2022-07-01".into(),
        term_end: "2026-06-30".into(),
        cadence: sotong_core::commitments::period::Cadence::Quarterly,
        taxonomy: Default::default(),
    };
    let plan = store.create_plan(&cli, city.id, &new).await.unwrap();
    let mut csv =
        String::from("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n");
    for i in 0..100 {
        let status = if i < 55 {
            "완료"
        } else if i < 94 {
            "정상추진"
        } else {
            "일부추진"
        };
        let dept = if i % 2 == 0 { "기획예산담당관" } else { "문화관광과" };
        csv.push_str(&format!("{}-{i:02},분야{},공약 {i},{dept},{status},50,,,,1000\n", i % 6 + 1, i % 6 + 1));
    }
    let rows = sotong_exchange::commitments_csv::parse(csv.as_bytes(), &plan.taxonomy()).unwrap().rows;
    let q2 = store.open_period(&cli, &plan, Period::parse("2026-Q2").unwrap(), "2026-07-10").await.unwrap();
    assert!(store.import_commitments(&cli, &plan, &rows, Some(Period::parse("2026-Q2").unwrap()), false).await.is_ok());
    store.close_period(&cli, &plan, &q2).await.unwrap();
    let q3 = store.open_period(&cli, &plan, Period::parse("2026-Q3").unwrap(), "2026-10-10").await.unwrap();
    let first = store.commitments(plan.id).await.unwrap().into_iter().find(|c| c.status == "partial").unwrap();
    let report = sotong_store::testing::report(&plan, "completed", 100, true);
    store.save_report(&cli, &plan, &first, &q3, &report).await.unwrap();
}

fn json(page: &common::Page) -> serde_json::Value {
    serde_json::from_str(&page.body).unwrap_or_else(|_| panic!("not JSON ({}): {}", page.status, page.body))
}

both_backends!(metrics_api_gives_dangjins_figures, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let citizen = Browser::new(&app);
    let plans = json(&citizen.get("/api/v1/orgs/hanbit/plans").await);
    assert_eq!(plans[0]["slug"], "pledges");

    let m = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q2").await);
    assert_eq!(m["total"], 100);
    assert_eq!(m["implementation_rate"], 0.55);
    assert_eq!(m["goal_achievement_rate"], 0.94);
    assert_eq!(m["by_status"]["completed"], 55);
    assert_eq!(m["by_status"]["on_track"], 39);
    assert_eq!(m["by_status"]["partial"], 6);
    assert_eq!(m["published"], true);
    assert_eq!(m["snapshot_hash"].as_str().unwrap().len(), 64);
    assert_eq!(m["sectors"].as_array().unwrap().len(), 6);
    let sector_total: i64 = m["sectors"].as_array().unwrap().iter().map(|s| s["total"].as_i64().unwrap()).sum();
    assert_eq!(sector_total, 100);
    let departments = m["departments"].as_array().unwrap();
    assert_eq!(departments.len(), 2);
    assert!(departments.iter().any(|d| d["name_ko"] == "문화관광과" && d["total"] == 50));

    // Without a period: the latest published one, for everyone.
    let latest = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics").await);
    assert_eq!((latest["period"].as_str(), latest["implementation_rate"].as_f64()), (Some("2026-Q2"), Some(0.55)));

    // The open quarter is not public; staff see it live (one report moved to 완료).
    let hidden = citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q3").await;
    assert_eq!(hidden.status, 422);
    assert_eq!(json(&hidden)["fields"]["period"], "아직 공개되지 않은 기간입니다.");
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let live = json(&coordinator.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q3").await);
    assert_eq!((live["published"].as_bool(), live["implementation_rate"].as_f64()), (Some(false), Some(0.56)));

    let sectors = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/sectors").await);
    assert_eq!(sectors.as_array().unwrap().len(), 6);
    let listed = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/commitments").await);
    assert_eq!(listed.as_array().unwrap().len(), 100);
    assert!(listed.as_array().unwrap().iter().any(|c| c["code"] == "1-00" && c["status"] == "completed"));
    let snapshots = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/snapshots").await);
    assert_eq!(snapshots[0]["period"], "2026-Q2");
    assert_eq!(snapshots[0]["hash"], m["snapshot_hash"]);
    let published = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/snapshots/2026-Q2").await);
    assert_eq!(published["commitments"].as_array().unwrap().len(), 100);
    assert!(published["commitments"][0]["report"].is_object(), "the approved report is published");
    assert_eq!(citizen.get("/api/v1/orgs/hanbit/plans/pledges/snapshots/2026-Q3").await.status, 404, "not published");
    let bad = citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q9").await;
    assert_eq!(bad.status, 422);
    assert_eq!(citizen.get("/api/v1/orgs/hanbit/plans/nothing/metrics").await.status, 404);
});

both_backends!(the_public_dashboard_shows_the_published_figures, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let citizen = Browser::new(&app);
    let list = citizen.get("/hanbit/plans").await;
    assert!(list.body.contains("민선8기 공약") && list.body.contains("/hanbit/plans/pledges"));
    let page = citizen.get("/hanbit/plans/pledges").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("2026년 2분기 공개 기준"));
    assert!(page.body.contains("이행률</span> <strong class=\"figure-value\">55%"), "implementation rate");
    assert!(page.body.contains("목표달성률</span> <strong class=\"figure-value\">94%"), "goal achievement rate");
    assert!(
        page.body.contains("전체 100건: 완료 55, 이행후 계속추진 0, 정상추진 39, 일부추진 6, 보류 0, 폐기 0"),
        "chart summary"
    );
    assert!(page.body.contains("<title id=\"status-chart-title\">"), "the chart has a title");
    assert!(page.body.contains("<title id=\"sector-chart-title\">"), "the sector chart has a title");
    assert!(page.body.contains("분야별 이행률: 분야1 "), "and a summary");
    assert!(page.body.contains("문화관광과") && page.body.contains("분야3"));
    let snapshots = app
        .store
        .snapshots(
            app.store
                .plan(app.store.public_body("hanbit").await.unwrap().unwrap().id, "pledges")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    assert!(page.body.contains(&snapshots[0].hash), "the period's hash is shown");
    assert!(!page.body.contains("figure-value\">56%"), "the unpublished quarter's live figures are not public");
    let english = Browser::new(&app);
    english.get("/lang/en").await;
    assert!(english.get("/hanbit/plans/pledges").await.body.contains("As published for Q2 2026"));
    assert_eq!(citizen.get("/hanbit/plans/none").await.status, 404);
    // The archive: any published period by its code; unpublished ones are not shown.
    assert!(page.body.contains("/hanbit/plans/pledges?period=2026-Q2"));
    let archived = citizen.get("/hanbit/plans/pledges?period=2026-Q2").await;
    assert!(archived.body.contains("2026년 2분기 공개 기준"));
    assert_eq!(citizen.get("/hanbit/plans/pledges?period=2026-Q3").await.status, 404, "open, not published");
    assert_eq!(citizen.get("/hanbit/plans/pledges?period=soon").await.status, 422);
});

both_backends!(exports_round_trip_through_the_import, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let citizen = Browser::new(&app);
    let csv = citizen.get("/hanbit/plans/pledges/export.csv?period=2026-Q2").await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains("hanbit-pledges-2026-Q2.csv"));
    assert!(csv.body.starts_with('\u{feff}'), "a BOM so Excel reads Hangul");
    assert!(csv.body.contains("기획예산담당관") && csv.body.contains("정상추진"));

    // Importing the export as the next quarter and publishing it gives the same figures.
    let store = &app.store;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges").await.unwrap().unwrap();
    let rows = sotong_exchange::commitments_csv::parse(csv.body.as_bytes(), &plan.taxonomy()).unwrap().rows;
    assert_eq!(rows.len(), 100);
    let q3 = store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    let summary = match store
        .import_commitments(&Actor::cli(), &plan, &rows, Some(Period::parse("2026-Q3").unwrap()), false)
        .await
    {
        Ok(summary) => summary,
        Err(_) => panic!("the export imports back"),
    };
    assert_eq!((summary.created, summary.updated), (0, 100), "same codes: updates, nothing new");
    store.close_period(&Actor::cli(), &plan, &q3).await.unwrap();
    let q3_metrics = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q3").await);
    let q2_metrics = json(&citizen.get("/api/v1/orgs/hanbit/plans/pledges/metrics?period=2026-Q2").await);
    assert_eq!(q3_metrics["by_status"], q2_metrics["by_status"]);
    assert_eq!(q3_metrics["budget_secured"], q2_metrics["budget_secured"]);
    let again = citizen.get("/hanbit/plans/pledges/export.csv?period=2026-Q3").await;
    assert_eq!(again.body, csv.body, "export → import → export is the identity");

    let document = json(&citizen.get("/hanbit/plans/pledges/export.json?period=2026-Q2").await);
    assert_eq!(document["snapshot"]["hash"], q2_metrics["snapshot_hash"]);
    assert_eq!(document["commitments"].as_array().unwrap().len(), 100);
    assert_eq!(document["metrics"]["implementation"]["numerator"], 55);
    assert_eq!(citizen.get("/hanbit/plans/pledges/export.csv?period=2027-Q1").await.status, 404);
    let xlsx = citizen
        .client
        .get(format!("{}/hanbit/plans/pledges/export.xlsx?period=2026-Q2", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status().as_u16(), 200);
    assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
});

both_backends!(a_commitment_page_shows_its_history_and_decided_changes, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let store = &app.store;
    let cli = Actor::cli();
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges").await.unwrap().unwrap();
    let commitment = store.commitment_by_code(plan.id, "1-00").await.unwrap().unwrap();
    let no_reason = store
        .request_change(&cli, &plan, &commitment, sotong_core::commitments::states::ChangeKind::Abandon, " ")
        .await
        .unwrap_err();
    assert!(matches!(no_reason, sotong_store::StoreError::Invalid(e) if e.field == "reason"));
    let request = store
        .request_change(
            &cli,
            &plan,
            &commitment,
            sotong_core::commitments::states::ChangeKind::Hold,
            "국비 공모 탈락으로 재원 미확보",
        )
        .await
        .unwrap();
    let citizen = Browser::new(&app);
    let before = citizen.get("/hanbit/plans/pledges/commitments/1-00").await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains("조정 내역이 없습니다"), "a pending request is not public yet");
    store.decide_change(&cli, &plan, &commitment, request.id, true, "2027년 국비 재공모 때까지 보류").await.unwrap();
    assert!(store.decide_change(&cli, &plan, &commitment, request.id, false, "다시").await.is_err(), "decided once");
    assert_eq!(store.commitment_by_code(plan.id, "1-00").await.unwrap().unwrap().status, "on_hold");
    let decided = citizen.get("/hanbit/plans/pledges/commitments/1-00").await;
    assert!(decided.body.contains("조정 내역이 없습니다"), "a decision is public once its period is published");
    let q3 = store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    store.close_period(&cli, &plan, &q3).await.unwrap();

    let page = citizen.get("/hanbit/plans/pledges/commitments/1-00").await;
    assert!(
        page.body.contains("국비 공모 탈락으로 재원 미확보") && page.body.contains("2027년 국비 재공모 때까지 보류")
    );
    assert!(page.body.contains("2026년 2분기") && page.body.contains("<title id=\"progress-chart-title\">"));
    let snapshot_hash = &store.snapshots(plan.id).await.unwrap()[0].hash;
    assert!(page.body.contains(snapshot_hash.as_str()));
    let list = citizen.get("/hanbit/plans/pledges/commitments").await;
    assert!(list.body.contains("/hanbit/plans/pledges/commitments/1-00") && list.body.contains("공약 0"));
    assert_eq!(citizen.get("/hanbit/plans/pledges/commitments/9-99").await.status, 404);
});

both_backends!(officers_request_changes_and_coordinators_decide_them, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    // 2-01 (pledge 1) is led by 문화관광과, the demo officer's department.
    let form = "/hanbit/staff/plans/pledges/reports/2-01";
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let empty = officer.submit(form, &format!("{form}/changes"), &[("kind", "abandon"), ("reason", "")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("필수 입력 항목입니다"));
    assert!(empty.body.contains(r#"<option value="abandon" selected>"#), "the chosen kind is kept");
    assert!(empty.body.contains(r#"id="reason" name="reason""#) && empty.body.contains(r#"id="reason-error""#));
    let sent = officer
        .submit(
            form,
            &format!("{form}/changes"),
            &[("kind", "abandon"), ("reason", "중앙정부 정책 변경으로 사업 근거 소멸")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);

    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let refused = citizen.submit("/account", &format!("{form}/changes"), &[("kind", "hold"), ("reason", "x")]).await;
    assert_eq!(refused.status, 403);

    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let page = coordinator.get(form).await;
    assert!(page.body.contains("중앙정부 정책 변경으로 사업 근거 소멸") && page.body.contains("검토 중"));
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges").await.unwrap().unwrap();
    let commitment = app.store.commitment_by_code(plan.id, "2-01").await.unwrap().unwrap();
    let request = app.store.change_requests(commitment.id).await.unwrap().remove(0);
    let decide = format!("{form}/changes/{}/decide", request.id);
    let by_officer = officer.submit(form, &decide, &[("decision", "approve"), ("decision_note", "승인")]).await;
    assert_eq!(by_officer.status, 403, "officers cannot decide their own requests");
    let decided = coordinator
        .submit(form, &decide, &[("decision", "approve"), ("decision_note", "시정조정위원회 심의 결과 폐기")])
        .await;
    assert_eq!(decided.status, 303);
    assert_eq!(app.store.commitment_by_code(plan.id, "2-01").await.unwrap().unwrap().status, "abandoned");
    let q3 = app.store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    app.store.close_period(&Actor::cli(), &plan, &q3).await.unwrap();
    let public = Browser::new(&app).get("/hanbit/plans/pledges/commitments/2-01").await;
    assert!(public.body.contains("시정조정위원회 심의 결과 폐기") && public.body.contains("폐기"));
});

async fn upload(browser: &Browser, path: &str, csv: Vec<u8>, period: &str) -> common::Page {
    let token = browser.get("/account").await.csrf();
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(csv).file_name("plan.csv").mime_str("text/csv").unwrap())
        .text("period", period.to_string());
    let response =
        browser.client.post(format!("{}{path}?_csrf={token}", browser.base)).multipart(form).send().await.unwrap();
    common::Page {
        status: response.status().as_u16(),
        location: None,
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

both_backends!(coordinators_upload_spreadsheets_all_or_nothing, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let path = "/hanbit/staff/plans/pledges/import";
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    assert_eq!(coordinator.get(path).await.status, 200);

    let bad = "code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n\
               9-01,신규,새 공약,문화관광과,완료,100,,,,0\n\
               9-02,신규,또 공약,없는과,진행중,100,,2026-13-01,,0\n";
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(bad);
    let page = upload(&coordinator, path, cp949.into_owned(), "2026-Q3").await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("2건의 문제가 있어 아무것도 반영하지 않았습니다"), "{}", page.body);
    assert!(page.body.contains("추진상태는 완료, 이행후 계속추진") && page.body.contains("날짜가 올바르지 않습니다"));
    assert!(page.body.contains("<td>3</td>"), "the line is named");
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges").await.unwrap().unwrap();
    assert!(app.store.commitment_by_code(plan.id, "9-01").await.unwrap().is_none(), "nothing was imported");

    let good = bad.replace("없는과,진행중,100,,2026-13-01", "문화관광과,정상추진,30,,2026-12-01");
    let page = upload(&coordinator, path, good.into_bytes(), "").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("2줄을 반영했습니다: 새로 등록 2건"));
    assert!(app.store.commitment_by_code(plan.id, "9-02").await.unwrap().is_some());

    // The Excel template downloads, and an .xlsx uploads by the same rules.
    let template = coordinator.client.get(format!("{}{path}/template.xlsx", app.base)).send().await.unwrap();
    assert_eq!(template.status(), 200);
    let xlsx = template.bytes().await.unwrap().to_vec();
    assert!(sotong_exchange::commitments_xlsx::is_xlsx(&xlsx));
    let page = upload(&coordinator, path, xlsx, "").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("1줄을 반영했습니다"), "the template's example line imports");
    let csv_template = coordinator.get(&format!("{path}/template.csv")).await;
    assert!(csv_template.body.contains("번호,분야,공약명,주관부서"));
    assert_eq!(upload(&coordinator, path, b"PK\x03\x04broken".to_vec(), "").await.status, 422);

    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    assert_eq!(upload(&officer, path, b"x".to_vec(), "").await.status, 403);
    let no_token = officer
        .client
        .post(format!("{}{path}", app.base))
        .multipart(reqwest::multipart::Form::new())
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status().as_u16(), 403, "multipart writes need the token too");
});

both_backends!(followers_are_notified_when_a_period_is_published, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let store = &app.store;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges").await.unwrap().unwrap();
    let q3 = store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    // The submitted 2026-Q3 report (one 일부추진 pledge moving to 완료) gets approved.
    let submitted = store.reports(q3.id).await.unwrap().into_iter().find(|r| r.state.as_str() == "submitted").unwrap();
    store.review_report(&Actor::cli(), &plan, submitted.id, true, "").await.unwrap();
    let moving =
        store.commitments(plan.id).await.unwrap().into_iter().find(|c| c.id == submitted.commitment_id).unwrap();

    let anonymous = Browser::new(&app);
    assert!(anonymous.get("/hanbit/plans/pledges").await.body.contains("로그인하면 새 추진 현황 알림을"));
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let dashboard = "/hanbit/plans/pledges";
    let follow = "/hanbit/plans/pledges/follow";
    assert_eq!(citizen.submit(dashboard, follow, &[("action", "follow"), ("code", "")]).await.status, 303);
    assert_eq!(
        citizen.submit(dashboard, follow, &[("action", "follow"), ("code", "")]).await.status,
        303,
        "twice is once"
    );
    citizen.submit(dashboard, follow, &[("action", "follow"), ("code", &moving.code)]).await;
    citizen.submit(dashboard, follow, &[("action", "follow"), ("code", "1-00")]).await;
    assert!(citizen.get(dashboard).await.body.contains("소식 그만 받기"));
    let forged = anonymous.post_form(follow, &[("action", "follow")]).await;
    assert_eq!(forged.status, 403, "no token, no follow");

    store.close_period(&Actor::cli(), &plan, &q3).await.unwrap();
    let page = citizen.get("/notifications").await;
    assert!(page.body.contains("민선8기 공약 — 2026-Q3"), "the plan's new period");
    assert!(page.body.contains(&format!("{} {} — 2026-Q3", moving.code, moving.title)), "the commitment that changed");
    assert!(!page.body.contains("1-00 공약 0"), "an unchanged commitment sends nothing");
    assert!(page.body.contains("알림 2건"), "the header counts unread notifications");
    citizen.submit("/notifications", "/notifications/read", &[]).await;
    assert!(!citizen.get("/notifications").await.body.contains("알림 2건"));

    citizen.submit(dashboard, follow, &[("action", "unfollow"), ("code", "")]).await;
    assert!(citizen.get(dashboard).await.body.contains(">소식 받기<"));
    assert_eq!(anonymous.get("/notifications").await.status, 303, "log in first");
});

both_backends!(indicators_are_published_each_period, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let store = &app.store;
    let cli = Actor::cli();
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges").await.unwrap().unwrap();
    let c = store.commitment_by_code(plan.id, "1-00").await.unwrap().unwrap();
    let bad = store.add_indicator(&cli, &plan, &c, "신규 일자리", "개", "만 개").await.unwrap_err();
    assert!(matches!(bad, sotong_store::StoreError::Invalid(e) if e.code == "invalid_number"));
    let indicator = store.add_indicator(&cli, &plan, &c, "신규 일자리", "개", "10,000").await.unwrap();
    assert_eq!(indicator.target_value, "10000");
    let q2 = store.period(plan.id, "2026-Q2").await.unwrap().unwrap();
    let closed = store.set_indicator_actual(&cli, &plan, &c, &indicator, &q2, "100").await.unwrap_err();
    assert!(matches!(closed, sotong_store::StoreError::Invalid(e) if e.code == "period_closed"));
    let q3 = store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    store.set_indicator_actual(&cli, &plan, &c, &indicator, &q3, "8,650").await.unwrap();
    store.close_period(&cli, &plan, &q3).await.unwrap();
    let page = Browser::new(&app).get("/hanbit/plans/pledges/commitments/1-00").await;
    // 2026-Q2 was published before the indicator existed, so only 2026-Q3 carries it.
    assert!(page.body.contains("신규 일자리 (목표 10,000개): 2026년 3분기 8,650개"), "{}", page.body);
    assert!(store.verify_snapshots().await.unwrap().is_empty());
    // The published actual is covered by the chain.
    sqlx::query("UPDATE snapshot_items SET content_json = REPLACE(content_json, '\"8650\"', '\"9650\"')")
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.verify_snapshots().await.unwrap()[0].commitment_code.as_deref(), Some("1-00"));
});

both_backends!(officers_report_indicator_actuals_with_the_report, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let store = &app.store;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges").await.unwrap().unwrap();
    let c = store.commitment_by_code(plan.id, "2-01").await.unwrap().unwrap();
    let indicator = store.add_indicator(&Actor::cli(), &plan, &c, "이용 산모", "명", "600").await.unwrap();
    let field = format!("actual_{}", indicator.id);
    let form = "/hanbit/staff/plans/pledges/reports/2-01";
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    assert!(officer.get(form).await.body.contains("이용 산모 이번 기간 실적 (목표 600명)"));
    let base = [
        ("status", "on_track"),
        ("progress", "40"),
        ("budget_executed", "0"),
        ("achievements", "개원 준비"),
        ("action", "draft"),
    ];
    let mut bad = base.to_vec();
    bad.push((field.as_str(), "사백"));
    let page = officer.submit(form, form, &bad).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("0 이상의 숫자"));
    let q3 = store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    assert!(store.reports(q3.id).await.unwrap().iter().all(|r| r.commitment_id != c.id), "nothing saved");
    let mut good = base.to_vec();
    good.push((field.as_str(), "410"));
    assert_eq!(officer.submit(form, form, &good).await.status, 303);
    let actuals = store.indicator_actuals(c.id).await.unwrap();
    assert_eq!((actuals.len(), actuals[0].value.as_str()), (1, "410"));
    assert!(officer.get(form).await.body.contains("value=\"410\""), "shown again when editing");
    // Amounts as people write them, shown back with separators.
    let mut korean = base.to_vec();
    korean[2] = ("budget_executed", "1억 2천만");
    assert_eq!(officer.submit(form, form, &korean).await.status, 303);
    let saved = store.reports(q3.id).await.unwrap().into_iter().find(|r| r.commitment_id == c.id).unwrap();
    assert_eq!(saved.budget_executed, 120_000_000);
    assert!(officer.get(form).await.body.contains(r#"name="budget_executed" type="text" value="120,000,000""#));
});

both_backends!(coordinators_define_indicators_and_milestones, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let form = "/hanbit/staff/plans/pledges/reports/2-01";
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let bad = coordinator
        .submit(
            form,
            &format!("{form}/indicators"),
            &[("indicator_name", "이용 산모"), ("unit", "명"), ("target_value", "육백")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("0 이상의 숫자"));
    // The failed sub-form is shown again with what was typed, its error beside it.
    for kept in
        [r#"name="indicator_name" type="text" value="이용 산모""#, r#"name="target_value" type="text" value="육백""#]
    {
        assert!(bad.body.contains(kept), "kept {kept}");
    }
    assert!(bad.body.contains(r#"id="target_value-error""#));
    let ok = coordinator
        .submit(
            form,
            &format!("{form}/indicators"),
            &[("indicator_name", "이용 산모"), ("unit", "명"), ("target_value", "600")],
        )
        .await;
    assert_eq!(ok.status, 303);
    let bad_date = coordinator
        .submit(form, &format!("{form}/milestones"), &[("milestone_title", "개원"), ("due_date", "내년")])
        .await;
    assert_eq!(bad_date.status, 422);
    assert!(bad_date.body.contains("날짜는 2026-11-22 형식으로 입력하세요"));
    assert!(bad_date.body.contains(r#"name="milestone_title" type="text" value="개원""#), "the title is kept");
    assert!(bad_date.body.contains(r#"name="due_date" type="date" value="내년""#), "the date is kept");
    // The other sub-forms start empty and show no error.
    assert!(bad_date.body.contains(r#"name="indicator_name" type="text" value="""#));
    assert!(!bad_date.body.contains(r#"id="indicator_name-error""#));
    assert_eq!(
        coordinator
            .submit(form, &format!("{form}/milestones"), &[("milestone_title", "개원"), ("due_date", "2026-12-01")])
            .await
            .status,
        303
    );
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges").await.unwrap().unwrap();
    let c = app.store.commitment_by_code(plan.id, "2-01").await.unwrap().unwrap();
    assert_eq!(app.store.indicators(c.id).await.unwrap().len(), 1);
    assert_eq!(app.store.milestones(c.id).await.unwrap()[0].due_date, "2026-12-01");
    // Officers report against indicators; they do not define them.
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let refused = officer
        .submit(form, &format!("{form}/indicators"), &[("indicator_name", "x"), ("unit", "개"), ("target_value", "1")])
        .await;
    assert_eq!(refused.status, 403);
});

both_backends!(coordinators_edit_details_which_are_published, |backend| async move {
    let app = spawn_app(backend).await;
    dangjin(&app).await;
    let edit = "/hanbit/staff/plans/pledges/commitments/2-01/edit";
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    assert_eq!(coordinator.get(edit).await.status, 200);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let budget_dept = app.store.unit(city.id, "planning-budget").await.unwrap().unwrap().id.to_string();
    let fields = |yearly: &'static str, link: &'static str| {
        vec![
            ("title", "공공 산후조리원 설립".to_string()),
            ("summary", "출산 가정의 산후조리 부담을 덜기 위한 공공 산후조리원".to_string()),
            ("term_target", "1곳 개원".to_string()),
            ("start_date", "2023-01-01".to_string()),
            ("end_date", "2026-12-31".to_string()),
            ("budget_national", "1,000,000,000".to_string()),
            ("budget_provincial", "500000000".to_string()),
            ("budget_city", "2000000000원".to_string()),
            ("budget_other", "0".to_string()),
            ("collaborators", budget_dept.clone()),
            ("yearly_targets", yearly.to_string()),
            ("links", link.to_string()),
        ]
    };
    let bad: Vec<(&str, String)> = fields("내년: 착공", "안내 페이지 | ftp://x");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = coordinator.submit(edit, edit, &bad).await;
    assert_eq!(page.status, 422);
    // Both problems are named (the quotes in the messages are HTML-escaped).
    assert!(page.body.contains("2025: 목표&#34; 형식이 아닌 줄이 있습니다"), "yearly targets");
    assert!(page.body.contains("제목 | https://주소&#34; 형식이 아닌 줄이 있습니다"), "links");
    let good = fields("2025: 부지 확정\n2026: 개원", "사업 안내 | https://hanbit.example/postnatal");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(coordinator.submit(edit, edit, &good).await.status, 303);
    let plan = app.store.plan(city.id, "pledges").await.unwrap().unwrap();
    let c = app.store.commitment_by_code(plan.id, "2-01").await.unwrap().unwrap();
    assert_eq!((c.budget_national, c.budget_provincial, c.budget_city), (1_000_000_000, 500_000_000, 2_000_000_000));
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    assert_eq!(officer.get(edit).await.status, 403, "officers do not edit commitments");

    // Published with the next period: the public page shows it.
    let q3 = app.store.period(plan.id, "2026-Q3").await.unwrap().unwrap();
    app.store.close_period(&Actor::cli(), &plan, &q3).await.unwrap();
    let public = Browser::new(&app).get("/hanbit/plans/pledges/commitments/2-01").await;
    for text in [
        "출산 가정의 산후조리 부담",
        "기획예산담당관",
        "2026</th><td>개원",
        "https://hanbit.example/postnatal",
        "1,000,000,000원",
    ] {
        assert!(public.body.contains(text), "{text}");
    }
    assert!(app.store.verify_snapshots().await.unwrap().is_empty());
});

both_backends!(citizens_find_commitments_by_keyword_initials_and_filters, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let citizen = Browser::new(&app);
    let list = "/hanbit/plans/pledges-8/commitments";
    let all = citizen.get(list).await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("100건 중 1–20번째"), "pages of 20");
    assert!(all.body.contains(&format!("href=\"{list}?page=5\"")), "a pager with shareable links");
    assert!(citizen.get(&format!("{list}?page=5")).await.body.contains("100건 중 81–100번째"));
    for keyword in ["창업", "ㅊㅇ", "청년 ㅊㅇ"] {
        let found = citizen.get(&format!("{list}?q={}", sotong_web::security::url_encode(keyword))).await;
        assert!(found.body.contains("청년 창업 지원센터 설립"), "{keyword}");
        assert!(!found.body.contains("전통시장 시설 현대화"), "{keyword} narrows the list");
        assert!(found.body.contains(&format!("value=\"{keyword}\"")), "{keyword} stays in the search box");
    }
    let nothing = citizen.get(&format!("{list}?q=%EC%97%86%EB%8A%94%EB%A7%90%EC%A0%95")).await;
    assert!(nothing.body.contains("조건에 맞는 공약·과제가 없습니다"));
    // Sector and status filters from the form (blank choices mean "all").
    let plan = common::pledge_plan(&app).await.plan;
    let sector = app.store.sectors(plan.id).await.unwrap().into_iter().find(|s| s.name_ko == "경제·일자리").unwrap();
    let economy = citizen.get(&format!("{list}?q=&sector={}&status=&department=&sort=progress_desc", sector.id)).await;
    assert_eq!(economy.status, 200);
    assert!(economy.body.contains("17건 중 1–17번째"), "the economy sector's 17 pledges");
    assert!(economy.body.contains("selected>진척률 높은 순"), "the sort is kept");
    // The API takes the same parameters.
    let api = citizen.get("/api/v1/orgs/hanbit/plans/pledges-8/commitments?q=%E3%85%8A%E3%85%87").await;
    assert_eq!(api.status, 200);
    let found: Vec<serde_json::Value> = serde_json::from_str(&api.body).unwrap();
    assert!(found.iter().any(|c| c["title"] == "청년 창업 지원센터 설립"));
    assert_eq!(api.headers["x-total-count"].to_str().unwrap(), found.len().to_string());
    let paged = citizen.get("/api/v1/orgs/hanbit/plans/pledges-8/commitments?page=2").await;
    let paged: Vec<serde_json::Value> = serde_json::from_str(&paged.body).unwrap();
    assert_eq!(paged.len(), 20);
});

both_backends!(a_returned_report_gets_its_file_which_is_published_and_verified, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let store = &app.store;
    let common::PledgePlan { city, plan, open } = common::pledge_plan(&app).await;
    let culture = store.unit(city.id, "culture-tourism").await.unwrap().unwrap();
    let reports = store.reports(open.id).await.unwrap();
    let commitment = store
        .commitments(plan.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.lead_department_id == culture.id)
        .find(|c| reports.iter().any(|r| r.commitment_id == c.id && r.state.as_str() == "submitted"))
        .expect("a submitted culture report in the demo");
    let report = format!("/hanbit/staff/plans/pledges-8/reports/{}", commitment.code);

    // The coordinator sees last quarter's published values beside the submitted ones.
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let review = coordinator.get(&report).await;
    assert_eq!(review.status, 200);
    assert!(review.body.contains("지난 공개(2026년 2분기)와 비교"), "the comparison with last quarter");
    let returned = coordinator
        .submit(
            &report,
            &format!("{report}/review"),
            &[("decision", "return"), ("review_comment", "현장 사진을 첨부해 주세요")],
        )
        .await;
    assert_eq!(returned.status, 303, "{}", returned.body);

    // The officer attaches the photo; a renamed or unknown file is refused in Korean.
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let page = officer.get(&report).await;
    assert!(page.body.contains("현장 사진을 첨부해 주세요"));
    let token = page.csrf();
    let upload = |bytes: Vec<u8>, name: &str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        officer.client.post(format!("{}{report}/files?_csrf={token}", app.base)).multipart(form).send()
    };
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let refused = upload(b"MZ\x90\x00program".to_vec(), "setup.exe").await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("PDF, 한글(HWP·HWPX), 워드(DOCX), 엑셀(XLSX), JPEG·PNG 파일만"));
    let renamed = upload(png.clone(), "현장.pdf").await.unwrap();
    assert_eq!(renamed.status(), 422, "a PNG named .pdf");
    assert_eq!(upload(png.clone(), "현장 사진.png").await.unwrap().status(), 303);
    let attachments = store.attachments(commitment.id, Some(open.id)).await.unwrap();
    assert_eq!(attachments.len(), 1);
    let sha256 = attachments[0].sha256.clone();
    assert_eq!(sha256, sotong_store::files::sha256_hex(&png), "stored under its content's hash");
    assert!(officer.get(&report).await.body.contains("현장 사진.png"));
    // Not public before publication; the coordinator can open it.
    let file_url = format!("/hanbit/files/{sha256}/%ED%98%84%EC%9E%A5%20%EC%82%AC%EC%A7%84.png");
    let citizen = Browser::new(&app);
    assert_eq!(citizen.get(&file_url).await.status, 404);
    assert_eq!(coordinator.get(&file_url).await.status, 200);

    let resubmit = [
        ("status", "on_track"),
        ("progress", "70"),
        ("achievements", "현장 점검 완료"),
        ("budget_executed", "0"),
        ("action", "submit"),
    ];
    assert_eq!(officer.submit(&report, &report, &resubmit).await.status, 303);
    let approved = coordinator.submit(&report, &format!("{report}/review"), &[("decision", "approve")]).await;
    assert_eq!(approved.status, 303);
    store.close_period(&sotong_store::Actor::cli(), &plan, &open).await.unwrap();

    // Published: anyone downloads it, with its type, disposition and hash in the item.
    let public = citizen.get(&file_url).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.headers["content-type"], "image/png");
    assert!(public.headers["content-disposition"].to_str().unwrap().starts_with("inline; filename="));
    assert!(public.headers["cache-control"].to_str().unwrap().contains("immutable"));
    let page = citizen.get(&format!("/hanbit/plans/pledges-8/commitments/{}", commitment.code)).await;
    assert!(page.body.contains("사진과 자료") && page.body.contains(&sha256), "the page shows the photo");
    assert!(page.body.contains("현장 점검 완료"), "the latest achievements first");
    let latest = store.snapshots(plan.id).await.unwrap().last().unwrap().id;
    let items = store.published_items(latest).await.unwrap();
    let item = items.iter().find(|i| i.code == commitment.code).unwrap();
    assert_eq!(item.attachments.len(), 1);
    assert_eq!(item.attachments[0].sha256, sha256);
    assert!(store.verify_snapshots().await.unwrap().is_empty());

    // Swapping the file's bytes is found by verify.
    sqlx::query("UPDATE files SET content = $1 WHERE sha256 = $2")
        .bind(b"\x89PNG\r\n\x1a\nswapped".to_vec())
        .bind(&sha256)
        .execute(store.pool())
        .await
        .unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].commitment_code.as_deref(), Some(commitment.code.as_str()));
    assert!(problems[0].what.contains("published file"));
});

both_backends!(staff_land_on_a_to_do_list_with_deadlines_and_late_departments, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let common::PledgePlan { open, .. } = common::pledge_plan(&app).await;
    let days = sotong_core::format::days_until(&open.due_date, sotong_store::now()).unwrap();
    let d_day = sotong_core::format::d_day(days, sotong_core::format::Lang::Ko);
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let todo = coordinator.get("/hanbit/staff").await;
    assert!(todo.body.contains("할 일") && todo.body.contains(&d_day), "the deadline as D-day: {d_day}");
    assert!(todo.body.contains("검토를 기다리는 보고서"), "reports awaiting review");
    assert!(todo.body.contains("?state=submitted"), "linked to the filtered overview");
    let late = if days < 0 { "마감을 넘긴 부서(미제출)" } else { "아직 제출하지 않은 부서" };
    assert!(todo.body.contains(late) && todo.body.contains("문화관광과"), "which departments are late");
    let submitted = coordinator.get("/hanbit/staff/plans/pledges-8?state=submitted").await;
    assert!(
        submitted.body.contains("state-submitted") && !submitted.body.contains("state-approved\">"),
        "only submitted ones"
    );
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let mine = officer.get("/hanbit/staff").await;
    assert!(mine.body.contains("작성·제출할 보고서"), "{}", mine.body);
    assert!(!mine.body.contains("검토를 기다리는 보고서"), "officers do not review");
});

both_backends!(coordinators_open_the_next_period_from_the_overview, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let common::PledgePlan { plan, open, .. } = common::pledge_plan(&app).await;
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let overview = "/hanbit/staff/plans/pledges-8";
    assert!(!coordinator.get(overview).await.body.contains("다음 보고 기간 열기"), "not while one is open");
    app.store.close_period(&sotong_store::Actor::cli(), &plan, &open).await.unwrap();
    let page = coordinator.get(overview).await;
    assert!(page.body.contains("다음 보고 기간 열기"));
    assert!(
        page.body.contains("value=\"2026-Q4\"") && page.body.contains("value=\"2027-01-10\""),
        "the next quarter offered"
    );
    let bad = coordinator
        .submit(overview, "/hanbit/staff/plans/pledges-8/periods", &[("period", "2026-H2"), ("due_date", "2027-01-10")])
        .await;
    assert_eq!(bad.status, 303);
    let shown = coordinator.get(bad.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("value=\"2026-H2\""), "what was typed is kept");
    assert!(shown.body.contains("field-error"), "and the error shown at the field");
    let opened = coordinator
        .submit(overview, "/hanbit/staff/plans/pledges-8/periods", &[("period", "2026-Q4"), ("due_date", "2027-01-10")])
        .await;
    assert_eq!(opened.status, 303);
    let q4 = app.store.period(plan.id, "2026-Q4").await.unwrap().unwrap();
    assert_eq!(q4.due_date, "2027-01-10");
    assert!(coordinator.get(overview).await.body.contains("2026년 4분기"));
    // Officers cannot open periods.
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let refused = officer
        .submit(overview, "/hanbit/staff/plans/pledges-8/periods", &[("period", "2027-Q1"), ("due_date", "2027-04-10")])
        .await;
    assert_eq!(refused.status, 403);
});

both_backends!(coordinators_create_plans_with_sectors_in_the_back_office, |backend| async move {
    let app = spawn_app(backend).await;
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    assert!(coordinator.get("/hanbit/staff").await.body.contains("/hanbit/staff/plans\">계획 관리"));
    let bad = coordinator
        .submit(
            "/hanbit/staff/plans",
            "/hanbit/staff/plans",
            &[
                ("title_ko", ""),
                ("slug", "Bad Slug"),
                ("term_start", "2026-12-31"),
                ("term_end", "2026-01-01"),
                ("cadence", "weekly"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("필수 입력 항목입니다") && bad.body.contains("value=\"Bad Slug\""), "named, and kept");
    let fields = [
        ("title_ko", "민선9기 시장 공약"),
        ("slug", "pledges-9"),
        ("kind", "pledges"),
        ("term_start", "2026-07-01"),
        ("term_end", "2030-06-30"),
        ("cadence", "quarterly"),
        ("sectors", "경제\n복지\n\n교통"),
    ];
    let created = coordinator.submit("/hanbit/staff/plans", "/hanbit/staff/plans", &fields).await;
    assert_eq!((created.status, created.location.as_deref()), (303, Some("/hanbit/staff/plans/pledges-9")));
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let plan = app.store.plan(city.id, "pledges-9").await.unwrap().unwrap();
    let sectors: Vec<String> = app.store.sectors(plan.id).await.unwrap().into_iter().map(|s| s.name_ko).collect();
    assert_eq!(sectors, ["경제", "복지", "교통"]);
    assert_eq!(plan.title_en, "민선9기 시장 공약", "the Korean title stands in");
    let again = coordinator.submit("/hanbit/staff/plans", "/hanbit/staff/plans", &fields).await;
    assert_eq!(again.status, 422, "the slug is taken");
    assert!(
        coordinator.get("/hanbit/staff/plans/pledges-9").await.body.contains("다음 보고 기간 열기"),
        "then open a period"
    );
});
