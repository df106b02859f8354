"""Ballots in a surge over HTTP, kill -9 in the middle of one, and the count of a
large process. Run by bench/budgeting.sh, which starts the server. Standard library
only (PostgreSQL through the `psql` client):
  python3 bench/budgeting.py residents DB N            N verified residents with sessions
  python3 bench/budgeting.py surge BASE FROM N C ACKS  residents FROM..FROM+N-1 vote, C at a time
  python3 bench/budgeting.py check DB ACKS [RETRIED]   every receipt counted, nobody twice
  python3 bench/budgeting.py count BASE DB             results computed, published and shown

DB is `sqlite:///path` or a `postgres://` URL. `residents` writes N accounts, each with
a session and verified as a resident of one of the demo's four 동 (in turn), straight
into the database: verifying 20,000 people through the page would measure the code
check, not the ballot. Their tokens go to $SOTONG_BENCH_TOKENS. `surge` casts one whole
ballot per resident through the JSON API (three city projects and one of their 동's),
keeps connections alive (bench/loadgen.py), appends each receipt to ACKS as soon as
its 201 arrives, and prints throughput and latency as JSON. `check` finds every receipt
in ACKS among the stored ballots and compares ballots with participations (one per
person, the primary key), web ballots against web participations; with RETRIED it first sends every resident of the killed
surge again, each of whom must be answered either with a receipt (their first ballot
never reached the database) or "already voted".
"""
import asyncio, hashlib, itertools, json, os, random, secrets, sqlite3, subprocess, sys, time, urllib.request

import loadgen

ORG = "hanbit"
PROCESS = "2027"
DISTRICTS = ["중앙동", "새빛동", "한울동", "푸른동"]


