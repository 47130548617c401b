"""The handling KPIs (考核指标) over a window of received messages, in total and by group.

The window selects messages by their local received date (Beijing time, both ends inclusive); every
figure is about those messages and their assignments, callbacks, returns and extension requests.
Each family of figures is one GROUP BY query (four per breakdown); nothing loops over rows in Python. Days
the KPI rollup (reports.rollup) holds unchanged are read from it instead of the rows (see summary).

Definitions (the API document repeats them):
- on_time_sign_rate 签收及时率: assignments signed by their sign deadline (accepted_at <= sign_due_at)
  over assignments with a sign deadline that were signed, or are still unsigned past it. Assignments
  returned or cancelled without being signed are left out (the return rate counts returns).
- on_time_completion_rate 按期办结率: messages published by their due_at (which already moves with
  approved extensions and pauses, and is renewed on 重办) over messages with a due_at that are
  published or past due; merged and invalid messages are left out.
- hours_mean / hours_p90 办理时长: working hours (see reports.hours) from received_at to published_at
  of published messages; p90 is the nearest-rank 90th percentile of the hours taken to the hundredth (36 s).
- satisfaction_rate 满意率: satisfied + basically_satisfied callbacks over all callbacks.
- return_rate 退单率: assignments returned at least once over all assignments dispatched.
- reopen_rate 重办率: messages reopened at least once over messages published at least once.
- extension_rate 延期率: assignments with an extension request (any decision) over all assignments.
- repeat_rate 重复件率: merged messages over all messages.
- routing_accuracy 自动派单准确率: automatic lead assignments (the routing engine chose the lead) that nobody
  changed — no 改派 by an operator, no return that ended with another lead — over all automatic lead
  assignments. An automatic dispatch still open counts as unchanged until someone changes it.
Message-level figures belong to the message's lead unit (主办, its active lead assignment);
assignment-level figures (sign, return, extension) to the assignment's own unit, lead or assisting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import CTE, and_, case, func, or_, select, text, true, union_all
from sqlalchemy.sql.expression import Subquery

from responder.extensions import db
from responder.models import (
    AnalysisResult,
    Assignment,
    Callback,
    Event,
    ExtensionRequest,
    Message,
    ReturnRequest,
    Unit,
)
from responder.models.kpi import ROLLUP_COUNTS, ROLLUP_STATE_ID, KpiDaily, KpiDay, KpiHours, KpiRollupState
from responder.reports.hours import (
    calendar_table,
    centihours,
    day_number,
    day_number_of,
    day_of_number,
    working_hours,
)
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ
from responder.workflow.states import AssignmentStatus, Status

GROUPINGS = ("unit", "topic", "channel", "day", "week", "month")
PERIODS = ("day", "week", "month")
FEW_DAYS = 7  # up to this many days of messages, look lead units up per row rather than group all assignments
MAX_DAYS = 731  # two years (and a leap day) per report keeps the calendar table small
# Reports cover days from EARLIEST_DAY to the end of next year: the calendar table runs from the window's start to
# today, so a window decades back cost seconds per request (1900: 14 s), and year 1 overflowed the datetimes.
EARLIEST_DAY = date(2000, 1, 1)


def latest_day(today: date) -> date:
    return date(today.year + 1, 12, 31)
SATISFIED = ("satisfied", "basically_satisfied")
NOT_HANDLED = (Status.MERGED.value, Status.INVALID.value)
UNSIGNED_ENDINGS = (AssignmentStatus.RETURNED.value, AssignmentStatus.CANCELLED.value)

# figure: (numerator count, denominator count)
RATES = {
    "on_time_sign_rate": ("signed_on_time", "sign_total"),
    "on_time_completion_rate": ("completed_on_time", "completion_total"),
    "satisfaction_rate": ("satisfied", "callbacks"),
    "return_rate": ("returned", "assignments"),
    "reopen_rate": ("reopened", "published"),
    "extension_rate": ("extended", "assignments"),
    "repeat_rate": ("merged", "messages"),
    "routing_accuracy": ("auto_kept", "auto_dispatched"),
}
COUNTS = (*ROLLUP_COUNTS, "handled")  # the rollup keeps every count but handled (from its hour histogram)


@dataclass(frozen=True)
class Window:
    """What one summary covers: local received dates start..end, optionally one unit, a breakdown."""

    start: date
    end: date
    now: datetime
    unit_id: int | None = None
    by: str | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        """The received_at range [from local midnight of start, local midnight after end)."""
        return (datetime.combine(self.start, time(), TZ),
                datetime.combine(self.end + timedelta(days=1), time(), TZ))


def day_runs(days: list[int]) -> list[tuple[int, int]]:
    """Sorted day numbers as runs of consecutive days, (first, last) inclusive."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def received_in(runs: list[tuple[int, int]]):
    """A condition on Message.received_at: its local day falls in one of the runs (an indexable range each)."""
    def midnight(n: int) -> datetime:
        return datetime.combine(day_of_number(n), time(), TZ)
    return or_(*[and_(Message.received_at >= midnight(first), Message.received_at < midnight(last + 1))
                 for first, last in runs])


