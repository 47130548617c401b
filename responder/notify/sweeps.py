"""Supervision sweeps: 催办 before a deadline, 督办 after it, 通报 when it stays missed.

Each sweep computes a handful of instants once, in Python, on the working-day calendar (Window),
then does the row work in a few INSERT … SELECT / UPDATE statements. Notifications and webhook
deliveries carry a dedupe key and are inserted with ON CONFLICT DO NOTHING, so a sweep run twice —
even after its stamps were lost — sends nothing twice.

Two deadlines are watched per assignment (kind):
- "sign": sign_due_at, while the assignment is still dispatched and not signed for (签收);
- "handle": due_at, while it is dispatched or accepted (办理; for an assisting unit, its opinion).
Only active assignments whose clock is not paused (补正) count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, and_, case, cast, func, insert, literal, or_, select, update

from responder.extensions import db
from responder.models import Assignment, Event, Message, Notification, Unit, User, utcnow
from responder.notify import webhooks
from responder.notify.sql import const, insert_new, instant, local_time, serialize
from responder.workflow.calendar import WorkCalendar
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ
from responder.workflow.states import AssignmentStatus

NOTICE_AFTER_WORKING_DAYS = 5  # 通报: still overdue this many working days after the deadline
DEADLINES = {"sign": Assignment.sign_due_at, "handle": Assignment.due_at}
LABELS = {"sign": "签收", "handle": "办理"}
# What a unit still owes. REPLIED (awaiting review) and OPINION_GIVEN (an assisting unit's part is
# delivered) stop the unit's clock just as DONE does: nobody is reminded of work already handed in.
RUNNING = (AssignmentStatus.DISPATCHED.value, AssignmentStatus.ACCEPTED.value)
NOTE_COLUMNS = ["user_id", "kind", "message_id", "assignment_id", "title", "body", "dedupe_key", "created_at"]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def _workday_on_or_before(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class Window:
    """The boundaries one sweep needs, in Asia/Shanghai working days, computed once per run."""

    now: datetime
    tomorrow: datetime  # 00:00 tomorrow
    horizon: datetime  # 00:00 after the next working day: a deadline before it is "due soon"
    opened_today: datetime  # a deadline later today has been due soon since 00:00 of the last working day before today
    opened_later: datetime  # one after today, since 00:00 of the last working day up to today
    notice_before: datetime  # a deadline before this is NOTICE_AFTER_WORKING_DAYS or more working days past
    today: date
    calendar: WorkCalendar

    @classmethod
    def at(cls, now: datetime, calendar: WorkCalendar) -> Window:
        today = now.astimezone(TZ).date()
        next_workday, _ = calendar.add_working_days(today, 1)
        fifth_back = _workday_on_or_before(calendar, today)
        for _ in range(NOTICE_AFTER_WORKING_DAYS - 1):
            fifth_back = _workday_on_or_before(calendar, fifth_back - timedelta(days=1))
        return cls(
            now=now, today=today, calendar=calendar,
            tomorrow=_start_of(today + timedelta(days=1)),
            horizon=_start_of(next_workday + timedelta(days=1)),
            opened_today=_start_of(_workday_on_or_before(calendar, today - timedelta(days=1))),
            opened_later=_start_of(_workday_on_or_before(calendar, today)),
            notice_before=_start_of(fifth_back),
        )


def _begin(sweep: str, now: datetime | None) -> Window:
    serialize(sweep)
    return Window.at(now or utcnow(), Clock.load().calendar)


def _clock_runs(kind: str) -> list:
    """Active, not paused, and still owing what the `kind` deadline measures."""
    conditions = [Assignment.active.is_(True), Assignment.paused_at.is_(None), DEADLINES[kind].is_not(None)]
    if kind == "sign":
        return [*conditions, Assignment.status == AssignmentStatus.DISPATCHED.value, Assignment.accepted_at.is_(None)]
    return [*conditions, Assignment.status.in_(RUNNING)]


def _due_soon(kind: str, w: Window) -> list:
    """Deadline ahead and before the horizon, and no reminder sent since this deadline's window opened.

    A deadline on day D enters the window at 00:00 of the last working day before D; a reminder
    stamped after that instant was sent for this deadline (an extension moves D and so reopens it).
    """
    due = DEADLINES[kind]
    opened = case((due < w.tomorrow, instant(w.opened_today)), else_=instant(w.opened_later))
    return [*_clock_runs(kind), due > w.now, due < w.horizon,
            or_(Assignment.reminded_at.is_(None), Assignment.reminded_at < opened)]


def _past_due(kind: str, w: Window) -> list:
    """Deadline passed and not escalated since (an escalation stamped after the deadline covers it)."""
    due = DEADLINES[kind]
    return [*_clock_runs(kind), due < w.now, or_(Assignment.escalated_at.is_(None), Assignment.escalated_at < due)]


def _label(kind: str):
    """How titles name the deadline: an assisting unit's handling deadline is its opinion's (协办意见)."""
    if kind == "sign":
        return const(LABELS["sign"])
    return case((Assignment.role == "assist", const("协办意见")), else_=const(LABELS["handle"]))


def _key(prefix: str, kind: str):
    """`{prefix}:{assignment id}:{kind}:{deadline's local date}` — one per deadline, so a moved one counts anew."""
    return const(f"{prefix}:") + cast(Assignment.id, String) + const(f":{kind}:") + local_time(DEADLINES[kind])


def _notify(kind: str, recipients, key, title, body, where: list, now: datetime) -> None:
    """One notification per (matching assignment, recipient user), skipping any already sent."""
    rows = (
        select(User.id, const(kind), Assignment.message_id, Assignment.id, title, body, key, instant(now))
        .select_from(Assignment)
        .join(Message, Message.id == Assignment.message_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(User, and_(User.active.is_(True), recipients))
        .where(*where)
    )
    db.session.execute(insert_new(Notification, NOTE_COLUMNS, rows, ["user_id", "dedupe_key"]))


def _tracking_no():
    return func.coalesce(Message.tracking_no, const(""))


def _stamp(column: str, conditions: dict[str, list], now: datetime) -> int:
    matching = or_(*(and_(*where) for where in conditions.values()))
    return db.session.execute(
        update(Assignment).where(matching).values({column: now}).execution_options(synchronize_session=False)
    ).rowcount


def remind_due_soon(now: datetime | None = None) -> int:
    """催办: tell the unit's users about deadlines within the next working day; returns assignments reminded."""
    w = _begin("remind", now)
    conditions = {kind: _due_soon(kind, w) for kind in DEADLINES}
    for kind, where in conditions.items():
        due = DEADLINES[kind]
        title = (const("【催办】") + _tracking_no() + const(" ") + _label(kind) + const("时限 ")
                 + local_time(due, "minute") + const(" 即将到期"))
        _notify("reminder", User.unit_id == Assignment.unit_id, _key("remind", kind), title,
                const("请在时限前处理。"), where, w.now)
        webhooks.enqueue("reminder", kind, due, _key("remind", kind), where, w.now)
    reminded = _stamp("reminded_at", conditions, w.now)
    db.session.commit()
    return reminded


