//! Citizen voice: policy proposals with supports and answers (`proposals`), complaints
//! on the statutory clock (`complaints`), comments
//! on them (`comments`), reports and moderators' decisions on both (`moderation`),
//! city notices (`notices`), and the files on proposals and notices (`attachments`).

pub mod attachments;
pub mod comments;
pub mod complaints;
pub mod moderation;
pub mod notices;
pub mod proposals;
