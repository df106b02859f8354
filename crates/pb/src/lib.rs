//! Participatory budgeting (주민참여예산) for sotong, usable on its own — what
//! pabutools is for Python, with identical outcomes:
//!
//! - [`pabulib`]: read and write Pabulib `.pb` files;
//! - [`greedy()`]: greedy by score, with the no-skip and threshold variants;
//! - [`equal_shares()`]: the Method of Equal Shares with cost utilities and its
//!   completions (add1, add1 then greedy, add1 until the next raise overspends);
//! - every outcome explains, per project, why it was selected or not.
//!
//! Amounts are exact: decimals as written in the file, and rationals wherever money
//! is divided, so no outcome depends on floating-point rounding.

pub mod decimal;
pub mod election;
pub mod greedy;
pub mod mes;
pub mod outcome;
pub mod pabulib;
pub mod rule;

pub use decimal::Decimal;
pub use election::{Election, Project, VoteType, Voter};
pub use greedy::{greedy, GreedyOptions};
pub use mes::{equal_shares, Completion, EqualShares, MesOptions};
pub use outcome::{Explanation, Outcome, Reason, Score, Stop, TieBreak};
pub use rule::{DeclaredRuleError, Rule};
