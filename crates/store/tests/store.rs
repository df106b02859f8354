//! Repository behaviour, the same on SQLite and PostgreSQL.

use sotong_core::org::NewOrg;
use sotong_core::role::{Permission, Role};
use sotong_core::user::Email;
use sotong_store::testing::fresh_store;
use sotong_store::testing::report;
use sotong_store::{both_backends, schema, Actor, AuditFilter, Backend, StoreError};

fn org(kind: &str, slug: &str, ko: &str) -> NewOrg {
    NewOrg::parse(kind, slug, ko, &format!("{slug} (en)"), "").unwrap()
}

#[tokio::test]
async fn both_migration_trees_give_the_same_schema() {
    let sqlite = schema::describe(&fresh_store(Backend::Sqlite).await).await.unwrap();
    let postgres = schema::describe(&fresh_store(Backend::Postgres).await).await.unwrap();
    assert!(sqlite.iter().any(|l| l.starts_with("audit_log.")), "introspection found the tables: {sqlite:?}");
    assert_eq!(sqlite, postgres);
}

both_backends!(organisation_tree_rules, |backend| async move {
    let store = fresh_store(backend).await;
    let cli = Actor::cli();
    let province = store.create_org(&cli, None, &org("province", "chungnam", "충청남도")).await.unwrap();
    let city = store.create_org(&cli, Some(province.id), &org("city", "hanbit", "한빛시")).await.unwrap();
    assert_eq!(city.body_id, None, "a city is a public body of its own");
    let bureau = store.create_org(&cli, Some(city.id), &org("bureau", "planning-bureau", "기획경제국")).await.unwrap();
    let dept = store.create_org(&cli, Some(bureau.id), &org("department", "budget", "기획예산담당관")).await.unwrap();
    assert_eq!(dept.body_id, Some(city.id), "a department under a bureau belongs to the city");

    // Unit slugs are unique within a body, public-body slugs across the installation.
    let other = store.create_org(&cli, Some(province.id), &org("county", "seoyeon", "서연군")).await.unwrap();
    store.create_org(&cli, Some(other.id), &org("department", "budget", "기획예산과")).await.unwrap();
    let dup = store.create_org(&cli, Some(city.id), &org("department", "budget", "예산과")).await.unwrap_err();
    assert!(matches!(&dup, StoreError::Invalid(e) if e.code == "slug_taken"), "{dup:?}");
    let dup_body = store.create_org(&cli, None, &org("city", "hanbit", "한빛시")).await.unwrap_err();
    assert!(matches!(&dup_body, StoreError::Invalid(e) if e.code == "slug_taken"), "{dup_body:?}");
    let bad_parent = store.create_org(&cli, Some(dept.id), &org("city", "nested", "중첩시")).await.unwrap_err();
    assert!(matches!(&bad_parent, StoreError::Invalid(e) if e.code == "invalid_parent"), "{bad_parent:?}");

    assert_eq!(store.public_body("hanbit").await.unwrap().unwrap().id, city.id);
    assert_eq!(store.unit(city.id, "budget").await.unwrap().unwrap().id, dept.id);
    assert_eq!(store.units(city.id).await.unwrap().len(), 2);

    // Every change left an audit entry in the body it concerns.
    let entries =
        store.audit_entries(&AuditFilter { body_id: Some(city.id), limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.action == "org.create").count(), 3);
    assert!(entries.iter().all(|e| e.actor_label == "cli"));
});

