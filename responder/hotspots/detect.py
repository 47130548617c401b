"""Hotspot detection: index analysed messages by key, count keys over sliding windows in SQL, find surges
against each key's own baseline, and clusters of near-duplicate messages.

A surge of key K in window W ending at `now`: the count of K's messages in (now-W, now] against the
counts in the `history` windows of the same length just before it (zeros included, and only windows after
the first indexed message), flagged when count ≥ min_count, count ≥ mean + K·max(sd, √mean, 1) and
count ≥ RATIO·mean. The counting is one GROUP BY over hotspot_keys; Python only sees the candidate keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from responder.analysis import duplicates, topics
from responder.extensions import db
from responder.hotspots import keys
from responder.models import AnalysisResult, HotspotKey, Message

INSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}
INDEX_BATCH = 2000
SURGE_KINDS = ("topic", "tag", "term", "place")
K_SIGMA = 3.0
RATIO = 1.5
SAMPLE = 10
CLUSTER_WINDOW = "7d"
CLUSTER_MIN = 3
CLUSTER_MAX_MESSAGES = 5000  # a week's messages beyond this are clustered by their newest 5,000


@dataclass(frozen=True)
class Window:
    name: str
    seconds: int
    history: int  # how many preceding windows form the baseline
    min_count: int
    min_history: int = 3  # fewer full windows of data before this one: no baseline, no surge


WINDOWS = {
    "24h": Window("24h", 86_400, history=14, min_count=5),
    "7d": Window("7d", 7 * 86_400, history=8, min_count=10),
}


@dataclass
class Surge:
    kind: str
    key: str
    window: str
    start: datetime
    end: datetime
    count: int
    baseline: float
    spread: float
    score: float
    message_ids: list[int]


def epoch(value: datetime) -> int:
    return int(value.timestamp())


def _idf() -> dict[str, float]:
    model = topics.model()
    return {term: float(model.idf[i]) for term, i in model.vocabulary.items()}


def index_new(batch: int = INDEX_BATCH) -> int:
    """Write the keys of every analysed message not yet indexed (marked by its 'all' row); returns how many."""
    indexed, idf = 0, None
    marked = select(HotspotKey.id).where(HotspotKey.message_id == Message.id, HotspotKey.kind == "all")
    while True:
        rows = db.session.execute(
            select(Message.id, Message.received_at, Message.title, Message.content, Message.address,
                   AnalysisResult.topic, AnalysisResult.tags)
            .outerjoin(AnalysisResult, and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True)))
            .where(Message.analysed_at.is_not(None), Message.merged_into_id.is_(None), ~marked.exists())
            .order_by(Message.id).limit(batch)).all()
        if not rows:
            return indexed
        idf = idf or _idf()
        values = []
        for row in rows:
            at = epoch(row.received_at)
            text = "\n".join(part for part in (row.title, row.content, row.address) if part)
            found = keys.places(text)
            pairs = {("all", "*")} | {("place", p[:120]) for p in found}
            pairs |= {("term", t[:120]) for t in keys.terms(topics.tokenize(text), idf, set(found))}
            pairs |= {("tag", str(t)[:120]) for t in row.tags or []}
            if row.topic:
                pairs.add(("topic", row.topic[:120]))
            values += [{"message_id": row.id, "kind": k, "key": v, "at": at} for k, v in pairs]
        # Two passes racing over the same messages write each key once (unique message, kind, key).
        dialect = db.session.get_bind().dialect.name
        db.session.execute(INSERTS[dialect](HotspotKey).on_conflict_do_nothing(), values)
        db.session.commit()
        indexed += len(rows)


def _counts(now: datetime, window: Window, history: int):
    """Per (kind, key): the count in the current window, and the sum and sum of squares over the history."""
    now_ts, width = epoch(now), window.seconds
    bucket = ((now_ts - HotspotKey.at) // width).label("bucket")  # integer division on both databases
    per_bucket = (select(HotspotKey.kind, HotspotKey.key, bucket, func.count().label("n"))
                  .where(HotspotKey.kind.in_(SURGE_KINDS), HotspotKey.at <= now_ts,
                         HotspotKey.at > now_ts - (history + 1) * width)
                  .group_by(HotspotKey.kind, HotspotKey.key, bucket).subquery())
    current = func.sum(case((per_bucket.c.bucket == 0, per_bucket.c.n), else_=0))
    before = per_bucket.c.bucket > 0
    return db.session.execute(
        select(per_bucket.c.kind, per_bucket.c.key, current.label("current"),
               func.sum(case((before, per_bucket.c.n), else_=0)).label("total"),
               func.sum(case((before, per_bucket.c.n * per_bucket.c.n), else_=0)).label("squares"))
        .group_by(per_bucket.c.kind, per_bucket.c.key).having(current >= window.min_count)).all()


def _history(now: datetime, window: Window) -> int:
    """How many full baseline windows lie between the first indexed message and the current window."""
    first = db.session.scalar(select(func.min(HotspotKey.at)).where(HotspotKey.kind == "all"))
    if first is None:
        return 0
    return min(window.history, max(0, (epoch(now) - window.seconds - first) // window.seconds))


def _samples(kind: str, key: str, start: int, end: int) -> list[int]:
    return list(db.session.scalars(
        select(HotspotKey.message_id).where(HotspotKey.kind == kind, HotspotKey.key == key, HotspotKey.at > start,
                                            HotspotKey.at <= end).order_by(HotspotKey.at.desc()).limit(SAMPLE)))


def surges(now: datetime, window: Window) -> list[Surge]:
    """Keys whose count in the window ending at `now` stands out against their own preceding windows."""
    history = _history(now, window)
    if history < window.min_history:
        return []
    found = []
    for kind, key, current, total, squares in _counts(now, window, history):
        current, total, squares = int(current), int(total), int(squares)  # PostgreSQL sums are Decimal
        mean = total / history
        spread = math.sqrt(max(squares / history - mean * mean, 0.0))
        score = (current - mean) / max(spread, math.sqrt(mean), 1.0)
        if score >= K_SIGMA and current >= RATIO * mean:
            found.append(Surge(kind, key, window.name, now - timedelta(seconds=window.seconds), now, int(current),
                               round(mean, 3), round(spread, 3), round(score, 2), []))
    for surge in found:
        surge.message_ids = _samples(surge.kind, surge.key, epoch(surge.start), epoch(surge.end))
    return _merge_terms(sorted(found, key=lambda s: (-s.score, s.key)))


def _merge_terms(found: list[Surge], overlap: float = 0.8) -> list[Surge]:
    """One burst of similar messages lifts all of their key terms at once: keep the strongest term and fold
    the others whose messages are mostly the same into its key ("停水/供水/自来水")."""
    kept: list[Surge] = []
    for surge in found:
        if surge.kind == "term":
            mine = set(surge.message_ids)
            twin = next((k for k in kept if k.kind == "term"
                         and len(mine & set(k.message_ids)) >= overlap * min(len(mine), len(k.message_ids))), None)
            if twin is not None:
                if len(twin.key) < 100:
                    twin.key = f"{twin.key}/{surge.key}"
                continue
        kept.append(surge)
    return kept


def clusters(now: datetime, window: Window = WINDOWS[CLUSTER_WINDOW]) -> list[Surge]:
    """Groups of CLUSTER_MIN or more near-duplicate messages received in the window (duplicates.py, MinHash LSH)."""
    now_ts = epoch(now)
    rows = db.session.execute(
        select(Message.id, Message.title, Message.content).join(HotspotKey, HotspotKey.message_id == Message.id)
        .where(HotspotKey.kind == "all", HotspotKey.at <= now_ts, HotspotKey.at > now_ts - window.seconds)
        .order_by(HotspotKey.at.desc()).limit(CLUSTER_MAX_MESSAGES)).all()
    groups = duplicates.group_near_duplicates([(r.id, f"{r.title or ''}{r.content}") for r in rows])
    start = now - timedelta(seconds=window.seconds)
    return [Surge("cluster", str(min(ids)), window.name, start, now, len(ids), 0.0, 0.0, float(len(ids)),
                  sorted(ids)) for ids in groups if len(ids) >= CLUSTER_MIN]


def detect(now: datetime) -> list[Surge]:
    """Every surge in every window, and the clusters, at `now` (UTC-aware)."""
    now = now.astimezone(UTC)
    found = [s for window in WINDOWS.values() for s in surges(now, window)]
    return found + clusters(now)
