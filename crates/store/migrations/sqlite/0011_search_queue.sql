-- The search index's change log: every change to something searchable adds a row
-- naming it (`proposal:12`, `notice:3`, `plan:5`, or `reindex`) in the change's own
-- transaction. Each server process follows the log with its own index (the index is
-- derived data per process), so rows are read by every process and purged by age.
-- AUTOINCREMENT: ids never come back after old rows are purged, so a position in the
-- log stays meaningful (PostgreSQL's identity never reuses them either).
CREATE TABLE search_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX search_queue_created ON search_queue (created_at);