def _days(runs: list[tuple[int, int]]) -> int:
    return sum(last - first + 1 for first, last in runs)


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _with_lead_unit(query, few: bool = False):
    """Join each message's lead unit (the unit of its newest active lead assignment); returns the query and
    the unit column. For many rows the assignments are grouped once (a hash join); for `few` rows on
    PostgreSQL, a LATERAL index probe per row instead of grouping every assignment (SQLite has no LATERAL)."""
    if few and db.session.get_bind().dialect.name == "postgresql":
        newest = (select(Assignment.unit_id)
                  .where(Assignment.role == "lead", Assignment.active.is_(True), Assignment.message_id == Message.id)
                  .order_by(Assignment.id.desc()).limit(1))
        newest = newest.lateral("lead")
        return query.outerjoin(newest, true()), newest.c.unit_id
    last = (select(Assignment.message_id, func.max(Assignment.id).label("id"))
            .where(Assignment.role == "lead", Assignment.active.is_(True))
            .group_by(Assignment.message_id).subquery("newest_lead"))
    newest = (select(last.c.message_id, Assignment.unit_id)
              .join(Assignment, Assignment.id == last.c.id).subquery("lead"))
    return query.outerjoin(newest, newest.c.message_id == Message.id), newest.c.unit_id


def _frame(query, window: Window, cal: Subquery | CTE, keys: Sequence[str], unit_col=None, runs=None, few=False):
    """Limit a query joined to Message to the window (its day runs, when given, and unit) and group it by `keys`.

    `unit_col` names the row's own unit (an assignment's); without it the message's lead unit counts. Keys are
    GROUPINGS or the rollup's grain: "n" (the day number of receipt) and "unit_id". Returns the query with
    the key columns added (labelled k0, k1, …) and grouped.
    """
    low, high = window.bounds()
    query = query.where(Message.received_at >= low, Message.received_at < high)
    if runs is not None:
        query = query.where(received_in(runs))
    if unit_col is None and (window.unit_id is not None or "unit" in keys or "unit_id" in keys):
        query, unit_col = _with_lead_unit(query, few or (runs is not None and _days(runs) <= FEW_DAYS))
    if window.unit_id is not None:
        query = query.where(unit_col == window.unit_id)
    columns = []
    for key in keys:
        if key == "unit":
            query = query.outerjoin(Unit, Unit.id == unit_col)
            columns.append(Unit.name)
        elif key == "unit_id":
            columns.append(unit_col)
        elif key == "topic":
            current = and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True))
            query = query.outerjoin(AnalysisResult, current)
            columns.append(AnalysisResult.topic)
        elif key == "channel":
            columns.append(Message.channel)
        elif key == "n":
            columns.append(day_number(Message.received_at))
        else:
            query = query.join(cal, cal.c.n == day_number(Message.received_at))
            columns.append(cal.c[key])
    return _grouped(query, columns)


def _grouped(query, columns: list):
    labelled = [column.label(f"k{i}") for i, column in enumerate(columns)]
    return query.add_columns(*labelled).group_by(*columns) if columns else query


