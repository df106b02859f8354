-- 개인정보 보호법: what a person agreed to when they signed up (which text, which
-- version, when), whether they want e-mails, and accounts they deleted (the row stays,
-- emptied of personal data, because their public contributions and the audit log
-- refer to it).
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    version TEXT NOT NULL,
    accepted_at BIGINT NOT NULL
);
CREATE INDEX consents_user ON consents (user_id);

ALTER TABLE users ADD COLUMN email_notifications BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
