//! Filing a complaint in two steps, without JavaScript: write, then check on a
//! preview that shows the filer's own earlier complaints on the same matter with
//! their answers (반복민원) — they may file anyway, and the new one is linked to the
//! first — then submit. At submission the other people's complaints on the same
//! matter are found (`search::complaints`) and the new one joins their case.

use super::{ComplaintUrls, ComplaintView};
use crate::context::Ctx;
use crate::error::AppResult;
use crate::extract::Form;
use crate::html::{render, BodyNav, FormErrors, Shell};
use crate::limits::{self, Write};
use crate::scope::BodyScope;
use crate::search::complaints::earlier_filings;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::voice::complaints::{NewComplaint, Place};
use sotong_core::FieldError;
use sotong_store::now;
use sotong_store::voice::complaints::{Complaint, ComplaintCategory, Filer, FilingLinks, Source};

#[derive(Deserialize, Default)]
pub struct ComplaintForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    content: String,
    /// `public` or `private`.
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    /// `preview` (the default), `edit`, `submit`.
    #[serde(default)]
    step: String,
}

/// An earlier complaint of the filer on the same matter, with its answer.
pub struct EarlierView {
    pub c: ComplaintView,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

#[derive(Template)]
#[template(path = "voice/complaints/new.html")]
struct FormPage {
    shell: Shell,
    form: ComplaintForm,
    errors: FormErrors,
    categories: Vec<(String, String)>,
    visibilities: Vec<(&'static str, String)>,
    /// On the preview step: the category's name and period, the text's paragraphs,
    /// and the filer's earlier complaints on the same matter.
    preview: Option<PreviewView>,
    action: String,
    refusal: Option<String>,
}

pub struct PreviewView {
    pub category: String,
    pub period: String,
    pub paragraphs: Vec<String>,
    pub earlier: Vec<EarlierView>,
}

fn category_options(categories: &[ComplaintCategory], t: &crate::i18n::Tr) -> Vec<(String, String)> {
    categories
        .iter()
        .map(|c| (c.id.to_string(), format!("{} ({})", c.name, t.t(&format!("complaint_kind.{}", c.kind)))))
        .collect()
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: ComplaintForm,
    errors: Vec<FieldError>,
    preview: Option<PreviewView>,
    refusal: Option<String>,
) -> AppResult<Response> {
    let key = if preview.is_some() { "complaint_new.preview_title" } else { "complaint_new.title" };
    let shell = Shell::new(ctx, key);
    let t = shell.t;
    let urls = ComplaintUrls::new(&scope.body);
    let categories = state.store.complaint_categories(scope.body.id).await?;
    let title = shell.title.clone();
    let page = FormPage {
        form,
        errors: FormErrors::new(t, errors),
        categories: category_options(&categories, &t),
        visibilities: vec![
            ("public", t.t("complaint_new.public").to_string()),
            ("private", t.t("complaint_new.private").to_string()),
        ],
        preview,
        action: urls.new_complaint(),
        refusal: refusal.clone(),
        shell: shell
            .with_body(BodyNav::new(&scope.body, &scope.roles, &t), "complaints")
            .with_breadcrumbs(vec![(t.t("complaints.title").to_string(), urls.board()), (title, String::new())]),
    };
    let status = if refusal.is_some() { axum::http::StatusCode::TOO_MANY_REQUESTS } else { page.errors.status() };
    Ok(render(status, &page))
}

pub async fn form(State(state): State<AppState>, ctx: Ctx, scope: BodyScope) -> AppResult<Response> {
    ctx.require_user()?;
    let form = ComplaintForm { visibility: "public".into(), ..Default::default() };
    form_page(&state, &ctx, &scope, form, Vec::new(), None, None).await
}

fn earlier_view(
    c: &Complaint,
    scope: &BodyScope,
    categories: &[ComplaintCategory],
    units: &[sotong_store::orgs::Org],
    t: &crate::i18n::Tr,
) -> EarlierView {
    EarlierView {
        c: ComplaintView::new(c, &scope.body, categories, units, t, now()),
        answer: c.answer_body.clone(),
        answered_on: c.answered_at.or(c.closed_at).map(|a| t.date(a)),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<ComplaintForm>,
) -> AppResult<Response> {
    let user = ctx.require_user()?;
    if form.step == "edit" {
        return form_page(&state, &ctx, &scope, form, Vec::new(), None, None).await;
    }
    let category = match form.category.trim().parse::<i64>() {
        Ok(id) => state.store.complaint_category(scope.body.id, id).await?,
        Err(_) => None,
    };
    let parsed = NewComplaint::parse(
        &form.subject,
        &form.content,
        form.visibility != "private",
        Place::parse(&form.address, "", ""),
        &form.phone,
    );
    let (category, new) = match (category, parsed) {
        (Some(category), Ok(new)) => (category, new),
        (category, parsed) => {
            let mut errors = parsed.err().unwrap_or_default();
            if category.is_none() {
                errors.insert(0, FieldError::new("category", "invalid_choice"));
            }
            return form_page(&state, &ctx, &scope, form, errors, None, None).await;
        }
    };
    let rules = state.store.complaint_rules(scope.body.id).await?;
    let earlier = earlier_filings(&state.store, scope.body.id, user.id, &new.title, &new.body, &rules).await?;
    if form.step != "submit" {
        let t = ctx.tr();
        let (categories, units) =
            tokio::try_join!(state.store.complaint_categories(scope.body.id), state.store.units(scope.body.id))?;
        let preview = PreviewView {
            category: category.name.clone(),
            period: t.t(&format!("complaint_period.{}", category.kind)).to_string(),
            paragraphs: super::paragraphs(&new.body),
            earlier: earlier.iter().map(|c| earlier_view(c, &scope, &categories, &units, &t)).collect(),
        };
        return form_page(&state, &ctx, &scope, form, Vec::new(), Some(preview), None).await;
    }
    if !limits::allow(&state, &ctx, user.id, Write::Complaint).await? {
        let message = ctx.tr().t("complaint_new.too_many").to_string();
        return form_page(&state, &ctx, &scope, form, Vec::new(), None, Some(message)).await;
    }
    let same_matter = state
        .complaint_matcher
        .same_matter(&state.store, scope.body.id, Some(user.id), &new.title, &new.body, &rules)
        .await?;
    let links = FilingLinks { repeat_of: earlier.first().map(|c| c.id), same_matter };
    let filer =
        Filer { user_id: Some(user.id), name: Some(user.display_name.clone()), email: Some(user.email.clone()) };
    let complaint = state.store.file_complaint(&ctx.actor(), &category, &filer, &new, &links, Source::Web).await?;
    Ok(Redirect::to(&ComplaintUrls::new(&scope.body).complaint(complaint.id, "?done=filed")).into_response())
}
