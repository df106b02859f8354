-- What a public body shows in its site's header and footer: its address and main
-- phone number (departments have their phone numbers too) and an uploaded logo; and
-- the pages every Korean public site links from its footer (개인정보처리방침, 이용약관,
-- 저작권정책), as its administrators wrote them (sotong's defaults until they do).
ALTER TABLE organisations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN logo_sha256 TEXT REFERENCES files (sha256);

CREATE TABLE body_pages (
    body_id BIGINT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    PRIMARY KEY (body_id, kind)
);
