//! The JSON API: reads, a write, and every kind of bad input — on both engines.

mod common;

use common::{spawn_app, Browser};
use sotong_store::both_backends;

async fn admin_with_token(app: &common::TestApp) -> (Browser, String) {
    let admin = Browser::login_demo(app, "admin@hanbit.example").await;
    let token = admin.get("/").await.csrf();
    (admin, token)
}

both_backends!(reads_list_bodies_and_units, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let orgs: serde_json::Value = serde_json::from_str(&browser.get("/api/v1/orgs").await.body).unwrap();
    let slugs: Vec<&str> = orgs.as_array().unwrap().iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"hanbit") && slugs.contains(&"hangaram"));
    let units: serde_json::Value = serde_json::from_str(&browser.get("/api/v1/orgs/hanbit/units").await.body).unwrap();
    assert!(units.as_array().unwrap().iter().any(|u| u["name_ko"] == "문화관광과"));
    let me = browser.get("/api/v1/me").await;
    assert_eq!(me.status, 401);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&me.body).unwrap()["error"], "login_required");
});

both_backends!(a_unit_is_created_through_the_api, |backend| async move {
    let app = spawn_app(backend).await;
    let (admin, token) = admin_with_token(&app).await;
    let response = admin
        .client
        .post(format!("{}/api/v1/orgs/hanbit/units", app.base))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"kind": "office", "slug": "library", "name_ko": "한빛도서관", "name_en": "Hanbit Library"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let created: serde_json::Value = response.json().await.unwrap();
    assert_eq!(created["name_ko"], "한빛도서관");
    let entries = app
        .store
        .audit_entries(&sotong_store::AuditFilter {
            action: Some("org.create".into()),
            actor: Some("admin@hanbit.example".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1, "the API write is audited like a form write");
});

both_backends!(bad_input_gets_clear_errors_and_changes_nothing, |backend| async move {
    let app = spawn_app(backend).await;
    let (admin, token) = admin_with_token(&app).await;
    let url = format!("{}/api/v1/orgs/hanbit/units", app.base);
    let send = |body: reqwest::Body, content_type: &'static str| {
        admin.client.post(&url).header("x-csrf-token", &token).header("content-type", content_type).body(body).send()
    };
    let error_of = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();

    let wrong_type = send("kind=department".into(), "text/plain").await.unwrap();
    assert_eq!(wrong_type.status().as_u16(), 415);
    assert_eq!(error_of(&wrong_type.text().await.unwrap())["error"], "unsupported_media_type");

    let malformed = send("{\"kind\": ".into(), "application/json").await.unwrap();
    assert_eq!(malformed.status().as_u16(), 400);
    assert_eq!(error_of(&malformed.text().await.unwrap())["error"], "bad_request");

    let missing = send("{\"kind\": \"department\", \"slug\": \"x1\", \"name_en\": \"X\"}".into(), "application/json")
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 422);
    let body = error_of(&missing.text().await.unwrap());
    assert_eq!(body["error"], "validation");
    assert_eq!(body["fields"]["name_ko"], "필수 입력 항목입니다.");
    assert_eq!(body["codes"]["name_ko"], "required");

    let invalid = send(r#"{"kind": "planet", "slug": "-", "name_ko": "", "name_en": "X"}"#.into(), "application/json")
        .await
        .unwrap();
    assert_eq!(invalid.status().as_u16(), 422);
    let body = error_of(&invalid.text().await.unwrap());
    for field in ["kind", "slug", "name_ko"] {
        assert!(body["fields"][field].is_string(), "{field} named in {body}");
    }

    let huge = send(vec![b' '; 3 * 1024 * 1024].into(), "application/json").await.unwrap();
    assert_eq!(huge.status().as_u16(), 413);
    assert_eq!(error_of(&huge.text().await.unwrap())["error"], "payload_too_large");

    let no_token = admin.client.post(&url).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(no_token.status().as_u16(), 403);
    assert_eq!(error_of(&no_token.text().await.unwrap())["error"], "csrf");

    let city = app.store.public_body("hanbit").await.unwrap().unwrap();
    assert_eq!(app.store.units(city.id).await.unwrap().len(), 23, "no unit was created by any of these");
});

both_backends!(oversized_forms_get_413, |backend| async move {
    let app = spawn_app(backend).await;
    let browser = Browser::new(&app);
    let token = browser.get("/login").await.csrf();
    let big = "가".repeat(600_000);
    let page = browser.post_form("/login", &[("_csrf", &token), ("email", &big)]).await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("보낸 내용이 너무 큽니다"));
});

#[test]
fn openapi_document_is_stable() {
    let document: serde_json::Value = serde_json::from_str(&sotong_web::api::openapi_json()).unwrap();
    insta::assert_json_snapshot!("openapi", document);
}
