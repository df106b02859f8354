//! A public body's own site settings and the pages its footer links to: the address
//! and phone shown in the footer, departments' phone numbers, the logo in the header,
//! and 개인정보처리방침 · 이용약관 · 저작권정책 (sotong's defaults, in `policies/`,
//! until an administrator writes the body's own).

use super::files::Upload;
use super::{published_page, render, BodyNav, FormErrors, Shell};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::i18n::Tr;
use crate::scope::BodyScope;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::files::FileKind;
use sotong_core::org::{parse_page_text, parse_phone, PageKind};
use sotong_core::role::Permission;
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use std::collections::HashMap;

/// sotong's text of a page, for a body that has not written its own.
fn default_text(kind: PageKind, t: &Tr) -> &'static str {
    match (kind, t.is_en()) {
        (PageKind::Privacy, false) => include_str!("../../policies/privacy.ko.txt"),
        (PageKind::Privacy, true) => include_str!("../../policies/privacy.en.txt"),
        (PageKind::Terms, false) => include_str!("../../policies/terms.ko.txt"),
        (PageKind::Terms, true) => include_str!("../../policies/terms.en.txt"),
        (PageKind::Copyright, false) => include_str!("../../policies/copyright.ko.txt"),
        (PageKind::Copyright, true) => include_str!("../../policies/copyright.en.txt"),
    }
}

/// The default text with the body's name and phone filled in.
fn filled_default(kind: PageKind, t: &Tr, body: &Org) -> String {
    let phone = if body.phone.is_empty() { t.t("site.phone_unset").to_string() } else { body.phone.clone() };
    default_text(kind, t).replace("{body}", body.name(t.is_en())).replace("{phone}", &phone)
}

/// One block of a page: a heading (a line starting with `## `) or a paragraph.
pub struct Block {
    pub heading: bool,
    pub text: String,
}

/// Page text as blocks: `## ` lines are headings, blank lines separate paragraphs.
fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, out: &mut Vec<Block>| {
        if !paragraph.trim().is_empty() {
            out.push(Block { heading: false, text: paragraph.trim().to_string() });
        }
        paragraph.clear();
    };
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut out);
            out.push(Block { heading: true, text: heading.trim().to_string() });
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            paragraph.push_str(line);
            paragraph.push('\n');
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyPage {
    shell: Shell,
    blocks: Vec<Block>,
    updated: Option<String>,
}

/// `GET /{org}/policies/{page}`: the body's page, or sotong's default.
pub async fn policy(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path((_, page)): Path<(String, String)>,
) -> AppResult<Response> {
    let kind = PageKind::parse(&page).ok_or(AppError::NotFound)?;
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(&ctx, &format!("site.page_{}", kind.slug()));
    let t = shell.t;
    let own = state.store.body_page(body.id, kind.slug()).await?;
    let text = own.as_ref().map(|p| p.content.clone()).unwrap_or_else(|| filled_default(kind, &t, &body));
    let title = shell.title.clone();
    let page = PolicyPage {
        blocks: blocks(&text),
        updated: own.map(|p| t.date(p.updated_at)),
        shell: shell.with_title(title.clone()).with_body(BodyNav::new(&body, &roles, &t), "").with_breadcrumbs(vec![
            (body.name(t.is_en()).to_string(), crate::urls::body(&body, "")),
            (title, String::new()),
        ]),
    };
    Ok(published_page(&page))
}

#[derive(Template)]
#[template(path = "admin_site.html")]
struct SitePage {
    shell: Shell,
    body_slug: String,
    errors: FormErrors,
    address: String,
    phone: String,
    /// (unit id, name, phone as typed or stored)
    departments: Vec<(i64, String, String)>,
    logo_url: Option<String>,
    logo_hint: String,
    /// (page slug, title, text as stored or the default)
    pages: Vec<(&'static str, String, String)>,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct ContactForm {
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    /// `phone_<unit id>` → that department's phone.
    #[serde(flatten)]
    departments: HashMap<String, String>,
}

#[derive(Deserialize)]
pub struct SavedFlag {
    #[serde(default)]
    saved: Option<String>,
}

fn require_admin(scope: &BodyScope) -> AppResult<()> {
    scope.require(Permission::ManageDepartments)
}

async fn site_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    typed: Option<&ContactForm>,
    errors: Vec<FieldError>,
    saved: bool,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "site.admin_title");
    let t = shell.t;
    let units = state.store.units(body.id).await?;
    let departments = units
        .iter()
        .filter(|u| u.kind == "department" || u.kind == "office")
        .map(|u| {
            let key = format!("phone_{}", u.id);
            let phone = typed.and_then(|f| f.departments.get(&key).cloned()).unwrap_or_else(|| u.phone.clone());
            (u.id, u.name(t.is_en()).to_string(), phone)
        })
        .collect();
    let mut pages = Vec::new();
    for kind in PageKind::ALL {
        let own = state.store.body_page(body.id, kind.slug()).await?;
        let text = own.map(|p| p.content).unwrap_or_else(|| filled_default(kind, &t, body));
        pages.push((kind.slug(), t.t(&format!("site.page_{}", kind.slug())).to_string(), text));
    }
    let page = SitePage {
        body_slug: body.slug.clone(),
        errors: FormErrors::new(t, errors),
        address: typed.map(|f| f.address.clone()).unwrap_or_else(|| body.address.clone()),
        phone: typed.map(|f| f.phone.clone()).unwrap_or_else(|| body.phone.clone()),
        departments,
        logo_url: body.logo_sha256.as_ref().map(|sha| crate::urls::file(body, sha, "logo.png")),
        logo_hint: t.f1("site.logo_hint", sotong_core::format::file_size(LOGO_MAX_BYTES as i64)),
        pages,
        saved,
        shell: shell.with_body(BodyNav::new(body, roles, &t), "admin_site"),
    };
    Ok(render(page.errors.status(), &page))
}

