//! A real server on a random port over a fresh database, and a browser-like client.

#![allow(dead_code)]

pub mod feeds;
pub mod smtp;

/// Runs the test tools' Python (`SOTONG_TEST_PYTHON`, which scripts/test.sh installs
/// with its PyPI packages) with `args`, and reads the JSON it prints. Without that
/// variable a test fails saying so: it never passes without the real tool.
#[allow(dead_code)]
pub fn run_python(args: &[&str]) -> serde_json::Value {
    let python = std::env::var("SOTONG_TEST_PYTHON").unwrap_or_else(|_| {
        panic!("SOTONG_TEST_PYTHON is not set: run scripts/test.sh, which installs the test tools")
    });
    let output = std::process::Command::new(python).args(args).output().expect("run the test tools' Python");
    assert!(output.status.success(), "python {:?}: {}", args.first(), String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("the tool's JSON")
}

use sotong_store::testing::store_from_template;
use sotong_store::{Backend, Store};
use sotong_web::{AppState, WebConfig};

pub struct TestApp {
    pub base: String,
    pub store: Store,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// What a test's database starts with, each built once per test process and copied
/// for every test (`sotong_store::testing::store_from_template`).
#[derive(Clone, Copy)]
pub enum Fixture {
    /// The demo installation: bodies, departments, accounts (`demo::populate`).
    Demo,
    /// The demo with its plans filled in and their open periods (`demo::commitments`).
    DemoPlans,
    /// The demo with its plans, proposals and notices (`demo::commitments`, `demo::voice`).
    DemoVoice,
}

pub async fn fixture_store(backend: Backend, fixture: Fixture) -> Store {
    match fixture {
        Fixture::Demo => {
            store_from_template(backend, "demo", |store| async move {
                sotong_web::demo::populate(&store).await.expect("demo data");
            })
            .await
        }
        Fixture::DemoPlans => {
            store_from_template(backend, "demo_plans", |store| async move {
                sotong_web::demo::populate(&store).await.expect("demo data");
                sotong_web::demo::commitments::populate(&store).await.expect("demo plans");
            })
            .await
        }
        Fixture::DemoVoice => {
            store_from_template(backend, "demo_voice", |store| async move {
                sotong_web::demo::populate(&store).await.expect("demo data");
                sotong_web::demo::commitments::populate(&store).await.expect("demo plans");
                sotong_web::demo::voice::populate(&store).await.expect("demo proposals");
            })
            .await
        }
    }
}

/// Serves the demo installation on `127.0.0.1:0`.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, WebConfig::default()).await
}

/// Serves the demo installation with its plans (what `pledge_plan` reads).
pub async fn spawn_app_with_plans(backend: Backend) -> TestApp {
    spawn_fixture(backend, Fixture::DemoPlans, WebConfig::default()).await
}

pub async fn spawn_app_with(backend: Backend, config: WebConfig) -> TestApp {
    spawn_fixture(backend, Fixture::Demo, config).await
}

/// Tests change data through the store, as another server or the CLI would, and look
/// at once: their servers read the data version on every request.
pub async fn spawn_fixture(backend: Backend, fixture: Fixture, config: WebConfig) -> TestApp {
    spawn_exactly(backend, fixture, WebConfig { page_cache_revalidate: std::time::Duration::ZERO, ..config }).await
}

/// A server with exactly `config`.
pub async fn spawn_exactly(backend: Backend, fixture: Fixture, config: WebConfig) -> TestApp {
    let store = fixture_store(backend, fixture).await;
    spawn_on(store, config).await
}

/// Another server on the same database (as a second `sotong serve` would be).
pub async fn spawn_on(store: Store, config: WebConfig) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(store.clone(), config);
    tokio::spawn(async move {
        sotong_web::serve(listener, state, async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    TestApp { base, store, shutdown: Some(tx) }
}

/// The demo city's pledge plan, filled in (`demo::commitments::populate`), with its open
/// quarter: what tests of the reporting workflow start from. The app must have been
/// spawned with the plans (`spawn_app_with_plans`).
pub struct PledgePlan {
    pub city: sotong_store::orgs::Org,
    pub plan: sotong_store::commitments::plans::Plan,
    pub open: sotong_store::commitments::reports::ReportingPeriod,
}

pub async fn pledge_plan(app: &TestApp) -> PledgePlan {
    let store = &app.store;
    let city = store.public_body("hanbit").await.unwrap().unwrap();
    let plan = store.plan(city.id, "pledges-8").await.unwrap().unwrap();
    let open = store.period(plan.id, sotong_web::demo::commitments::OPEN_QUARTER).await.unwrap().unwrap();
    PledgePlan { city, plan, open }
}

/// A client that keeps cookies and does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The CSRF token the page's forms carry.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start = self.body.find(marker).expect("page has a form with a CSRF token") + marker.len();
        self.body[start..start + 64].to_string()
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser::from_address(app, "127.0.0.1")
    }

    /// A browser on another machine, as the server sees it: its requests come from
    /// `address` (any of the loopback range 127.0.0.0/8).
    pub fn from_address(app: &TestApp, address: &str) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .local_address(address.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap();
        Browser { client, base: app.base.clone(), jar }
    }

    async fn page(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_string());
        Page { status, location, body: response.text().await.unwrap(), headers }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.client.get(format!("{}{path}", self.base)).send().await.unwrap()).await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::page(self.client.post(format!("{}{path}", self.base)).form(fields).send().await.unwrap()).await
    }

    /// Fetches `form_page` for its CSRF token, then posts `fields` with it to `path`.
    pub async fn submit(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(form_page).await.csrf();
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }

    /// Uploads `bytes` as the `file` field of a multipart form to `path`, with the
    /// CSRF token of `form_page` in the query (as the upload forms send it).
    pub async fn upload(&self, form_page: &str, path: &str, name: &str, bytes: &[u8]) -> Page {
        let token = self.get(form_page).await.csrf();
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()));
        let url = format!("{}{path}?_csrf={token}", self.base);
        Self::page(self.client.post(url).multipart(form).send().await.unwrap()).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.submit("/login", "/login", &[("email", email), ("password", password)]).await
    }

    /// Logs in as a demo account and checks that it worked.
    pub async fn login_demo(app: &TestApp, email: &str) -> Browser {
        let browser = Browser::new(app);
        let page = browser.login(email, sotong_web::demo::DEMO_PASSWORD).await;
        assert_eq!(page.status, 303, "demo login of {email}: {}", page.body);
        browser
    }
}
