//! The site search over HTTP on both engines, on the demo city: words, initial
//! consonants and mixed queries find commitments, proposals, answers and notices with
//! highlighted snippets; filters narrow; a change is searchable within 2 seconds;
//! hidden content leaves the index; the similar-proposal hint finds a near-identical
//! proposal.

mod common;

use common::{Browser, Fixture};
use sotong_core::voice::proposals::NewProposal;
use sotong_store::voice::moderation::{Decision, Subject};
use sotong_store::{both_backends, Actor};
use sotong_web::WebConfig;
use std::time::{Duration, Instant};

fn count(page: &str, needle: &str) -> usize {
    page.matches(needle).count()
}

both_backends!(parking_is_found_by_words_and_initials_across_kinds, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let visitor = Browser::new(&app);
    for query in ["주차", "공원 ㅈㅊ"] {
        let page = visitor.get(&format!("/search?q={}", sotong_web::security::url_encode(query))).await;
        assert_eq!(page.status, 200);
        let body = &page.body;
        for kind in ["공약·과제</span>", "정책제안</span>", "시정알림</span>"] {
            assert!(body.contains(&format!("<span class=\"badge\">{kind}")), "{query}: a result of kind {kind}");
        }
        assert!(body.contains("한빛공원 주변 공영주차장 확충"), "{query}: the proposal");
        assert!(body.contains("한빛공원 공영주차장 공사에 따른 임시 폐쇄 안내"), "{query}: the notice");
        assert!(body.contains("공영주차장 확충"), "{query}: the pledge");
        assert!(body.contains("<mark>주차</mark>"), "{query}: highlighted in the snippets");
    }
    // A document with every word of a query comes before those with one.
    let both = visitor.get(&format!("/search?q={}", sotong_web::security::url_encode("공원 ㅈㅊ"))).await.body;
    let first = both.find("<h2><a href=").unwrap();
    let first_title = &both[first..first + 200];
    assert!(first_title.contains("공원") && first_title.contains("주차"), "{first_title}");
    // Filters: kind, body, dates.
    let notices =
        visitor.get(&format!("/search?q={}&kind=notice", sotong_web::security::url_encode("주차"))).await.body;
    assert!(count(&notices, "<span class=\"badge\">시정알림</span>") >= 1);
    assert_eq!(count(&notices, "<span class=\"badge\">정책제안</span>"), 0);
    let elsewhere = visitor.get(&format!("/solmoe/search?q={}", sotong_web::security::url_encode("주차"))).await.body;
    assert!(elsewhere.contains("에 맞는 결과가 없습니다"), "another body has none");
    let future =
        visitor.get(&format!("/search?q={}&from=2099-01-01", sotong_web::security::url_encode("주차"))).await.body;
    assert!(future.contains("에 맞는 결과가 없습니다"));
    let bad = visitor.get("/search?q=x&from=2026-13-01").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("날짜는 2026-11-22 형식으로"));
});

