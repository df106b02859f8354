//! Citizen voice: policy proposals with supports and answers (`proposals`), comments
//! on them (`comments`), reports and moderators' decisions on both (`moderation`),
//! and city notices (`notices`).

pub mod comments;
pub mod moderation;
pub mod notices;
pub mod proposals;
