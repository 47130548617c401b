"""The KPI rollup (考核指标日汇总): the summary's counts per day of receipt, kept current by a sweep.

At a million messages the live summary scans every row of the window four times (seconds). The rollup keeps,
per local day of receipt and (unit, topic, channel), the same counts and a histogram of handling hours, built
by the very queries the live summary runs (reports.kpis), grouped one level finer. `refresh` recomputes only
the days that changed: days with messages whose audit events were chained after the position it last reached
(every change writes an event, and the chain numbers events in commit order), or every day when the working
calendar changed. The summary reads held days that have not changed since from the rollup and the rest live,
and adds what became late after a day was rolled up, so its figures equal the live ones at any moment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, text, update

from responder.extensions import db
from responder.models import Event, Message, utcnow
from responder.models.kpi import ROLLUP_STATE_ID, KpiDaily, KpiDay, KpiHours, KpiRollupState
from responder.reports import kpis
from responder.reports.hours import calendar_table, day_number_of, day_of_number
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ

GRAIN = ("n", "unit_id", "topic", "channel")
GRAIN_COLUMNS = ["day", "unit_id", "topic", "channel"]


def _lock_state(now: datetime) -> KpiRollupState:
    """The state row, written first so that two refreshes run one after the other on either database."""
    locked = db.session.execute(update(KpiRollupState).where(KpiRollupState.id == ROLLUP_STATE_ID)
                                .values(refreshed_at=now))
    if not locked.rowcount:
        db.session.add(KpiRollupState(id=ROLLUP_STATE_ID, refreshed_at=now))
        db.session.flush()
    return db.session.get(KpiRollupState, ROLLUP_STATE_ID, populate_existing=True)


def refresh(now: datetime | None = None, full: bool = False) -> dict:
    """Bring the rollup up to date; returns how many days were recomputed and whether it was a full rebuild."""
    now = now or utcnow()
    state = _lock_state(now)
    calendar = Clock.load().calendar
    fingerprint = calendar.fingerprint()
    head = db.session.scalar(select(func.max(Event.seq)))
    today = day_number_of(now.astimezone(TZ).date())
    rebuild = full or state.seq is None or state.calendar != fingerprint
    if rebuild:
        # The last two years (the longest report window); an older day joins when it next changes.
        first = db.session.scalar(select(func.min(Message.received_at)))
        first_day = max(day_number_of(first.astimezone(TZ).date()), today - kpis.MAX_DAYS) if first else today + 1
        days = list(range(first_day, today + 1))
        for table in (KpiDaily, KpiHours, KpiDay):
            db.session.execute(delete(table))
    else:
        days = sorted(kpis.dirty_days(state.seq))
    if days:
        _recompute(days, now, calendar, rebuild)
    state.seq, state.calendar = head or 0, fingerprint
    db.session.commit()
    return {"days": len(days), "full": rebuild}


def _recompute(days: list[int], now: datetime, calendar, rebuilt: bool) -> None:
    """Replace the rows of `days` with counts computed as of `now` (set-based: one INSERT … SELECT per part)."""
    runs = kpis.day_runs(days)
    if not rebuilt:
        for table in (KpiDaily, KpiHours, KpiDay):
            db.session.execute(delete(table).where(or_(*[table.day.between(a, b) for a, b in runs])))
    window = kpis.Window(start=day_of_number(days[0]), end=day_of_number(days[-1]), now=now)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # Grouping a day's tens of thousands of rows by four keys: sort in memory, and skip the JIT compile.
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
        db.session.execute(text("SET LOCAL jit = off"))
    cal = calendar_table(calendar, window.start, kpis.span_end(window), dialect)
    for part in (kpis.message_counts, kpis.assignment_counts, kpis.callback_counts):
        query = part(window, cal, GRAIN, runs)
        names = [c.name for c in query.selected_columns][:-len(GRAIN)]
        db.session.execute(insert(KpiDaily).from_select([*names, *GRAIN_COLUMNS], query))
    db.session.execute(insert(KpiHours).from_select(
        ["centihours", "n", "hours_sum", *GRAIN_COLUMNS], kpis.hours_histogram(window, cal, GRAIN, runs)))
    db.session.execute(insert(KpiDay), [{"day": n, "refreshed_at": now} for n in days])

