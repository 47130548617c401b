"""The handling KPIs (考核指标) over a window of received messages, in total and by group.

The window selects messages by their local received date (Beijing time, both ends inclusive); every
figure is about those messages and their assignments, callbacks, returns and extension requests.
Each family of figures is one GROUP BY query (four per breakdown); nothing loops over rows in Python.

Definitions (the API document repeats them):
- on_time_sign_rate 签收及时率: assignments signed by their sign deadline (accepted_at <= sign_due_at)
  over assignments with a sign deadline that were signed, or are still unsigned past it. Assignments
  returned or cancelled without being signed are left out (the return rate counts returns).
- on_time_completion_rate 按期办结率: messages published by their due_at (which already moves with
  approved extensions and pauses, and is renewed on 重办) over messages with a due_at that are
  published or past due; merged and invalid messages are left out.
- hours_mean / hours_p90 办理时长: working hours (see reports.hours) from received_at to published_at
  of published messages; p90 is the nearest-rank 90th percentile.
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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import CTE, and_, case, func, select, text
from sqlalchemy.sql.expression import Subquery

from responder.extensions import db
from responder.models import AnalysisResult, Assignment, Callback, ExtensionRequest, Message, ReturnRequest, Unit
from responder.reports.hours import calendar_table, day_number, duration_stats, working_hours
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ
from responder.workflow.states import AssignmentStatus, Status

GROUPINGS = ("unit", "topic", "channel", "day", "week", "month")
PERIODS = ("day", "week", "month")
MAX_DAYS = 731  # two years (and a leap day) per report keeps the calendar table small
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
COUNTS = ("messages", "merged", "completion_total", "completed_on_time", "published", "reopened", "handled",
          "assignments", "sign_total", "signed_on_time", "returned", "extended", "callbacks", "satisfied",
          "auto_dispatched", "auto_kept")


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


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _lead_units():
    """Each message's lead unit: the unit of its newest active lead assignment."""
    newest = (select(Assignment.message_id, func.max(Assignment.id).label("id"))
              .where(Assignment.role == "lead", Assignment.active.is_(True))
              .group_by(Assignment.message_id).subquery("newest_lead"))
    return (select(newest.c.message_id, Assignment.unit_id)
            .join(Assignment, Assignment.id == newest.c.id).subquery("lead"))


def _frame(query, window: Window, cal: Subquery | CTE, by: str | None, unit_col=None):
    """Limit a query joined to Message to the window (and unit), and add the group key for `by`.

    `unit_col` names the row's own unit (an assignment's); without it the message's lead unit counts.
    """
    low, high = window.bounds()
    query = query.where(Message.received_at >= low, Message.received_at < high)
    if unit_col is None and (window.unit_id is not None or by == "unit"):
        lead = _lead_units()
        query = query.outerjoin(lead, lead.c.message_id == Message.id)
        unit_col = lead.c.unit_id
    if window.unit_id is not None:
        query = query.where(unit_col == window.unit_id)
    if by is None:
        return query, None
    if by == "unit":
        return query.outerjoin(Unit, Unit.id == unit_col), Unit.name
    if by == "topic":
        current = and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True))
        return query.outerjoin(AnalysisResult, current), AnalysisResult.topic
    if by == "channel":
        return query, Message.channel
    return query.join(cal, cal.c.n == day_number(Message.received_at)), cal.c[by]


def _run(query, key) -> dict:
    """Execute a counting query: {group key (None for totals): {count name: value}}."""
    if key is not None:
        query = query.add_columns(key.label("key")).group_by(key)
    found = {}
    for row in db.session.execute(query).mappings():
        values = dict(row)
        found[values.pop("key", None)] = values
    return found


def message_counts(window: Window, cal: Subquery | CTE, by: str | None) -> dict:
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
    return _run(*_frame(query, window, cal, by))


def assignment_counts(window: Window, cal: Subquery | CTE, by: str | None) -> dict:
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
    return _run(*_frame(query, window, cal, by, unit_col=Assignment.unit_id))


def callback_counts(window: Window, cal: Subquery | CTE, by: str | None) -> dict:
    """Callbacks (回访) and the satisfied or basically satisfied ones, per group."""
    satisfied = _count_if(Callback.satisfaction.in_(SATISFIED)).label("satisfied")
    query = (select(func.count().label("callbacks"), satisfied)
             .select_from(Callback).join(Message, Message.id == Callback.message_id))
    return _run(*_frame(query, window, cal, by))


def handling_counts(window: Window, cal: Subquery | CTE, by: str | None) -> dict:
    """Published messages, and the mean and p90 of their handling time in working hours, per group."""
    hours, joins = working_hours(cal, Message.received_at, Message.published_at)
    query = select(hours.label("hours")).select_from(Message).where(Message.published_at.isnot(None))
    for target, onclause in joins:
        query = query.join(target, onclause)
    query, key = _frame(query, window, cal, by)
    return _run(duration_stats(query, key, db.session.get_bind().dialect.name), None)


def _span_end(window: Window) -> date:
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


def _breakdown(window: Window, cal: Subquery | CTE, by: str | None) -> dict:
    parts = [query(window, cal, by) for query in (message_counts, assignment_counts, callback_counts,
                                                  handling_counts)]
    keys = {key for part in parts for key in part}
    return {key: _figures({name: value for part in parts for name, value in part.get(key, {}).items()})
            for key in keys}


def summary(window: Window) -> dict:
    """The KPIs for the window in total and, when `window.by` is set, per group (sorted, null key last)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # Compiling these few big aggregates to machine code costs more (~100 ms each) than it saves.
        db.session.execute(text("SET LOCAL jit = off"))
    cal = calendar_table(Clock.load().calendar, window.start, _span_end(window), dialect)
    totals = _breakdown(window, cal, None).get(None) or _figures({})
    groups = []
    if window.by:
        found = _breakdown(window, cal, window.by)
        for key in sorted(found, key=lambda k: (k is None, str(k or ""))):
            groups.append({"key": key, **found[key]})
    return {"totals": totals, "groups": groups}
