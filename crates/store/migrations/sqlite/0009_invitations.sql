-- Staff invited by e-mail: the account exists (without a password) with its role, and
-- a one-time link (its token's hash kept here) lets the person set their password.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
