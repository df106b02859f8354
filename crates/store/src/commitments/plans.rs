//! Plans, sectors and commitments (module 1, see `sotong_core::commitments`).

use crate::audit::{record, Actor, Change};
use crate::error::ConflictAs;
use crate::{now, Store, StoreError};
use serde::Serialize;
use sotong_core::commitments::period::Cadence;
use sotong_core::commitments::states::PlanKind;
use sotong_core::commitments::Taxonomy;
use sotong_core::FieldError;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    pub body_id: i64,
    pub slug: String,
    #[sqlx(try_from = "String")]
    pub kind: PlanKind,
    pub title_ko: String,
    pub title_en: String,
    pub term_start: String,
    pub term_end: String,
    #[sqlx(try_from = "String")]
    pub cadence: Cadence,
    /// Decoded once from `taxonomy_json`; a row that does not decode is an error.
    #[sqlx(rename = "taxonomy_json", try_from = "String")]
    pub taxonomy: Taxonomy,
    pub created_at: i64,
}

impl Plan {
    /// The plan's title in the page's language.
    pub fn title(&self, english: bool) -> &str {
        if english {
            &self.title_en
        } else {
            &self.title_ko
        }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    pub fn cadence(&self) -> Cadence {
        self.cadence
    }
}

/// A new plan, validated.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub slug: sotong_core::org::Slug,
    pub kind: PlanKind,
    pub title_ko: String,
    pub title_en: String,
    pub term_start: String,
    pub term_end: String,
    pub cadence: Cadence,
    pub taxonomy: Taxonomy,
}

