//! Citizens' ideas in the proposals phase, in two steps like a policy proposal:
//! write, then check on a preview that lists this process's projects on the same
//! matter (Korean shingle similarity, the proposals' hint) before submitting.

use super::urls::BudgetUrls;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::limits::{self, Write};
use crate::scope::ProcessScope;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::budgeting::{NewProject, ProjectInput};
use sotong_core::FieldError;
use sotong_store::budgeting::projects::Submitter;
use sotong_store::budgeting::ProcessSetup;

/// Projects at least this similar (shingle Jaccard of title and text) are shown.
const SIMILAR_AT: f64 = 0.15;

#[derive(Deserialize, Default)]
pub struct IdeaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    pot: String,
    #[serde(default)]
    category: String,
    /// Won, digits (commas allowed).
    #[serde(default)]
    cost: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    show_proposer: String,
    /// `preview` (the default), `edit`, `submit`.
    #[serde(default)]
    step: String,
}

pub struct SimilarProject {
    pub title: String,
    pub url: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "budgeting/idea.html")]
struct IdeaPage {
    shell: Shell,
    form: IdeaForm,
    errors: FormErrors,
    pots: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    preview: Option<Vec<SimilarProject>>,
    closed: bool,
    refusal: Option<String>,
    action: String,
}

fn page(
    ctx: &Ctx,
    scope: &ProcessScope,
    setup: &ProcessSetup,
    form: IdeaForm,
    errors: Vec<FieldError>,
    preview: Option<Vec<SimilarProject>>,
    refusal: Option<String>,
) -> Response {
    let shell = Shell::new(ctx, "idea.title");
    let t = shell.t;
    let urls = BudgetUrls::new(&scope.body);
    let title = shell.title.clone();
    let page = IdeaPage {
        form,
        errors: FormErrors::new(t, errors),
        pots: setup.pots.iter().map(|p| (p.id.to_string(), format!("{} ({})", p.name, t.krw_readable(p.budget)))).collect(),
        categories: setup.categories.iter().map(|c| (c.id.to_string(), c.name.clone())).collect(),
        preview,
        closed: !scope.process.phase.accepts_ideas(),
        refusal: refusal.clone(),
        action: urls.new_idea(&scope.process.slug),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "budgeting").with_breadcrumbs(vec![
            (t.t("budgeting.title").to_string(), urls.list()),
            (scope.process.title.clone(), urls.process(&scope.process.slug)),
            (title, String::new()),
        ]),
    };
    let status = if refusal.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if page.closed {
        StatusCode::CONFLICT
    } else {
        page.errors.status()
    };
    render(status, &page)
}

pub async fn form(State(state): State<AppState>, ctx: Ctx, scope: ProcessScope) -> AppResult<Response> {
    ctx.require_user()?;
    let setup = state.store.process_setup(scope.process.clone()).await?;
    let form = IdeaForm { show_proposer: "1".into(), ..Default::default() };
    Ok(page(&ctx, &scope, &setup, form, Vec::new(), None, None))
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: ProcessScope,
    Form(form): Form<IdeaForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    let setup = state.store.process_setup(scope.process.clone()).await?;
    if form.step == "edit" || !scope.process.phase.accepts_ideas() {
        return Ok(page(&ctx, &scope, &setup, form, Vec::new(), None, None));
    }
    let cost = sotong_core::budgeting::typed_amount("cost", &form.cost);
    let parsed = NewProject::parse(&ProjectInput {
        title: &form.title,
        description: &form.description,
        pot_id: form.pot.trim().parse().ok().filter(|id| setup.pots.iter().any(|p| p.id == *id)),
        category_id: form.category.trim().parse().ok(),
        cost: cost.clone().ok().flatten(),
        location: &form.location,
        show_proposer: form.show_proposer == "1",
    });
    let new = match parsed {
        Ok(new) => new,
        Err(errors) => {
            let errors = sotong_core::budgeting::with_typed_amount(errors, &cost);
            return Ok(page(&ctx, &scope, &setup, form, errors, None, None));
        }
    };
    if form.step != "submit" {
        let t = ctx.tr();
        let urls = BudgetUrls::new(&scope.body);
        let text = format!("{}\n{}", new.title, new.description);
        let mut similar: Vec<(f64, SimilarProject)> = state
            .store
            .projects(scope.process.id)
            .await?
            .into_iter()
            .filter(|p| p.state.is_public())
            .map(|p| {
                let score = korean::shingle::similarity(&text, &format!("{}\n{}", p.title, p.description));
                let view = SimilarProject {
                    url: urls.project(&scope.process.slug, p.id),
                    state: t.t(&format!("budget_project_state.{}", p.state.as_str())).to_string(),
                    title: p.title,
                };
                (score, view)
            })
            .filter(|(score, _)| *score >= SIMILAR_AT)
            .collect();
        similar.sort_by(|a, b| b.0.total_cmp(&a.0));
        let preview = similar.into_iter().take(5).map(|(_, v)| v).collect();
        return Ok(page(&ctx, &scope, &setup, form, Vec::new(), Some(preview), None));
    }
    if !limits::allow(&state, &ctx, user.id, Write::Proposal).await? {
        let message = ctx.tr().t("idea.too_many").to_string();
        return Ok(page(&ctx, &scope, &setup, form, Vec::new(), None, Some(message)));
    }
    let project = state.store.submit_project(&ctx.actor(), &scope.process, Submitter::Citizen(user.id), &new).await?;
    let urls = BudgetUrls::new(&scope.body);
    Ok(Redirect::to(&format!("{}?submitted=1", urls.project(&scope.process.slug, project.id))).into_response())
}
