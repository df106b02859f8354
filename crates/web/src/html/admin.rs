//! Administration of a public body: its units, its staff and their roles, the audit log.

use super::public::{tree_rows, TreeRow};
use super::{ok, render, BodyNav, FormErrors, Shell};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::scope::{BodyScope, IdSegment};
use crate::urls;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sotong_core::org::{NewOrg, OrgKind};
use sotong_core::role::{Permission, Role};
use sotong_core::user::Email;
use sotong_core::FieldError;
use sotong_store::orgs::Org;
use sotong_store::users::MemberRow;
use sotong_store::AuditFilter;

#[derive(Template)]
#[template(path = "admin_departments.html")]
struct DepartmentsPage {
    shell: Shell,
    units: Vec<TreeRow>,
    /// Where a new unit may go: the body itself and its bureaus, as (id, label).
    parents: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    form: UnitForm,
    /// The free-text fields with what was typed: (name, value).
    text_fields: Vec<(&'static str, String)>,
    errors: FormErrors,
    created: bool,
}

#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name_ko: String,
    #[serde(default)]
    pub name_en: String,
}

#[derive(Deserialize)]
pub struct CreatedFlag {
    #[serde(default)]
    created: Option<String>,
}

async fn departments_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: UnitForm,
    errors: Vec<FieldError>,
    created: bool,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "admin.departments_title");
    let t = shell.t;
    let units = state.store.units(body.id).await?;
    let mut parents = vec![(body.id, body.name(t.is_en()).to_string())];
    parents.extend(units.iter().filter(|u| u.kind() == OrgKind::Bureau).map(|u| (u.id, u.name(t.is_en()).to_string())));
    let kinds = [OrgKind::Bureau, OrgKind::Department, OrgKind::Office]
        .into_iter()
        .map(|k| (k.key(), t.t(&format!("org_kind.{}", k.key())).to_string()))
        .collect();
    let errors = FormErrors::new(t, errors);
    let page = DepartmentsPage {
        units: tree_rows(&units, Some(body.id), &t),
        parents,
        kinds,
        text_fields: vec![
            ("name_ko", form.name_ko.clone()),
            ("name_en", form.name_en.clone()),
            ("slug", form.slug.clone()),
        ],
        form,
        errors,
        created,
        shell: shell.with_body(BodyNav::new(&body, &roles, &t), "admin_departments"),
    };
    Ok(render(page.errors.status(), &page))
}

pub async fn departments(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(flag): Query<CreatedFlag>,
) -> AppResult<Response> {
    scope.require(Permission::ManageDepartments)?;
    departments_page(&state, &ctx, &scope, UnitForm::default(), Vec::new(), flag.created.is_some()).await
}

pub async fn create_department(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    scope.require(Permission::ManageDepartments)?;
    match create_unit(&state, &ctx, &scope.body, &form).await {
        Ok(_) => Ok(Redirect::to(&urls::admin_departments(&scope.body, "?created=1")).into_response()),
        Err(AppError::Invalid(errors)) => departments_page(&state, &ctx, &scope, form, errors, false).await,
        Err(other) => Err(other),
    }
}

/// Creates a unit of `body` from form or API input; the parent must be the body or
/// one of its own units.
pub async fn create_unit(state: &AppState, ctx: &Ctx, body: &Org, form: &UnitForm) -> AppResult<Org> {
    let parent_id = if form.parent_id.trim().is_empty() {
        Ok(body.id)
    } else {
        form.parent_id.trim().parse::<i64>().map_err(|_| FieldError::new("parent", "invalid_choice"))
    };
    let new = NewOrg::parse(&form.kind, &form.slug, &form.name_ko, &form.name_en, "");
    let new = match (parent_id, new) {
        (Ok(_), Ok(new)) if new.kind.is_public_body() => {
            return Err(vec![FieldError::new("kind", "invalid_choice")].into())
        }
        (Ok(parent_id), Ok(new)) => (parent_id, new),
        (parent, new) => {
            let mut errors = new.err().unwrap_or_default();
            errors.extend(parent.err());
            return Err(errors.into());
        }
    };
    let (parent_id, new) = new;
    let parent_in_body =
        parent_id == body.id || state.store.org(parent_id).await?.is_some_and(|p| p.body_id == Some(body.id));
    if !parent_in_body {
        return Err(vec![FieldError::new("parent", "invalid_choice")].into());
    }
    Ok(state.store.create_org(&ctx.actor(), Some(parent_id), &new).await?)
}

