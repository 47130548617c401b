"""Intake throughput over HTTP: POST /api/v1/messages and /api/v1/messages/batch (500 per request).

`gunicorn -k sync -w 2 responder.wsgi:app` (as docker-compose serves it, but sync workers like the issue's
baseline) on a fresh database, REDIS_URL on the bench index so intake only enqueues (no worker runs). Raw
baseline in the same run: bench/_bare_app.py served by the same gunicorn command, parsing the JSON and
INSERTing the same columns into a plain table (commit per request; the batch endpoint inserts its 500 rows
with executemany in one transaction). PostgreSQL, then (not with --quick) SQLite in WAL mode.

    python bench/ingest.py [--quick] [--concurrency 4] [--sqlite]
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
from _bare_app import create_table  # noqa: E402

BATCH = 500


def bodies(texts: list[str], tag: str):
    """make_body(i) for single posts and for 500-message batches; ids unique per run."""
    run = tag + secrets.token_hex(3)

    def single(i):
        return json.dumps(c.message_payload(i, texts[i % len(texts)], run), ensure_ascii=False).encode()

    def batch(i):
        items = [c.message_payload(i * BATCH + k, texts[(i * BATCH + k) % len(texts)], run + "b")
                 for k in range(BATCH)]
        return json.dumps({"messages": items}, ensure_ascii=False).encode()

    return single, batch


def run_load(port, paths, make_single, make_batch, args, headers=None):
    """Warm up, then the single and the batch load; returns (single msg/s, batch msg/s, statuses)."""
    c.http_load(port, paths[0], make_single, concurrency=4, requests=40, headers=headers)
    n1, t1, st1 = c.http_load(port, paths[0], lambda i: make_single(10**6 + i),
                              concurrency=args.concurrency, duration=args.duration, headers=headers)
    n2, t2, st2 = c.http_load(port, paths[1], make_batch, concurrency=args.batch_concurrency,
                              duration=args.duration, headers=headers)
    return n1 / t1, n2 * BATCH / t2, {"single": st1, "batch": st2}


def measure_app(db_url: str, texts, args) -> tuple[float, float, dict]:
    env = c.app_env(db_url)
    token = c.prepare_app_db(env)
    port = c.free_port()
    single, batch = bodies(texts, "app")
    with c.server(c.gunicorn_cmd("responder.wsgi:app", port), env, port):
        return run_load(port, ("/api/v1/messages", "/api/v1/messages/batch"), single, batch, args,
                        headers={"Authorization": f"Bearer {token}"})


def measure_bare(dsn: str, texts, args) -> tuple[float, float, dict]:
    create_table(dsn)
    env = dict(os.environ, BARE_DB=dsn)
    port = c.free_port()
    single, batch = bodies(texts, "bare")
    with c.server(c.gunicorn_cmd("_bare_app:app", port, chdir=c.BENCH), env, port):
        return run_load(port, ("/single", "/batch"), single, batch, args)


def count_pg(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def queued_in_redis() -> int:
    import redis

    return redis.Redis.from_url(c.REDIS_URL).llen("celery")


def probe_queries(db_url: str, texts) -> list[str]:
    """In-process: how many SQL statements and Redis publishes one single post and one batch cost."""
    from sqlalchemy import event

    from responder.app import create_app
    from responder.extensions import db

    os.environ.update(DATABASE_URL=db_url, REDIS_URL=c.REDIS_URL)  # read by create_app's config
    app = create_app()
    seen = Counter()  # statements by their first words, e.g. "SELECT messages.id"

    def count(_conn, _cursor, statement, *_):
        seen[" ".join(statement.split()[:2])] += 1

    with app.app_context():
        from responder.auth.tokens import create_token

        _, token = create_token("probe", "integration", None, "bench")
        event.listen(db.engine, "before_cursor_execute", count)
    import psycopg

    # Statements sent through psycopg directly (responder/rawsql.py) pass no SQLAlchemy event: count them here.
    direct = psycopg.Connection.execute

    def counted(self, query, *args, **kwargs):
        seen[" ".join(str(query).split()[:2])] += 1
        return direct(self, query, *args, **kwargs)

    psycopg.Connection.execute = counted
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    single, batch = bodies(texts, "probe")
    client.post("/api/v1/messages", data=single(0), headers=headers, content_type="application/json")
    out = []
    for label, path, body, n in (("single", "/api/v1/messages", single(1), 1),
                                 ("batch", "/api/v1/messages/batch", batch(1), BATCH)):
        seen.clear()
        start = time.perf_counter()
        resp = client.post(path, data=body, headers=headers, content_type="application/json")
        ms = (time.perf_counter() - start) * 1000
        total = sum(seen.values())
        top = ", ".join(f"{k} ×{v}" for k, v in seen.most_common(4))
        out.append(f"in-process {label} post: HTTP {resp.status_code}, {ms:.0f} ms, {total} SQL statements "
                   f"for {n} message(s) ({total / n:.1f}/message); most: {top}")
    return out + probe_enqueue(app)


def probe_enqueue(app, n: int = 500) -> list[str]:
    """Enqueue cost alone: the app's jobs.queue_analysis for n ids vs n bare redis-py LPUSHes."""
    import redis

    from responder import jobs

    with app.app_context():
        jobs.queue_analysis([10**9])  # connect first (ids that match no row: the UPDATE is a no-op)
        start = time.perf_counter()
        jobs.queue_analysis(list(range(10**9, 10**9 + n)))
        ours = n / (time.perf_counter() - start)
    r = redis.Redis.from_url(c.REDIS_URL)
    body = r.lindex("celery", 0) or b"x" * 1000
    start = time.perf_counter()
    for _ in range(n):
        r.lpush("bench_raw", body)
    raw = n / (time.perf_counter() - start)
    c.emit("ingest.enqueue", ours, "tasks/s", raw, "jobs.queue_analysis(500 ids) vs 500 redis-py LPUSH")
    return [f"enqueue: {1e6 / ours:.0f} µs per message in jobs.queue_analysis vs {1e6 / raw:.0f} µs "
            f"per raw LPUSH of the same task body"]