def escalate_overdue(now: datetime | None = None) -> int:
    """督办: past-due items go to every supervisor and the unit's users, with an audit event; returns how many."""
    w = _begin("escalate", now)
    conditions = {kind: _past_due(kind, w) for kind in DEADLINES}
    recipients = or_(User.unit_id == Assignment.unit_id, User.role == "supervisor")
    for kind, where in conditions.items():
        due = DEADLINES[kind]
        title = (const("【督办】") + Unit.name + const(" 承办的 ") + _tracking_no() + const(" 已超过")
                 + _label(kind) + const("时限（") + local_time(due, "minute") + const("）"))
        _notify("escalation", recipients, _key("escalate", kind), title,
                const("已超过时限，请督促尽快办理。"), where, w.now)
        webhooks.enqueue("escalation", kind, due, _key("escalate", kind), where, w.now)
        db.session.execute(insert(Event).from_select(
            ["at", "actor", "action", "subject_type", "subject_id", "message_id", "detail"],
            select(instant(w.now), const("system"), const("escalate"), const("assignment"), Assignment.id,
                   Assignment.message_id, literal({"kind": kind}, Event.detail.type))
            .where(*where),
        ))
    escalated = _stamp("escalated_at", conditions, w.now)
    db.session.commit()
    return escalated


@dataclass
class NoticeList:
    """The 通报 list: every item still overdue long after its deadline, and how many were new to supervisors."""

    rows: list[dict]
    notified: int


def notice_list(now: datetime | None = None) -> NoticeList:
    """通报: items still overdue NOTICE_AFTER_WORKING_DAYS working days after their handling deadline."""
    w = _begin("notice", now)
    where = [*_clock_runs("handle"), Assignment.due_at < w.notice_before]
    title = (const("【通报】") + Unit.name + const(" 承办的 ") + _tracking_no()
             + const(f" 超过办理时限已满 {NOTICE_AFTER_WORKING_DAYS} 个工作日（时限 ")
             + local_time(Assignment.due_at, "minute") + const("）"))
    last_before = db.session.scalar(select(func.coalesce(func.max(Notification.id), 0)))
    _notify("notice", User.role == "supervisor", _key("notice", "handle"), title,
            const("请列入通报。"), where, w.now)
    notified = db.session.scalar(  # assignments that got their first 通报 in this pass
        select(func.count(func.distinct(Notification.assignment_id)))
        .where(Notification.kind == "notice", Notification.id > last_before)
    )
    found = db.session.execute(
        select(Assignment.id, Message.tracking_no, Unit.name, Assignment.role, Assignment.due_at)
        .join(Message, Message.id == Assignment.message_id).join(Unit, Unit.id == Assignment.unit_id)
        .where(*where).order_by(Assignment.due_at, Assignment.id)
    ).all()
    db.session.commit()
    late: dict[date, int] = {}  # few distinct deadline dates: count each once
    rows = []
    for assignment_id, tracking_no, unit, role, due_at in found:
        day = due_at.astimezone(TZ).date()
        if day not in late:
            late[day] = w.calendar.working_days_between(day, w.today)
        rows.append({"assignment_id": assignment_id, "tracking_no": tracking_no, "unit": unit, "role": role,
                     "due_at": due_at.astimezone(TZ), "working_days_overdue": late[day]})
    return NoticeList(rows=rows, notified=notified)
