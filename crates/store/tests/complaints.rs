//! Complaints on both databases: the statutory clock at filing, the whole course of
//! one complaint, repeated complaints and their closure, and a multi-person case
//! answered once.

use sotong_core::format::kst_unix;
use sotong_core::org::NewOrg;
use sotong_core::user::Email;
use sotong_core::voice::complaints::{ComplaintAnswer, ComplaintState, NewComplaint, Place, REPEAT_CLOSURE_NOTICE};
use sotong_core::workdays::Holidays;
use sotong_store::testing::fresh_store;
use sotong_store::voice::complaints::categories::NewCategory;
use sotong_store::voice::complaints::{ComplaintCategory, Filer, FilingLinks, Source};
use sotong_store::{both_backends, Actor, Store, StoreError};

fn org(kind: &str, slug: &str, ko: &str) -> NewOrg {
    NewOrg::parse(kind, slug, ko, &format!("{slug} (en)"), "").unwrap()
}

struct City {
    store: Store,
    roads: i64,
    category: ComplaintCategory,
    calendar: Holidays,
}

async fn city(store: Store) -> City {
    let cli = Actor::cli();
    let city = store.create_org(&cli, None, &org("city", "hanbit", "한빛시")).await.unwrap();
    let roads = store.create_org(&cli, Some(city.id), &org("department", "roads", "도로과")).await.unwrap();
    let new = NewCategory::parse("streetlight", "가로등·보안등", "꺼진 가로등", "grievance", Some(roads.id), "가로등")
        .unwrap();
    let category = store.add_complaint_category(&cli, city.id, &new).await.unwrap();
    let calendar = store.calendar().await.unwrap();
    City { store, roads: roads.id, category, calendar }
}

async fn citizen(store: &Store, n: usize) -> Filer {
    let email = format!("citizen{n}@hanbit.example");
    let user = store
        .create_user(&Actor::cli(), &Email::parse(&email).unwrap(), &format!("시민{n}"), "$argon2id$fake", false)
        .await
        .unwrap();
    Filer { user_id: Some(user.id), name: Some(user.display_name), email: Some(email) }
}

fn complaint(title: &str, body: &str) -> NewComplaint {
    NewComplaint::parse(title, body, true, Place::parse("한빛로 12", "", ""), "").unwrap()
}

fn answer(text: &str) -> ComplaintAnswer {
    ComplaintAnswer::parse("resolved", text, "김도로", "041-360-3120", "", "").unwrap()
}

both_backends!(the_clock_is_set_at_filing_as_the_law_counts, |backend| async move {
    let c = city(fresh_store(backend).await).await;
    let filer = citizen(&c.store, 1).await;
    // Filed Friday 2026-09-18 at 16:00 KST: a 고충민원 has 7 days, counted in working
    // days from the day of filing — 18 (1), 21 (2), 22 (3), 23 (4), then 추석 24–26
    // and the weekend, 28 (5), 29 (6), 30 (7) — due 2026-09-30 18:00. Receipt within 8
    // working hours: 2 hours on Friday, then 09–12 and 13–16 on Monday 21st → 16:00.
    let at = kst_unix("2026-09-18", 16).unwrap();
    let filed = c
        .store
        .file_complaint_at(
            &Actor::cli(),
            &c.category,
            &filer,
            &complaint("가로등 고장", "한빛로 12번길 가로등이 꺼져 있습니다."),
            &FilingLinks::default(),
            Source::Web,
            at,
            &c.calendar,
        )
        .await
        .unwrap();
    assert_eq!(filed.due_at, kst_unix("2026-09-30", 18).unwrap());
    assert_eq!(filed.receipt_due_at, kst_unix("2026-09-21", 16).unwrap());
    assert_eq!(filed.state, ComplaintState::Received);
    assert_eq!(filed.department_id, Some(c.roads), "the category's department receives it");
});

