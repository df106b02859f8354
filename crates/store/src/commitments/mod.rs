//! The commitments module's persistence: plans, sectors and commitments (`plans`),
//! their details (`edit`), periods and reports (`reports`), closing a period and
//! verifying the chains (`publication`), change requests (`changes`), indicators and
//! milestones (`indicators`), spreadsheet imports (`import`), figures (`metrics`) and
//! following (`follows`), files on commitments and reports (`attachments`).

pub mod attachments;
pub mod changes;
pub mod edit;
pub mod follows;
pub mod import;
pub mod indicators;
pub mod metrics;
pub mod plans;
pub mod publication;
pub mod reports;
