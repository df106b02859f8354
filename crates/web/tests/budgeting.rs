//! Participatory budgeting over HTTP on both databases: a resident verifies with a
//! voting code, votes, gets a receipt; a second ballot is refused with a clear
//! message; a ballot breaking the rules is refused naming the rule; the coordinator
//! publishes; the receipt finds the ballot counted, the results say why, the
//! published ballot list matches the publication, and the Pabulib download computes
//! to the published outcome. Roster verification matches details however written.

mod common;

use common::{Browser, TestApp};
use sotong_core::budgeting::Phase;
use sotong_store::testing::budget_process;
use sotong_store::{both_backends, Actor};
use sotong_web::demo::DEMO_PASSWORD;
use sotong_web::WebConfig;

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let browser = Browser::new(app);
    assert_eq!(browser.login(email, DEMO_PASSWORD).await.status, 303);
    browser
}

async fn issue_code(app: &TestApp, body_id: i64, code: &str) {
    let code = sotong_core::verification::normalise_code(code).unwrap();
    let issued = sotong_store::verification::IssuedCode {
        digest: sotong_web::security::sha256_hex(&code),
        code,
        person_key: None,
        basis: sotong_core::verification::Basis::Resident,
        district: None,
    };
    app.store.issue_codes(&Actor::cli(), body_id, "시험", &[issued]).await.unwrap();
}

fn receipt_of(body: &str) -> String {
    let start = body.find("<p class=\"receipt-code\"><code>").expect("a receipt code") + 30;
    body[start..start + 19].to_string()
}

