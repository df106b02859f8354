//! Indicators of a commitment (target value and unit, an actual per period) and its
//! milestones. Values are decimal text ("10000", "12.5"), kept exactly as entered.

use crate::audit::{record, Actor, Change};
use crate::commitments::plans::{Commitment, Plan};
use crate::commitments::reports::ReportingPeriod;
use crate::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Indicator {
    pub id: i64,
    pub commitment_id: i64,
    pub name: String,
    pub unit: String,
    pub target_value: String,
    pub sort_order: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct IndicatorActual {
    pub indicator_id: i64,
    pub period_id: i64,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq, Eq)]
pub struct Milestone {
    pub id: i64,
    pub commitment_id: i64,
    pub title: String,
    pub due_date: String,
    pub done_date: Option<String>,
}

pub(crate) const INDICATOR_COLUMNS: crate::columns::Columns =
    crate::columns::Columns("id, commitment_id, name, unit, target_value, sort_order");
const MILESTONE_COLUMNS: crate::columns::Columns =
    crate::columns::Columns("id, commitment_id, title, due_date, done_date");

impl Store {
    pub async fn add_indicator(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        name: &str,
        unit: &str,
        target: &str,
    ) -> Result<Indicator, StoreError> {
        let name = sotong_core::text::required_line("indicator_name", name, 100).map_err(StoreError::Invalid)?;
        let unit = sotong_core::text::required_line("unit", unit, 20).map_err(StoreError::Invalid)?;
        let target = sotong_core::format::parse_decimal("target_value", target).map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let created = sqlx::query_as::<_, Indicator>(&format!(
            "INSERT INTO indicators (commitment_id, name, unit, target_value, sort_order)
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM indicators WHERE commitment_id = $1))
             RETURNING {INDICATOR_COLUMNS}"
        ))
        .bind(commitment.id)
        .bind(&name)
        .bind(&unit)
        .bind(&target)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(plan.body_id), "indicator.create", "indicator", created.id).after(&created);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Records an indicator's actual value for an open period (replacing an earlier
    /// one), refused like the report itself once the report is submitted or approved.
    pub async fn set_indicator_actual(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        indicator: &Indicator,
        period: &ReportingPeriod,
        raw: &str,
    ) -> Result<(), StoreError> {
        let value = sotong_core::format::parse_decimal("actual", raw).map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        self.editable_report(&mut tx, commitment, period).await?;
        let id = indicator.id;
        crate::commitments::reports::write_actual(&mut tx, actor, plan, commitment, id, period, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn indicators(&self, commitment_id: i64) -> Result<Vec<Indicator>, StoreError> {
        let rows = sqlx::query_as::<_, Indicator>(&format!(
            "SELECT {INDICATOR_COLUMNS} FROM indicators WHERE commitment_id = $1 ORDER BY sort_order, id"
        ))
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn indicator_actuals(&self, commitment_id: i64) -> Result<Vec<IndicatorActual>, StoreError> {
        let rows = sqlx::query_as::<_, IndicatorActual>(
            "SELECT a.indicator_id, a.period_id, a.value FROM indicator_actuals a
             JOIN indicators i ON i.id = a.indicator_id WHERE i.commitment_id = $1",
        )
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn add_milestone(
        &self,
        actor: &Actor,
        plan: &Plan,
        commitment: &Commitment,
        title: &str,
        due_date: &str,
        done_date: Option<&str>,
    ) -> Result<Milestone, StoreError> {
        let title = sotong_core::text::required_line("milestone_title", title, 200).map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let created = sqlx::query_as::<_, Milestone>(&format!(
            "INSERT INTO milestones (commitment_id, title, due_date, done_date) VALUES ($1, $2, $3, $4)
             RETURNING {MILESTONE_COLUMNS}"
        ))
        .bind(commitment.id)
        .bind(&title)
        .bind(due_date)
        .bind(done_date)
        .fetch_one(&mut *tx)
        .await?;
        let change = Change::new(Some(plan.body_id), "milestone.create", "milestone", created.id).after(&created);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn milestones(&self, commitment_id: i64) -> Result<Vec<Milestone>, StoreError> {
        let rows = sqlx::query_as::<_, Milestone>(&format!(
            "SELECT {MILESTONE_COLUMNS} FROM milestones WHERE commitment_id = $1 ORDER BY due_date, id"
        ))
        .bind(commitment_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
