"""Supports (공감) in a surge over HTTP, and kill -9 in the middle of one.

Run by bench/supports.sh, which starts the server. Standard library only:
  python3 bench/supports.py accounts DB N            create N accounts with sessions (SQLite)
  python3 bench/supports.py surge BASE PROPOSAL N C ACKS   N supports, C at a time
  python3 bench/supports.py check DB PROPOSAL ACKS        every acknowledged support is stored

`accounts` writes N residents and a session each straight into the database (signing
10,000 people in through Argon2 would measure password hashing, not supports), and
prints nothing; their tokens go to DB.tokens. `surge` sends one support per account
through the JSON API with the account's cookie and CSRF token, keeps connections
alive (bench/loadgen.py), appends each acknowledged account (200 and "changed": true) to ACKS as soon as
its answer arrives, and prints throughput and latency as JSON.
"""
import asyncio, hashlib, json, os, secrets, sqlite3, sys, time

import loadgen


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


def surge(base, proposal, n, concurrency, acks_path):
    path = f"/api/v1/orgs/hanbit/proposals/{proposal}/supports"
    host = base.removeprefix("http://")
    lines = [line for line in open(os.environ["SOTONG_BENCH_TOKENS"]).read().split("\n")[:n] if line]
    accounts = [tuple(line.split("\t")) for line in lines]
    body = b"{}"

    def build(account):
        uid, token, csrf = account
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nCookie: sotong_session={token}\r\nX-CSRF-Token: {csrf}\r\n\r\n").encode() + body

    with open(acks_path, "a") as acks:
        def answered(account, status, payload):
            if status == 200 and json.loads(payload).get("changed"):
                acks.write(f"{account[0]}\n")
                acks.flush()
                return "acknowledged"
            return str(status)

        loadgen.print_json(asyncio.run(loadgen.run(base, accounts, concurrency, build, answered)))


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
        surge(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif command == "check":
        check(sys.argv[2], int(sys.argv[3]), sys.argv[4])