/// Logos are small pictures.
const LOGO_MAX_BYTES: usize = 512 * 1024;

pub async fn admin(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    axum::extract::Query(flag): axum::extract::Query<SavedFlag>,
) -> AppResult<Response> {
    require_admin(&scope)?;
    site_page(&state, &ctx, &scope, None, Vec::new(), flag.saved.is_some()).await
}

fn saved(body: &Org) -> Response {
    Redirect::to(&crate::urls::body(body, "/admin/site?saved=1")).into_response()
}

/// Saves the body's address and phone and its departments' phones, all or nothing.
pub async fn save_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<ContactForm>,
) -> AppResult<Response> {
    require_admin(&scope)?;
    let units = state.store.units(scope.body.id).await?;
    let mut errors = Vec::new();
    let address = sotong_core::text::optional_line("address", &form.address, 200);
    let phone = parse_phone(&form.phone);
    let mut unit_phones = Vec::new();
    for unit in &units {
        if let Some(raw) = form.departments.get(&format!("phone_{}", unit.id)) {
            match parse_phone(raw) {
                Ok(phone) => unit_phones.push((unit, phone)),
                Err(_) => errors.push(FieldError::new("department_phone", "invalid_phone")),
            }
        }
    }
    let (address, phone) = match (address, phone) {
        (Ok(address), Ok(phone)) if errors.is_empty() => (address.unwrap_or_default(), phone),
        (address, phone) => {
            errors.extend(address.err());
            errors.extend(phone.err());
            return site_page(&state, &ctx, &scope, Some(&form), errors, false).await;
        }
    };
    let actor = ctx.actor();
    state.store.set_contact(&actor, scope.body.id, &address, &phone).await?;
    for (unit, phone) in unit_phones.into_iter().filter(|(unit, phone)| unit.phone != *phone) {
        state.store.set_contact(&actor, unit.id, &unit.address, &phone).await?;
    }
    Ok(saved(&scope.body))
}

/// Uploads (PNG or JPEG) or, with the `remove` field, removes the body's logo.
pub async fn save_logo(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    mut multipart: Multipart,
) -> AppResult<Response> {
    require_admin(&scope)?;
    let upload = Upload::read(&mut multipart, LOGO_MAX_BYTES).await?;
    let Some(upload) = upload.filter(|u| !u.name.is_empty() && (u.too_large || !u.bytes.is_empty())) else {
        state.store.set_logo(&ctx.actor(), scope.body.id, None).await?;
        return Ok(saved(&scope.body));
    };
    let file = match upload.check(LOGO_MAX_BYTES) {
        Ok(file) if file.kind == FileKind::Png || file.kind == FileKind::Jpeg => file,
        Ok(_) => return site_page(&state, &ctx, &scope, None, vec![FieldError::new("logo", "logo_kind")], false).await,
        Err(error) => {
            let error = FieldError::new("logo", error.code);
            return site_page(&state, &ctx, &scope, None, vec![error], false).await;
        }
    };
    state.store.set_logo(&ctx.actor(), scope.body.id, Some(&file)).await?;
    Ok(saved(&scope.body))
}

#[derive(Deserialize, Default)]
pub struct PageForm {
    #[serde(default)]
    content: String,
}

/// Saves the body's own text of one footer page.
pub async fn save_page(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path((_, page)): Path<(String, String)>,
    Form(form): Form<PageForm>,
) -> AppResult<Response> {
    require_admin(&scope)?;
    let kind = PageKind::parse(&page).ok_or(AppError::NotFound)?;
    let content = match parse_page_text(&form.content) {
        Ok(content) => content,
        Err(error) => return site_page(&state, &ctx, &scope, None, vec![error], false).await,
    };
    state.store.save_body_page(&ctx.actor(), scope.body.id, kind.slug(), &content).await?;
    Ok(saved(&scope.body))
}

#[cfg(test)]
mod tests {
    use super::blocks;

    #[test]
    fn headings_and_paragraphs() {
        let b = blocks("머리말\n둘째 줄\n\n## 제1조 목적\n본문\n\n\n## 제2조");
        let shape: Vec<(bool, &str)> = b.iter().map(|b| (b.heading, b.text.as_str())).collect();
        assert_eq!(shape, [(false, "머리말\n둘째 줄"), (true, "제1조 목적"), (false, "본문"), (true, "제2조")]);
    }
}