both_backends!(verify_vote_receipt_publish_and_recount, |backend| async move {
    let app = common::spawn_app(backend).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let (process, projects) = budget_process(&app.store, city.id, "2027", Phase::Voting).await;
    issue_code(&app, city.id, "MAZE-WXYZ-2345").await;
    let citizen = signed_in(&app, "citizen@hanbit.example").await;

    // Not verified yet: the ballot says so and links to the verification page.
    let ballot = citizen.get("/hanbit/budgeting/2027/ballot").await;
    assert_eq!(ballot.status, 200);
    assert!(ballot.body.contains("먼저 이 지역 주민임을 확인해야 합니다"), "{}", ballot.body);
    let wrong = citizen
        .submit("/hanbit/verify", "/hanbit/verify", &[("method", "code"), ("code", "AAAA-BBBB-CCCC")])
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("발급되지 않은 투표 코드입니다"));
    let verified = citizen
        .submit(
            "/hanbit/verify",
            "/hanbit/verify",
            &[("method", "code"), ("code", " maze wxyz 2345 "), ("next", "/hanbit/budgeting/2027/ballot")],
        )
        .await;
    assert_eq!((verified.status, verified.location.as_deref()), (303, Some("/hanbit/budgeting/2027/ballot")));

    // Three picks where two are allowed: refused, the rule named, nothing stored.
    let ids: Vec<String> = projects.iter().map(|p| p.id.to_string()).collect();
    let form = "/hanbit/budgeting/2027/ballot";
    let too_many =
        citizen.submit(form, form, &[("pick", ids[0].as_str()), ("pick", &ids[1]), ("pick", &ids[2])]).await;
    assert_eq!(too_many.status, 422);
    assert!(too_many.body.contains("시 전체: 최대 2개까지 고를 수 있습니다. 지금 3개를 골랐습니다."), "{}", too_many.body);
    assert_eq!(app.store.turnout(process.id).await.unwrap().total(), 0);
    let cast = citizen.submit(form, form, &[("pick", ids[0].as_str()), ("pick", &ids[1])]).await;
    assert_eq!(cast.status, 200, "{}", cast.body);
    let receipt = receipt_of(&cast.body);
    let again = citizen.get(form).await;
    assert!(again.body.contains("이미 투표하셨습니다. 한 사람은 한 번만 투표할 수 있습니다."));
    let token = again.csrf();
    let second = citizen.post_form(form, &[("_csrf", token.as_str()), ("pick", &ids[2])]).await;
    assert_eq!(second.status, 409, "a second ballot is refused");
    assert!(second.body.contains("이미 투표하셨습니다"));
    assert_eq!(app.store.ballots(process.id).await.unwrap().len(), 1);

    // Totals stay hidden while the vote runs; the coordinator closes and publishes.
    assert_eq!(citizen.get("/hanbit/budgeting/2027/results").await.status, 404);
    let staff = signed_in(&app, "coordinator@hanbit.example").await;
    let page = "/hanbit/staff/budgeting/2027";
    let closed = staff.submit(page, "/hanbit/staff/budgeting/2027/phase", &[("to", "results")]).await;
    assert_eq!(closed.status, 303);
    let late = citizen.get(form).await;
    assert!(late.body.contains("투표가 마감되었습니다."));
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2027/publish", &[]).await.status, 303);

    let check = citizen.submit("/hanbit/budgeting/2027/receipt", "/hanbit/budgeting/2027/receipt", &[("code", &receipt.to_lowercase())]).await;
    assert_eq!(check.status, 200);
    assert!(check.body.contains("결과와 함께 공개된 투표 목록에도 들어 있습니다."));
    let results = Browser::new(&app).get("/hanbit/budgeting/2027/results").await;
    assert_eq!(results.status, 200);
    assert!(results.body.contains("1위(1표)로, 차례가 왔을 때 남은 예산 5억 원 안에 들어 선정되었습니다."), "{}", results.body);
    assert!(results.body.contains("균등 배분 방식"), "the rules compared");

    // The ballot list is what the publication's digest covers.
    let list = Browser::new(&app).get("/hanbit/budgeting/2027/ballots.txt").await;
    let lines: Vec<(&str, &str)> = list.body.lines().map(|l| l.split_once(' ').unwrap()).collect();
    let digest = sotong_core::budgeting::ballot::ballot_list_digest(lines.iter().copied());
    let publication = app.store.publication(process.id).await.unwrap().unwrap();
    let summary: serde_json::Value = serde_json::from_str(&publication.summary_json).unwrap();
    assert_eq!(summary["ballots_digest"], serde_json::Value::String(digest));

    // The Pabulib file computes, by the rule it declares, to the published outcome.
    let pot = app.store.process_setup(process.clone()).await.unwrap().pots[0].id;
    let file = Browser::new(&app).get(&format!("/hanbit/budgeting/2027/pots/{pot}/ballots.pb")).await;
    let election = pb::pabulib::parse(file.body.as_bytes()).expect("a Pabulib file");
    let outcome = pb::Rule::declared(&election, pb::TieBreak::ProjectId).unwrap().compute(&election);
    let mut recomputed: Vec<i64> = outcome.selected.iter().map(|&p| election.projects[p].id.parse().unwrap()).collect();
    let mut published = app.store.published_results(process.id).await.unwrap()[0].selected.clone();
    recomputed.sort();
    published.sort();
    assert_eq!(recomputed, published);
    assert!(app.store.verify_budget_publications().await.unwrap().is_empty());
});

both_backends!(residents_verify_against_the_roster_however_they_write_their_details, |backend| async move {
    let key: std::sync::Arc<[u8]> = std::sync::Arc::from(b"a test verification key of 32 bytes!".as_slice());
    let config = WebConfig { verification_key: Some(key.clone()), ..WebConfig::default() };
    let app = common::spawn_app_with(backend, config).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let details = sotong_core::verification::PersonDetails::parse("김시민", "1985-04-12", "010-2345-6789").unwrap();
    let person_key = sotong_web::security::hmac_sha256_hex(&key, details.keyed_message().as_bytes());
    let entry = sotong_store::verification::RosterEntry {
        person_key,
        basis: sotong_core::verification::Basis::Resident,
        district: Some("중앙동".into()),
    };
    app.store.import_roster(&Actor::cli(), city.id, "명부", &[entry]).await.unwrap();
    let citizen = signed_in(&app, "citizen@hanbit.example").await;
    let page = citizen.get("/hanbit/verify").await;
    assert!(page.body.contains("주민 명부로 확인"));
    let roster = |name: &'static str, born: &'static str, phone: &'static str| {
        [("method", "roster"), ("name", name), ("born_on", born), ("phone", phone)]
    };
    let mismatch = citizen.submit("/hanbit/verify", "/hanbit/verify", &roster("김시민", "1985-04-13", "01023456789")).await;
    assert_eq!(mismatch.status, 422);
    assert!(mismatch.body.contains("주민 명부와 일치하지 않습니다"));
    let bad = citizen.submit("/hanbit/verify", "/hanbit/verify", &roster("", "1985-02-30", "02-123-4567")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("생년월일을 1990-03-01처럼 입력해 주세요."));
    let ok = citizen.submit("/hanbit/verify", "/hanbit/verify", &roster("김 시민", "1985. 4. 12.", "010 2345 6789")).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let verified = app.store.verified(city.id, ok_user(&app).await).await.unwrap().unwrap();
    assert_eq!(verified.district.as_deref(), Some("중앙동"));
    // Another account cannot take the same person; and attempts are limited.
    let other = signed_in(&app, "officer@hanbit.example").await;
    let taken = other.submit("/hanbit/verify", "/hanbit/verify", &roster("김시민", "19850412", "01023456789")).await;
    assert!(taken.body.contains("다른 계정으로 이미 확인되었습니다"));
    let mut last = 0;
    for _ in 0..10 {
        last = other.submit("/hanbit/verify", "/hanbit/verify", &roster("이시민", "1990-01-01", "01000000000")).await.status;
    }
    assert_eq!(last, 429, "ten attempts an hour");
});