def _run(query, nkeys: int) -> dict:
    """Execute a counting query: {group key (None for totals, a tuple for several keys): {count name: value}}."""
    found = {}
    for row in db.session.execute(query).mappings():
        values = dict(row)
        key = tuple(values.pop(f"k{i}") for i in range(nkeys))
        found[key[0] if nkeys == 1 else (key or None)] = values
    return found


def message_counts(window: Window, cal: Subquery | CTE, keys: Sequence[str] = (), runs=None):
    """Messages, merged, completion on time, published at least once and reopened, per group."""
    finished = Message.published_at.isnot(None)
    countable = Message.status.notin_(NOT_HANDLED) & Message.due_at.isnot(None)
    reopened = Message.reopen_count > 0
    query = select(
        func.count().label("messages"),
        _count_if(Message.status == Status.MERGED.value).label("merged"),
        _count_if(countable & (finished | (Message.due_at < window.now))).label("completion_total"),
        _count_if(countable & finished & (Message.published_at <= Message.due_at)).label("completed_on_time"),
        _count_if(finished | reopened).label("published"),
        _count_if(reopened).label("reopened"),
    ).select_from(Message)
    return _frame(query, window, cal, keys, runs=runs)


def assignment_counts(window: Window, cal: Subquery | CTE, keys: Sequence[str] = (), runs=None):
    """Assignments, signing on time, returned and extended, per group (by the assignment's unit)."""
    returned = select(ReturnRequest.assignment_id).group_by(ReturnRequest.assignment_id).subquery("returned")
    extended = select(ExtensionRequest.assignment_id).group_by(ExtensionRequest.assignment_id).subquery("extended")
    has_due, signed = Assignment.sign_due_at.isnot(None), Assignment.accepted_at.isnot(None)
    waiting = Assignment.status.notin_(UNSIGNED_ENDINGS) & (Assignment.sign_due_at < window.now)
    auto_lead = Assignment.auto.is_(True) & (Assignment.role == "lead")
    query = (
        select(
            func.count().label("assignments"),
            _count_if(has_due & (signed | waiting)).label("sign_total"),
            _count_if(has_due & signed & (Assignment.accepted_at <= Assignment.sign_due_at)).label("signed_on_time"),
            func.count(returned.c.assignment_id).label("returned"),
            func.count(extended.c.assignment_id).label("extended"),
            _count_if(auto_lead).label("auto_dispatched"),
            _count_if(auto_lead & Assignment.overridden.is_(False)).label("auto_kept"),
        )
        .select_from(Assignment)
        .join(Message, Message.id == Assignment.message_id)
        .outerjoin(returned, returned.c.assignment_id == Assignment.id)
        .outerjoin(extended, extended.c.assignment_id == Assignment.id)
    )
    return _frame(query, window, cal, keys, unit_col=Assignment.unit_id, runs=runs)


def callback_counts(window: Window, cal: Subquery | CTE, keys: Sequence[str] = (), runs=None):
    """Callbacks (回访) and the satisfied or basically satisfied ones, per group."""
    satisfied = _count_if(Callback.satisfaction.in_(SATISFIED)).label("satisfied")
    query = (select(func.count().label("callbacks"), satisfied)
             .select_from(Callback).join(Message, Message.id == Callback.message_id))
    return _frame(query, window, cal, keys, runs=runs)


def hours_histogram(window: Window, cal: Subquery | CTE, keys: Sequence[str] = (), runs=None):
    """Published messages per group and handling time in hundredths of a working hour: count and exact sum."""
    hours, joins = working_hours(cal, Message.received_at, Message.published_at)
    query = select(centihours(hours).label("centihours"), func.count().label("n"), func.sum(hours).label("hours_sum"))
    query = query.select_from(Message).where(Message.published_at.isnot(None))
    for target, onclause in joins:
        query = query.join(target, onclause)
    query = _frame(query, window, cal, keys, runs=runs)
    return query.group_by(text("centihours"))


