//! Domain types and rules of sotong. No I/O: everything here is pure and unit-tested.
//!
//! Values that reach the domain are parsed once into types that cannot hold an invalid
//! value (`Email`, `Slug`, `Password`, …); the parse error names what is wrong so the
//! web layer can show it next to the field.

/// A closed set of values stored as text: the variants, their stored form
/// (`as_str`, `Display`), `ALL`, and `TryFrom<String>` for rows — one macro for every
/// module's states and kinds.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and catalogue form (`state.draft`, …).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                match text.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(concat!("not a ", stringify!($name), ": {:?}"), text)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod budgeting;
pub mod commitments;
pub mod files;
pub mod format;
pub mod org;
pub mod role;
pub mod snapshot;
pub mod text;
pub mod user;
pub mod verification;
pub mod voice;
pub mod webhooks;
pub mod workdays;

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
