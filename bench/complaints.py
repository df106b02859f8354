"""Complaints at a city's scale: 100,000 stored, a burst of filings through Open311
with the near-duplicate check, the staff inbox, and kill -9 in the middle of a burst.

Run by bench/complaints.sh, which starts the server. Standard library only:
  python3 bench/complaints.py seed DB N PETITIONS_DIR     N complaints + a key + a staff session
  python3 bench/complaints.py file BASE N C ACKS           N Open311 filings, C at a time
  python3 bench/complaints.py inbox BASE ROUNDS            the coordinator's inbox views
  python3 bench/complaints.py built LOG COUNT              wait for the start's index build
  python3 bench/complaints.py checks LOG [BEFORE]          the check's own times, from the log
  python3 bench/complaints.py verify DB ACKS               every acknowledged filing is stored

`seed` writes the complaints straight into the database in one transaction (filing
100,000 through HTTP would take the bench's time, not measure it): the real petitions'
texts (../shared/data/petitions: the 8,859 full petitions of 2020, then the 86,431
titles of 2019–2021 as title and text, then titles again with "(재신청)"), over the
city's categories and departments, spread over three years, most answered, some open.
Their deadlines are approximate (the clock is not what is measured here). It also
issues an Open311 key and a session of the demo coordinator, in DB.key and DB.session.

`file` sends filings like a relaying system would: half re-filings of stored
petitions (the same matter again, worded a little differently: the check finds
them), half new matters; each acknowledged id (201 with service_request_id) goes to
ACKS the moment it arrives. `checks` reads the server's `sotong::complaint_check`
lines: the check's own time (catching up with new complaints, then the index query),
and the time the server took at start to build the index from the stored complaints.
"""
import asyncio, csv, hashlib, json, os, random, re, secrets, sqlite3, sys, time, urllib.parse

import loadgen

BODY = "hanbit"


def petition_texts(folder):
    texts = []
    with open(os.path.join(folder, "bluehouse_petitions_2020.jsonl"), encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if p.get("title") and p.get("content"):
                texts.append((p["title"].strip()[:200], p["content"].strip()[:3900]))
    with open(os.path.join(folder, "petition_titles_2019_2021.csv"), encoding="utf-8-sig") as f:
        titles = [row["title"].strip()[:200] for row in csv.DictReader(f) if row.get("title", "").strip()]
    # What the filing form would refuse (a title under 5 characters) is left out.
    titles = [t for t in titles if len(t) >= 5]
    texts = [(t, b) for t, b in texts if len(t) >= 5 and len(b) >= 10]
    texts += [(t, t if len(t) >= 10 else f"{t} — 조치해 주세요.") for t in titles]
    return texts, titles


def seed(db, n, folder):
    texts, titles = petition_texts(folder)
    i = 0
    while len(texts) < n:
        texts.append((f"{titles[i]} (재신청)", titles[i]))
        i += 1
    conn = sqlite3.connect(db, timeout=30)
    body_id = conn.execute("SELECT id FROM organisations WHERE slug = ? AND body_id IS NULL", (BODY,)).fetchone()[0]
    categories = conn.execute("SELECT id, kind, department_id FROM complaint_categories WHERE body_id = ?", (body_id,)).fetchall()
    now = int(time.time())
    rng = random.Random(14)
    rows = []
    for k, (title, text) in enumerate(texts[:n]):
        category, kind, department = categories[k % len(categories)]
        created = now - rng.randint(3600, 3 * 365 * 86400)
        roll = rng.random()
        state = "answered" if roll < 0.90 else "closed" if roll < 0.94 else "received" if roll < 0.95 else "assigned" if roll < 0.97 else "in_progress"
        answered = state in ("answered", "closed")
        due = created + rng.randint(3, 14) * 86400
        answered_at = min(now, created + rng.randint(1, 20) * 86400) if answered else None
        rows.append((body_id, category, kind, f"주민{k:06d}", f"resident{k:06d}@bench.example", title, text,
                     1 if k % 5 else 0, "received" if state == "received" else state,
                     None if state == "received" else department, created + 8 * 3600, due,
                     "이미 답변드린 내용과 같습니다." if answered else None, answered_at,
                     answered_at if state == "closed" else None, created, answered_at or created))
    with conn:
        conn.executemany(
            "INSERT INTO complaints (body_id, category_id, kind, filer_name, filer_email, title, body, is_public, state,"
            " department_id, receipt_due_at, due_at, answer_body, answered_at, closed_at, source, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'web', ?, ?)", rows)
        key = secrets.token_hex(24)
        conn.execute("INSERT INTO open311_keys (body_id, name, key_sha256, created_at) VALUES (?, ?, ?, ?)",
                     (body_id, "벤치마크 연계", hashlib.sha256(key.encode()).hexdigest(), now))
        coordinator = conn.execute("SELECT id FROM users WHERE email = 'coordinator@hanbit.example'").fetchone()[0]
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        conn.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (hashlib.sha256(token.encode()).hexdigest(), coordinator, csrf, now, now + 86400, "127.0.0.1", "bench"))
    open(db + ".key", "w").write(key)
    open(db + ".session", "w").write(token)
    stored = conn.execute("SELECT COUNT(*) FROM complaints WHERE body_id = ?", (body_id,)).fetchone()[0]
    loadgen.print_json({"seeded": len(rows), "stored_in_body": stored})