class Database:
    """The few queries the bench needs, on SQLite (sqlite3) or PostgreSQL (psql)."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url.removeprefix("sqlite://") if url.startswith("sqlite://") else None

    def rows(self, sql):
        if self.sqlite:
            conn = sqlite3.connect(self.sqlite, timeout=60)
            try:
                return [tuple(str(v) for v in row) for row in conn.execute(sql)]
            finally:
                conn.close()
        out = subprocess.run(["psql", self.url, "-X", "-q", "-At", "-F", "\t", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def value(self, sql):
        return self.rows(sql)[0][0]

    def copy(self, table, columns, rows):
        """Inserts rows (tuples of text) in one transaction."""
        if self.sqlite:
            conn = sqlite3.connect(self.sqlite, timeout=60)
            with conn:
                marks = ", ".join("?" * len(columns))
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            conn.close()
            return
        data = "".join("\t".join(str(v) for v in row) + "\n" for row in rows)
        subprocess.run(["psql", self.url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN"], input=data, check=True, text=True)


def process_id(db):
    return int(db.value(f"SELECT p.id FROM budget_processes p JOIN organisations o ON o.id = p.body_id "
                        f"WHERE o.slug = '{ORG}' AND p.slug = '{PROCESS}'"))


def residents(url, n):
    db = Database(url)
    body = int(db.value(f"SELECT id FROM organisations WHERE slug = '{ORG}' AND body_id IS NULL"))
    start = int(db.value("SELECT COALESCE(MAX(id), 0) FROM users")) + 1
    now = int(time.time())
    users, sessions, verified, tokens = [], [], [], []
    for i in range(n):
        uid = start + i
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        district = DISTRICTS[i % len(DISTRICTS)]
        users.append((uid, f"voter{i:06d}@hanbit.example", f"주민{i:06d}", "!", now, now))
        sessions.append((hashlib.sha256(token.encode()).hexdigest(), uid, csrf, now, now + 86400, "127.0.0.1", "bench"))
        # The person key is the roster's keyed hash in real use; any unique text here.
        person = hashlib.sha256(f"bench-person-{i}".encode()).hexdigest()
        verified.append((body, uid, person, "roster", "resident", district, "1980-05-05", now))
        tokens.append(f"{uid}\t{token}\t{csrf}\t{district}")
    db.copy("users", ["id", "email", "display_name", "password_hash", "created_at", "password_changed_at"], users)
    db.copy("sessions", ["token_hash", "user_id", "csrf_token", "created_at", "expires_at", "ip", "user_agent"], sessions)
    db.copy("verified_residents", ["body_id", "user_id", "person_key", "method", "basis", "district", "born_on", "verified_at"], verified)
    with open(os.environ["SOTONG_BENCH_TOKENS"], "w") as f:
        f.write("\n".join(tokens) + "\n")


def ballot_choices(base):
    """Per district, the whole valid ballots a voter there may cast: three city
    projects (the city pot's limit) with at most two of one category (its quota), and
    one project of the 동's pot (each costs less than the pot)."""
    with urllib.request.urlopen(f"{base}/api/v1/orgs/{ORG}/budgeting/{PROCESS}") as answer:
        detail = json.load(answer)
    pots = {pot["id"]: pot for pot in detail["pots"]}
    quota = {c["id"]: c["max_picks"] for c in detail["categories"]}
    on_ballot = [p for p in detail["projects"] if p["state"] == "on_ballot"]
    city = [p for p in on_ballot if pots[p["pot"]]["district"] is None]

    def within_quotas(combo):
        used = {}
        for p in combo:
            if p["category"] is not None:
                used[p["category"]] = used.get(p["category"], 0) + 1
        return all(quota.get(c) is None or n <= quota[c] for c, n in used.items())

    city_ballots = [[p["id"] for p in combo] for combo in itertools.combinations(city, 3) if within_quotas(combo)]
    local = {d: [p["id"] for p in on_ballot if pots[p["pot"]]["district"] == d] for d in DISTRICTS}
    return city_ballots, local


def ballot_for(choices, uid, district):
    """A resident's ballot, the same on every try: some city ballots are far more
    popular than others (a skewed pick), so the count has winners and losers."""
    city_ballots, local = choices
    rng = random.Random(int(uid))
    city = city_ballots[min(int(rng.expovariate(8 / len(city_ballots))), len(city_ballots) - 1)]
    return city + [rng.choice(local[district])]


def accounts(first, n):
    lines = [line for line in open(os.environ["SOTONG_BENCH_TOKENS"]).read().split("\n") if line]
    return [tuple(line.split("\t")) for line in lines[first:first + n]]


def cast(base, voters, concurrency, acks_path):
    """One ballot per voter; returns the loadgen summary."""
    path = f"/api/v1/orgs/{ORG}/budgeting/{PROCESS}/ballots"
    host = base.removeprefix("http://")
    choices = ballot_choices(base)

    def build(account):
        uid, token, csrf, district = account
        body = json.dumps({"picks": [{"project": p} for p in ballot_for(choices, uid, district)]}).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nCookie: sotong_session={token}\r\nX-CSRF-Token: {csrf}\r\n\r\n").encode() + body

    with open(acks_path, "a") as acks:
        def answered(account, status, payload):
            if status == 201:
                acks.write(f"{account[0]}\t{json.loads(payload)['receipt']}\n")
                acks.flush()
                return "receipt"
            if status == 422 and json.loads(payload).get("codes", {}).get("ballot") == "already_voted":
                return "already_voted"
            print(f"voter {account[0]}: {status} {payload[:300]!r}", file=sys.stderr)
            return str(status)

        return asyncio.run(loadgen.run(base, voters, concurrency, build, answered))


def surge(base, first, n, concurrency, acks_path):
    loadgen.print_json(cast(base, accounts(first, n), concurrency, acks_path))


def receipt_digest(code):
    normal = "".join(c.upper() for c in code if c.isascii() and c.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def check(url, acks_path, retried=None):
    db = Database(url)
    if retried:
        base, first, n = retried
        summary = cast(base, accounts(first, n), 16, acks_path)
        unexpected = {k: v for k, v in summary["outcomes"].items() if k not in ("receipt", "already_voted")}
        print(json.dumps({"retried": summary["requests"], "outcomes": summary["outcomes"]}, ensure_ascii=False))
        if unexpected:
            sys.exit(f"a retried voter got neither a receipt nor 'already voted': {unexpected}")
    process = process_id(db)
    stored = {row[0] for row in db.rows(f"SELECT receipt_digest FROM budget_ballots WHERE process_id = {process} AND receipt_digest IS NOT NULL")}
    acks = [line.split("\t") for line in open(acks_path).read().split("\n") if line]
    voters_acked = [uid for uid, _ in acks]
    lost = [code for _, code in acks if receipt_digest(code) not in stored]
    # Web ballots against web participations: the demo's station has check-ins whose
    # paper sheets are not keyed in yet.
    ballots = int(db.value(f"SELECT COUNT(*) FROM budget_ballots WHERE process_id = {process} AND channel = 'online'"))
    participations = int(db.value(f"SELECT COUNT(*) FROM budget_participations WHERE process_id = {process} AND channel = 'online'"))
    result = {"receipts": len(acks), "receipts_lost": len(lost), "voters_with_two_receipts": len(voters_acked) - len(set(voters_acked)),
              "ballots": ballots, "participations": participations}
    print(json.dumps(result))
    if lost or result["voters_with_two_receipts"] or ballots != participations:
        sys.exit("a receipted ballot is missing, or someone is counted twice")


def timed_get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urllib.request.urlopen(request) as answer:
        body = answer.read()
    return time.perf_counter() - started, body


def count(base, url):
    """The coordinator closes the vote and publishes (the count of every pot by pb, its
    comparisons and reasons, the ballot list and its chain), then the results page and
    the API's results are fetched once cold and 20 times warm."""
    db = Database(url)
    process = process_id(db)
    ballots = int(db.value(f"SELECT COUNT(*) FROM budget_ballots WHERE process_id = {process}"))
    coordinator = int(db.value("SELECT id FROM users WHERE email = 'coordinator@hanbit.example'"))
    token, csrf = secrets.token_hex(32), secrets.token_hex(32)
    now = int(time.time())
    db.copy("sessions", ["token_hash", "user_id", "csrf_token", "created_at", "expires_at", "ip", "user_agent"],
            [(hashlib.sha256(token.encode()).hexdigest(), coordinator, csrf, now, now + 86400, "127.0.0.1", "bench")])
    cookie = f"sotong_session={token}"
    staff = f"{base}/{ORG}/staff/budgeting/{PROCESS}"

    def post(path, form):
        data = "&".join(f"{k}={v}" for k, v in form.items()).encode()
        request = urllib.request.Request(f"{staff}{path}", data=data, method="POST", headers={
            "Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded"})
        started = time.perf_counter()
        with urllib.request.urlopen(request) as answer:
            answer.read()
            if "error" in answer.url:
                sys.exit(f"{path} was refused: {answer.url}")
        return time.perf_counter() - started

    close = post("/phase", {"to": "results"})
    publish = post("/publish", {})
    if int(db.value(f"SELECT COUNT(*) FROM budget_publications WHERE process_id = {process}")) == 0:
        sys.exit("nothing was published")
    page = f"{base}/{ORG}/budgeting/{PROCESS}/results"
    api = f"{base}/api/v1/orgs/{ORG}/budgeting/{PROCESS}/results"
    cold_page, html = timed_get(page)
    cold_api, _ = timed_get(api)
    warm_page = sorted(timed_get(page)[0] for _ in range(20))[10]
    warm_api = sorted(timed_get(api)[0] for _ in range(20))[10]
    print(json.dumps({"ballots": ballots, "close_vote_ms": round(close * 1000, 1), "publish_ms": round(publish * 1000, 1),
                      "results_page_cold_ms": round(cold_page * 1000, 1), "results_page_warm_p50_ms": round(warm_page * 1000, 1),
                      "results_api_cold_ms": round(cold_api * 1000, 1), "results_api_warm_p50_ms": round(warm_api * 1000, 1),
                      "page_bytes": len(html)}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "residents":
        residents(sys.argv[2], int(sys.argv[3]))
    elif command == "surge":
        surge(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif command == "check":
        retried = (sys.argv[4], int(sys.argv[5]), int(sys.argv[6])) if len(sys.argv) > 4 else None
        check(sys.argv[2], sys.argv[3], retried)
    elif command == "count":
        count(sys.argv[2], sys.argv[3])