both_backends!(a_complaint_is_assigned_extended_answered_and_rated, |backend| async move {
    let c = city(fresh_store(backend).await).await;
    let cli = Actor::cli();
    let filer = citizen(&c.store, 1).await;
    let new = complaint("가로등 고장 신고", "한빛로 12번길 가로등이 일주일째 꺼져 있습니다.");
    let filed =
        c.store.file_complaint(&cli, &c.category, &filer, &new, &FilingLinks::default(), Source::Web).await.unwrap();
    let assigned = c.store.assign_complaint(&cli, &filed, c.roads, None).await.unwrap();
    assert_eq!(assigned.state, ComplaintState::Assigned);
    // Extended once within the period's length; a second time needs consent.
    let new_due = assigned.due_at + 3 * 86_400;
    let extended =
        c.store.extend_complaint(&cli, &assigned, new_due, "부품 수급 지연", false, &c.calendar).await.unwrap();
    assert_eq!((extended.due_at, extended.extensions), (new_due, 1));
    let refused =
        c.store.extend_complaint(&cli, &extended, new_due + 86_400, "추가 지연", false, &c.calendar).await.unwrap_err();
    assert!(matches!(&refused, StoreError::Invalid(e) if e.code == "extension_needs_consent"), "{refused:?}");
    let far = c.store.extend_complaint(&cli, &extended, new_due + 60 * 86_400, "추가 지연", true, &c.calendar).await;
    assert!(matches!(&far, Err(StoreError::Invalid(e)) if e.code == "extension_too_long"), "{far:?}");
    let started = c.store.start_complaint(&cli, &extended).await.unwrap();
    let answered = c.store.answer_complaint(&cli, &started, &answer("가로등 안정기를 교체하였습니다.")).await.unwrap();
    assert_eq!(answered.state, ComplaintState::Answered);
    assert_eq!(answered.answer_unit.as_deref(), Some("도로과"));
    c.store.rate_complaint(&cli, &answered, 4).await.unwrap();
    let again = c.store.reexamine_complaint(&cli, &answered, "다시 꺼졌습니다.", &c.calendar).await.unwrap();
    assert_eq!(again.state, ComplaintState::InProgress);
    let answered_again = c.store.answer_complaint(&cli, &again, &answer("배선을 교체하였습니다.")).await.unwrap();
    let twice = c.store.reexamine_complaint(&cli, &answered_again, "또 꺼졌습니다.", &c.calendar).await.unwrap_err();
    assert!(matches!(&twice, StoreError::Invalid(e) if e.code == "reexamination_used"), "{twice:?}");
    let events = c.store.complaint_events(filed.id, false).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["filed", "assigned", "extended", "started", "answered", "rated", "reexamination", "answered"]);
    // The filer was told of receipt, the extension and both answers.
    let filer_id = filer.user_id.unwrap();
    let told: Vec<String> = c.store.notifications(filer_id, 20).await.unwrap().into_iter().map(|n| n.kind).collect();
    for kind in ["complaint_received", "complaint_extended", "complaint_answered"] {
        assert!(told.iter().any(|k| k == kind), "{kind} in {told:?}");
    }
});

