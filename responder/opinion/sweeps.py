"""Late event responses (迟报): stamp each missed deadline once, tell supervisors and the responsible units.

A deadline is late when it passed with no response meeting it, or when the response that met it came
after it. The stamp (`late_at`), the audit events and the notifications are written set-based; the
notifications carry a dedupe key per deadline, so a second run — even one racing the first — adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, case, cast, exists, insert, or_, select, update

from responder.extensions import db
from responder.models import Event, Notification, OpinionDeadline, OpinionEvent, User, utcnow
from responder.models import opinion_event_units as event_units
from responder.notify.sql import const, insert_new, instant, json_object, local_time, serialize
from responder.opinion.rules import DEADLINE_LABELS

NOTE_COLUMNS = ["user_id", "kind", "title", "body", "dedupe_key", "created_at"]


def _late(now: datetime) -> list:
    return [OpinionDeadline.late_at.is_(None),
            or_(and_(OpinionDeadline.met_at.is_(None), OpinionDeadline.due_at < now),
                OpinionDeadline.met_at > OpinionDeadline.due_at)]


def _label():
    return case(*((OpinionDeadline.kind == kind, const(label)) for kind, label in DEADLINE_LABELS.items()),
                else_=OpinionDeadline.kind)


def flag_late(now: datetime | None = None) -> int:
    """Flag every newly late event deadline once; returns how many were flagged."""
    serialize("opinion_late")
    now = now or utcnow()
    where = _late(now)
    responsible = exists().where(event_units.c.event_id == OpinionEvent.id, event_units.c.unit_id == User.unit_id)
    title = (const("【舆情回应超时】") + OpinionEvent.title + const("：未在时限内") + _label()
             + const("（时限 ") + local_time(OpinionDeadline.due_at, "minute") + const("）"))
    rows = (select(User.id, const("escalation"), title, const("请督促责任单位尽快回应社会关切。"),
                   const("opinion-late:") + cast(OpinionDeadline.id, String), instant(now))
            .select_from(OpinionDeadline).join(OpinionEvent, OpinionEvent.id == OpinionDeadline.event_id)
            .join(User, and_(User.active.is_(True), or_(User.role == "supervisor", responsible)))
            .where(*where))
    db.session.execute(insert_new(Notification, NOTE_COLUMNS, rows, ["user_id", "dedupe_key"]))
    db.session.execute(insert(Event).from_select(
        ["at", "actor", "action", "subject_type", "subject_id", "detail"],
        select(instant(now), const("system"), const("opinion_event.late"), const("opinion_event"),
               OpinionDeadline.event_id, json_object(kind=OpinionDeadline.kind))
        .where(*where)))
    flagged = db.session.execute(
        update(OpinionDeadline).where(*where).values(late_at=now).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return flagged
