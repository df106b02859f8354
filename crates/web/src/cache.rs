//! Figures of published snapshots, computed once per process.
//!
//! A published snapshot never changes (its hash chain proves it), so its metrics can
//! be kept without any invalidation; every server process fills its own cache. The
//! bound keeps memory flat however many plans and periods an installation has.

use sotong_store::commitments::metrics::PlanMetrics;
use sotong_store::commitments::plans::Plan;
use sotong_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CAPACITY: usize = 512;

#[derive(Default)]
pub struct PublishedMetrics {
    by_snapshot: Mutex<HashMap<i64, Arc<PlanMetrics>>>,
}

impl PublishedMetrics {
    pub async fn get(&self, store: &Store, plan: &Plan, snapshot_id: i64) -> Result<Arc<PlanMetrics>, StoreError> {
        if let Some(found) = self.lock().get(&snapshot_id) {
            return Ok(found.clone());
        }
        let computed = Arc::new(store.published_metrics(plan, snapshot_id).await?);
        let mut map = self.lock();
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(snapshot_id, computed.clone());
        Ok(computed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<PlanMetrics>>> {
        // A panic while holding the lock cannot leave the map inconsistent (one insert).
        self.by_snapshot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
