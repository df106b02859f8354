//! Multi-row statements: one `INSERT … VALUES (…), (…)` for many rows instead of a
//! round trip per row (closing a period writes a thousand items).

/// Rows per statement: well under both engines' limits on bound parameters
/// (SQLite 32,766; PostgreSQL 65,535) for rows of up to 100 columns.
pub const ROWS_PER_STATEMENT: usize = 250;

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` parameters.
pub fn values(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns).map(|column| format!("${}", row * columns + column)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$first, $first+1, …` for an `IN (…)` list of `count` parameters.
pub fn list(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(super::values(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::list(3, 2), "$3, $4");
    }
}