def filings(folder, n, seed_value):
    """n filings: even ones re-file a stored petition's matter, odd ones are new."""
    texts, titles = petition_texts(folder)
    full = [t for t in texts if t[0] != t[1]]
    rng = random.Random(seed_value)
    out = []
    for k in range(n):
        if k % 2 == 0:
            title, text = rng.choice(full)
            out.append((title, "같은 문제로 다시 신청합니다. " + text))
        else:
            a, b = rng.sample(titles, 2)
            out.append((f"{a[:60]}", f"{a}. 그리고 {b}. 현장을 확인하고 조치해 주시기 바랍니다. (접수 {k})"))
    return out


def file_burst(base, n, concurrency, acks_path, folder, seed_value):
    key = open(os.environ["SOTONG_BENCH_DB"] + ".key").read().strip()
    host = base.removeprefix("http://")
    path = f"/{BODY}/open311/v2/requests.json"
    codes = [c.strip() for c in os.environ["SOTONG_BENCH_CODES"].split(",")]
    items = [(k, t, d) for k, (t, d) in enumerate(filings(folder, n, seed_value))]

    def build(item):
        k, title, text = item
        form = urllib.parse.urlencode({
            "api_key": key, "service_code": codes[k % len(codes)], "description": text[:3900],
            "attribute[title]": title[:100], "attribute[visibility]": "public" if k % 3 else "private",
            "email": f"relay{seed_value}-{k}@bench.example", "first_name": "민원", "last_name": "김",
            "address_string": "한빛시청 앞",
        }).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(form)}\r\n\r\n").encode() + form

    with open(acks_path, "a") as acks:
        def answered(item, status, payload):
            if status == 201:
                acks.write(json.loads(payload)[0]["service_request_id"] + "\n")
                acks.flush()
                return "acknowledged"
            return str(status)

        loadgen.print_json(asyncio.run(loadgen.run(base, items, concurrency, build, answered)))


def inbox(base, rounds):
    token = open(os.environ["SOTONG_BENCH_DB"] + ".session").read().strip()
    host = base.removeprefix("http://")
    views = ["new", "due_soon", "overdue", "in_progress", "answered"]
    paths = [f"/{BODY}/staff/complaints?view={v}" for v in views] + [f"/{BODY}/staff/complaints?view=answered&page=40"]
    items = [p for _ in range(rounds) for p in paths]

    def build(path):
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: sotong_session={token}\r\n\r\n".encode()

    def answered(path, status, payload):
        return "ok" if status == 200 and "민원".encode() in payload else str(status)

    loadgen.print_json(asyncio.run(loadgen.run(base, items, 1, build, answered)))


def log_lines(log_path, *markers):
    """The server's lines with every one of `markers`, their numeric fields as ints."""
    ansi = re.compile(r"\x1b\[[0-9;]*m")
    for line in open(log_path, encoding="utf-8", errors="replace"):
        line = ansi.sub("", line)
        if all(marker in line for marker in markers):
            yield {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


def checks(log_path, before_path=None):
    """The checks logged in `log_path` past the lines of `before_path` (an earlier copy)."""
    skip = sum(1 for _ in log_lines(before_path, "near-duplicate check")) if before_path else 0
    builds = list(log_lines(log_path, "index built", f"body={BODY}"))
    lines = list(log_lines(log_path, "near-duplicate check"))[skip:]
    times = sorted(f["micros"] / 1000 for f in lines)
    indexed = [f["indexed"] for f in lines]
    loadgen.print_json({"index_build_at_start": builds[-1] if builds else None, "checks": len(times),
                        "indexed": [min(indexed), max(indexed)] if indexed else None,
                        "p50_ms": loadgen.percentile(times, 0.5), "p99_ms": loadgen.percentile(times, 0.99),
                        "max_ms": times[-1] if times else None})


def built(log_path, count):
    """Exits 0 once the server logged `count` index builds (the start's warm-up)."""
    for _ in range(1200):
        if sum(1 for _ in log_lines(log_path, "index built", f"body={BODY}")) >= count:
            return
        time.sleep(0.1)
    sys.exit("the complaints' index was not built within 120 s")


def verify(db, acks_path):
    conn = sqlite3.connect(db, timeout=30)
    acked = {int(line) for line in open(acks_path) if line.strip()}
    stored = {row[0] for row in conn.execute("SELECT id FROM complaints WHERE source = 'open311'")}
    lost = acked - stored
    loadgen.print_json({"acknowledged": len(acked), "stored_open311": len(stored), "lost": len(lost)})
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "seed":
        seed(args[0], int(args[1]), args[2])
    elif command == "file":
        file_burst(args[0], int(args[1]), int(args[2]), args[3], args[4], int(args[5]))
    elif command == "inbox":
        inbox(args[0], int(args[1]))
    elif command == "checks":
        checks(*args)
    elif command == "built":
        built(args[0], int(args[1]))
    elif command == "verify":
        verify(args[0], args[1])