def late_since_rollup(window: Window, cal: Subquery | CTE, keys: Sequence[str], runs):
    """For days served from the rollup: items that became late after their day was rolled up, per group.

    A rolled-up day has not changed since (or it would be dirty), so what its rows counted as open is still
    open; only the clock moved. Two queries: completion (by lead unit) and signing (by the assignment's unit).
    The earliest refresh among the days bounds both deadline ranges, so the partial indexes serve them.
    """
    since = db.session.scalar(select(func.min(KpiDay.refreshed_at)).where(
        or_(*[KpiDay.day.between(first, last) for first, last in runs])))
    if since is None or since >= window.now:
        return []
    rolled_up = KpiDay.day == day_number(Message.received_at)
    countable = Message.status.notin_(NOT_HANDLED) & Message.published_at.is_(None)
    completion = (select(func.count().label("completion_total")).select_from(Message).join(KpiDay, rolled_up)
                  .where(countable, Message.due_at >= since, Message.due_at < window.now,
                         Message.due_at >= KpiDay.refreshed_at))
    unsigned = Assignment.accepted_at.is_(None) & Assignment.status.notin_(UNSIGNED_ENDINGS)
    signing = (select(func.count().label("sign_total")).select_from(Assignment)
               .join(Message, Message.id == Assignment.message_id).join(KpiDay, rolled_up)
               .where(unsigned, Assignment.sign_due_at >= since, Assignment.sign_due_at < window.now,
                      Assignment.sign_due_at >= KpiDay.refreshed_at))
    return [_frame(completion, window, cal, keys, runs=runs, few=True),
            _frame(signing, window, cal, keys, unit_col=Assignment.unit_id, runs=runs)]


def _rolled_up(table, columns: list, window: Window, cal: Subquery | CTE, keys: Sequence[str], runs):
    """A query over a rollup table limited to the day runs (and unit), grouped by `keys` as the live queries."""
    query = select(*columns).select_from(table).where(
        or_(*[table.c.day.between(first, last) for first, last in runs]))
    if window.unit_id is not None:
        query = query.where(table.c.unit_id == window.unit_id)
    grouping = []
    for key in keys:
        if key == "unit":
            query = query.outerjoin(Unit, Unit.id == table.c.unit_id)
            grouping.append(Unit.name)
        elif key in ("topic", "channel"):
            grouping.append(table.c[key])
        else:
            query = query.join(cal, cal.c.n == table.c.day)
            grouping.append(cal.c[key])
    return _grouped(query, grouping)


def rollup_counts(window: Window, cal: Subquery | CTE, keys: Sequence[str], runs):
    table = KpiDaily.__table__
    return _rolled_up(table, [func.sum(table.c[name]).label(name) for name in ROLLUP_COUNTS],
                      window, cal, keys, runs)


def rollup_hours(window: Window, cal: Subquery | CTE, keys: Sequence[str], runs):
    table = KpiHours.__table__
    query = _rolled_up(table, [table.c.centihours.label("centihours"), func.sum(table.c.n).label("n"),
                               func.sum(table.c.hours_sum).label("hours_sum")], window, cal, keys, runs)
    return query.group_by(table.c.centihours)


def hours_stats(histograms: list, nkeys: int):
    """Count, mean and nearest-rank 90th percentile of handling hours per group, from histogram parts.

    Hours are taken to the hundredth (36 s) before the percentile: the smallest value with at least 90% of the
    group at or below it, found with a running sum over the merged histogram (same SQL on both databases).
    """
    keys = [f"k{i}" for i in range(nkeys)]
    parts = union_all(*histograms).subquery("parts") if len(histograms) > 1 else histograms[0].subquery("parts")
    merged = (select(*[parts.c[k] for k in keys], parts.c.centihours, func.sum(parts.c.n).label("n"),
                     func.sum(parts.c.hours_sum).label("hours_sum"))
              .group_by(*[parts.c[k] for k in keys], parts.c.centihours).subquery("merged"))
    partition = [merged.c[k] for k in keys] or None
    ranked = select(
        *[merged.c[k] for k in keys], merged.c.centihours, merged.c.n, merged.c.hours_sum,
        func.sum(merged.c.n).over(partition_by=partition, order_by=merged.c.centihours).label("running"),
        func.sum(merged.c.n).over(partition_by=partition).label("total"),
    ).subquery("ranked")
    p90 = func.min(case((ranked.c.running * 10 >= ranked.c.total * 9, ranked.c.centihours)))
    return select(
        *[ranked.c[k] for k in keys],
        func.sum(ranked.c.n).label("handled"),
        (func.sum(ranked.c.hours_sum) / func.sum(ranked.c.n)).label("hours_mean"),
        (p90 / 100.0).label("hours_p90"),
    ).group_by(*[ranked.c[k] for k in keys])


