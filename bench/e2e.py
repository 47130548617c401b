"""End to end: a sustained 50 messages/s through the API, analysed and routed by 2 worker processes.

A fresh PostgreSQL database with the demo's units and routing rules; `gunicorn -k sync -w 2
responder.wsgi:app` for intake and `responder worker --concurrency 2` (2 prefork processes) on Redis.
Messages are POSTed one by one on an open-loop schedule (a late request does not delay the next);
latency = the last event the worker wrote for the message (analysed, then routed when a rule matched)
minus the moment the client sent the POST. Lost = accepted (2xx) but not stored; unfinished = stored
but not yet analysed when the wait for the queue to drain ends (30 s with --quick, 120 s without);
doubled = more than one analysis event for a message. Raw baseline in the same run: the same
schedule of POSTs to bare Flask, INSERT only (bench/_bare_app.py), whose latency is the response time.
Afterwards the resident memory of the processes that served, as footprint.* figures (baselines: a bare
app's gunicorn worker and a trivial Celery app's pool child; footprint.py measures the same on its own).

    python bench/e2e.py [--quick] [--rate 50] [--seconds S]
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
from _bare_app import create_table  # noqa: E402

SENDERS = 8  # client threads: enough that one slow answer never holds back the schedule


def seed_routing(url: str) -> str:
    """The demo's units and routing rules, and an integration token; returns the token."""
    env = c.app_env(url)
    c.responder(["db", "upgrade"], env)
    code = ("from responder.app import create_app\nfrom responder.demo import loader\n"
            "app = create_app()\nwith app.app_context():\n    loader._rules(loader._units())\n")
    c.run_python(code, env)
    out = c.responder(["token", "create", "--name", "e2e", "--role", "integration"], env)
    return out.stdout.strip().splitlines()[-1].strip()


def paced_posts(port: int, path: str, bodies: list[bytes], rate: float, headers: dict) -> dict:
    """POST bodies[i] at start + i / rate from SENDERS threads; returns {i: (sent epoch, status, seconds)}."""
    results, lock = {}, threading.Lock()
    head = {"Content-Type": "application/json", **headers}
    start = time.monotonic() + 0.2
    counter = iter(range(len(bodies)))

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in counter:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent, t0 = time.time(), time.perf_counter()
            try:
                conn.request("POST", path, body=bodies[i], headers=head)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            with lock:
                results[i] = (sent, status, time.perf_counter() - t0)
        conn.close()

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def make_bodies(texts: list[str], count: int, run: str) -> list[bytes]:
    return [json.dumps(c.message_payload(i, texts[i % len(texts)], run), ensure_ascii=False).encode()
            for i in range(count)]


def wait_drained(conn, expected: int, timeout: float) -> int:
    """Wait until no accepted message is left in `received`; returns how many are still there."""
    deadline = time.monotonic() + timeout
    while True:
        left = conn.execute("SELECT count(*) FROM messages WHERE status = 'received'").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        if (left == 0 and stored >= expected) or time.monotonic() > deadline:
            return left
        time.sleep(0.25)


def latencies(conn, sent_by_ext: dict[str, float]) -> tuple[list[float], int, int, int]:
    """Per message: last worker event minus send time; how many were lost (accepted, no row), unfinished
    (stored, not analysed when the wait ended) and doubled."""
    rows = conn.execute("""
        SELECT m.external_id, max(e.at), count(*) FILTER (WHERE e.action = 'analyse')
        FROM messages m LEFT JOIN events e ON e.message_id = m.id AND e.actor = 'system:system'
        WHERE m.channel = 'hotline' GROUP BY m.external_id""").fetchall()
    done, unfinished, doubled, seen = {}, 0, 0, 0
    for ext, last_at, analyses in rows:
        if ext not in sent_by_ext:
            continue
        seen += 1
        if last_at is None or analyses == 0:
            unfinished += 1
            continue
        doubled += analyses > 1
        done[ext] = last_at.timestamp() - sent_by_ext[ext]
    lost = len(sent_by_ext) - seen  # accepted (2xx) but not stored at all
    return list(done.values()), lost, unfinished, doubled


