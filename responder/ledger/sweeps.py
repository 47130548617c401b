"""The commitment sweep: a promise past its date and still unfulfilled is flagged once and its unit reminded.

Set-based like the other sweeps: one UPDATE stamps overdue_at on every such commitment, one
INSERT … SELECT writes their audit events, one more the notifications for the unit's users (deduplicated
by key, so a second run — even after the stamps were lost — sends nothing twice).
Only commitments of approved replies count: a reply sent back for rework made no promise yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, cast, exists, insert, literal, select, update

from responder.extensions import db
from responder.models import Commitment, Event, Message, Notification, Response, User, utcnow
from responder.notify.sql import const, insert_new, instant, serialize
from responder.workflow.sla import TZ

NOTE_COLUMNS = ["user_id", "kind", "message_id", "title", "body", "dedupe_key", "created_at"]


def _due_text():
    return cast(Commitment.due_date, String)


def mark_overdue_commitments(now: datetime | None = None) -> int:
    """Flag pending commitments whose promised date has passed (Beijing date), once each; returns how many."""
    serialize("commitments-overdue")
    now = now or utcnow()
    today = now.astimezone(TZ).date()
    approved = exists().where(Response.id == Commitment.response_id, Response.status == "approved")
    late = and_(Commitment.status == "pending", Commitment.due_date < today, Commitment.overdue_at.is_(None),
                approved)
    marked = db.session.execute(
        update(Commitment).where(late).values(overdue_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if marked:
        stamped = Commitment.overdue_at == instant(now)
        db.session.execute(insert(Event).from_select(
            ["at", "actor", "action", "subject_type", "subject_id", "message_id", "detail"],
            select(instant(now), const("system"), const("commitments.overdue"), const("commitments"),
                   Commitment.id, Commitment.message_id, literal({}, Event.detail.type)).where(stamped),
        ))
        title = (const("【承诺逾期】") + Message.tracking_no + const(" 承诺事项已超过承诺完成日期（")
                 + _due_text() + const("），请尽快落实并登记落实情况"))
        rows = (select(User.id, const("commitment_overdue"), Commitment.message_id, title,
                       Commitment.content, const("commitment-overdue:") + cast(Commitment.id, String)
                       + const(":") + _due_text(), instant(now))
                .select_from(Commitment).join(Message, Message.id == Commitment.message_id)
                .join(User, and_(User.unit_id == Commitment.unit_id, User.active.is_(True))).where(stamped))
        db.session.execute(insert_new(Notification, NOTE_COLUMNS, rows, ["user_id", "dedupe_key"]))
    db.session.commit()
    return marked