both_backends!(roles_and_memberships, |backend| async move {
    let store = fresh_store(backend).await;
    let cli = Actor::cli();
    let city = store.create_org(&cli, None, &org("city", "hanbit", "한빛시")).await.unwrap();
    let dept = store.create_org(&cli, Some(city.id), &org("department", "culture", "문화관광과")).await.unwrap();
    let email = Email::parse("officer@hanbit.example").unwrap();
    let user = store.create_user(&cli, &email, "김담당", "$argon2id$fake", false).await.unwrap();
    let dup = store.create_user(&cli, &email, "다른 사람", "$argon2id$fake", false).await.unwrap_err();
    assert!(matches!(dup, StoreError::Invalid(e) if e.code == "email_taken"));

    assert!(!store.roles_in(&user, city.id).await.unwrap().is_staff());
    let missing_dept = store.grant_role(&cli, user.id, city.id, Role::Officer, None).await.unwrap_err();
    assert!(matches!(missing_dept, StoreError::Invalid(e) if e.code == "department_required"));
    let grant = store.grant_role(&cli, user.id, city.id, Role::Officer, Some(dept.id)).await.unwrap();
    let roles = store.roles_in(&user, city.id).await.unwrap();
    assert!(roles.allows(Permission::ReportProgress) && !roles.allows(Permission::ManageMembers));
    assert_eq!(store.members_of(city.id).await.unwrap()[0].department_name_ko.as_deref(), Some("문화관광과"));

    store.revoke_role(&cli, city.id, grant.id).await.unwrap();
    assert!(!store.roles_in(&user, city.id).await.unwrap().is_staff());
});