impl NewPlan {
    /// A plan as typed in the back office or on the command line, every field checked
    /// at once (the standard statuses; dates as `2026-03-01`, `2026. 3. 1.` too).
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        slug: &str,
        kind: &str,
        title_ko: &str,
        title_en: &str,
        term_start: &str,
        term_end: &str,
        cadence: &str,
    ) -> Result<NewPlan, Vec<FieldError>> {
        let date = |field: &'static str, raw: &str| {
            sotong_exchange::commitments_csv::parse_date(raw).ok_or(FieldError::new(field, "invalid_date"))
        };
        let title_en = if title_en.trim().is_empty() { title_ko } else { title_en };
        let (slug, kind, title_ko, title_en, start, end, cadence) = (
            sotong_core::org::Slug::parse(slug),
            PlanKind::parse("kind", kind),
            sotong_core::text::required_line("title_ko", title_ko, 100),
            sotong_core::text::required_line("title_en", title_en, 200),
            date("term_start", term_start),
            date("term_end", term_end),
            Cadence::parse(cadence),
        );
        match (slug, kind, title_ko, title_en, start, end, cadence) {
            (Ok(slug), Ok(kind), Ok(title_ko), Ok(title_en), Ok(term_start), Ok(term_end), Ok(cadence))
                if term_start <= term_end =>
            {
                Ok(NewPlan {
                    slug,
                    kind,
                    title_ko,
                    title_en,
                    term_start,
                    term_end,
                    cadence,
                    taxonomy: Taxonomy::default(),
                })
            }
            (slug, kind, title_ko, title_en, start, end, cadence) => {
                let mut errors: Vec<FieldError> = [
                    slug.err(),
                    kind.err(),
                    title_ko.err(),
                    title_en.err(),
                    start.as_ref().err().cloned(),
                    end.as_ref().err().cloned(),
                    cadence.err(),
                ]
                .into_iter()
                .flatten()
                .collect();
                if errors.is_empty() {
                    errors.push(FieldError::new("term_end", "end_before_start"));
                }
                Err(errors)
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Sector {
    pub id: i64,
    pub plan_id: i64,
    pub name_ko: String,
    pub name_en: String,
    pub sort_order: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Commitment {
    pub id: i64,
    pub plan_id: i64,
    pub sector_id: i64,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub lead_department_id: i64,
    pub term_target: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_national: i64,
    pub budget_provincial: i64,
    pub budget_city: i64,
    pub budget_other: i64,
    /// The status as of the latest approved report (or as imported).
    pub status: String,
    pub progress: i64,
    pub sort_order: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Commitment {
    pub fn budget_total(&self) -> i64 {
        self.budget_national + self.budget_provincial + self.budget_city + self.budget_other
    }
}

/// The fields of a commitment that people enter or import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentInput {
    pub code: String,
    pub sector_id: i64,
    pub title: String,
    pub summary: String,
    pub lead_department_id: i64,
    pub term_target: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub budget_national: i64,
    pub budget_provincial: i64,
    pub budget_city: i64,
    pub budget_other: i64,
    pub status: String,
    pub progress: i64,
}

const SECTOR_COLUMNS: crate::columns::Columns = crate::columns::Columns("id, plan_id, name_ko, name_en, sort_order");
pub(crate) const PLAN_COLUMNS: crate::columns::Columns = crate::columns::Columns(
    "id, body_id, slug, kind, title_ko, title_en, term_start, term_end, cadence, taxonomy_json, created_at",
);
pub(crate) const COMMITMENT_COLUMNS: crate::columns::Columns = crate::columns::Columns("id, plan_id, sector_id, code, title, summary, lead_department_id, term_target, \
     start_date, end_date, budget_national, budget_provincial, budget_city, budget_other, status, progress, sort_order, \
     created_at, updated_at");

impl Store {
    pub async fn create_plan(&self, actor: &Actor, body_id: i64, new: &NewPlan) -> Result<Plan, StoreError> {
        self.create_plan_with_sectors(actor, body_id, new, &[]).await
    }

    /// Creates a plan with its sectors (in the order given), in one transaction.
    pub async fn create_plan_with_sectors(
        &self,
        actor: &Actor,
        body_id: i64,
        new: &NewPlan,
        sectors: &[String],
    ) -> Result<Plan, StoreError> {
        let mut tx = self.begin().await?;
        let plan = insert_plan(&mut tx, actor, body_id, new).await?;
        for name in sectors {
            sector_named_in(&mut tx, actor, &plan, name, "").await?;
        }
        tx.commit().await?;
        Ok(plan)
    }

    pub async fn plans_of(&self, body_id: i64) -> Result<Vec<Plan>, StoreError> {
        let plans =
            sqlx::query_as::<_, Plan>(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE body_id = $1 ORDER BY id"))
                .bind(body_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(plans)
    }

    /// A plan by id, whatever its body (for the search index).
    pub async fn plan_by_id(&self, id: i64) -> Result<Option<Plan>, StoreError> {
        let plan = sqlx::query_as::<_, Plan>(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(plan)
    }

    pub async fn plan(&self, body_id: i64, slug: &str) -> Result<Option<Plan>, StoreError> {
        let plan =
            sqlx::query_as::<_, Plan>(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE body_id = $1 AND slug = $2"))
                .bind(body_id)
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
        Ok(plan)
    }

    pub async fn sectors(&self, plan_id: i64) -> Result<Vec<Sector>, StoreError> {
        let sectors = sqlx::query_as::<_, Sector>(&format!(
            "SELECT {SECTOR_COLUMNS} FROM sectors WHERE plan_id = $1 ORDER BY sort_order, id"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(sectors)
    }

    /// The sector named `name_ko`, created (last in order) if the plan has none yet.
    pub async fn sector_named(
        &self,
        actor: &Actor,
        plan: &Plan,
        name_ko: &str,
        name_en: &str,
    ) -> Result<Sector, StoreError> {
        let mut tx = self.begin().await?;
        let sector = sector_named_in(&mut tx, actor, plan, name_ko, name_en).await?;
        tx.commit().await?;
        Ok(sector)
    }

    pub async fn create_commitment(
        &self,
        actor: &Actor,
        plan: &Plan,
        input: &CommitmentInput,
    ) -> Result<Commitment, StoreError> {
        let mut tx = self.begin().await?;
        let created = insert_commitment(&mut tx, actor, plan, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Commitments of a plan in sector order, then their own order.
    pub async fn commitments(&self, plan_id: i64) -> Result<Vec<Commitment>, StoreError> {
        let rows = sqlx::query_as::<_, Commitment>(&format!(
            "SELECT {cols} FROM commitments c WHERE c.plan_id = $1
             ORDER BY (SELECT s.sort_order FROM sectors s WHERE s.id = c.sector_id), c.sort_order, c.id",
            cols = COMMITMENT_COLUMNS.of("c")
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn commitment_by_code(&self, plan_id: i64, code: &str) -> Result<Option<Commitment>, StoreError> {
        let row = sqlx::query_as::<_, Commitment>(&format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE plan_id = $1 AND code = $2"
        ))
        .bind(plan_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}

async fn insert_plan(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    body_id: i64,
    new: &NewPlan,
) -> Result<Plan, StoreError> {
    let taxonomy = serde_json::to_string(&new.taxonomy).unwrap_or_default();
    let plan = sqlx::query_as::<_, Plan>(&format!(
        "INSERT INTO plans (body_id, slug, kind, title_ko, title_en, term_start, term_end, cadence, taxonomy_json, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {PLAN_COLUMNS}"
    ))
    .bind(body_id)
    .bind(new.slug.as_str())
    .bind(new.kind.as_str())
    .bind(&new.title_ko)
    .bind(&new.title_en)
    .bind(&new.term_start)
    .bind(&new.term_end)
    .bind(new.cadence.key())
    .bind(taxonomy)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .conflict_as("slug", "slug_taken")?;
    let change = Change::new(Some(body_id), "plan.create", "plan", plan.id).after(&plan);
    record(tx, actor, change).await?;
    Ok(plan)
}

pub(crate) async fn sector_named_in(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    plan: &Plan,
    name_ko: &str,
    name_en: &str,
) -> Result<Sector, StoreError> {
    let existing = sqlx::query_as::<_, Sector>(&format!(
        "SELECT {SECTOR_COLUMNS} FROM sectors WHERE plan_id = $1 AND name_ko = $2"
    ))
    .bind(plan.id)
    .bind(name_ko)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(sector) = existing {
        return Ok(sector);
    }
    let sector = sqlx::query_as::<_, Sector>(&format!(
        "INSERT INTO sectors (plan_id, name_ko, name_en, sort_order)
         VALUES ($1, $2, $3, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM sectors WHERE plan_id = $1))
         RETURNING {SECTOR_COLUMNS}"
    ))
    .bind(plan.id)
    .bind(name_ko)
    .bind(if name_en.is_empty() { name_ko } else { name_en })
    .fetch_one(&mut **tx)
    .await?;
    let change = Change::new(Some(plan.body_id), "sector.create", "sector", sector.id).after(&sector);
    record(tx, actor, change).await?;
    Ok(sector)
}

pub(crate) async fn insert_commitment(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    plan: &Plan,
    c: &CommitmentInput,
) -> Result<Commitment, StoreError> {
    let at = now();
    let created = sqlx::query_as::<_, Commitment>(&format!(
        "INSERT INTO commitments (plan_id, sector_id, code, title, summary, lead_department_id, term_target, start_date,
             end_date, budget_national, budget_provincial, budget_city, budget_other, status, progress, sort_order,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
             (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM commitments WHERE plan_id = $1), $16, $16)
         RETURNING {COMMITMENT_COLUMNS}"
    ))
    .bind(plan.id)
    .bind(c.sector_id)
    .bind(&c.code)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(c.lead_department_id)
    .bind(&c.term_target)
    .bind(c.start_date.as_deref())
    .bind(c.end_date.as_deref())
    .bind(c.budget_national)
    .bind(c.budget_provincial)
    .bind(c.budget_city)
    .bind(c.budget_other)
    .bind(&c.status)
    .bind(c.progress)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
    .conflict_as("code", "code_taken")?;
    let change = Change::new(Some(plan.body_id), "commitment.create", "commitment", created.id).after(&created);
    record(tx, actor, change).await?;
    Ok(created)
}
