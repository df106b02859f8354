"""What the HTTP benchmarks share (bench/supports.py, bench/complaints.py): workers
that each keep one HTTP/1.1 connection alive and take requests from a queue, the time
of every answer, and a summary with throughput and percentiles. Standard library only.
"""
import asyncio, json, time


async def exchange(conn, host, port, request):
    """Sends one request on the worker's connection (opened when needed) and returns
    (status, payload); the connection is dropped when the server says close."""
    if conn.get("writer") is None:
        conn["reader"], conn["writer"] = await asyncio.open_connection(host, port)
    reader, writer = conn["reader"], conn["writer"]
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
    if close:
        drop(conn)
    return status, payload


def drop(conn):
    if conn.get("writer") is not None:
        conn["writer"].close()
    conn["reader"] = conn["writer"] = None


async def worker(host, port, queue, build, answered, latencies, outcomes):
    """Sends `build(item)` for each queued item; `answered(item, status, payload)`
    names the outcome to count. A failed connection counts as connection_error."""
    conn = {}
    while True:
        try:
            item = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        started = time.perf_counter()
        try:
            status, payload = await exchange(conn, host, port, build(item))
            latencies.append(time.perf_counter() - started)
            outcome = answered(item, status, payload)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
            outcome = "connection_error"
            drop(conn)
            await asyncio.sleep(0.05)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1


async def run(base, items, concurrency, build, answered):
    """Every item through `concurrency` workers; returns the summary as a dict."""
    host, port = base.removeprefix("http://").split(":")
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies, outcomes = [], {}
    started = time.perf_counter()
    await asyncio.gather(*(worker(host, int(port), queue, build, answered, latencies, outcomes)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return summary([l * 1000 for l in latencies], elapsed, outcomes)


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1)))]


def summary(latencies_ms, elapsed, outcomes):
    values = sorted(latencies_ms)
    return {"requests": len(values), "seconds": round(elapsed, 3),
            "per_second": round(len(values) / elapsed, 1) if elapsed else None,
            "p50_ms": percentile(values, 0.5), "p99_ms": percentile(values, 0.99), "outcomes": outcomes}


def print_json(value):
    print(json.dumps(value, ensure_ascii=False), flush=True)
