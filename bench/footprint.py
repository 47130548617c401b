"""Resident memory of a web worker and of an analysis worker process, after they have done work.

A fresh PostgreSQL database; `gunicorn -k sync -w 2 responder.wsgi:app` and `responder worker
--concurrency 2` (models loaded in the parent before the fork, 2 prefork children). 100 messages are
posted and analysed, a few list pages read; then VmRSS (and PSS, which splits pages shared after the
fork) of every web worker and every pool child. Raw baselines in the same run: a worker of the bare Flask
insert app (bench/_bare_app.py) under the same gunicorn command, and a pool child of a trivial Celery app
on the same broker (bench/_celery_noop.py).

    python bench/footprint.py [--quick]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

MIB = 1024 * 1024


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(x) for x in text]
    return found


def _kib(path: Path, field: str) -> float:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1])
    return 0.0


def rss_of_children(pid: int) -> dict[int, float]:
    """VmRSS in MiB of each direct child of `pid` (gunicorn workers, Celery pool processes)."""
    return {child: _kib(Path(f"/proc/{child}/status"), "VmRSS") / 1024 for child in _children(pid)}


def pss_of_children(pid: int) -> dict[int, float]:
    """PSS in MiB of each direct child (shared pages divided among the processes sharing them)."""
    return {child: _kib(Path(f"/proc/{child}/smaps_rollup"), "Pss") / 1024 for child in _children(pid)}


def measure_ours(notes: list[str]) -> tuple[float, float]:
    """Largest web-worker RSS and largest pool-child RSS after real work."""
    import psycopg
    from e2e import make_bodies, paced_posts, seed_routing, wait_drained

    texts, _ = c.load_texts(100)
    with c.pg_database("footprint") as url:
        token = seed_routing(url)
        env = c.app_env(url)
        c.flush_redis()
        port = c.free_port()
        headers = {"Authorization": f"Bearer {token}"}
        worker_cmd = ["responder", "worker", "--concurrency", "2", "--without-gossip", "--without-mingle",
                      "--loglevel", "WARNING"]
        with c.server(c.gunicorn_cmd("responder.wsgi:app", port), env, port) as web, \
                c.process(worker_cmd, env) as worker, psycopg.connect(url, autocommit=True) as conn:
            paced_posts(port, "/api/v1/messages", make_bodies(texts, 100, "fp" + str(time.time_ns())), 50, headers)
            left = wait_drained(conn, 100, 120)
            for _ in range(10):
                c.http_get(port, "/api/v1/messages?per_page=100", headers)
            web_rss, worker_rss = rss_of_children(web.pid), rss_of_children(worker.pid)
            web_pss, worker_pss = pss_of_children(web.pid), pss_of_children(worker.pid)
        c.flush_redis()
    notes.append(f"web workers RSS {fmt(web_rss)}, PSS {fmt(web_pss)}; pool children RSS {fmt(worker_rss)}, "
                 f"PSS {fmt(worker_pss)}; {left} message(s) still unanalysed")
    return max(web_rss.values()), max(worker_rss.values())


def fmt(figures: dict[int, float]) -> str:
    return ", ".join(f"{v:.0f}" for v in figures.values()) + " MiB"


def measure_baselines(notes: list[str]) -> tuple[float, float]:
    """Largest bare-app worker RSS and largest trivial-Celery pool child RSS."""
    from _bare_app import create_table
    from e2e import make_bodies, paced_posts

    texts, _ = c.load_texts(100)
    with c.pg_database("footprint_bare") as url:
        create_table(url)
        port = c.free_port()
        with c.server(c.gunicorn_cmd("_bare_app:app", port, chdir=c.BENCH), dict(os.environ, BARE_DB=url),
                      port) as web:
            paced_posts(port, "/single", make_bodies(texts, 100, "fpb"), 100, {})
            bare = max(rss_of_children(web.pid).values())
    noop = noop_pool_rss()
    notes.append(f"baselines: bare Flask worker {bare:.0f} MiB, trivial Celery pool child {noop:.0f} MiB")
    return bare, noop


def noop_pool_rss() -> float:
    """Largest pool-child RSS of a trivial Celery app with the same worker options (2 prefork children)."""
    env = dict(os.environ, NOOP_BROKER=c.REDIS_URL)
    cmd = ["celery", "-A", "_celery_noop", "worker", "--concurrency", "2", "--loglevel", "WARNING",
           "--without-gossip", "--without-mingle"]
    with c.process(cmd, env, cwd=c.BENCH) as proc:
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        return max(rss_of_children(proc.pid).values())


def main() -> int:
    args = c.parse_args(__doc__).parse_args()
    c.check_services()
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
    notes: list[str] = []
    web, worker = measure_ours(notes)
    bare, noop = measure_baselines(notes)
    c.emit("footprint.web_worker_rss", web, "MiB", bare, "largest gunicorn worker vs bare Flask insert app")
    c.emit("footprint.analysis_worker_rss", worker, "MiB", noop, "largest pool child vs trivial Celery task")
    c.print_table("resident memory (ours vs raw baselines)")
    for note in notes:
        print("  " + note)
    c.append_results("footprint.py", args.quick, [f"- {n}" for n in notes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