both_backends!(changes_reach_the_index_within_two_seconds_and_hidden_ones_leave_it, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let visitor = Browser::new(&app);
    // The index is built when the server starts.
    let search = |q: &str| format!("/hanbit/search?q={}", sotong_web::security::url_encode(q));
    assert!(visitor.get(&search("반려견 놀이터")).await.body.contains("공원 내 반려견 놀이터 조성"));
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let author = app.store.user_by_email("resident07@hanbit.example").await.unwrap().unwrap();
    let new = NewProposal::parse(
        "폐교 부지 청소년 스케이트보드장",
        "폐교된 한빛분교 운동장에 청소년 스케이트보드장을 만들어 주세요.",
        "culture",
        "",
    )
    .unwrap();
    // Written through the store, as another server or the CLI would.
    let proposal = app.store.create_proposal(&Actor::cli(), city.id, author.id, &new).await.unwrap();
    let changed = Instant::now();
    while !visitor.get(&search("스케이트보드장")).await.body.contains("폐교 부지 청소년 스케이트보드장")
    {
        assert!(changed.elapsed() < Duration::from_secs(2), "searchable within 2 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Hidden by a moderator: gone from the index, and back when restored.
    let hide = Decision::Hide { reason: "시험".into() };
    app.store.moderate(&Actor::cli(), city.id, Subject::Proposal(proposal.id), &hide).await.unwrap();
    let hidden = Instant::now();
    while visitor.get(&search("스케이트보드장")).await.body.contains("폐교 부지 청소년 스케이트보드장")
    {
        assert!(hidden.elapsed() < Duration::from_secs(2), "hidden content leaves the index");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The spam the demo's moderators hid was never indexed.
    assert!(!visitor.get(&search("인테리어")).await.body.contains("최저가 인테리어"));
    // A notice taken down leaves too.
    let notice = app
        .store
        .public_notices(city.id, None, &sotong_core::format::kst_date_after(sotong_store::now(), 0), 0, 1)
        .await
        .unwrap()
        .0
        .remove(0);
    app.store.withdraw_notice(&Actor::cli(), &notice).await.unwrap();
    let taken = Instant::now();
    while visitor.get(&search(&notice.title)).await.body.contains(&format!(">{}</a>", notice.title)) {
        assert!(taken.elapsed() < Duration::from_secs(2), "a withdrawn notice leaves the index");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
});

both_backends!(the_similar_hint_finds_a_near_identical_proposal, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let citizen = Browser::login_demo(&app, "citizen@hanbit.example").await;
    let hint = citizen
        .get(&format!(
            "/hanbit/proposals/similar?subject={}",
            sotong_web::security::url_encode("한빛공원 주차장을 늘려 주세요")
        ))
        .await;
    assert_eq!(hint.status, 200);
    assert!(hint.body.contains("비슷한 제안이 이미 있습니다"));
    assert!(hint.body.contains("한빛공원 주변 공영주차장 확충"));
    assert!(hint.body.contains("새로 제안하지 않고 공감하기"));
    assert!(!hint.body.contains("경로당 냉난방비"), "not what every proposal says (\"주세요\")");
    // The preview step (no JavaScript) shows the same, re-posts of the text first.
    let fields = [
        ("subject", "한빛공원 주변 공영주차장 확충"),
        ("content", "주말마다 한빛공원 주변 도로가 주차 차량으로 막힙니다. 공원 이용객은 늘었는데 공영주차장은 80면뿐입니다.\n\n공원 서쪽 유휴부지에 공영주차장을 더 만들고, 주차 안내 전광판을 설치해 주세요."),
        ("category", "transport"),
        ("step", "preview"),
    ];
    let preview = citizen.submit("/hanbit/proposals/new", "/hanbit/proposals/new", &fields).await;
    assert_eq!(preview.status, 200);
    let similar = preview.body.find("비슷한 제안이 이미 있습니다").expect("the hint on the preview");
    let first = &preview.body[similar..];
    let first_title = first.find("class=\"similar-title\"").map(|i| &first[i..i + 200]).unwrap();
    assert!(first_title.contains("한빛공원 주변 공영주차장 확충"), "the re-post's original first: {first_title}");
    // Nothing is indexed for a visitor's eyes only: the hint answers everyone the same.
    let anonymous = Browser::new(&app).get("/hanbit/proposals/similar?subject=%EC%A3%BC%EC%B0%A8").await;
    assert_eq!(anonymous.status, 200);
});

both_backends!(an_index_kept_on_disk_catches_up_after_a_restart, |backend| async move {
    use sotong_web::search::SearchService;
    use std::sync::Arc;
    let store = common::fixture_store(backend, Fixture::DemoVoice).await;
    let dir = std::env::temp_dir().join(format!("sotong-index-restart-{}-{}", backend.name(), std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let found = |service: &SearchService, q: &str| {
        service
            .search(q, &korean::search::Filter::default(), 0, 10)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.title)
            .collect::<Vec<_>>()
    };
    let first = Arc::new(SearchService::open(Some(dir.clone())).unwrap());
    let built = first.follow_once(&store).await.unwrap();
    assert!(built > 50, "the first round builds the whole index ({built} documents)");
    drop(first);
    // A change while the server is down is caught up from the log when it starts.
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let author = store.user_by_email("resident07@hanbit.example").await.unwrap().unwrap();
    let new = |title: &str| {
        NewProposal::parse(
            title,
            "서버가 멈춘 사이에 들어온 제안입니다. 다시 켜지면 찾을 수 있어야 합니다.",
            "other",
            "",
        )
        .unwrap()
    };
    store.create_proposal(&Actor::cli(), city.id, author.id, &new("정전 중에 접수된 제안")).await.unwrap();
    // The log entries of the demo are old by now (as after any real restart): only the
    // one after the index's position is read again.
    sqlx::query("UPDATE search_queue SET created_at = created_at - 3600").execute(store.pool()).await.unwrap();
    let second = Arc::new(SearchService::open(Some(dir.clone())).unwrap());
    second.follow_once(&store).await.unwrap();
    assert!(found(&second, "정전").contains(&"정전 중에 접수된 제안".to_string()));
    // The near-duplicate index (in memory only) is back too: a re-post of a demo
    // proposal's text finds it first.
    let all = sotong_store::voice::proposals::ProposalFilter { limit: 100, ..Default::default() };
    let parking = store.proposals(city.id, &all).await.unwrap().0;
    let original = parking.iter().find(|p| p.title == "한빛공원 주변 공영주차장 확충").expect("a demo proposal");
    // Under another demo proposal's title, so that the title alone would find that one
    // first (not one created above: those are newer than the demo's).
    let other = parking
        .iter()
        .find(|p| p.id != original.id && p.is_public() && !p.title.contains("주차") && !p.title.contains("정전"))
        .unwrap();
    let similar = second.similar_proposals("hanbit", &other.title, &original.body, 5).unwrap();
    assert_eq!(similar.first(), Some(&format!("proposal:{}", original.id)), "{similar:?}");
    drop(second);
    // Down longer than the log is kept: the log was purged past its position, so the
    // index is rebuilt rather than missing what was purged.
    store.create_proposal(&Actor::cli(), city.id, author.id, &new("오래 멈춘 사이의 제안")).await.unwrap();
    store.purge_search_queue(-10).await.unwrap();
    store.enqueue_search("proposal:0").await.unwrap();
    let third = Arc::new(SearchService::open(Some(dir.clone())).unwrap());
    third.follow_once(&store).await.unwrap();
    assert!(found(&third, "오래").contains(&"오래 멈춘 사이의 제안".to_string()));
    drop(third);
    // The database restored from an older backup: its log is behind the index, which
    // is rebuilt rather than keep what the restored database never had.
    let restored = common::fixture_store(backend, Fixture::DemoVoice).await;
    let fourth = Arc::new(SearchService::open(Some(dir.clone())).unwrap());
    fourth.follow_once(&restored).await.unwrap();
    assert!(found(&fourth, "정전").is_empty(), "nothing of the replaced database is left");
    let _ = std::fs::remove_dir_all(&dir);
});
