//! Citizen voice: policy proposals with supports and answers (`proposals`), comments
//! on them (`comments`), reports and moderators' decisions on both (`moderation`),
//! city notices (`notices`), and the files on proposals and notices (`attachments`).

pub mod attachments;
pub mod comments;
pub mod moderation;
pub mod notices;
pub mod proposals;
