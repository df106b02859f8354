-- Public holidays added after the table shipped in the binary
-- (core/data/holidays-kr.csv, 2020–2030): a temporary holiday the government
-- declares, or a whole year beyond the table (`sotong holidays add`). Deadlines are
-- counted with both (Store::calendar; REFERENCE "Complaints", 법 제19조).
CREATE TABLE holidays (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX holidays_day ON holidays (day);
