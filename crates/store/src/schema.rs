//! A description of the live schema, the same for both engines, so a test can prove
//! that the two migration trees produce the same tables, columns, types and indexes.

use crate::{Backend, Store, StoreError};

/// `table.column type null|not-null`, `index name on table(cols) [unique]`, sorted.
pub async fn describe(store: &Store) -> Result<Vec<String>, StoreError> {
    let mut lines = Vec::new();
    match store.backend() {
        Backend::Sqlite => {
            let columns: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(store.pool())
            .await?;
            for (table, column, ty, not_null, pk) in columns {
                lines.push(column_line(&table, &column, &ty, not_null != 0 || pk != 0));
            }
            let indexes: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT m.name, il.name, il.\"unique\" FROM sqlite_master m, pragma_index_list(m.name) il
                 WHERE m.type = 'table' AND m.name <> '_sqlx_migrations' AND il.origin = 'c'",
            )
            .fetch_all(store.pool())
            .await?;
            for (table, index, unique) in indexes {
                let cols: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(store.pool())
                    .await?;
                let cols: Vec<String> = cols.into_iter().map(|(c,)| c).collect();
                lines.push(index_line(&table, &index, &cols, unique != 0));
            }
        }
        Backend::Postgres => {
            let columns: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(store.pool())
            .await?;
            for (table, column, ty, nullable) in columns {
                lines.push(column_line(&table, &column, &ty, nullable == "NO"));
            }
            let indexes: Vec<(String, String, bool, String)> = sqlx::query_as(
                "SELECT t.relname::text, i.relname::text, ix.indisunique,
                        array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',')
                 FROM pg_index ix
                 JOIN pg_class i ON i.oid = ix.indexrelid
                 JOIN pg_class t ON t.oid = ix.indrelid
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace
                 WHERE ns.nspname = current_schema() AND NOT ix.indisprimary AND t.relname <> '_sqlx_migrations'",
            )
            .fetch_all(store.pool())
            .await?;
            for (table, index, unique, cols) in indexes {
                let cols: Vec<String> = cols.split(',').map(str::to_string).collect();
                lines.push(index_line(&table, &index, &cols, unique));
            }
        }
    }
    lines.sort();
    Ok(lines)
}

fn column_line(table: &str, column: &str, ty: &str, not_null: bool) -> String {
    format!("{table}.{column} {} {}", type_family(ty), if not_null { "not-null" } else { "null" })
}

fn index_line(table: &str, index: &str, cols: &[String], unique: bool) -> String {
    format!("index {index} on {table}({}){}", cols.join(","), if unique { " unique" } else { "" })
}

/// The portable family of a declared column type.
fn type_family(ty: &str) -> &'static str {
    match ty.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "int8" | "int" | "smallint" => "integer",
        "text" | "character varying" | "varchar" => "text",
        "boolean" | "bool" => "boolean",
        "real" | "double precision" | "float8" => "float",
        "blob" | "bytea" => "bytes",
        _ => "other",
    }
}
