"""Shared helpers for the bench scripts: throwaway databases, servers, load, texts and reporting.

Not a benchmark itself. Every script prints a table and one JSON line per figure:
{"bench": name, "value": x, "unit": u, "baseline": y, "ratio": x / y}.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Our own index, flushed by the scripts: BENCH_REDIS_DB overrides it when checkouts share one Redis.
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '12')}"
# The interpreter's own bin/ first, so `responder`, `gunicorn` and `celery` are this virtualenv's.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
TRAIN_CSV = Path("/work/shared/data/topic_messages_train.csv")  # read at run time only, if present

FIGURES: list[dict] = []


# ---------------------------------------------------------------- reporting
def emit(bench: str, value: float, unit: str, baseline: float | None, note: str = "") -> dict:
    """Record one figure and print its JSON line (ratio = ours / baseline)."""
    ratio = round(value / baseline, 3) if baseline else None
    figure = {"bench": bench, "value": round(value, 1), "unit": unit,
              "baseline": round(baseline, 1) if baseline else None, "ratio": ratio}
    FIGURES.append(figure | {"note": note})
    print(json.dumps(figure), flush=True)
    return figure


def print_table(title: str) -> None:
    """A small human-readable table of every figure recorded so far."""
    print(f"\n{title}")
    print(f"{'bench':<34}{'value':>10}{'baseline':>10}{'ratio':>8}  unit / baseline")
    for f in FIGURES:
        base = "-" if f["baseline"] is None else f"{f['baseline']:.1f}"
        ratio = "-" if f["ratio"] is None else f"{f['ratio']:.3f}"
        print(f"{f['bench']:<34}{f['value']:>10.1f}{base:>10}{ratio:>8}  {f['unit']}  {f['note']}")


def code_state() -> str:
    """The commit under test, marked when responder/ or workers/ have uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "responder", "workers"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return commit + (" (+ uncommitted changes in responder/ or workers/)" if dirty else "")


START_STATE = code_state()


def append_results(script: str, quick: bool, notes: list[str] = ()) -> None:
    """Append a dated section (machine, python, commit, figures) to bench/RESULTS.md."""
    state = code_state()
    changed = "" if state == START_STATE else f" — CODE CHANGED DURING THE RUN (started at {START_STATE})"
    lines = [f"\n## {dt.datetime.now():%Y-%m-%d %H:%M} — {script} ({'quick' if quick else 'full'})\n",
             f"nproc {len(os.sched_getaffinity(0))}, Python {platform.python_version()}, commit {state}"
             f"{changed}, load average at the end {os.getloadavg()[0]:.2f}\n",
             "| bench | value | unit | baseline | ratio | note |", "|---|---:|---|---:|---:|---|"]
    for f in FIGURES:
        lines.append(f"| {f['bench']} | {f['value']} | {f['unit']} | {f['baseline'] or '-'} | "
                     f"{f['ratio'] or '-'} | {f['note']} |")
    lines += ["", *notes]
    path = BENCH / "RESULTS.md"
    if not path.exists():
        lines.insert(0, "# Benchmark results\n\nAppended by bench/*.py; ratio = ours / raw baseline "
                        "measured in the same run (see each script's docstring).")
    with open(path, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------- databases and services
@contextlib.contextmanager
def pg_database(tag: str):
    """A fresh PostgreSQL database, dropped afterwards; yields its URL."""
    import psycopg

    name = f"bench_{tag}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(tag: str):
    """pg_database, yielding (its URL, True) like kept_database."""
    with pg_database(tag) as url:
        yield url, True


@contextlib.contextmanager
def kept_database(name: str):
    """Database `name`, created when missing and never dropped; yields (its URL, whether it was created)."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise SystemExit(f"--keep: bad database name {name!r}")
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        fresh = not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}", fresh


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def app_env(database_url: str, redis_url: str | None = REDIS_URL) -> dict:
    """Environment for a responder subprocess: our database, our Redis index, quiet logs."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RESPONDER_ACCESS_LOG")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="bench", PYTHONUNBUFFERED="1")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def responder(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["responder", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True, **kwargs)


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    """Run a snippet with this interpreter in a subprocess (its own app, its own environment)."""
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)


def prepare_app_db(env: dict) -> str:
    """Migrate the database and return a new integration token (the last line of stdout)."""
    responder(["db", "upgrade"], env)
    out = responder(["token", "create", "--name", "bench", "--role", "integration"], env)
    return out.stdout.strip().splitlines()[-1].strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def process(cmd: list[str], env: dict, cwd: Path = ROOT):
    """Start a process in its own process group; on exit stop that group (and only it)."""
    log = tempfile.TemporaryFile()  # a file, not a pipe: a chatty worker must never block on its log
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    proc.log = log
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # e.g. gunicorn or celery master and their children
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def process_log(proc) -> str:
    proc.log.seek(0)
    return proc.log.read().decode(errors="replace")[-3000:]