async fn ok_user(app: &TestApp) -> i64 {
    app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap().id
}

async fn post_json(browser: &Browser, path: &str, token: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let response = browser
        .client
        .post(format!("{}{path}", browser.base))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// The API error's fields and their messages.
fn fields(answer: &serde_json::Value) -> Vec<(String, String)> {
    let fields = answer["fields"].as_object().expect("field errors");
    fields.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect()
}

fn one(field: &str, message: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), message.to_string())]
}

both_backends!(ballots_through_the_api_follow_the_ballot_pages_rules, |backend| async move {
    let app = common::spawn_app(backend).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let (_, projects) = budget_process(&app.store, city.id, "2027", Phase::Voting).await;
    issue_code(&app, city.id, "MAZE-WXYZ-2345").await;
    let citizen = signed_in(&app, "citizen@hanbit.example").await;
    let token = citizen.get("/hanbit/verify").await.csrf();
    let path = "/api/v1/orgs/hanbit/budgeting/2027/ballots";
    let picks = |n: usize| serde_json::json!({ "picks": projects.iter().take(n).map(|p| serde_json::json!({ "project": p.id })).collect::<Vec<_>>() });
    let (status, answer) = post_json(&citizen, path, &token, picks(1)).await;
    assert_eq!((status, fields(&answer)), (422, one("ballot", "투표하려면 먼저 주민 확인을 해야 합니다.")));
    citizen.submit("/hanbit/verify", "/hanbit/verify", &[("method", "code"), ("code", "MAZE-WXYZ-2345")]).await;
    let (status, answer) = post_json(&citizen, path, &token, picks(3)).await;
    assert_eq!((status, fields(&answer)), (422, one("too_many_picks", "고를 수 있는 사업 수를 넘었습니다.")));
    let (status, answer) = post_json(&citizen, path, &token, picks(2)).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["receipt"].as_str().unwrap().len(), 19);
    let (status, answer) = post_json(&citizen, path, &token, picks(1)).await;
    assert_eq!(
        (status, fields(&answer)),
        (422, one("ballot", "이미 투표하셨습니다. 한 사람은 한 번만 투표할 수 있습니다."))
    );
    assert_eq!(answer["codes"], serde_json::json!({ "ballot": "already_voted" }), "a code for programs");
    let detail: serde_json::Value =
        Browser::new(&app).client.get(format!("{}/api/v1/orgs/hanbit/budgeting/2027", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["projects"].as_array().unwrap().len(), 3);
    assert_eq!(detail["turnout_online"], 1);
    assert!(detail["projects"][0].get("votes").is_none(), "no totals while the vote runs");
});