#[derive(Template)]
#[template(path = "admin_members.html")]
struct MembersPage {
    shell: Shell,
    members: Vec<MemberView>,
    roles: Vec<(&'static str, String)>,
    departments: Vec<(i64, String)>,
    form: MemberForm,
    errors: FormErrors,
    saved: bool,
    /// An invitation's one-time link, shown when no e-mail can carry it.
    invitation_link: Option<String>,
}

pub struct MemberView {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub role_label: String,
    pub department: String,
    pub revoke_url: String,
}

impl MemberView {
    fn new(row: MemberRow, body: &Org, t: &crate::i18n::Tr) -> MemberView {
        let department = if t.is_en() { row.department_name_en } else { row.department_name_ko };
        MemberView {
            id: row.id,
            revoke_url: urls::revoke_membership(body, row.id),
            role_label: t.t(&format!("role.{}", row.role)).to_string(),
            display_name: row.display_name,
            email: row.email,
            department: department.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    pub email: String,
    /// For a person without an account yet, who is invited by e-mail.
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub department_id: String,
}

async fn members_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &BodyScope,
    form: MemberForm,
    errors: Vec<FieldError>,
    saved: bool,
    invitation_link: Option<String>,
) -> AppResult<Response> {
    let BodyScope { body, roles, .. } = scope;
    let shell = Shell::new(ctx, "admin.members_title");
    let t = shell.t;
    let members = state.store.members_of(body.id).await?.into_iter().map(|r| MemberView::new(r, body, &t)).collect();
    let departments = state
        .store
        .units(body.id)
        .await?
        .into_iter()
        .filter(|u| u.kind() != OrgKind::Bureau)
        .map(|u| (u.id, u.name(t.is_en()).to_string()))
        .collect();
    let role_choices =
        Role::STAFF.into_iter().map(|r| (r.key(), t.t(&format!("role.{}", r.key())).to_string())).collect();
    let page = MembersPage {
        members,
        roles: role_choices,
        departments,
        form,
        errors: FormErrors::new(t, errors),
        saved,
        invitation_link,
        shell: shell.with_body(BodyNav::new(&body, &roles, &t), "admin_members"),
    };
    Ok(render(page.errors.status(), &page))
}

#[derive(Deserialize)]
pub struct SavedFlag {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn members(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(flag): Query<SavedFlag>,
) -> AppResult<Response> {
    scope.require(Permission::ManageMembers)?;
    members_page(&state, &ctx, &scope, MemberForm::default(), Vec::new(), flag.saved.is_some(), None).await
}

pub async fn grant_member(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Form(form): Form<MemberForm>,
) -> AppResult<Response> {
    scope.require(Permission::ManageMembers)?;
    let body = &scope.body;
    let result = async {
        let email = Email::parse(&form.email);
        let role = Role::parse(&form.role).and_then(|r| match r {
            Role::Citizen => Err(FieldError::new("role", "invalid_choice")),
            staff => Ok(staff),
        });
        let department = match form.department_id.trim() {
            "" => Ok(None),
            id => id.parse::<i64>().map(Some).map_err(|_| FieldError::new("department", "invalid_choice")),
        };
        let (email, role, department) = match (email, role, department) {
            (Ok(e), Ok(r), Ok(d)) => (e, r, d),
            (e, r, d) => return Err(AppError::Invalid([e.err(), r.err(), d.err()].into_iter().flatten().collect())),
        };
        // Only officers act for a department; a department given for another role is ignored.
        let department = if role.needs_department() { department } else { None };
        match state.store.user_by_email(email.as_str()).await? {
            Some(user) if !user.password_hash.is_empty() => {
                state.store.grant_role(&ctx.actor(), user.id, body.id, role, department).await?;
                Ok(None)
            }
            // No working account: one is made with the role, and an e-mail invites them.
            _ => invite(&state, &ctx, body, &email, &form.display_name, role, department).await.map(Some),
        }
    }
    .await;
    match result {
        // Without e-mail the administrator passes the link on (shown once, never in a URL).
        Ok(Some(link)) if !state.config.mail_enabled => {
            members_page(&state, &ctx, &scope, MemberForm::default(), Vec::new(), true, Some(link)).await
        }
        Ok(_) => Ok(Redirect::to(&urls::admin_members(body, "?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => members_page(&state, &ctx, &scope, form, errors, false, None).await,
        Err(other) => Err(other),
    }
}

/// Creates the invited account with its role and queues the invitation e-mail with
/// a one-time link to set the password (`auth::accept_invitation`).
async fn invite(
    state: &AppState,
    ctx: &Ctx,
    body: &Org,
    email: &Email,
    display_name: &str,
    role: Role,
    department: Option<i64>,
) -> AppResult<String> {
    let display_name =
        sotong_core::text::required_line("display_name", display_name, 40).map_err(|e| AppError::Invalid(vec![e]))?;
    let token = crate::security::random_token();
    let link = crate::urls::invitation(&token);
    let title = format!("{} 업무 공간에 초대되었습니다", body.name_ko);
    let invitation = sotong_store::invitations::NewInvitation {
        email,
        display_name: &display_name,
        body_id: body.id,
        role,
        department_id: department,
        token_hash: &crate::security::sha256_hex(&token),
        link: &link,
        title: &title,
    };
    state.store.invite_staff(&ctx.actor(), &invitation).await?;
    Ok(link)
}

pub async fn revoke_member(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Path(IdSegment { id }): Path<IdSegment>,
) -> AppResult<Response> {
    scope.require(Permission::ManageMembers)?;
    state.store.revoke_role(&ctx.actor(), scope.body.id, id).await?;
    Ok(Redirect::to(&urls::admin_members(&scope.body, "?saved=1")).into_response())
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    entries: Vec<super::audit_view::AuditRow>,
    /// (value, label) of the filter's action choices.
    actions: Vec<(String, String)>,
    query: AuditQuery,
    /// The filter form's fields take no errors here: bad dates are refused whole.
    errors: FormErrors,
    next_href: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    /// `YYYY-MM-DD`, inclusive, KST.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, inclusive, KST.
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub before: String,
}

/// `YYYY-MM-DD` (KST) to the Unix second it starts at.
fn kst_day_start(raw: &str, field: &'static str) -> Result<Option<i64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    sotong_core::format::kst_unix(raw, 0).map(Some).ok_or(FieldError::new(field, "invalid_date"))
}

const AUDIT_PAGE_SIZE: i64 = 50;

pub async fn audit_log(
    State(state): State<AppState>,
    ctx: Ctx,
    scope: BodyScope,
    Query(query): Query<AuditQuery>,
) -> AppResult<Response> {
    scope.require(Permission::ViewAuditLog)?;
    let BodyScope { body, roles, .. } = &scope;
    let from = kst_day_start(&query.from, "from");
    let until = kst_day_start(&query.until, "until").map(|d| d.map(|start| start + 86_400));
    let (from, until) = match (from, until) {
        (Ok(f), Ok(u)) => (f, u),
        (f, u) => return Err(AppError::Invalid([f.err(), u.err()].into_iter().flatten().collect())),
    };
    let non_empty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        body_id: Some(body.id),
        action: non_empty(&query.action),
        actor: non_empty(&query.actor).map(|a| a.to_lowercase()),
        from,
        until,
        before_id: query.before.trim().parse().ok(),
        limit: AUDIT_PAGE_SIZE + 1,
    };
    let mut entries = state.store.audit_entries(&filter).await?;
    let has_more = entries.len() as i64 > AUDIT_PAGE_SIZE;
    entries.truncate(AUDIT_PAGE_SIZE as usize);
    let shell = Shell::new(&ctx, "audit.title");
    let t = shell.t;
    let next_href = match (has_more, entries.last()) {
        (true, Some(last)) => {
            let mut next = query.clone();
            next.before = last.id.to_string();
            Some(urls::admin_audit(
                body,
                &format!(
                    "?{}",
                    serde_urlencoded::to_string([
                        ("action", next.action),
                        ("actor", next.actor),
                        ("from", next.from),
                        ("until", next.until),
                        ("before", next.before)
                    ])
                    .unwrap_or_default()
                ),
            ))
        }
        _ => None,
    };
    let links = super::audit_view::links(&state.store, body, &entries).await?;
    let rows = entries
        .into_iter()
        .map(|e| {
            let link = links.get(&(e.entity.clone(), e.entity_id.clone())).cloned();
            super::audit_view::describe(&t, e, link)
        })
        .collect();
    let page = AuditPage {
        entries: rows,
        actions: state
            .store
            .audit_actions(body.id)
            .await?
            .into_iter()
            .map(|a| (a.clone(), super::audit_view::action_label(&t, &a)))
            .collect(),
        errors: FormErrors::none(t),
        query,
        next_href,
        shell: shell.with_body(BodyNav::new(&body, &roles, &t), "admin_audit"),
    };
    Ok(ok(&page))
}
