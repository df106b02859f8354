//! Citizen voice (시민 소통): what citizens send the city and how it answers. Policy
//! proposals (정책제안) with supports (공감) and official answers, complaints (민원,
//! "시장에게 바란다") on the statutory clock, and city notices (시정알림); polls and
//! debates join here.

pub mod complaints;
pub mod notices;
pub mod proposals;