def span_end(window: Window) -> date:
    """The last day the calendar table must cover: the window's end, or tomorrow if later (nothing can have
    been published after now, a day's margin for clocks; so no scan for the latest publication)."""
    return max(window.end, window.now.astimezone(TZ).date() + timedelta(days=1))


def _figures(counts: dict) -> dict:
    """Rates (None when nothing to divide by), rounded hours, then the counts they come from."""
    merged = {name: int(counts.get(name) or 0) for name in COUNTS}
    rates = {figure: round(merged[num] / merged[den], 4) if merged[den] else None
             for figure, (num, den) in RATES.items()}
    hours = {name: round(float(counts[name]), 2) if counts.get(name) is not None else None
             for name in ("hours_mean", "hours_p90")}
    return {**rates, **hours, **merged}


def _breakdown(window: Window, cal: Subquery | CTE, keys: Sequence[str], clean: list[int]) -> dict:
    """Figures per group: live for the window's days not in the rollup, from the rollup for the rest."""
    window_days = range(day_number_of(window.start), day_number_of(window.end) + 1)
    clean_runs, held = day_runs(clean), set(clean)
    live_runs = day_runs([n for n in window_days if n not in held]) if clean else None
    queries, histograms = [], []
    if live_runs is None or live_runs:
        queries += [query(window, cal, keys, live_runs)
                    for query in (message_counts, assignment_counts, callback_counts)]
        histograms.append(hours_histogram(window, cal, keys, live_runs))
    if clean_runs:
        queries += [rollup_counts(window, cal, keys, clean_runs), *late_since_rollup(window, cal, keys, clean_runs)]
        histograms.append(rollup_hours(window, cal, keys, clean_runs))
    queries.append(hours_stats(histograms, len(keys)))
    totals: dict = {}
    for query in queries:
        for key, values in _run(query, len(keys)).items():
            group = totals.setdefault(key, {})
            for name, value in values.items():
                group[name] = value if name.startswith("hours_") else (group.get(name) or 0) + (value or 0)
    return {key: _figures(counts) for key, counts in totals.items()}


def summary(window: Window) -> dict:
    """The KPIs for the window in total and, when `window.by` is set, per group (sorted, null key last).

    Days the rollup (reports.rollup) holds and that have not changed since are read from it; the rest live.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # Compiling these few big aggregates to machine code costs more (~100 ms each) than it saves.
        db.session.execute(text("SET LOCAL jit = off"))
    clock = Clock.load()
    cal = calendar_table(clock.calendar, window.start, span_end(window), dialect)
    clean = clean_days(window, clock.calendar.fingerprint())
    totals = _breakdown(window, cal, (), clean).get(None) or _figures({})
    groups = []
    if window.by:
        found = _breakdown(window, cal, (window.by,), clean)
        for key in sorted(found, key=lambda k: (k is None, str(k or ""))):
            groups.append({"key": key, **found[key]})
    return {"totals": totals, "groups": groups}


def clean_days(window: Window, calendar: str) -> list[int]:
    """Days of the window held by the rollup, built on this calendar, with no audited change since."""
    state = db.session.get(KpiRollupState, ROLLUP_STATE_ID)
    if state is None or state.seq is None or state.calendar != calendar:
        return []
    first, last = day_number_of(window.start), day_number_of(window.end)
    held = set(db.session.scalars(select(KpiDay.day).where(KpiDay.day.between(first, last))))
    if not held:
        return []
    return sorted(held - dirty_days(state.seq))


def dirty_days(seq: int) -> set[int]:
    """Local days of receipt of the messages with audit events chained after position `seq`."""
    changed = (select(day_number(Message.received_at)).distinct()
               .join(Event, Event.message_id == Message.id).where(Event.seq > seq))
    return set(db.session.scalars(changed))
