//! Answer templates (답변 서식) for common matters: every officer who answers
//! complaints reads them and loads one into a complaint's answer form (`?template=`);
//! whoever assigns complaints (the coordinator) adds and deletes them.

use super::ComplaintUrls;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::scope::{BodyScope, IdSegment};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::role::Permission;
use sotong_core::voice::proposals::bounded_text;
use sotong_core::FieldError;

struct TemplateView {
    title: String,
    paragraphs: Vec<String>,
    delete_action: String,
}

#[derive(Template)]
#[template(path = "voice/complaints/templates.html")]
struct TemplatesPage {
    shell: Shell,
    templates: Vec<TemplateView>,
    may_change: bool,
    form: TemplateForm,
    errors: FormErrors,
    action: String,
}

#[derive(Deserialize, Default)]
pub struct TemplateForm {
    #[serde(default)]
    template_title: String,
    #[serde(default)]
    template_body: String,
}

async fn templates_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: TemplateForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let shell = Shell::new(ctx, "complaint_templates.title");
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let templates = state
        .store
        .complaint_templates(scope.body.id)
        .await?
        .into_iter()
        .map(|template| TemplateView {
            paragraphs: super::paragraphs(&template.body),
            title: template.title,
            delete_action: urls.inbox(&format!("/templates/{}/delete", template.id)),
        })
        .collect();
    let title = shell.title.clone();
    let page = TemplatesPage {
        templates,
        may_change: scope.roles.allows(Permission::AssignCitizenCases),
        form,
        errors: FormErrors::new(t, errors),
        action: urls.inbox("/templates"),
        shell: shell.with_body(BodyNav::new(&scope.body, &scope.roles, &t), "staff").with_breadcrumbs(vec![
            (t.t("nav.staff").to_string(), crate::urls::staff(&scope.body)),
            (t.t("inbox.title").to_string(), urls.inbox("")),
            (title, String::new()),
        ]),
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    scope.require(Permission::AnswerCitizens)?;
    templates_page(&state, &ctx, &scope, TemplateForm::default(), Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<TemplateForm>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    let title = sotong_core::text::required_line("template_title", &form.template_title, 80);
    let body = bounded_text("template_body", &form.template_body, 10, 4000);
    match (title, body) {
        (Ok(title), Ok(body)) => {
            state.store.create_complaint_template(&ctx.actor(), scope.body.id, &title, &body).await?;
            Ok(Redirect::to(&ComplaintUrls::new(&scope.body).inbox("/templates")).into_response())
        }
        (title, body) => {
            let errors = [title.err(), body.err()].into_iter().flatten().collect();
            templates_page(&state, &ctx, &scope, form, errors).await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    scope.require(Permission::AssignCitizenCases)?;
    state.store.delete_complaint_template(&ctx.actor(), scope.body.id, id).await?;
    Ok(Redirect::to(&ComplaintUrls::new(&scope.body).inbox("/templates")).into_response())
}
