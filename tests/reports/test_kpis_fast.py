"""The KPI summary's fast SQL (integer day numbers, date_part epoch, percentile_disc on PostgreSQL) against a
plain Python reading of the same definitions, on random messages around Beijing midnights and the 2026
National Day holiday (with its make-up working days), on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from responder.app import create_app
from responder.audit import record
from responder.extensions import db as _db
from responder.models import Message
from responder.reports import kpis, rollup
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ
from tests.conftest import base_config

START, END = date(2026, 9, 26), date(2026, 10, 12)
NOW = datetime(2026, 10, 14, 3, 0, tzinfo=UTC)  # the calendar runs to 10-15, the day after today
SPAN_END = date(2026, 10, 15)


def instants(rng: random.Random, n: int) -> list[datetime]:
    """Received instants in the window, a third of them within a second of a Beijing midnight."""
    out = []
    first = datetime.combine(START, time(), TZ)
    for i in range(n):
        day = first + timedelta(days=rng.randrange((END - START).days + 1))
        if i % 3 == 0:
            out.append(day + timedelta(seconds=rng.choice([0, 1, 86399, 86400 - 0.5])))
        else:
            out.append(day + timedelta(seconds=rng.randrange(86400), microseconds=rng.randrange(10**6)))
    return [t for t in out if t < datetime.combine(END + timedelta(days=1), time(), TZ)]


def seed(rng: random.Random) -> None:
    for i, received in enumerate(instants(rng, 160)):
        kind = i % 8
        published = None
        if kind < 5:  # handled: from minutes to a fortnight, some exactly on a later local midnight
            published = received + timedelta(hours=rng.choice([0.25, 7, 24, 49.5, 100, 200, 330]),
                                             seconds=rng.randrange(3600))
        elif kind == 5:  # published before it arrived (bad clock): 0 hours
            published = received - timedelta(hours=3)
        elif kind == 6:  # published after the calendar's last day: left out of the hours, as before
            published = datetime.combine(SPAN_END + timedelta(days=2), time(9), TZ)
        _db.session.add(Message(
            channel="hotline", external_id=f"F-{i}", query_code_hash="x", content="路灯不亮", received_at=received,
            status="published" if published else "in_progress", published_at=published,
            due_at=received + timedelta(days=rng.choice([2, 10, 20])), reopen_count=int(kind == 1)))
    _db.session.commit()


def working_hours(calendar, a: datetime, b: datetime) -> float:
    """Seconds of [a, b) on working days, day by day, in hours."""
    if b <= a:
        return 0.0
    total, day = 0.0, a.astimezone(TZ).date()
    while day <= b.astimezone(TZ).date():
        low = datetime.combine(day, time(), TZ)
        high = low + timedelta(days=1)
        if calendar.is_workday(day):
            total += max(0.0, (min(b, high) - max(a, low)).total_seconds())
        day += timedelta(days=1)
    return total / 3600


def expected(group_of) -> dict:
    calendar = Clock.load().calendar
    groups: dict = {}
    for m in _db.session.query(Message):
        key = group_of(m.received_at.astimezone(TZ).date())
        g = groups.setdefault(key, {"messages": 0, "hours": []})
        g["messages"] += 1
        if m.published_at is not None and START <= m.published_at.astimezone(TZ).date() <= SPAN_END:
            g["hours"].append(working_hours(calendar, m.received_at, m.published_at))
    out = {}
    for key, g in groups.items():
        hours = sorted(g["hours"])
        out[key] = {"messages": g["messages"], "handled": len(hours),
                    "hours_mean": round(sum(hours) / len(hours), 2) if hours else None,
                    "hours_p90": round(hours[math.ceil(0.9 * len(hours)) - 1], 2) if hours else None}
    return out


def got(result: dict) -> dict:
    names = ("messages", "handled", "hours_mean", "hours_p90")
    rows = [{"key": None, **result["totals"]}] if not result["groups"] else result["groups"]
    return {row["key"]: {name: row[name] for name in names} for row in rows}


GROUPINGS = {None: lambda d: None, "day": date.isoformat, "week": lambda d: "%d-W%02d" % d.isocalendar()[:2],
             "month": lambda d: d.strftime("%Y-%m")}


def same_as_python(served_from_rollup: int) -> None:
    window = kpis.Window(start=START, end=END, now=NOW)
    assert len(kpis.clean_days(window, Clock.load().calendar.fingerprint())) == served_from_rollup
    for by, group_of in GROUPINGS.items():
        result = kpis.summary(kpis.Window(start=START, end=END, now=NOW, by=by))
        assert got(result) == expected(group_of), by


def publish_some(rng: random.Random, count: int) -> set[date]:
    """Publish open messages the way the app does (with an audit event); returns their days of receipt."""
    days = set()
    for message in _db.session.query(Message).filter(Message.published_at.is_(None)).limit(count):
        message.published_at = min(NOW, message.received_at + timedelta(hours=rng.randrange(1, 300)))
        message.status = "published"
        record("test", "publish", message_id=message.id)
        days.add(message.received_at.astimezone(TZ).date())
    _db.session.commit()
    return days


def check_against_python() -> None:
    rng = random.Random(8)
    seed(rng)
    same_as_python(served_from_rollup=0)
    totals = got(kpis.summary(kpis.Window(start=START, end=END, now=NOW)))[None]
    assert totals["handled"] > 50 and totals["hours_mean"] > 0  # the data set exercises the figures
    all_days = (END - START).days + 1
    assert rollup.refresh(now=NOW) == {"days": (NOW.astimezone(TZ).date() - START).days + 1, "full": True}
    same_as_python(served_from_rollup=all_days)
    changed = publish_some(rng, 4)
    same_as_python(served_from_rollup=all_days - len(changed))   # those days live, the rest rolled up
    assert rollup.refresh(now=NOW) == {"days": len(changed), "full": False}
    same_as_python(served_from_rollup=all_days)


def test_fast_kpis_equal_python_on_sqlite(app, db):
    check_against_python()


@pytest.mark.postgres
def test_fast_kpis_equal_python_on_postgres(pg_url):
    app = create_app(base_config(pg_url))
    with app.app_context():
        _db.create_all()
        try:
            check_against_python()
        finally:
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()
