"""Immediate alerts (风险预警): an urgent message with risk flags is told to every active supervisor at once."""

from __future__ import annotations

from sqlalchemy import Integer, cast, literal, null, select

from responder.analysis.lexicon import RISK_LABELS
from responder.extensions import db
from responder.models import Message, Notification, User, utcnow
from responder.notify.sql import const, insert_new, instant
from responder.notify.sweeps import NOTE_COLUMNS


def alert_supervisors(message: Message, flags: list[str]) -> None:
    """One alert per supervisor per message (dedupe key), added to the caller's transaction."""
    named = "、".join(RISK_LABELS.get(f, f) for f in flags)
    title = f"【风险预警】{message.tracking_no or ''} {named}".strip()
    body = (message.title or message.content or "")[:80]
    rows = select(User.id, const("alert"), literal(message.id, Integer), cast(null(), Integer), const(title),
                  const(body), const(f"risk:{message.id}"), instant(utcnow())) \
        .where(User.role == "supervisor", User.active.is_(True))
    db.session.execute(insert_new(Notification, NOTE_COLUMNS, rows, ["user_id", "dedupe_key"]))
