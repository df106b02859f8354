//! Open311 GeoReport v2 on both engines, on the demo city: an administrator issues a
//! key; a relay files a public and a private complaint with it (JSON and XML); a real
//! client (PyPI `georeport`) lists and reads the public requests in JSON and XML, every
//! JSON answer checked against the GeoReport v2 schemas; the private complaint and the
//! filers' personal data appear nowhere; bad requests are refused, saying why, and
//! change nothing; a revoked key files nothing.

mod common;

use common::{Browser, Fixture};
use sotong_store::both_backends;
use sotong_web::WebConfig;

const ROOT: &str = "/hanbit/open311/v2";

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} in {text}")) + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

async fn post(client: &reqwest::Client, base: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let response = client.post(format!("{base}{ROOT}{path}")).form(fields).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    (status, content_type, response.text().await.unwrap())
}

both_backends!(a_relay_files_with_its_key_and_a_client_reads_only_the_public_requests, |backend| async move {
    let app = common::spawn_fixture(backend, Fixture::DemoVoice, WebConfig::default()).await;
    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    let admin = Browser::login_demo(&app, "admin@hanbit.example").await;
    let issued = admin
        .submit("/hanbit/admin/open311", "/hanbit/admin/open311", &[("open311_key_name", "안전신문고 중계")])
        .await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    let key = between(between(&issued.body, "alert-success", "</div>"), "<code class=\"hash\">", "</code>").to_string();
    assert_eq!(key.len(), 64, "a fresh random key: {key}");
    assert!(!admin.get("/hanbit/admin/open311").await.body.contains(&key), "the key is shown once");

    let relay = reqwest::Client::new();
    let base = app.base.as_str();
    let description =
        "한빛로 37번길 버스정류장 옆 보도블록이 깨져 유모차와 휠체어가 지나가기 어렵습니다. 보수해 주세요.";
    let public = [
        ("api_key", key.as_str()),
        ("service_code", "roads"),
        ("description", description),
        ("attribute[title]", "한빛로 37번길 보도블록 파손"),
        ("attribute[visibility]", "public"),
        ("lat", "36.8897"),
        ("long", "126.6459"),
        ("address_string", "한빛로 37번길 12"),
        ("email", "relay-filer@example.kr"),
        ("first_name", "민원"),
        ("last_name", "김"),
        ("phone", "010-2345-6789"),
    ];
    // Without a key, with a bad one, or with bad fields: refused, saying why, and nothing filed.
    let before = app.store.complaints(city.id, &Default::default()).await.unwrap().1;
    let (status, content_type, body) = post(&relay, base, "/requests.json", &public[1..]).await;
    assert_eq!((status, content_type.as_str()), (403, "application/json; charset=utf-8"), "{body}");
    let refusal: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal[0]["code"], 403);
    assert!(refusal[0]["description"].as_str().unwrap().contains("api_key"), "{body}");
    let (status, _, body) =
        post(&relay, base, "/requests.xml", &[("api_key", "guessed"), ("service_code", "roads")]).await;
    assert_eq!(status, 403);
    assert!(body.contains("<errors><error><code>403</code>"), "{body}");
    let mut short = public.to_vec();
    short[2] = ("description", "짧음");
    short[5] = ("lat", "136.1");
    let (status, _, body) = post(&relay, base, "/requests.json", &short).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("description:") && body.contains("lat:"), "each field named: {body}");
    let mut unknown = public.to_vec();
    unknown[1] = ("service_code", "no-such-service");
    assert_eq!(post(&relay, base, "/requests.json", &unknown).await.0, 400);
    assert_eq!(app.store.complaints(city.id, &Default::default()).await.unwrap().1, before, "nothing was filed");

    // A public and a private complaint, in JSON and in XML.
    let (status, _, body) = post(&relay, base, "/requests.json", &public).await;
    assert_eq!(status, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let public_id = created[0]["service_request_id"].as_str().unwrap().to_string();
    assert!(created[0]["service_notice"].as_str().unwrap().starts_with("처리기한: "), "{body}");
    let private = [
        ("api_key", key.as_str()),
        ("service_code", "welfare"),
        ("description", "기초연금 신청 뒤 두 달째 결과 안내가 없습니다. 저희 어머니(82세) 건을 확인해 주세요."),
        ("email", "private-filer@example.kr"),
        ("first_name", "비밀"),
        ("last_name", "이"),
    ];
    let (status, content_type, body) = post(&relay, base, "/requests.xml", &private).await;
    assert_eq!((status, content_type.as_str()), (201, "text/xml; charset=utf-8"), "{body}");
    let private_id = between(&body, "<service_request_id>", "</service_request_id>").to_string();
    let stored = app.store.complaint(city.id, public_id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!(stored.source, "open311");
    assert_eq!(stored.filer_name.as_deref(), Some("김민원"), "family name first");
    assert_eq!(stored.title, "한빛로 37번길 보도블록 파손");
    assert!(stored.is_public());
    let hidden = app.store.complaint(city.id, private_id.parse().unwrap()).await.unwrap().unwrap();
    assert!(!hidden.is_public(), "private unless the relay says public");
    assert!(hidden.title.starts_with("기초연금 신청 뒤"), "the title from the first line: {}", hidden.title);

    // One request, as JSON and XML; the private one is unknown here, even by its token.
    let one = Browser::new(&app).get(&format!("{ROOT}/requests/{public_id}.json")).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one: serde_json::Value = serde_json::from_str(&one.body).unwrap();
    assert_eq!(one[0]["status"], "open");
    assert_eq!(one[0]["service_code"], "roads");
    assert_eq!(one[0]["lat"], 36.8897);
    assert_eq!(one[0]["address"], "한빛로 37번길 12");
    for path in [format!("/requests/{private_id}.json"), format!("/requests/{private_id}.xml")] {
        assert_eq!(Browser::new(&app).get(&format!("{ROOT}{path}")).await.status, 404, "{path}");
    }
    let token = Browser::new(&app).get(&format!("{ROOT}/tokens/{public_id}.json")).await;
    assert!(token.body.contains(&format!("\"service_request_id\":\"{public_id}\"")), "{}", token.body);

    // Filters: a window over 90 days or a bad date is refused; a service and status narrow.
    let wide = Browser::new(&app).get(&format!("{ROOT}/requests.json?start_date=2026-01-01&end_date=2026-06-01")).await;
    assert_eq!(wide.status, 400, "{}", wide.body);
    assert!(wide.body.contains("end_date"), "{}", wide.body);
    assert_eq!(Browser::new(&app).get(&format!("{ROOT}/requests.json?start_date=어제")).await.status, 400);
    let asked =
        Browser::new(&app).get(&format!("{ROOT}/requests.json?service_request_id={public_id},{private_id}")).await;
    let asked: serde_json::Value = serde_json::from_str(&asked.body).unwrap();
    assert_eq!(asked.as_array().unwrap().len(), 1, "only the public one of the two: {asked}");

    // A real client, JSON and XML, every JSON answer checked against the schemas.
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/open311_client.py");
    // Off the test's runtime thread: the server answering the client runs on it.
    let root = format!("{base}{ROOT}");
    let id = public_id.clone();
    let read = tokio::task::spawn_blocking(move || common::run_python(&[script, &root, "roads", &id])).await.unwrap();
    let categories = app.store.complaint_categories(city.id).await.unwrap();
    let codes: Vec<&str> = categories.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(read["service_codes"], serde_json::json!(codes));
    assert_eq!(read["xml_service_codes"], serde_json::json!(codes));
    assert_eq!(read["attributes"], serde_json::json!(["title", "visibility"]));
    assert_eq!(read["xml_attributes"], read["attributes"]);
    let listed: Vec<&str> = read["listed_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(listed.contains(&public_id.as_str()), "{listed:?}");
    assert!(!listed.contains(&private_id.as_str()));
    let public_board = app
        .store
        .complaints(
            city.id,
            &sotong_store::voice::complaints::ComplaintFilter { public_only: true, limit: 2000, ..Default::default() },
        )
        .await
        .unwrap()
        .0;
    let recent = public_board.iter().filter(|c| c.created_at > sotong_store::now() - 90 * 86_400).count();
    assert_eq!(listed.len(), recent, "every public complaint of the last 90 days, no other");
    for row in read["filtered"].as_array().unwrap() {
        assert_eq!((row[1].as_str(), row[2].as_str()), (Some("roads"), Some("open")), "{row}");
    }
    assert_eq!(read["one"]["service_request_id"], public_id.as_str());
    assert_eq!(read["xml_one"]["service_request_id"], public_id.as_str());
    assert_eq!(read["xml_one"]["status"], "open");
    assert!(read["discovery_url"].as_str().unwrap().ends_with(ROOT));
    let everything = read["all_text"].as_str().unwrap();
    for personal in
        ["relay-filer@example.kr", "김민원", "010-2345-6789", "private-filer@example.kr", "기초연금 신청 뒤"]
    {
        assert!(!everything.contains(personal), "{personal} must not be published");
    }

    // A revoked key files nothing.
    let keys = app.store.open311_keys(city.id).await.unwrap();
    let page = admin.get("/hanbit/admin/open311").await;
    let revoke = format!("/hanbit/admin/open311/{}/revoke", keys[0].id);
    assert_eq!(admin.post_form(&revoke, &[("_csrf", &page.csrf())]).await.status, 303);
    let mut again = public.to_vec();
    again[2] = ("description", "한빛로 37번길 보도블록이 아직도 깨져 있습니다. 다시 한 번 보수를 요청드립니다.");
    assert_eq!(post(&relay, base, "/requests.json", &again).await.0, 403);
});