both_backends!(a_roster_imports_whole_or_not_at_all_and_codes_download_once, |backend| async move {
    let key: std::sync::Arc<[u8]> = std::sync::Arc::from(b"a test verification key of 32 bytes!".as_slice());
    let config = WebConfig { verification_key: Some(key), ..WebConfig::default() };
    let app = common::spawn_app_with(backend, config).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let staff = signed_in(&app, "coordinator@hanbit.example").await;
    let upload = |csv: &'static str| {
        let staff = &staff;
        async move {
            let token = staff.get("/hanbit/staff/residents").await.csrf();
            let form = reqwest::multipart::Form::new()
                .text("name", "2026년 11월 명부")
                .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("명부.csv"));
            let url = format!("{}/hanbit/staff/residents/roster?_csrf={token}", staff.base);
            let response = staff.client.post(url).multipart(form).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, body) = upload("이름,생년월일,휴대전화,동\n김시민,1985-04-12,010-2345-6789,중앙동\n이주민,1990-02-30,010-1111-2222,\n,1970-01-01,010-3333-4444,\n").await;
    assert_eq!(status, 422);
    assert!(body.contains("2건의 문제가 있어 아무것도 반영하지 않았습니다"), "{body}");
    assert!(body.contains("<td>4</td><td><code>name</code></td><td>필수 항목이 비어 있습니다."), "{body}");
    assert!(body.contains("<td>3</td><td><code>born_on</code></td><td>생년월일이 올바르지 않습니다"), "the line and column named");
    assert!(app.store.rosters(city.id).await.unwrap().is_empty(), "nothing imported");
    let (status, body) = upload("이름,생년월일,휴대전화,동\n김시민,1985-04-12,010-2345-6789,중앙동\n김시민,1985.4.12,01023456789,중앙동\n").await;
    assert_eq!(status, 200);
    assert!(body.contains("2줄을 읽어 1명을 명부에 등록했습니다."), "{body}");
    // The details are nowhere in the database in clear.
    let (clear,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM verification_roster_entries WHERE person_key LIKE '%김시민%' OR person_key LIKE '%01023456789%'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(clear, 0);

    let codes = staff.submit("/hanbit/staff/residents", "/hanbit/staff/residents/codes", &[("batch", "중앙동 우편"), ("count", "3"), ("district", "중앙동")]).await;
    assert_eq!(codes.status, 200);
    assert_eq!(codes.headers["content-type"], "text/csv; charset=utf-8");
    let lines: Vec<&str> = codes.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "a header and three codes");
    let code = lines[1].split(',').next().unwrap().to_string();
    let citizen = signed_in(&app, "citizen@hanbit.example").await;
    let verified = citizen.submit("/hanbit/verify", "/hanbit/verify", &[("method", "code"), ("code", &code)]).await;
    assert_eq!(verified.status, 303);
    let user = app.store.user_by_email("citizen@hanbit.example").await.unwrap().unwrap();
    assert_eq!(app.store.verified(city.id, user.id).await.unwrap().unwrap().district.as_deref(), Some("중앙동"));
    assert!(!app.store.rosters(city.id).await.unwrap().is_empty());
});

