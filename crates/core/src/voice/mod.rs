//! Citizen voice (시민 소통): what citizens send the city and how it answers. Today
//! policy proposals (정책제안) with supports (공감) and official answers, and city
//! notices (시정알림); complaints, polls and debates join here.

pub mod notices;
pub mod proposals;
