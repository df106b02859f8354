//! Domain types and rules of sotong. No I/O: everything here is pure and unit-tested.
//!
//! Values that reach the domain are parsed once into types that cannot hold an invalid
//! value (`Email`, `Slug`, `Password`, …); the parse error names what is wrong so the
//! web layer can show it next to the field.

pub mod commitments;
pub mod files;
pub mod format;
pub mod org;
pub mod role;
pub mod snapshot;
pub mod text;
pub mod user;

/// Why a value was rejected: a stable code (for APIs and message catalogues) and the
/// field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct FieldError {
    pub field: &'static str,
    /// Catalogue key suffix, e.g. `required`, `too_long`, `invalid_email`.
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}
