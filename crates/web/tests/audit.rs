//! The audit log records every change of a whole workflow, with who, from where and
//! what before and after — and nothing for a change that was refused or rolled back.

mod common;

use common::Browser;
use sotong_store::both_backends;

/// (action, has before, has after, actor) of the audit rows after `after_id`, oldest first.
async fn audit_since(store: &sotong_store::Store, after_id: i64) -> Vec<(String, bool, bool, String)> {
    let rows: Vec<(String, Option<String>, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT action, before_json, after_json, actor_label, ip, request_id FROM audit_log
         WHERE id > $1 AND action NOT LIKE 'auth.%' ORDER BY id",
    )
    .bind(after_id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(action, before, after, actor, ip, request_id)| {
            assert_eq!(ip, "127.0.0.1", "{action}: the address is recorded");
            assert_eq!(request_id.len(), 16, "{action}: the request is recorded");
            (action, before.is_some(), after.is_some(), actor)
        })
        .collect()
}

async fn last_audit_id(store: &sotong_store::Store) -> i64 {
    let (id,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM audit_log").fetch_one(store.pool()).await.unwrap();
    id.unwrap_or(0)
}

both_backends!(a_whole_workflow_is_audited_with_before_and_after, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let store = &app.store;
    let common::PledgePlan { plan, open, .. } = common::pledge_plan(&app).await;
    let draft = store.reports(open.id).await.unwrap().into_iter().find(|r| r.state.as_str() == "draft").unwrap();
    let code =
        store.commitments(plan.id).await.unwrap().into_iter().find(|c| c.id == draft.commitment_id).unwrap().code;
    let report = format!("/hanbit/staff/plans/pledges-8/reports/{code}");
    let officer = Browser::login_demo(&app, "officer@hanbit.example").await;
    let coordinator = Browser::login_demo(&app, "coordinator@hanbit.example").await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let start = last_audit_id(store).await;

    let ok = |page: common::Page, what: &str| assert_eq!(page.status, 303, "{what}: {}", page.body);
    ok(
        coordinator
            .submit(
                &report,
                &format!("{report}/indicators"),
                &[("indicator_name", "관람객"), ("unit", "명"), ("target_value", "5000")],
            )
            .await,
        "indicator",
    );
    let indicator = store.indicators(draft.commitment_id).await.unwrap().remove(0);
    let actual = format!("actual_{}", indicator.id);
    ok(
        coordinator
            .submit(
                &report,
                &format!("{report}/milestones"),
                &[("milestone_title", "착공식"), ("due_date", "2026-09-15")],
            )
            .await,
        "milestone",
    );
    let fields = |achievements: &'static str, action: &'static str| {
        vec![
            ("status", "on_track"),
            ("progress", "60"),
            ("achievements", achievements),
            ("budget_executed", "1,000,000"),
            ("action", action),
        ]
    };
    ok(officer.submit(&report, &report, &fields("설계 공모 진행", "draft")).await, "draft");
    let mut submit = fields("설계 공모 완료", "submit");
    submit.push((actual.as_str(), "1200"));
    ok(officer.submit(&report, &report, &submit).await, "submit");
    // Refused: an edit while it awaits review (nothing may be recorded for it).
    assert_eq!(officer.submit(&report, &report, &fields("몰래 고침", "draft")).await.status, 422);
    ok(
        coordinator
            .submit(&report, &format!("{report}/review"), &[("decision", "return"), ("review_comment", "사진 첨부")])
            .await,
        "return",
    );
    ok(officer.submit(&report, &report, &fields("설계 공모 완료(사진 첨부)", "submit")).await, "resubmit");
    ok(coordinator.submit(&report, &format!("{report}/review"), &[("decision", "approve")]).await, "approve");
    ok(
        officer.submit(&report, &format!("{report}/changes"), &[("kind", "modify"), ("reason", "부지 변경")]).await,
        "change",
    );
    let request = store.change_requests(draft.commitment_id).await.unwrap().pop().unwrap();
    let decide = format!("{report}/changes/{}/decide", request.id);
    ok(coordinator.submit(&report, &decide, &[("decision", "approve"), ("decision_note", "승인")]).await, "decide");
    ok(coordinator.submit("/hanbit/staff/plans/pledges-8", "/hanbit/staff/plans/pledges-8/close", &[]).await, "close");
    let department =
        [("kind", "department"), ("slug", "audit-test"), ("name_ko", "감사시험과"), ("name_en", "Audit Test")];
    ok(admin.submit("/hanbit/admin/departments", "/hanbit/admin/departments", &department).await, "department");
    ok(
        admin
            .submit(
                "/hanbit/admin/members",
                "/hanbit/admin/members",
                &[("email", "citizen@hanbit.example"), ("role", "evaluator")],
            )
            .await,
        "grant",
    );

    let (o, c, a) = ("officer@hanbit.example", "coordinator@hanbit.example", "admin@hanbit.example");
    let expected: Vec<(&str, bool, bool, &str)> = vec![
        ("indicator.create", false, true, c),
        ("milestone.create", false, true, c),
        ("report.save_draft", true, true, o),
        ("indicator.actual", false, true, o),
        ("report.submit", true, true, o),
        ("report.return", true, true, c),
        ("report.submit", true, true, o),
        ("report.approve", true, true, c),
        ("change_request.create", false, true, o),
        ("change_request.approve", true, true, c),
        ("period.close", true, true, c),
        ("org.create", false, true, a),
        ("membership.grant", false, true, a),
    ];
    let got = audit_since(store, start).await;
    let got: Vec<(&str, bool, bool, &str)> =
        got.iter().map(|(x, b, af, who)| (x.as_str(), *b, *af, who.as_str())).collect();
    assert_eq!(got, expected);
});

both_backends!(the_audit_log_reads_in_words_with_what_changed, |backend| async move {
    let app = common::spawn_app_with_plans(backend).await;
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let fields = [("address", "(31787) 한빛시 새청사로 7"), ("phone", "041-360-3114")];
    assert_eq!(admin.submit("/hanbit/admin/site", "/hanbit/admin/site", &fields).await.status, 303);
    let page = admin.get("/hanbit/admin/audit?action=org.contact").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("admin@hanbit.example</strong> · 주소·전화번호 변경 · <a href=\"/hanbit/departments\">조직 #"),
        "who did what to what, linked"
    );
    assert!(
        page.body.contains("<th scope=\"row\">주소</th>") && page.body.contains("(31787) 한빛시 새청사로 7"),
        "the field that changed"
    );
    assert!(!page.body.contains("<code class=\"json\">"), "no raw JSON");
    let reports = admin.get("/hanbit/admin/audit?action=report.submit").await;
    assert!(reports.body.contains("href=\"/hanbit/plans/pledges-8/commitments/"), "a report links to its commitment");
    let all = admin.get("/hanbit/admin/audit").await;
    assert!(
        all.body.contains("<option value=\"report.submit\">보고서 제출</option>"),
        "the filter names actions in words"
    );
});