both_backends!(audit_log_is_append_only, |backend| async move {
    let store = fresh_store(backend).await;
    store.create_org(&Actor::cli(), None, &org("city", "hanbit", "한빛시")).await.unwrap();
    let update = sqlx::query("UPDATE audit_log SET actor_label = 'someone else'").execute(store.pool()).await;
    assert!(update.is_err(), "the database refuses to edit the audit log");
    let delete = sqlx::query("DELETE FROM audit_log").execute(store.pool()).await;
    assert!(delete.is_err(), "the database refuses to delete from the audit log");
    if backend == Backend::Postgres {
        let truncate = sqlx::query("TRUNCATE audit_log").execute(store.pool()).await;
        assert!(truncate.is_err(), "the database refuses to truncate the audit log");
    }
    let entries = store.audit_entries(&AuditFilter { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_label, "cli");
});

both_backends!(several_limits_are_taken_all_or_none_and_given_back, |backend| async move {
    use sotong_store::rate::RateLimit;
    let store = fresh_store(backend).await;
    let pair = RateLimit { bucket: "login_account_address", max: 2, window_seconds: 900 };
    let address = RateLimit { bucket: "login_address", max: 3, window_seconds: 900 };
    let first = store.take_rates(&[(pair, "a|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap();
    let _second = store.take_rates(&[(pair, "a|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap().unwrap();
    assert!(store.take_rates(&[(pair, "a|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap().is_none());
    // The refused attempt counted against neither limit: the address has one left.
    assert!(store.take_rates(&[(pair, "b|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap().is_some());
    assert!(store.take_rates(&[(pair, "c|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap().is_none());
    store.give_back(first.unwrap()).await.unwrap();
    assert!(store.take_rates(&[(pair, "a|10.0.0.1"), (address, "10.0.0.1")]).await.unwrap().is_some());
    store.clear_rate("login_account_address", "a|10.0.0.1").await.unwrap();
    assert!(store.take_rate(pair, "a|10.0.0.1").await.unwrap(), "cleared");
});

both_backends!(a_thousand_simultaneous_takes_count_exactly_to_the_limit, |backend| async move {
    let store = fresh_store(backend).await;
    let limit = sotong_store::rate::RateLimit { bucket: "signup", max: 20, window_seconds: 3600 };
    warm_pool(&store).await;
    let attempts: Vec<_> = (0..1000)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.take_rate(limit, "10.0.0.9").await.unwrap() })
        })
        .collect();
    let mut allowed = 0;
    for attempt in attempts {
        allowed += attempt.await.unwrap() as usize;
    }
    assert_eq!(allowed, 20, "check and count are one step");
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_events").fetch_one(store.pool()).await.unwrap();
    assert_eq!(rows, 20);
});

both_backends!(rate_limits_count_per_bucket_and_subject, |backend| async move {
    let store = fresh_store(backend).await;
    let limit = sotong_store::rate::RateLimit { bucket: "signup", max: 2, window_seconds: 3600 };
    assert!(store.take_rate(limit, "10.0.0.1").await.unwrap());
    assert!(store.take_rate(limit, "10.0.0.1").await.unwrap());
    assert!(!store.take_rate(limit, "10.0.0.1").await.unwrap(), "the third within the window is refused");
    assert!(store.take_rate(limit, "10.0.0.2").await.unwrap(), "another subject has its own count");
    let other = sotong_store::rate::RateLimit { bucket: "proposal", ..limit };
    assert!(store.take_rate(other, "10.0.0.1").await.unwrap(), "another bucket has its own count");
});

/// Opens every connection of the pool first, so that concurrent work really runs
/// concurrently instead of queueing behind connection set-up.
async fn warm_pool(store: &sotong_store::Store) {
    let mut held = Vec::new();
    for _ in 0..store.pool().options().get_max_connections() {
        held.push(store.pool().acquire().await.unwrap());
    }
}

async fn city_with_plan(
    store: &sotong_store::Store,
) -> (sotong_store::orgs::Org, sotong_store::orgs::Org, sotong_store::commitments::plans::Plan) {
    use sotong_core::commitments::period::Cadence;
    use sotong_core::commitments::Taxonomy;
    let cli = Actor::cli();
    let city = store.create_org(&cli, None, &org("city", "dangjin", "당진시")).await.unwrap();
    let dept = store.create_org(&cli, Some(city.id), &org("department", "planning", "기획예산과")).await.unwrap();
    let new = sotong_store::commitments::plans::NewPlan {
        slug: sotong_core::org::Slug::parse("pledges-8").unwrap(),
        kind: sotong_core::commitments::states::PlanKind::Pledges,
        title_ko: "민선8기 공약".into(),
        title_en: "Pledges of the 8th elected term".into(),
        term_start: "2022-07-01".into(),
        term_end: "2026-06-30".into(),
        cadence: Cadence::Quarterly,
        taxonomy: Taxonomy::default(),
    };
    let plan = store.create_plan(&cli, city.id, &new).await.unwrap();
    (city, dept, plan)
}

both_backends!(plans_sectors_and_commitments, |backend| async move {
    let store = fresh_store(backend).await;
    let cli = Actor::cli();
    let (city, dept, plan) = city_with_plan(&store).await;
    assert_eq!(plan.taxonomy().statuses.len(), 6);
    let economy = store.sector_named(&cli, &plan, "경제", "Economy").await.unwrap();
    let welfare = store.sector_named(&cli, &plan, "복지", "").await.unwrap();
    assert_eq!(store.sector_named(&cli, &plan, "경제", "x").await.unwrap(), economy, "found, not created again");
    assert_eq!(welfare.name_en, "복지", "the English name falls back to the Korean");
    let input = |code: &str, sector_id: i64| sotong_store::commitments::plans::CommitmentInput {
        code: code.into(),
        sector_id,
        title: format!("공약 {code}"),
        summary: String::new(),
        lead_department_id: dept.id,
        term_target: "목표".into(),
        start_date: Some("2022-07-01".into()),
        end_date: None,
        budget_national: 1_000_000,
        budget_provincial: 0,
        budget_city: 500_000,
        budget_other: 0,
        status: "on_track".into(),
        progress: 40,
    };
    store.create_commitment(&cli, &plan, &input("2-01", welfare.id)).await.unwrap();
    store.create_commitment(&cli, &plan, &input("1-01", economy.id)).await.unwrap();
    let dup = store.create_commitment(&cli, &plan, &input("1-01", economy.id)).await.unwrap_err();
    assert!(matches!(dup, StoreError::Invalid(e) if e.code == "code_taken"));
    let all = store.commitments(plan.id).await.unwrap();
    assert_eq!(all.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["1-01", "2-01"], "sector order first");
    assert_eq!(all[0].budget_total(), 1_500_000);
    assert_eq!(store.plan(city.id, "pledges-8").await.unwrap().unwrap().id, plan.id);
    let audited = store
        .audit_entries(&AuditFilter {
            body_id: Some(city.id),
            action: Some("commitment.create".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2);
});

/// 100 commitments in 6 sectors: 55 완료, 39 정상추진, 6 일부추진 (Dangjin's figures).
async fn dangjin_plan(
    store: &sotong_store::Store,
) -> (sotong_store::commitments::plans::Plan, Vec<sotong_store::commitments::plans::Commitment>) {
    let cli = Actor::cli();
    let (_, dept, plan) = city_with_plan(store).await;
    let mut commitments = Vec::new();
    for i in 0..100 {
        let sector = store.sector_named(&cli, &plan, &format!("분야{}", i % 6 + 1), "").await.unwrap();
        let input = sotong_store::commitments::plans::CommitmentInput {
            code: format!("{}-{:02}", i % 6 + 1, i),
            sector_id: sector.id,
            title: format!("공약 {i}"),
            summary: String::new(),
            lead_department_id: dept.id,
            term_target: String::new(),
            start_date: None,
            end_date: None,
            budget_national: 0,
            budget_provincial: 0,
            budget_city: 1_000,
            budget_other: 0,
            status: "on_track".into(),
            progress: 0,
        };
        commitments.push(store.create_commitment(&cli, &plan, &input).await.unwrap());
    }
    (plan, commitments)
}

both_backends!(reports_are_reviewed_then_published_in_a_verifiable_chain, |backend| async move {
    use sotong_core::commitments::period::Period;
    let store = fresh_store(backend).await;
    let cli = Actor::cli();
    let (plan, commitments) = dangjin_plan(&store).await;
    let q1 = store.open_period(&cli, &plan, Period::parse("2026-Q1").unwrap(), "2026-04-10").await.unwrap();
    let wrong = store.open_period(&cli, &plan, Period::parse("2026-H1").unwrap(), "2026-07-10").await.unwrap_err();
    assert!(matches!(wrong, StoreError::Invalid(e) if e.code == "wrong_cadence"));

    // One report goes draft → submitted → returned → submitted → approved.
    let first = &commitments[0];
    store.save_report(&cli, &plan, first, &q1, &report(&plan, "on_track", 30, false)).await.unwrap();
    let submitted = store.save_report(&cli, &plan, first, &q1, &report(&plan, "completed", 100, true)).await.unwrap();
    let locked = store.save_report(&cli, &plan, first, &q1, &report(&plan, "partial", 10, false)).await.unwrap_err();
    assert!(matches!(locked, StoreError::Invalid(e) if e.code == "report_locked"), "no edits while under review");
    let no_comment = store.review_report(&cli, &plan, submitted.id, false, " ").await.unwrap_err();
    assert!(matches!(no_comment, StoreError::Invalid(e) if e.field == "review_comment"));
    let returned = store.review_report(&cli, &plan, submitted.id, false, "실적 수치를 보완하세요").await.unwrap();
    assert_eq!((returned.state.as_str(), returned.review_comment.as_str()), ("returned", "실적 수치를 보완하세요"));
    store.save_report(&cli, &plan, first, &q1, &report(&plan, "completed", 100, true)).await.unwrap();
    store.review_report(&cli, &plan, submitted.id, true, "").await.unwrap();

    // The rest: 54 more completed, 39 on track, 6 partial — all approved.
    for (i, c) in commitments.iter().enumerate().skip(1) {
        let status = if i < 55 {
            "completed"
        } else if i < 94 {
            "on_track"
        } else {
            "partial"
        };
        let saved = store
            .save_report(&cli, &plan, c, &q1, &report(&plan, status, if i < 55 { 100 } else { 60 }, true))
            .await
            .unwrap();
        store.review_report(&cli, &plan, saved.id, true, "").await.unwrap();
    }
    let snapshot = store.close_period(&cli, &plan, &q1).await.unwrap();
    assert_eq!((snapshot.sequence, snapshot.previous_hash.as_deref()), (1, None));
    let summary: serde_json::Value = serde_json::from_str(&snapshot.summary_json).unwrap();
    assert_eq!(summary["metrics"]["total"], 100);
    assert_eq!(summary["metrics"]["implementation"], serde_json::json!({"numerator": 55, "denominator": 100}));
    assert_eq!(summary["metrics"]["goal_achievement"], serde_json::json!({"numerator": 94, "denominator": 100}));
    assert!(store.close_period(&cli, &plan, &q1).await.is_err(), "a period is published once");
    let closed = store.period(plan.id, "2026-Q1").await.unwrap().unwrap();
    let late = store.save_report(&cli, &plan, first, &closed, &report(&plan, "partial", 1, false)).await.unwrap_err();
    assert!(matches!(late, StoreError::Invalid(e) if e.code == "period_closed"));

    // A second quarter chains to the first.
    let q2 = store.open_period(&cli, &plan, Period::parse("2026-Q2").unwrap(), "2026-07-10").await.unwrap();
    let second = store.close_period(&cli, &plan, &q2).await.unwrap();
    assert_eq!(second.previous_hash.as_deref(), Some(snapshot.hash.as_str()));
    assert!(store.verify_snapshots().await.unwrap().is_empty(), "an untouched chain verifies");
    assert_eq!(store.commitments(plan.id).await.unwrap().iter().filter(|c| c.status == "completed").count(), 55);

    // Editing one published row is found and named.
    let target = &commitments[7];
    sqlx::query("UPDATE snapshot_items SET content_json = REPLACE(content_json, '\"progress\":100', '\"progress\":99') WHERE commitment_id = $1 AND snapshot_id = $2")
        .bind(target.id)
        .bind(snapshot.id)
        .execute(store.pool())
        .await
        .unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].period.as_str(), problems[0].commitment_code.as_deref()),
        ("2026-Q1", Some(target.code.as_str()))
    );
});

both_backends!(editing_an_approved_report_after_publication_is_detected, |backend| async move {
    use sotong_core::commitments::period::Period;
    let store = fresh_store(backend).await;
    let cli = Actor::cli();
    let (plan, commitments) = dangjin_plan(&store).await;
    let q1 = store.open_period(&cli, &plan, Period::parse("2026-Q1").unwrap(), "2026-04-10").await.unwrap();
    let saved =
        store.save_report(&cli, &plan, &commitments[3], &q1, &report(&plan, "completed", 100, true)).await.unwrap();
    store.review_report(&cli, &plan, saved.id, true, "").await.unwrap();
    store.close_period(&cli, &plan, &q1).await.unwrap();
    assert!(store.verify_snapshots().await.unwrap().is_empty());
    sqlx::query("UPDATE progress_reports SET achievements = '고쳐 쓴 실적' WHERE id = $1")
        .bind(saved.id)
        .execute(store.pool())
        .await
        .unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems[0].commitment_code.as_deref(), Some(commitments[3].code.as_str()));
    assert!(problems[0].to_string().contains("2026-Q1"));
});

both_backends!(following_a_whole_plan_at_once_keeps_one_row, |backend| async move {
    let store = fresh_store(backend).await;
    let (_, _, plan) = city_with_plan(&store).await;
    let email = Email::parse("follower@example.kr").unwrap();
    let user = store.create_user(&Actor::cli(), &email, "팔로워", "x", false).await.unwrap();
    warm_pool(&store).await;
    let attempts: Vec<_> = (0..1000)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.follow(user.id, plan.id, None).await.map(|_| n) })
        })
        .collect();
    for attempt in attempts {
        attempt.await.unwrap().unwrap();
    }
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM follows WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 1);
    assert!(store.is_following(user.id, plan.id, None).await.unwrap());
});

/// A plan with two published quarters of the Dangjin commitments, for tampering with.
async fn published_twice(store: &sotong_store::Store) -> sotong_store::commitments::plans::Plan {
    use sotong_core::commitments::period::Period;
    let cli = Actor::cli();
    let (plan, commitments) = dangjin_plan(store).await;
    for code in ["2026-Q1", "2026-Q2"] {
        let period = store.open_period(&cli, &plan, Period::parse(code).unwrap(), "2026-07-10").await.unwrap();
        for c in commitments.iter().take(3) {
            let saved = store.save_report(&cli, &plan, c, &period, &report(&plan, "on_track", 40, true)).await.unwrap();
            store.review_report(&cli, &plan, saved.id, true, "").await.unwrap();
        }
        store.close_period(&cli, &plan, &period).await.unwrap();
    }
    assert!(store.verify_snapshots().await.unwrap().is_empty());
    plan
}

both_backends!(every_kind_of_tampering_is_found, |backend| async move {
    // (what is done to the published rows, the period named, what verify says)
    let first = "(SELECT id FROM snapshots WHERE sequence = 1)";
    let kinds: [(&str, String, &str); 7] = [
        (
            "an item's content",
            format!("UPDATE snapshot_items SET content_json = REPLACE(content_json, '\"progress\":40', '\"progress\":41') WHERE snapshot_id = {first} AND code = '1-00'"),
            "published content differs from its hash",
        ),
        (
            "an item's hash",
            format!("UPDATE snapshot_items SET item_hash = 'x' || item_hash WHERE snapshot_id = {first} AND code = '1-00'"),
            "published content differs from its hash",
        ),
        (
            "the summary",
            format!("UPDATE snapshots SET summary_json = REPLACE(summary_json, '\"total\":100', '\"total\":99') WHERE id = {first}"),
            "the snapshot hash or its link to the previous snapshot does not match",
        ),
        (
            "the snapshot hash",
            format!("UPDATE snapshots SET hash = REPLACE(hash, SUBSTR(hash, 1, 1), 'f') WHERE id = {first}"),
            "the snapshot hash or its link to the previous snapshot does not match",
        ),
        (
            "the link to the previous snapshot",
            "UPDATE snapshots SET previous_hash = NULL WHERE sequence = 2".to_string(),
            "the snapshot hash or its link to the previous snapshot does not match",
        ),
        (
            "a deleted item",
            format!("DELETE FROM snapshot_items WHERE snapshot_id = {first} AND code = '2-01'"),
            "the list of published items differs from the snapshot",
        ),
        (
            "a deleted newest snapshot",
            "DELETE FROM snapshot_items WHERE snapshot_id = (SELECT id FROM snapshots WHERE sequence = 2); \
             DELETE FROM snapshots WHERE sequence = 2"
                .to_string(),
            "a closed period's snapshot is missing",
        ),
    ];
    for (kind, tamper, expected) in kinds {
        let store = fresh_store(backend).await;
        published_twice(&store).await;
        for statement in tamper.split("; ") {
            sqlx::query(statement).execute(store.pool()).await.unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        let problems = store.verify_snapshots().await.unwrap();
        assert_eq!(problems.len(), 1, "{kind}: {problems:?}");
        assert_eq!(problems[0].what, expected, "{kind}");
        let period = if kind == "a deleted newest snapshot" || kind.contains("link") { "2026-Q2" } else { "2026-Q1" };
        assert_eq!(problems[0].period, period, "{kind}");
    }
    // Content and item hash rewritten together: the snapshot's own list gives it away.
    let store = fresh_store(backend).await;
    published_twice(&store).await;
    let (content,): (String,) = sqlx::query_as(&format!(
        "SELECT content_json FROM snapshot_items WHERE snapshot_id = {first} AND code = '1-00'"
    ))
    .fetch_one(store.pool())
    .await
    .unwrap();
    let forged = content.replace("\"progress\":40", "\"progress\":90");
    assert_ne!(forged, content);
    sqlx::query(&format!(
        "UPDATE snapshot_items SET content_json = $1, item_hash = $2 WHERE snapshot_id = {first} AND code = '1-00'"
    ))
    .bind(&forged)
    .bind(sotong_core::snapshot::chain_hash(None, &forged))
    .execute(store.pool())
    .await
    .unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].what, "the approved report was changed after publication", "the live report still reads 40");

    // A deleted middle snapshot breaks the link of the next one.
    let store = fresh_store(backend).await;
    published_twice(&store).await;
    sqlx::query(&format!("DELETE FROM snapshot_items WHERE snapshot_id = {first}"))
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM snapshots WHERE sequence = 1").execute(store.pool()).await.unwrap();
    let problems = store.verify_snapshots().await.unwrap();
    assert_eq!(problems.len(), 1);
});

both_backends!(two_coordinators_closing_one_period_at_once_publish_once, |backend| async move {
    use sotong_core::commitments::period::Period;
    let store = fresh_store(backend).await;
    let (plan, _) = dangjin_plan(&store).await;
    let period =
        store.open_period(&Actor::cli(), &plan, Period::parse("2026-Q1").unwrap(), "2026-04-10").await.unwrap();
    warm_pool(&store).await;
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let (store, plan, period) = (store.clone(), plan.clone(), period.clone());
            tokio::spawn(async move { store.close_period(&Actor::cli(), &plan, &period).await.is_ok() })
        })
        .collect();
    let mut published = 0;
    for attempt in attempts {
        published += attempt.await.unwrap() as usize;
    }
    assert_eq!(published, 1);
    let (snapshots,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM snapshots").fetch_one(store.pool()).await.unwrap();
    assert_eq!(snapshots, 1);
    let (closings,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'period.close'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(closings, 1, "one audit row, none for the refused closings");
    assert!(store.verify_snapshots().await.unwrap().is_empty());
});

both_backends!(an_import_failing_inside_its_transaction_changes_nothing, |backend| async move {
    use sotong_core::commitments::period::Period;
    use sotong_core::commitments::Taxonomy;
    let store = fresh_store(backend).await;
    let (_, _, plan) = city_with_plan(&store).await;
    let mut csv =
        String::from("code,sector,title,lead_department,status,progress,target,start_date,end_date,budget_krw\n");
    for i in 0..60 {
        csv.push_str(&format!("{}-{i:02},분야{},공약 {i},새부서{},완료,100,,,,1000\n", i % 3 + 1, i % 3 + 1, i % 4));
    }
    let rows = sotong_exchange::commitments_csv::parse(csv.as_bytes(), &Taxonomy::default()).unwrap().rows;
    // A failure deep inside the transaction (as a full disk or a lost connection would
    // be): the 50th commitment cannot be written.
    let trigger = match backend {
        Backend::Sqlite => vec![
            "CREATE TRIGGER fail_import BEFORE INSERT ON commitments WHEN NEW.code = '3-50' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        ],
        Backend::Postgres => vec![
            "CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 IF NEW.code = '3-50' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END; $$",
            "CREATE TRIGGER fail_import BEFORE INSERT ON commitments FOR EACH ROW EXECUTE FUNCTION fail_import()",
        ],
    };
    for statement in trigger {
        sqlx::query(statement).execute(store.pool()).await.unwrap();
    }
    let count = |table: &'static str| {
        let store = store.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(store.pool()).await.unwrap();
            n
        }
    };
    let tables = ["commitments", "sectors", "progress_reports", "organisations", "reporting_periods", "audit_log"];
    let mut before = Vec::new();
    for table in tables {
        before.push(count(table).await);
    }
    let result =
        store.import_commitments(&Actor::cli(), &plan, &rows, Some(Period::parse("2026-Q2").unwrap()), true).await;
    assert!(matches!(result, Err(sotong_store::commitments::import::ImportFailure::Store(_))));
    for (table, expected) in tables.iter().zip(before) {
        assert_eq!(count(table).await, expected, "{table} unchanged");
    }
});
