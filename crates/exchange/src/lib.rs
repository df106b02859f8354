//! File formats of sotong, apart from the domain so their dependencies stay in a leaf
//! crate: decoding what Korean offices' spreadsheets write, and the commitments CSV.

pub mod commitments_csv;
pub mod commitments_xlsx;
pub mod text;
