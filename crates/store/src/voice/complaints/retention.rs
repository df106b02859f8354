//! Personal data of finished complaints is kept for the body's retention period
//! (`ComplaintRules::retention_years`, 3 years unless set), then cleared by the
//! server's hourly maintenance: the filer's account link, name, e-mail and telephone,
//! and the files they attached (taken off the complaint: no one can open them through
//! it any more). The complaint, its history and its answer stay: the answer is the body's record,
//! the person's data is kept only as long as it is needed (개인정보 보호법 제21조,
//! 개인정보의 파기).

use crate::audit::{record, Actor, Change};
use crate::{Store, StoreError};

/// A year as the retention period counts it (365.25 days).
const YEAR_SECONDS: i64 = 31_557_600;

impl Store {
    /// Clears the personal data of complaints finished (answered, closed, withdrawn
    /// or transferred) longer ago than their body's retention period at `at`; returns
    /// how many. Each clearing is audited without the data it cleared.
    pub async fn purge_complaint_personal_data(&self, at: i64) -> Result<usize, StoreError> {
        let due: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.body_id FROM complaints c
             LEFT JOIN complaint_settings s ON s.body_id = c.body_id
             WHERE c.personal_purged_at IS NULL
               AND c.state IN ('answered', 'closed', 'withdrawn', 'transferred')
               AND COALESCE(c.closed_at, c.answered_at, c.updated_at) < $1 - COALESCE(s.retention_years, $2) * $3
             ORDER BY c.id",
        )
        .bind(at)
        .bind(sotong_core::voice::complaints::ComplaintRules::default().retention_years)
        .bind(YEAR_SECONDS)
        .fetch_all(&self.pool)
        .await?;
        let actor = Actor::system();
        for (id, body_id) in &due {
            let mut tx = self.begin().await?;
            sqlx::query(
                "UPDATE complaints SET filer_id = NULL, filer_name = NULL, filer_email = NULL, filer_phone = NULL,
                        personal_purged_at = $1
                 WHERE id = $2 AND personal_purged_at IS NULL",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE voice_attachments SET removed_at = $1
                 WHERE owner_kind = 'complaint' AND owner_id = $2 AND removed_at IS NULL",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            record(&mut tx, &actor, Change::new(Some(*body_id), "complaint.purge_personal", "complaint", id)).await?;
            tx.commit().await?;
        }
        Ok(due.len())
    }
}
