"""File import throughput: `responder import FILE --channel hotline` on a generated CSV.

A fresh PostgreSQL database, REDIS_URL on index 12 (intake only enqueues; no worker runs). Raw
baselines in the same run, on the same file: csv parsing alone, csv + psycopg executemany into a
plain table (one transaction per 500 rows, like the import's chunks), and csv + COPY.
If the import has not finished within --max-seconds it is stopped and the committed rows counted.

    python bench/import_file.py [--quick] [--rows N] [--max-seconds S]
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
from _bare_app import COLUMNS, create_table  # noqa: E402

HEADER = ["工单编号", "受理时间", "标题", "诉求内容", "联系人", "联系电话", "诉求地址"]
CHUNK = 500


def write_csv(path: Path, rows: int) -> None:
    """A 12345-style export: Chinese headers, ~400-character contents, ISO times with +08:00."""
    texts, _ = c.load_texts(min(rows, 2000))
    start = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            text = texts[i % len(texts)]
            out.writerow([f"GD{i:08d}", (start + dt.timedelta(seconds=37 * i)).isoformat(), text[:18],
                          text, "李四", f"139{i:08d}", "百合镇幸福里小区"])


def csv_rows(path: Path):
    """Raw parse: the data rows as lists of strings."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        yield from reader


def bare_tuple(cells: list[str], now: dt.datetime) -> tuple:
    """A CSV row as a row of the plain table's COLUMNS."""
    ext, at, title, content, name, phone, address = cells
    return ("hotline", ext, at, title, content, name, phone, address, None, "{}", "received", now, now)


def baseline_parse(path: Path) -> float:
    start = time.perf_counter()
    n = sum(1 for _ in csv_rows(path))
    return n / (time.perf_counter() - start)


def baseline_reader(path: Path) -> float:
    """Our own file reader alone (encoding detection, header mapping, cell conversion), no database."""
    from responder.intake import files

    start = time.perf_counter()
    n = sum(1 for row in files.read_rows(path) if row.payload)
    return n / (time.perf_counter() - start)


def baseline_executemany(url: str, path: Path) -> float:
    import psycopg

    create_table(url)
    insert = f"INSERT INTO bare_messages ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    start, n = time.perf_counter(), 0
    now = dt.datetime.now(dt.timezone.utc)
    with psycopg.connect(url) as conn:
        chunk = []
        for cells in csv_rows(path):
            chunk.append(bare_tuple(cells, now))
            if len(chunk) == CHUNK:
                conn.cursor().executemany(insert, chunk)
                conn.commit()
                n, chunk = n + len(chunk), []
        if chunk:
            conn.cursor().executemany(insert, chunk)
            conn.commit()
            n += len(chunk)
        conn.execute("TRUNCATE bare_messages")
    return n / (time.perf_counter() - start)


def baseline_copy(url: str, path: Path) -> float:
    import psycopg

    create_table(url)
    start, n = time.perf_counter(), 0
    now = dt.datetime.now(dt.timezone.utc)
    with psycopg.connect(url) as conn:
        with conn.cursor().copy(f"COPY bare_messages ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for cells in csv_rows(path):
                copy.write_row(bare_tuple(cells, now))
                n += 1
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("TRUNCATE bare_messages")
    return n / elapsed


def run_import(url: str, path: Path, max_seconds: float) -> tuple[float, int, str]:
    """Time the CLI; returns (rows/s, rows stored, how it ended)."""
    import psycopg

    env = c.app_env(url)
    c.responder(["db", "upgrade"], env)
    start = time.perf_counter()
    proc = subprocess.Popen(["responder", "import", str(path), "--channel", "hotline"], env=env, cwd=c.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        out, _ = proc.communicate(timeout=max_seconds)
        ended = f"exit {proc.returncode}: " + " ".join(out.split())[:80]
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.communicate()
        ended = f"stopped after {max_seconds:.0f} s (committed chunks counted)"
    elapsed = time.perf_counter() - start
    with psycopg.connect(url) as conn:
        stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    return stored / elapsed, stored, ended


def cli_startup(url: str) -> float:
    """Seconds for a CLI start that does nothing (included in the import's time)."""
    start = time.perf_counter()
    c.responder(["--help"], c.app_env(url))
    return time.perf_counter() - start


def main() -> int:
    parser = c.parse_args(__doc__)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--max-seconds", type=float)
    args = parser.parse_args()
    rows = args.rows or (10_000 if args.quick else 100_000)
    max_seconds = args.max_seconds or (25.0 if args.quick else 900.0)
    c.check_services()
    print(f"load average {os.getloadavg()[0]:.2f}; {rows} rows; import stopped after {max_seconds:.0f} s",
          flush=True)
    notes = []
    with tempfile.TemporaryDirectory() as tmp, c.pg_database("import") as url:
        path = Path(tmp) / "hotline.csv"
        write_csv(path, rows)
        notes.append(f"file: {path.stat().st_size / 1e6:.1f} MB UTF-8 CSV, {rows} rows")
        c.flush_redis()
        ours, stored, ended = run_import(url, path, max_seconds)
        notes.append(f"import: {stored} rows stored; {ended}")
        notes.append(f"CLI start-up alone: {cli_startup(url):.1f} s (inside the import's time)")
        c.flush_redis()
        many, copy = baseline_executemany(url, path), baseline_copy(url, path)
        parse, reader = baseline_parse(path), baseline_reader(path)
        c.emit("import.pg", ours, "rows/s", many, "csv + psycopg executemany, commit per 500 rows")
        c.emit("import.seconds_per_100k", 100_000 / ours, "s", 100_000 / copy,
               "time for 100,000 rows at this rate (measured when --rows 100000) vs csv + COPY")
        c.emit("import.pg_vs_copy", ours, "rows/s", copy, "csv + psycopg COPY, one transaction")
        c.emit("import.pg_vs_csv_parse", ours, "rows/s", parse, "csv.reader alone")
        c.emit("import.reader", reader, "rows/s", parse, "responder.intake.files.read_rows vs csv.reader")
    c.print_table("file import (ours vs raw baselines)")
    for note in notes:
        print("  " + note)
    c.append_results("import_file.py", args.quick, [f"- {n}" for n in notes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
