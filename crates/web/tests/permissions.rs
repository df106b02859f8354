//! The permission matrix: every role against every protected route, on both engines.
//! A role can do what it should and nothing more; anonymous visitors are sent to log
//! in (pages) or get 401 (API).

mod common;

use common::{spawn_app, Browser, TestApp};
use sotong_store::both_backends;

/// Who is asking: a demo account, or nobody.
const VISITORS: [&str; 8] = [
    "anonymous",
    "citizen@hanbit.example",
    "officer@hanbit.example",
    "coordinator@hanbit.example",
    "secretary@hanbit.example",
    "evaluator@hangaram.example",
    "admin@hanbit.example",
    "operator@sotong.example",
];

/// What each visitor gets, in the order of VISITORS.
/// L = redirect to login, F = 403, O = allowed (200 for reads, 303/201 for writes).
struct Case {
    method: &'static str,
    path: &'static str,
    expect: &'static str,
}

const CASES: &[Case] = &[
    // Public pages: everyone.
    Case { method: "GET", path: "/hanbit", expect: "OOOOOOOO" },
    Case { method: "GET", path: "/hanbit/departments", expect: "OOOOOOOO" },
    // Own account: any signed-in person.
    Case { method: "GET", path: "/account", expect: "LOOOOOOO" },
    Case { method: "GET", path: "/notifications", expect: "LOOOOOOO" },
    // Staff workspace of 한빛시: its staff (the evaluator works for the province).
    Case { method: "GET", path: "/hanbit/staff", expect: "LFOOOFOO" },
    Case { method: "GET", path: "/hangaram/staff", expect: "LFFFFOFO" },
    // Administration of 한빛시: its administrator and the installation operator.
    Case { method: "GET", path: "/hanbit/admin/departments", expect: "LFFFFFOO" },
    Case { method: "GET", path: "/hanbit/admin/members", expect: "LFFFFFOO" },
    Case { method: "GET", path: "/hanbit/admin/audit", expect: "LFFFFFOO" },
    Case { method: "POST", path: "/hanbit/admin/departments", expect: "LFFFFFOO" },
    Case { method: "POST", path: "/hanbit/admin/members", expect: "LFFFFFOO" },
    // Reporting: officers (for their department), coordinators and the operator; not
    // administrators, who manage people rather than plans.
    Case { method: "GET", path: "/hanbit/staff/plans/pledges-8", expect: "LFOOFFFO" },
    Case { method: "GET", path: "/hanbit/staff/plans/pledges-8/reports/3-01", expect: "LFOOFFFO" },
    // 1-01 belongs to the jobs department: the culture officer may not open it.
    Case { method: "GET", path: "/hanbit/staff/plans/pledges-8/reports/1-01", expect: "LFFOFFFO" },
    // Spreadsheet upload: those who keep the plans.
    Case { method: "GET", path: "/hanbit/staff/plans/pledges-8/import", expect: "LFFOFFFO" },
    Case { method: "GET", path: "/hanbit/staff/plans/pledges-8/commitments/3-01/edit", expect: "LFFOFFFO" },
    // API: 401 instead of a redirect for anonymous callers.
    Case { method: "API-GET", path: "/api/v1/me", expect: "LOOOOOOO" },
    Case { method: "API-POST", path: "/api/v1/orgs/hanbit/units", expect: "LFFFFFOO" },
];

async fn browser_for(app: &TestApp, visitor: &str) -> Browser {
    if visitor == "anonymous" {
        Browser::new(app)
    } else {
        Browser::login_demo(app, visitor).await
    }
}

/// Sends the case's request as `browser` and reduces the answer to L, F or O.
async fn outcome(browser: &Browser, anonymous: bool, case: &Case, n: usize) -> char {
    let slug = format!("matrix-{n}");
    // A page whose form carries this visitor's CSRF token.
    let form_page = if anonymous { "/login" } else { "/account" };
    let (status, location) = match case.method {
        "GET" | "API-GET" => {
            let page = browser.get(case.path).await;
            (page.status, page.location)
        }
        "POST" => {
            let fields: Vec<(&str, &str)> = if case.path.ends_with("/members") {
                // A different role per visitor, so a second allowed grant is not a duplicate.
                let role = ["evaluator", "coordinator", "council_secretary", "administrator"][(n / CASES.len()) % 4];
                vec![("email", "citizen@hanbit.example"), ("role", role)]
            } else {
                vec![("kind", "department"), ("slug", &slug), ("name_ko", "권한시험과"), ("name_en", "Matrix")]
            };
            let page = browser.submit(form_page, case.path, &fields).await;
            (page.status, page.location)
        }
        "API-POST" => {
            let token = browser.get(form_page).await.csrf();
            let response = browser
                .client
                .post(format!("{}{}", browser.base, case.path))
                .header("x-csrf-token", token)
                .json(&serde_json::json!({"kind": "department", "slug": slug, "name_ko": "권한시험과", "name_en": "Matrix"}))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), None)
        }
        other => unreachable!("{other}"),
    };
    match (status, location.as_deref()) {
        (303, Some(location)) if location.starts_with("/login") => 'L',
        (401, _) => 'L',
        (403, _) => 'F',
        (200 | 201, _) => 'O',
        (303, _) => 'O',
        (status, location) => panic!("{} {}: unexpected {status} {location:?}", case.method, case.path),
    }
}

both_backends!(every_role_can_do_what_it_should_and_nothing_more, |backend| async move {
    let app = spawn_app(backend).await;
    sotong_web::demo_plans::populate(&app.store).await.unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for (v, visitor) in VISITORS.iter().enumerate() {
        let browser = browser_for(&app, visitor).await;
        for case in CASES {
            n += 1;
            let expected = case.expect.as_bytes()[v] as char;
            let got = outcome(&browser, *visitor == "anonymous", case, n).await;
            if got != expected {
                failures.push(format!("{visitor} {} {}: expected {expected}, got {got}", case.method, case.path));
            }
        }
    }
    assert!(failures.is_empty(), "permission matrix mismatches:\n{}", failures.join("\n"));
});
