//! Server-rendered pages (askama templates in `templates/`).
//!
//! Every page struct holds a [`Shell`]: what the surrounding layout needs (language,
//! title, signed-in person, CSRF token, navigation of the current public body).

pub mod account;
pub mod admin;
pub mod audit_view;
pub mod budgeting;
pub mod commitments;
pub mod feeds;
pub mod files;
pub mod news;
pub mod notifications;
pub mod pagination;
pub mod public;
pub mod search;
pub mod site;
pub mod staff;
pub mod verification;
pub mod voice;
pub mod webhooks;

use crate::context::{Ctx, Rendered};
use crate::error::ErrorInfo;
use crate::i18n::Tr;
use crate::security::url_encode;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sotong_core::role::{Permission, RoleSet};
use sotong_core::FieldError;
use sotong_store::orgs::Org;

/// The public body a page belongs to, with what the visitor may open there.
pub struct BodyNav {
    pub slug: String,
    pub name: String,
    /// The footer's contact lines (empty until an administrator sets them).
    pub address: String,
    pub phone: String,
    /// The uploaded logo, or none for the text mark.
    pub logo_url: Option<String>,
    pub is_staff: bool,
    pub can_manage_departments: bool,
    pub can_manage_members: bool,
    pub can_view_audit: bool,
    pub can_manage_integrations: bool,
}

impl BodyNav {
    pub fn new(body: &Org, roles: &RoleSet, tr: &Tr) -> BodyNav {
        BodyNav {
            slug: body.slug.clone(),
            name: body.name(tr.is_en()).to_string(),
            address: body.address.clone(),
            phone: body.phone.clone(),
            logo_url: body.logo_sha256.as_ref().map(|sha| crate::urls::file(body, sha, "logo.png")),
            is_staff: roles.is_staff(),
            can_manage_departments: roles.allows(Permission::ManageDepartments),
            can_manage_members: roles.allows(Permission::ManageMembers),
            can_view_audit: roles.allows(Permission::ViewAuditLog),
            can_manage_integrations: roles.allows(Permission::ManageIntegrations),
        }
    }
}

pub struct Shell {
    pub t: Tr,
    pub title: String,
    pub user_name: Option<String>,
    pub unread: i64,
    pub csrf: String,
    /// Link that switches to the other language and returns here.
    pub other_lang_href: String,
    pub body: Option<BodyNav>,
    /// Which navigation entry is the current page (`aria-current`).
    pub current: &'static str,
    pub css: Vec<String>,
    /// The one script: the narrow-screen menu button (pages work without it).
    pub script: String,
    pub favicon: String,
    /// The page's description (`<meta name="description">`, `og:description`); the
    /// body's or the site's when a page gives none.
    description: Option<String>,
    /// Where the page is: (label, link) from the body's home down; the last is this
    /// page (its link unused). Empty: no breadcrumbs (home pages).
    pub breadcrumbs: Vec<(String, String)>,
}

impl Shell {
    pub fn new(ctx: &Ctx, title_key: &str) -> Shell {
        let t = ctx.tr();
        let other = if t.is_en() { "ko" } else { "en" };
        Shell {
            t,
            title: t.t(title_key).to_string(),
            user_name: ctx.user.as_ref().map(|u| u.display_name.clone()),
            unread: ctx.unread,
            csrf: ctx.csrf_token.clone(),
            other_lang_href: format!("/lang/{other}?next={}", url_encode(&ctx.path)),
            body: None,
            current: "",
            css: ["krds/css/krds_tokens.css", "krds/css/common.css", "krds/css/components.css", "sotong.css"]
                .iter()
                .map(|p| crate::assets::versioned(p))
                .collect(),
            script: crate::assets::versioned("sotong.js"),
            favicon: crate::assets::versioned("favicon.svg"),
            description: None,
            breadcrumbs: Vec::new(),
        }
    }

