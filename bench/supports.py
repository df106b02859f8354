"""Supports (공감) in a surge over HTTP, and kill -9 in the middle of one.

Run by bench/supports.sh, which starts the server. Standard library only:
  python3 bench/supports.py accounts DB N            create N accounts with sessions (SQLite)
  python3 bench/supports.py surge BASE PROPOSAL N C ACKS   N supports, C at a time
  python3 bench/supports.py check DB PROPOSAL ACKS        every acknowledged support is stored

`accounts` writes N residents and a session each straight into the database (signing
10,000 people in through Argon2 would measure password hashing, not supports), and
prints nothing; their tokens go to DB.tokens. `surge` sends one support per account
through the JSON API with the account's cookie and CSRF token, keeps connections
alive, appends each acknowledged account (200 and "changed": true) to ACKS as soon as
its answer arrives, and prints throughput and latency as JSON.
"""
import asyncio, hashlib, json, os, secrets, sqlite3, sys, time


def accounts(db, n):
    conn = sqlite3.connect(db, timeout=30)
    now = int(time.time())
    tokens = []
    rows_users, rows_sessions = [], []
    start = conn.execute("SELECT COALESCE(MAX(id), 0) FROM users").fetchone()[0] + 1
    for i in range(n):
        uid = start + i
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        rows_users.append((uid, f"surge{i:05d}@hanbit.example", f"주민{i:05d}", "!", now, now))
        rows_sessions.append((hashlib.sha256(token.encode()).hexdigest(), uid, csrf, now, now + 86400, "127.0.0.1", "bench"))
        tokens.append(f"{uid}\t{token}\t{csrf}")
    with conn:
        conn.executemany("INSERT INTO users (id, email, display_name, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)", rows_users)
        conn.executemany("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)", rows_sessions)
    with open(db + ".tokens", "w") as f:
        f.write("\n".join(tokens) + "\n")


async def worker(host, port, path, queue, acks, latencies, outcomes):
    reader = writer = None
    while True:
        try:
            uid, token, csrf = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        body = b"{}"
        request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\nCookie: sotong_session={token}\r\nX-CSRF-Token: {csrf}\r\n\r\n").encode() + body
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                if name.lower() == "connection" and value.strip().lower() == "close":
                    close = True
            payload = await reader.readexactly(length) if length else b""
            latencies.append(time.perf_counter() - started)
            if status == 200 and json.loads(payload).get("changed"):
                acks.write(f"{uid}\n")
                acks.flush()
                outcomes["acknowledged"] = outcomes.get("acknowledged", 0) + 1
            else:
                outcomes[str(status)] = outcomes.get(str(status), 0) + 1
            if close:
                writer.close()
                reader = writer = None
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
            outcomes["connection_error"] = outcomes.get("connection_error", 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)


async def surge(base, proposal, n, concurrency, acks_path):
    host, port = base.removeprefix("http://").split(":")
    db_tokens = os.environ["SOTONG_BENCH_TOKENS"]
    queue = asyncio.Queue()
    for line in open(db_tokens).read().split("\n")[:n]:
        if line:
            queue.put_nowait(tuple(line.split("\t")))
    path = f"/api/v1/orgs/hanbit/proposals/{proposal}/supports"
    latencies, outcomes = [], {}
    with open(acks_path, "a") as acks:
        started = time.perf_counter()
        await asyncio.gather(*(worker(host, int(port), path, queue, acks, latencies, outcomes) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * (len(latencies) - 1)))] * 1000 if latencies else None
    print(json.dumps({"requests": len(latencies), "seconds": round(elapsed, 3),
                      "per_second": round(len(latencies) / elapsed, 1) if elapsed else None,
                      "p50_ms": pick(0.5), "p99_ms": pick(0.99), "outcomes": outcomes}))


def check(db, proposal, acks_path):
    conn = sqlite3.connect(db, timeout=30)
    stored = {row[0] for row in conn.execute("SELECT user_id FROM proposal_supports WHERE proposal_id = ?", (proposal,))}
    count = conn.execute("SELECT support_count FROM proposals WHERE id = ?", (proposal,)).fetchone()[0]
    acked = {int(line) for line in open(acks_path) if line.strip()}
    lost = acked - stored
    print(json.dumps({"acknowledged": len(acked), "stored": len(stored), "support_count": count,
                      "lost": len(lost), "stored_unacknowledged": len(stored - acked)}))
    sys.exit(1 if lost or count != len(stored) else 0)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "accounts":
        accounts(sys.argv[2], int(sys.argv[3]))
    elif command == "surge":
        asyncio.run(surge(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]))
    elif command == "check":
        check(sys.argv[2], int(sys.argv[3]), sys.argv[4])