def gunicorn_cmd(app: str, port: int, workers: int = 2, chdir: Path = ROOT) -> list[str]:
    """gunicorn with `workers` sync workers: the shape of the issue's raw baseline, used for both servers."""
    return ["gunicorn", "--chdir", str(chdir), "-k", "sync", "-w", str(workers), "-b", f"127.0.0.1:{port}",
            "--log-level", "warning", "--timeout", "120", app]


@contextlib.contextmanager
def server(cmd: list[str], env: dict, port: int, timeout: float = 30.0):
    """Start a server, wait until it answers HTTP, stop it on exit."""
    with process(cmd, env) as proc:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {process_log(proc)}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/__ping__")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.2)
        yield proc


# ---------------------------------------------------------------- load
def http_load(port: int, path: str, make_body, *, concurrency: int, duration: float | None = None,
              requests: int | None = None, headers: dict | None = None) -> tuple[int, float, dict]:
    """POST bodies from `make_body(i)` over keep-alive connections from `concurrency` threads.

    Each connection sends at least one request, then stops after `requests` requests in all or
    `duration` seconds; returns (ok requests, seconds, statuses).
    """
    counter, lock, statuses, ok = iter(range(10**9)), threading.Lock(), {}, [0]
    head = {"Content-Type": "application/json", **(headers or {})}
    start = time.perf_counter()
    stop_at = start + duration if duration else float("inf")

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:  # at least one request per connection, then until the count or the time is up
            i = next(counter)
            if requests is not None and i >= requests:
                break
            conn.request("POST", path, body=make_body(i), headers=head)
            resp = conn.getresponse()
            resp.read()
            with lock:
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                ok[0] += resp.status < 300
            if time.perf_counter() >= stop_at:
                break
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok[0], time.perf_counter() - start, statuses


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, float]:
    """One GET; returns (status, body, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body, time.perf_counter() - start


# ---------------------------------------------------------------- texts
TEMPLATES = [
    "我是{place}{n}号楼的住户，小区楼下烧烤店油烟太大，每天晚上营业到{h}点，噪音和油烟严重影响休息，已经反映{k}次，希望有关部门尽快处理。",
    "{place}路段的路灯已经坏了{k}天，晚上{h}点以后一片漆黑，老人小孩出行很不安全，请相关单位尽快维修。",
    "本人在{place}工地务工，被拖欠工资{m}元已有{k}个月，多次找老板都没有结果，请劳动监察部门帮助讨薪。",
    "咨询一下{place}社区的孩子入学政策，户籍在外地、居住证满{k}年，今年{h}月能否在本地报名小学？",
    "{place}菜市场旁边的下水道堵塞{k}天了，污水流到路面上，气味很大，请尽快疏通，谢谢。",
    "建议在{place}公交站增设遮阳棚和座椅，早高峰{h}点左右候车人数超过{m}人，雨天非常不便。",
]
PLACES = ["百合镇", "开平市长沙街道", "K8县丁字街", "西湖区文三路", "新城花园", "幸福里小区", "城东工业园"]


def synthetic_text(rng: random.Random, target: int = 400) -> str:
    """A Chinese message of about `target` characters from a few templates with numbers."""
    parts, size = [], 0
    while size < target:
        text = rng.choice(TEMPLATES).format(place=rng.choice(PLACES), n=rng.randint(1, 40),
                                            h=rng.randint(1, 12), k=rng.randint(2, 9),
                                            m=rng.randint(300, 90000))
        parts.append(text)
        size += len(text)
    return "".join(parts)


def load_texts(count: int, seed: int = 7, min_len: int = 300, max_len: int = 600) -> tuple[list[str], str]:
    """~400-character texts: real ones from the training CSV when present, else synthetic."""
    rng = random.Random(seed)
    texts: list[str] = []
    if TRAIN_CSV.exists():
        with open(TRAIN_CSV, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                body = (row.get("body") or "").strip()
                while len(body) < min_len and body:  # pad short ones with another real sentence set
                    body += body
                if min_len <= len(body):
                    texts.append(body[:max_len])
        if texts:
            rng.shuffle(texts)
            return (texts * (count // len(texts) + 1))[:count], "topic_messages_train.csv"
    return [synthetic_text(rng) for _ in range(count)], "synthetic"


def message_payload(i: int, content: str, run: str) -> dict:
    """An intake payload in the contract's shape, unique per (run, i)."""
    at = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))) + dt.timedelta(minutes=i)
    return {
        "channel": "hotline", "external_id": f"B{run}-{i}", "received_at": at.isoformat(),
        "title": content[:20], "content": content,
        "citizen": {"name": "张三", "phone": f"138{i % 100000000:08d}"},
        "address": "百合镇幸福里小区", "consent_public": bool(i % 2),
        "meta": {"platform": "12345", "operator": f"op{i % 30}"},
    }


def parse_args(doc: str):
    import argparse

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true", help="small run, under 60 s")
    return parser


def check_services() -> None:
    """Fail early with a readable message when PostgreSQL or Redis is down."""
    for port, name in ((5432, "PostgreSQL"), (6379, "Redis")):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            sys.exit(f"{name} is not reachable on 127.0.0.1:{port}")
