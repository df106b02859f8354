-- Rate limits on citizen writes (sign-up now; proposals, supports and votes later):
-- one row per counted action, shared by every server process.
CREATE TABLE rate_events (
    id INTEGER PRIMARY KEY,
    bucket TEXT NOT NULL,
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_bucket_subject ON rate_events (bucket, subject, at);