def run_ours(url: str, texts: list[str], rate: float, seconds: float, drain: float,
             notes: list[str]) -> tuple[list, dict]:
    """The app and 2 worker processes under the paced load; returns (latencies, RSS figures)."""
    import psycopg
    from footprint import rss_of_children

    token = seed_routing(url)
    env = c.app_env(url)
    c.flush_redis()
    port = c.free_port()
    count = int(rate * seconds)
    run = secrets.token_hex(3)
    warm = make_bodies(texts, 6, "warm" + run)
    bodies = make_bodies(texts, count, run)
    headers = {"Authorization": f"Bearer {token}"}
    worker_cmd = ["responder", "worker", "--concurrency", "2", "--without-gossip", "--without-mingle",
                  "--loglevel", "WARNING"]
    with c.server(c.gunicorn_cmd("responder.wsgi:app", port), env, port) as web, \
            c.process(worker_cmd, env) as worker, psycopg.connect(url, autocommit=True) as conn:
        paced_posts(port, "/api/v1/messages", warm, 10, headers)  # models loaded, connections open
        if wait_drained(conn, len(warm), 90):
            raise RuntimeError("worker did not start: " + c.process_log(worker))
        results = paced_posts(port, "/api/v1/messages", bodies, rate, headers)
        wait_drained(conn, len(warm) + count, drain)
        accepted = {f"B{run}-{i}": sent for i, (sent, status, _) in results.items() if 200 <= status < 300}
        values, lost, unfinished, doubled = latencies(conn, accepted)
        rss = {"web": rss_of_children(web.pid), "worker": rss_of_children(worker.pid)}
    statuses = {}
    for _, status, _ in results.values():
        statuses[status] = statuses.get(status, 0) + 1
    late = [s for s, _, _ in results.values()]
    achieved = (len(late) - 1) / (max(late) - min(late)) if len(late) > 1 else 0.0
    notes.append(f"ours: {count} POSTs at {rate:.0f}/s (achieved {achieved:.1f}/s), statuses {statuses}; "
                 f"{len(values)} analysed, lost {lost}, unfinished {unfinished}, doubled {doubled}")
    return values, rss | {"lost": lost, "unfinished": unfinished, "doubled": doubled, "accepted": len(accepted)}


def run_bare(url: str, texts: list[str], rate: float, seconds: float) -> tuple[list[float], float]:
    """The bare insert endpoint under the same schedule: response times, and its largest worker's RSS."""
    from footprint import rss_of_children

    create_table(url)
    port = c.free_port()
    bodies = make_bodies(texts, int(rate * seconds), "bare" + secrets.token_hex(3))
    with c.server(c.gunicorn_cmd("_bare_app:app", port, chdir=c.BENCH), dict(os.environ, BARE_DB=url),
                  port) as web:
        results = paced_posts(port, "/single", bodies, rate, {})
        rss = max(rss_of_children(web.pid).values())
    return [seconds for _, status, seconds in results.values() if status == 201], rss


def main() -> int:
    parser = c.parse_args(__doc__)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float)
    args = parser.parse_args()
    seconds = args.seconds or (10.0 if args.quick else 120.0)
    c.check_services()
    texts, source = c.load_texts(500)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rate:.0f} msg/s for {seconds:.0f} s; texts {source}",
          flush=True)
    notes: list[str] = []
    with c.pg_database("e2e") as url:
        ours, extra = run_ours(url, texts, args.rate, seconds, 30.0 if args.quick else 120.0, notes)
        bare, bare_rss = run_bare(url, texts, args.rate, seconds)
    from footprint import noop_pool_rss

    noop_rss = noop_pool_rss()
    c.flush_redis()
    if not ours:
        print("no message was analysed", file=sys.stderr)
        return 1
    for p in (50, 95, 99):
        c.emit(f"e2e.latency_p{p}", percentile(ours, p) * 1000, "ms", percentile(bare, p) * 1000,
               f"POST → analysed and routed vs bare INSERT response, p{p}")
    c.emit("e2e.lost", extra["lost"], "messages", None, f"accepted (2xx) but not stored, of {extra['accepted']}")
    c.emit("e2e.unfinished", extra["unfinished"], "messages", None,
           f"stored but not analysed when the wait ended (a backlog, not a loss); doubled: {extra['doubled']}")
    c.emit("footprint.web_worker_rss", max(extra["web"].values()), "MiB", bare_rss,
           "largest gunicorn worker after the run vs bare Flask insert app's")
    c.emit("footprint.analysis_worker_rss", max(extra["worker"].values()), "MiB", noop_rss,
           "largest analysis pool child after the run vs trivial Celery task's")
    for role in ("web", "worker"):
        for pid, rss in extra[role].items():
            notes.append(f"{role} process {pid}: RSS {rss:.0f} MiB after the run")
    notes.append(f"bare: {len(bare)} answered; mean response {sum(bare) / max(len(bare), 1) * 1000:.1f} ms")
    notes.append(f"load average at the end {os.getloadavg()[0]:.2f}")
    c.print_table("end to end at a sustained rate (ours vs bare insert)")
    for note in notes:
        print("  " + note)
    c.append_results("e2e.py", args.quick, [f"- {n}" for n in notes])
    return 0 if extra["lost"] == 0 and extra["doubled"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