// The coordinator sets a process up in the staff pages (each form refusing bad input
// with its field named, nothing saved), an officer reviews the projects, the
// committee selects and scores them, and at a polling station a resident is
// checked in and her paper ballot keyed twice before it counts.
both_backends!(a_process_set_up_reviewed_scored_and_voted_on_paper_through_the_staff_pages, |backend| async move {
    let key: std::sync::Arc<[u8]> = std::sync::Arc::from(b"a test verification key of 32 bytes!".as_slice());
    let app = common::spawn_app_with(backend, WebConfig { verification_key: Some(key), ..WebConfig::default() }).await;
    let staff = signed_in(&app, "coordinator@hanbit.example").await;
    let new = "/hanbit/staff/budgeting/new";
    let mut form = vec![
        ("title", "2028년 주민참여예산"),
        ("slug", "2028"),
        ("description", "시민이 제안하고 투표로 정하는 2028년 사업입니다."),
        ("voting_opens_at", ""),
        ("voting_closes_at", "2028-06-30"),
        ("min_age", "14"),
        ("bases", "resident"),
        ("bases", "worker"),
        ("rule", "greedy_combined"),
        ("resident_percent", "70"),
        ("committee_percent", "20"),
        ("paper_weight", "1"),
        ("normalisation", "max"),
        ("committee_max_score", "100"),
        ("warn_ratio", "50"),
    ];
    let wrong = staff.submit(new, new, &form).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("주민 투표 비율과 위원회 심사 비율의 합이 100이어야 합니다."), "{}", wrong.body);
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    assert!(app.store.processes(city.id).await.unwrap().is_empty(), "nothing created");
    form[10] = ("committee_percent", "30");
    let created = staff.submit(new, new, &form).await;
    assert_eq!(created.location.as_deref(), Some("/hanbit/staff/budgeting/2028?done=created"), "{}", created.body);
    assert_eq!(staff.submit(new, new, &form).await.status, 422, "the same address twice");

    // Pots, a category, a phase note, a committee member and a station.
    let page = "/hanbit/staff/budgeting/2028";
    let pot = |budget: &'static str| {
        vec![("name", "시 전체 사업"), ("budget", budget), ("ballot_kind", "approval"), ("max_picks", "2")]
    };
    let bad_pot = staff.submit(page, "/hanbit/staff/budgeting/2028/pots", &pot("삼억 원")).await;
    assert_eq!(bad_pot.status, 422);
    assert!(bad_pot.body.contains("금액으로 읽을 수 없습니다"), "{}", bad_pot.body);
    assert!(bad_pot.body.contains("href=\"#budget-pot\""), "the error links to its field");
    let added = staff.submit(page, "/hanbit/staff/budgeting/2028/pots", &pot("300,000,000")).await;
    assert_eq!(added.location.as_deref(), Some("/hanbit/staff/budgeting/2028?done=pot"));
    let category = [("name", "안전"), ("max_picks", "1")];
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/categories", &category).await.status, 303);
    let note = [("phase", "proposals"), ("starts_on", "2028-03-02"), ("ends_on", "2028-03-01"), ("rules", "")];
    let backwards = staff.submit(page, "/hanbit/staff/budgeting/2028/notes", &note).await;
    assert!(backwards.body.contains("종료일이 시작일보다 앞섭니다."), "{}", backwards.body);
    let note = [("phase", "proposals"), ("starts_on", "2028-03-02"), ("ends_on", "2028-04-30"), ("rules", "만 14세 이상 시민")];
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/notes", &note).await.status, 303);
    let nobody = staff.submit(page, "/hanbit/staff/budgeting/2028/committee", &[("email", "nobody@hanbit.example")]).await;
    assert_eq!(nobody.status, 422);
    let member = [("email", "citizen@hanbit.example")];
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/committee", &member).await.status, 303);
    let station = [("name", "중앙동 행정복지센터"), ("place", "중앙로 12, 1층")];
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/stations", &station).await.status, 303);
    let shown = staff.get(page).await.body;
    for text in ["시 전체 사업", "3억 원", "안전", "만 14세 이상 시민", "중앙동 행정복지센터"] {
        assert!(shown.contains(text), "{text} on the staff page");
    }

    // Three projects; the officer reviews them, the committee puts two on the ballot.
    let process = app.store.process_by_slug(city.id, "2028").await.unwrap().unwrap();
    let setup = app.store.process_setup(process.clone()).await.unwrap();
    let mut ids = Vec::new();
    for (title, cost) in [("통학로 보행등 설치", 120_000_000), ("경로당 냉방기 교체", 80_000_000), ("하천 위 구름다리", 900_000_000)] {
        let input = sotong_core::budgeting::ProjectInput {
            title,
            description: "주민들이 오래 바라 온 사업으로 올해 예산이 필요합니다.",
            pot_id: Some(setup.pots[0].id),
            category_id: None,
            cost: Some(cost),
            location: "",
            show_proposer: false,
        };
        let new = sotong_core::budgeting::NewProject::parse(&input).unwrap();
        let submitter = sotong_store::budgeting::projects::Submitter::Staff;
        ids.push(app.store.submit_project(&Actor::cli(), &process, submitter, &new).await.unwrap().id);
    }
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/phase", &[("to", "feasibility")]).await.status, 303);
    let officer = signed_in(&app, "officer@hanbit.example").await;
    let review = |id: i64| format!("/hanbit/staff/budgeting/2028/projects/{id}");
    let unexplained = [("feasibility", "infeasible"), ("reason", ""), ("estimated_cost", "")];
    let refused = officer.submit(&review(ids[2]), &format!("{}/feasibility", review(ids[2])), &unexplained).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("그 이유를 적어 주세요"), "{}", refused.body);
    for (id, finding, reason) in [(ids[0], "feasible", ""), (ids[1], "conditional", "냉방기 규격 확인 후 추진"), (ids[2], "infeasible", "하천 관리 구역이라 시가 지을 수 없습니다.")] {
        let fields = [("feasibility", finding), ("reason", reason), ("estimated_cost", "")];
        let done = officer.submit(&review(id), &format!("{}/feasibility", review(id)), &fields).await;
        assert_eq!(done.location, Some(format!("{}?done=review", review(id))), "{}", done.body);
    }
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/phase", &[("to", "committee")]).await.status, 303);
    let infeasible = staff.submit(&review(ids[2]), &format!("{}/selection", review(ids[2])), &[("on_ballot", "1")]).await;
    assert_eq!(infeasible.status, 422, "an infeasible project cannot go on the ballot");
    for id in &ids[..2] {
        let selected = staff.submit(&review(*id), &format!("{}/selection", review(*id)), &[("on_ballot", "1")]).await;
        assert_eq!(selected.location, Some(format!("{}?done=selected", review(*id))));
    }

    // The committee member scores the sheet: out of range, nothing saved; then whole.
    let citizen = signed_in(&app, "citizen@hanbit.example").await;
    let sheet = "/hanbit/budgeting/2028/committee";
    assert_eq!(officer.get(sheet).await.status, 403, "only members score");
    let (first, second) = (format!("score_{}", ids[0]), format!("score_{}", ids[1]));
    let over = citizen.submit(sheet, sheet, &[(first.as_str(), "80"), (second.as_str(), "101")]).await;
    assert_eq!(over.status, 422);
    assert!(over.body.contains("점수가 허용 범위를 벗어났습니다."));
    assert!(app.store.committee_points(process.id).await.unwrap().is_empty(), "the sheet is taken whole or not at all");
    let saved = citizen.submit(sheet, sheet, &[(first.as_str(), "80"), (second.as_str(), "65")]).await;
    assert_eq!(saved.location.as_deref(), Some("/hanbit/budgeting/2028/committee?saved=1"));
    assert_eq!(app.store.committee_points(process.id).await.unwrap().len(), 2);

    // Voting at the station: check-in once; the paper ballot counts when two entries agree.
    assert_eq!(staff.submit(page, "/hanbit/staff/budgeting/2028/phase", &[("to", "voting")]).await.status, 303);
    let station = app.store.stations(process.id).await.unwrap()[0].id;
    let desk = format!("/hanbit/staff/budgeting/2028/stations/{station}");
    let person = [("name", "이현장"), ("born_on", "1950-02-03"), ("phone", "010-3456-7890"), ("basis", "resident")];
    let checked = officer.submit(&desk, &format!("{desk}/check-in"), &person).await;
    assert_eq!(checked.location, Some(format!("{desk}?done=checked_in")), "{}", checked.body);
    let twice = officer.submit(&desk, &format!("{desk}/check-in"), &person).await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("이미 투표하셨습니다"), "{}", twice.body);
    // Each officer keys a sheet once; when two disagree, a third settles it.
    let third = signed_in(&app, "operator@sotong.example").await;
    let entries = [(&officer, ids[0], "waiting"), (&staff, ids[1], "mismatch"), (&third, ids[0], "reconciled")];
    for (n, (browser, pick, outcome)) in entries.into_iter().enumerate() {
        let pick = pick.to_string();
        let fields = [("sheet", "0001"), ("district", ""), ("pick", pick.as_str())];
        let entered = browser.submit(&desk, &format!("{desk}/paper"), &fields).await;
        assert_eq!(entered.location, Some(format!("{desk}?done={outcome}")), "entry {n}: {}", entered.body);
        let counted = if outcome == "reconciled" { 1 } else { 0 };
        assert_eq!(app.store.ballots(process.id).await.unwrap().len(), counted, "after entry {n}");
    }
    assert_eq!(app.store.ballots(process.id).await.unwrap().len(), 1, "one sheet, one ballot");
    let turnout = app.store.turnout(process.id).await.unwrap();
    assert_eq!((turnout.paper, turnout.online), (1, 0));
});