both_backends!(a_matter_filed_three_times_and_answered_twice_may_be_closed, |backend| async move {
    let c = city(fresh_store(backend).await).await;
    let cli = Actor::cli();
    let filer = citizen(&c.store, 1).await;
    let other = citizen(&c.store, 2).await;
    let text = complaint("가로등 고장 신고", "한빛로 12번길 가로등이 또 꺼져 있습니다.");
    let first =
        c.store.file_complaint(&cli, &c.category, &filer, &text, &FilingLinks::default(), Source::Web).await.unwrap();
    let first = c.store.assign_complaint(&cli, &first, c.roads, None).await.unwrap();
    c.store.answer_complaint(&cli, &first, &answer("가로등을 점검하였습니다.")).await.unwrap();
    let repeat = FilingLinks { repeat_of: Some(first.id), same_matter: Vec::new() };
    let second = c.store.file_complaint(&cli, &c.category, &filer, &text, &repeat, Source::Web).await.unwrap();
    assert_eq!(second.repeat_of, Some(first.id));
    let second = c.store.assign_complaint(&cli, &second, c.roads, None).await.unwrap();
    // Two filings, one answer: not yet.
    let early = c.store.close_repeated(&cli, &second, "김도로", "041-360-3120", None).await.unwrap_err();
    assert!(matches!(&early, StoreError::Invalid(e) if e.code == "repeat_not_enough"), "{early:?}");
    c.store.answer_complaint(&cli, &second, &answer("가로등을 다시 점검하였습니다.")).await.unwrap();
    // Another person's complaint is not their repeat.
    let foreign = FilingLinks { repeat_of: Some(first.id), same_matter: Vec::new() };
    let refused = c.store.file_complaint(&cli, &c.category, &other, &text, &foreign, Source::Web).await.unwrap_err();
    assert!(matches!(&refused, StoreError::Invalid(e) if e.code == "repeat_other_filer"), "{refused:?}");
    // The third filing links to the matter's first (not to the second).
    let by_second = FilingLinks { repeat_of: Some(second.id), same_matter: Vec::new() };
    let third = c.store.file_complaint(&cli, &c.category, &filer, &text, &by_second, Source::Web).await.unwrap();
    assert_eq!(third.repeat_of, Some(first.id));
    let closed = c.store.close_repeated(&cli, &third, "김도로", "041-360-3120", None).await.unwrap();
    assert_eq!(closed.state, ComplaintState::Closed);
    assert_eq!(closed.answer_body.as_deref(), Some(REPEAT_CLOSURE_NOTICE));
    let (board, total) = c.store.repeated_matters(c.category.body_id, false, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!((board[0].first.id, board[0].filings, board[0].answers), (first.id, 3, 2));
    // Unlinked by hand, the second is its own matter again.
    let unlinked = c.store.unlink_repeat(&cli, &second).await.unwrap();
    assert_eq!(unlinked.repeat_of, None);
    assert_eq!(c.store.repeat_chain(&first).await.unwrap().len(), 2);
});

both_backends!(twelve_people_filing_one_matter_are_one_case_answered_once, |backend| async move {
    let c = city(fresh_store(backend).await).await;
    let cli = Actor::cli();
    let text = complaint("한빛초 앞 횡단보도 신호등 설치", "등굣길 한빛초등학교 앞 횡단보도에 신호등을 설치해 주세요.");
    let mut filers = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    for n in 0..12 {
        let filer = citizen(&c.store, n).await;
        let links = FilingLinks { repeat_of: None, same_matter: ids.clone() };
        let filed = c.store.file_complaint(&cli, &c.category, &filer, &text, &links, Source::Web).await.unwrap();
        ids.push(filed.id);
        filers.push(filer);
    }
    let first = c.store.complaint_by_id(ids[0]).await.unwrap().unwrap();
    let case_id = first.case_id.expect("grouped");
    assert_eq!(c.store.case_members(case_id).await.unwrap().len(), 12);
    assert_eq!(c.store.case_filers(case_id).await.unwrap(), 12);
    assert!(c.store.is_multi_person(Some(case_id)).await.unwrap());
    let lead = c.store.assign_complaint(&cli, &first, c.roads, None).await.unwrap();
    c.store.answer_complaint(&cli, &lead, &answer("경찰서와 협의하여 내년 상반기에 설치합니다.")).await.unwrap();
    for (filer, id) in filers.iter().zip(&ids) {
        let member = c.store.complaint_by_id(*id).await.unwrap().unwrap();
        assert_eq!(member.state, ComplaintState::Answered, "complaint {id}");
        let told = c.store.notifications(filer.user_id.unwrap(), 10).await.unwrap();
        assert_eq!(told.iter().filter(|n| n.kind == "complaint_answered").count(), 1, "filer of {id}");
    }
    // Split by hand: out of the case, the case goes on with eleven.
    let last = c.store.complaint_by_id(ids[11]).await.unwrap().unwrap();
    assert_eq!(c.store.split_complaint(&cli, &last).await.unwrap().case_id, None);
    assert_eq!(c.store.case_filers(case_id).await.unwrap(), 11);
});

both_backends!(personal_data_of_finished_complaints_goes_after_the_retention_period, |backend| async move {
    let c = city(fresh_store(backend).await).await;
    let cli = Actor::cli();
    let filer = citizen(&c.store, 7).await;
    let links = FilingLinks::default();
    let file = |title: &'static str| {
        let (store, category, filer, links) = (c.store.clone(), c.category.clone(), filer.clone(), links.clone());
        async move {
            let new = NewComplaint::parse(
                title,
                "가로등이 꺼져 밤길이 어둡습니다. 고쳐 주세요.",
                true,
                Place::parse("", "", ""),
                "010-1234-5678",
            )
            .unwrap();
            store.file_complaint(&Actor::cli(), &category, &filer, &new, &links, Source::Web).await.unwrap()
        }
    };
    let old = file("한빛로 가로등이 꺼졌습니다").await;
    let recent = file("새솔로 가로등이 꺼졌습니다").await;
    let open = file("누리로 가로등이 꺼졌습니다").await;
    let photo = |label: &'static str| sotong_store::files::NewFile {
        name: format!("{label}.png"),
        kind: sotong_core::files::FileKind::Png,
        bytes: if label == "old" { b"\x89PNG old lamp" } else { b"\x89PNG open lamp" },
    };
    use sotong_store::voice::attachments::Owner;
    c.store.attach_voice_file(&cli, c.category.body_id, Owner::Complaint(old.id), &photo("old")).await.unwrap();
    c.store.attach_voice_file(&cli, c.category.body_id, Owner::Complaint(open.id), &photo("open")).await.unwrap();
    for complaint in [&old, &recent] {
        let assigned = c.store.assign_complaint(&cli, complaint, c.roads, None).await.unwrap();
        c.store.answer_complaint(&cli, &assigned, &answer("가로등 안정기를 교체하였습니다.")).await.unwrap();
    }
    let answered = c.store.complaint_by_id(old.id).await.unwrap().unwrap().answered_at.unwrap();
    // Three years and a day after the answer, only the old one's data goes.
    let later = answered + 3 * 31_557_600 + 86_400;
    assert_eq!(c.store.purge_complaint_personal_data(answered + 86_400).await.unwrap(), 0, "within the period");
    assert_eq!(c.store.purge_complaint_personal_data(later).await.unwrap(), 2, "both answered ones are past it");
    let purged = c.store.complaint_by_id(old.id).await.unwrap().unwrap();
    assert_eq!(
        (purged.filer_id, purged.filer_name.as_deref(), purged.filer_email.as_deref(), purged.filer_phone.as_deref()),
        (None, None, None, None)
    );
    assert_eq!(purged.personal_purged_at, Some(later));
    assert_eq!(purged.answer_body.as_deref(), Some("가로등 안정기를 교체하였습니다."), "the answer stays");
    assert_eq!(purged.title, old.title);
    let still_open = c.store.complaint_by_id(open.id).await.unwrap().unwrap();
    assert_eq!(still_open.filer_email, filer.email, "an open complaint keeps its filer");
    assert!(c.store.voice_files(Owner::Complaint(old.id)).await.unwrap().is_empty(), "the filer's files go too");
    assert_eq!(c.store.voice_files(Owner::Complaint(open.id)).await.unwrap().len(), 1);
    // The audit log never held the filer's contact: nothing is left behind there.
    let (kept,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint' AND (before_json LIKE '%010-1234-5678%'
            OR after_json LIKE '%010-1234-5678%' OR after_json LIKE '%filer_email%')",
    )
    .fetch_one(c.store.pool())
    .await
    .unwrap();
    assert_eq!(kept, 0);
    let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint'")
        .fetch_one(c.store.pool())
        .await
        .unwrap();
    assert!(audited >= 7, "the changes themselves are audited");
    assert_eq!(c.store.purge_complaint_personal_data(later).await.unwrap(), 0, "once only");
    let _ = recent;
});