    /// The trail to this page: (label, link) pairs, this page last.
    pub fn with_breadcrumbs(mut self, trail: Vec<(String, String)>) -> Shell {
        self.breadcrumbs = trail;
        self
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Shell {
        let description: String = description.into();
        if !description.trim().is_empty() {
            self.description = Some(description.chars().take(160).collect());
        }
        self
    }

    /// What search engines and link previews show for the page.
    pub fn description(&self) -> String {
        match (&self.description, &self.body) {
            (Some(description), _) => description.clone(),
            (None, Some(body)) => self.t.f1("site.description_of", &body.name),
            (None, None) => self.t.t("site.description").to_string(),
        }
    }

    /// `<title>`: the page, the public body it belongs to, the site.
    pub fn document_title(&self) -> String {
        let site = self.t.t("site.name");
        match &self.body {
            Some(body) if body.name != self.title => format!("{} | {} | {site}", self.title, body.name),
            _ => format!("{} | {site}", self.title),
        }
    }

    pub fn with_title(mut self, title: String) -> Shell {
        self.title = title;
        self
    }

    pub fn with_body(mut self, body: BodyNav, current: &'static str) -> Shell {
        self.body = Some(body);
        self.current = current;
        self
    }

    /// `aria-current="page"` for the navigation entry of this page.
    pub fn current_attr(&self, entry: &str) -> &'static str {
        if self.current == entry {
            "page"
        } else {
            "false"
        }
    }
}

/// The id of a form field's element (`_macros.html`): its `id` when given, else its
/// name, plus `suffix` for a form repeated on one page.
pub fn field_id(id: &str, name: &str, suffix: &str) -> String {
    format!("{}{suffix}", if id.is_empty() { name } else { id })
}

/// `?done=<what>` on the page a write redirects to: which notice to show.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: String,
}

impl DoneQuery {
    /// The notice, if it is one of those the page has (anything else shows none).
    pub fn known(self, notices: &[&str]) -> Option<String> {
        notices.contains(&self.done.as_str()).then_some(self.done)
    }
}

/// Field errors of a form, translated, for the error summary and each field.
pub struct FormErrors {
    t: Tr,
    list: Vec<FieldError>,
}

impl FormErrors {
    pub fn none(t: Tr) -> FormErrors {
        FormErrors { t, list: Vec::new() }
    }

    pub fn new(t: Tr, list: Vec<FieldError>) -> FormErrors {
        FormErrors { t, list }
    }

    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    /// 422 when the form is shown again because of these errors, else 200.
    pub fn status(&self) -> StatusCode {
        if self.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.list.iter().find(|e| e.field == field).map(|e| self.t.error(e.code))
    }

    /// The error of the field `name`, or of `error_key` when it is set (several inputs
    /// sharing one error): what `_macros.html` shows beside a field.
    pub fn for_field(&self, error_key: &str, name: &str) -> Option<String> {
        self.get(if error_key.is_empty() { name } else { error_key })
    }

    /// `(field, label, message)` for the summary at the top of the form.
    pub fn summary(&self) -> Vec<(String, String, String)> {
        self.list
            .iter()
            .map(|e| (e.field.to_string(), self.t.t(&format!("field.{}", e.field)).to_string(), self.t.error(e.code)))
            .collect()
    }
}

/// Renders a template as a full HTML response with `status`.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => {
            let mut response = (status, Html(body)).into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response.extensions_mut().insert(Rendered);
            response
        }
        Err(error) => crate::error::AppError::Internal(anyhow::Error::new(error)).into_response(),
    }
}

pub fn ok(template: &impl Template) -> Response {
    render(StatusCode::OK, template)
}

/// A page of published data only, the same for every anonymous visitor: kept by the
/// page cache (see `page_cache`).
pub fn published_page(template: &impl Template) -> Response {
    crate::page_cache::Published(ok(template)).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    status: u16,
    message: String,
    request_id: String,
    fields: Vec<(String, String)>,
}

/// The error page every failed HTML request shows.
pub fn error_page(ctx: &Ctx, status: StatusCode, info: &ErrorInfo) -> Response {
    let shell = Shell::new(ctx, &format!("page.title_{}", status.as_u16()));
    let t = shell.t;
    let title =
        if shell.title.starts_with("page.") { t.t("page.title_error").to_string() } else { shell.title.clone() };
    let page = ErrorPage {
        message: t.t(info.message_key).to_string(),
        status: status.as_u16(),
        request_id: ctx.request_id.clone(),
        fields: info.fields.iter().map(|f| (t.t(&format!("field.{}", f.field)).to_string(), t.error(f.code))).collect(),
        shell: shell.with_title(title),
    };
    match page.render() {
        Ok(body) => {
            let mut response = (status, Html(body)).into_response();
            response.extensions_mut().insert(Rendered);
            response
        }
        // The error page itself failed: answer with the bare status, nothing internal.
        Err(_) => status.into_response(),
    }
}
