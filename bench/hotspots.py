"""Hotspot detection on real messages with times: what it finds and how long it takes.

Loads /work/shared/data/messages_with_likes.csv (columns id, user, title, time, body, likes, dislikes:
留言板 messages, times read as Beijing time) into a fresh database through the intake service (so every
message is analysed in-process as in the embedded mode), indexes their keys, then replays detection once a
day at 09:00 (or every --every-hours) across the timeline — each pass sees only messages received before it,
and hotspots found on earlier days persist exactly as the periodic task would leave them. Prints the
strongest surges per kind, the near-duplicate clusters, and the timings.

    python bench/hotspots.py [--pg] [--csv PATH] [--from 2019-03-01] [--every-hours 24]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSV = Path("/work/shared/data/messages_with_likes.csv")
TZ = ZoneInfo("Asia/Shanghai")
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def parse_time(text: str) -> datetime | None:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=TZ)
        except ValueError:
            continue
    return None


def payloads(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            received = parse_time(row["time"])
            body = (row.get("body") or "").strip()
            if received is None or not body:
                continue
            rows.append({"channel": "mailbox", "external_id": f"likes-{row['id']}",
                         "received_at": received.isoformat(),
                         "title": (row.get("title") or "").strip()[:500] or None, "content": body[:20_000],
                         "meta": {"likes": row.get("likes"), "dislikes": row.get("dislikes")}})
    return rows


def make_app(use_pg: bool, workdir: str):
    from responder.app import create_app
    from responder.config import celery_settings, engine_options

    if use_pg:
        import sqlalchemy as sa

        name = f"bench_hotspots_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{workdir}/hotspots.db"
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
                       "SECRET_KEY": "bench", "CELERY": celery_settings(None)}), url


def load(rows: list[dict]) -> float:
    from responder.intake.service import receive_batch

    start = time.perf_counter()
    for i in range(0, len(rows), 500):
        receive_batch(rows[i:i + 500], "bench")
    return time.perf_counter() - start


def replay(first: datetime, last: datetime, every: timedelta) -> tuple[int, float, float]:
    from responder.hotspots import service

    passes, slowest, start = 0, 0.0, time.perf_counter()
    at = first
    while at <= last:
        t0 = time.perf_counter()
        service.run(now=at.astimezone(UTC))
        slowest = max(slowest, time.perf_counter() - t0)
        passes += 1
        at += every
    return passes, time.perf_counter() - start, slowest


def titles(ids: list[int], n: int = 2) -> str:
    from sqlalchemy import select

    from responder.extensions import db
    from responder.models import Message

    found = db.session.scalars(select(Message.title).where(Message.id.in_(ids[:n]))).all()
    return " | ".join((t or "")[:30] for t in found)


def report() -> None:
    from sqlalchemy import select

    from responder.extensions import db
    from responder.models import Hotspot

    spots = db.session.scalars(select(Hotspot).order_by(Hotspot.score.desc())).all()
    print(f"\nhotspots stored: {len(spots)}  by kind/window: "
          f"{dict(sorted(Counter((h.kind, h.window) for h in spots).items()))}")
    for kind, show in (("topic", 8), ("tag", 8), ("place", 8), ("term", 20)):
        mine = [h for h in spots if h.kind == kind]
        print(f"\n== {kind}: {len(mine)} surges; strongest {show}")
        for h in mine[:show]:
            start, end = h.window_start.astimezone(TZ), h.window_end.astimezone(TZ)
            print(f"  {h.window:>3} first {h.created_at.astimezone(TZ):%Y-%m-%d}, last window "
                  f"{start:%m-%d}–{end:%m-%d}  {h.key[:40]:<40} n={h.count:<3} "
                  f"baseline={h.baseline:5.2f}±{h.spread:4.2f} score={h.score:5.1f}  {titles(h.message_ids)}")
    clusters = [h for h in spots if h.kind == "cluster"]
    sizes = Counter(h.count for h in clusters)
    print(f"\n== clusters (≥3 near-duplicates within 7 days): {len(clusters)}; sizes {dict(sorted(sizes.items()))}")
    for h in sorted(clusters, key=lambda h: -h.count)[:12]:
        print(f"  {h.window_end.astimezone(TZ):%Y-%m-%d} n={h.count:<3} {titles(h.message_ids, 3)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=CSV)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL on 127.0.0.1:5432 instead of SQLite")
    parser.add_argument("--from", dest="start", default="2019-03-01",
                        help="first replay day: dense data begins 2019-01, so the 8-week baseline is full from March")
    parser.add_argument("--every-hours", type=float, default=24.0)
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"{args.csv} not found")
    os.environ.pop("REDIS_URL", None)  # analysis in-process
    rows = payloads(args.csv)
    with tempfile.TemporaryDirectory() as workdir:
        app, url = make_app(args.pg, workdir)
        with app.app_context():
            from responder.analysis.pipeline import warm_up
            from responder.extensions import db
            from responder.hotspots import detect

            db.create_all()
            warm_up()
            loaded = load(rows)
            t0 = time.perf_counter()
            indexed = detect.index_new()
            indexing = time.perf_counter() - t0
            times = sorted(datetime.fromisoformat(r["received_at"]) for r in rows)
            first = datetime.fromisoformat(args.start).replace(hour=9, tzinfo=TZ)
            passes, total, slowest = replay(first, times[-1] + timedelta(days=1), timedelta(hours=args.every_hours))
            report()
            t0 = time.perf_counter()
            from responder.hotspots.detect import detect as detect_at

            detect_at(times[-1].astimezone(UTC))
            one = time.perf_counter() - t0
            print(f"\n{len(rows)} messages {times[0]:%Y-%m-%d}..{times[-1]:%Y-%m-%d} on {url.split(':')[0]}: "
                  f"load+analyse {loaded:.1f} s ({len(rows) / loaded:.0f} msg/s), index keys {indexing:.2f} s "
                  f"({indexed} messages), replay {passes} passes (every {args.every_hours:g} h) in {total:.1f} s "
                  f"(mean {total / passes * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms), "
                  f"one detection pass over all data at the end {one * 1000:.0f} ms")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
