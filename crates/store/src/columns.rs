//! One column list per row type: `{REPORT_COLUMNS}` in a query's text selects a row
//! as its type decodes it, and `REPORT_COLUMNS.of("r")` the same columns of the table
//! aliased `r` in a join — never a hand-copied list.

use std::fmt;

#[derive(Clone, Copy)]
pub(crate) struct Columns(pub &'static str);

impl Columns {
    /// The columns prefixed with a table alias: `r.id, r.state, …`.
    pub fn of(self, alias: &str) -> String {
        self.0.split(", ").map(|column| format!("{alias}.{}", column.trim())).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Columns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A yes/no column stored as 0 or 1 (one integer type on both engines), decoded
/// once with `#[sqlx(try_from = "i64")]` instead of comparing with 0 at each use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl From<i64> for Flag {
    fn from(stored: i64) -> Flag {
        Flag(stored != 0)
    }
}

impl From<Flag> for i64 {
    fn from(flag: Flag) -> i64 {
        i64::from(flag.0)
    }
}

/// A value stored as JSON text (a process's eligibility rules, its score formula),
/// decoded once with `#[sqlx(try_from = "String")]`; text that does not decode is an
/// error, never a default.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct JsonText<T>(pub T);

impl<T: serde::de::DeserializeOwned> TryFrom<String> for JsonText<T> {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        serde_json::from_str(&text).map(JsonText).map_err(|e| format!("stored JSON does not decode: {e}"))
    }
}

impl<T: serde::Serialize> JsonText<T> {
    pub fn to_text(value: &T) -> String {
        serde_json::to_string(value).expect("rules serialize")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn aliased_columns_keep_their_order() {
        let columns = super::Columns("id, plan_id, code");
        assert_eq!(columns.of("p"), "p.id, p.plan_id, p.code");
        assert_eq!(columns.to_string(), "id, plan_id, code");
    }
}