def main() -> int:
    parser = c.parse_args(__doc__)
    parser.add_argument("--concurrency", type=int, default=4, help="client connections, single posts")
    parser.add_argument("--batch-concurrency", type=int, default=2, help="client connections, batches")
    parser.add_argument("--sqlite", action="store_true", help="also SQLite (WAL), as in the issue's figures")
    args = parser.parse_args()
    args.duration = 3.0 if args.quick else 20.0
    c.check_services()
    texts, source = c.load_texts(300)
    mean = sum(map(len, texts)) / len(texts)
    print(f"load average {os.getloadavg()[0]:.2f}; texts: {source}, mean {mean:.0f} chars; "
          f"{args.concurrency} connections (single), {args.batch_concurrency} (batch of {BATCH}); "
          f"{args.duration:.0f} s per load; servers: gunicorn, 2 sync workers", flush=True)
    notes = []
    with c.pg_database("ingest") as url:
        c.flush_redis()
        s, b, st = measure_app(url, texts, args)
        stored, queued = count_pg(url, "messages"), queued_in_redis()
        notes.append(f"PostgreSQL app statuses {st}; {stored} messages stored, {queued} tasks queued")
        bs, bb, bst = measure_bare(url, texts, args)
        notes.append(f"PostgreSQL bare statuses {bst}; {count_pg(url, 'bare_messages')} rows stored")
        c.emit("ingest.pg.single", s, "msg/s", bs, "bare Flask + psycopg INSERT, commit per request")
        c.emit("ingest.pg.batch500", b, "msg/s", bb, "bare Flask + psycopg executemany(500), one commit")
        notes += probe_queries(url, texts)
    c.flush_redis()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            s, b, st = measure_app(f"sqlite:///{tmp}/responder.db", texts, args)
            notes.append(f"SQLite app statuses {st}; {queued_in_redis()} tasks queued")
            bs, bb, bst = measure_bare(f"sqlite:///{tmp}/bare.db", texts, args)
            notes.append(f"SQLite bare statuses {bst}")
            c.emit("ingest.sqlite.single", s, "msg/s", bs, "bare Flask + sqlite3 INSERT, commit per request")
            c.emit("ingest.sqlite.batch500", b, "msg/s", bb, "bare Flask + sqlite3 executemany(500)")
        c.flush_redis()
    c.print_table("intake throughput (ours vs raw baseline)")
    for note in notes:
        print("  " + note)
    c.append_results("ingest.py", args.quick, [f"- {n}" for n in notes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
