"""Writing audit events: every change adds one, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert

from responder.audit_chain import DEFER
from responder.extensions import db
from responder.models import Event, utcnow


def record(actor: str, action: str, *, message_id: int | None = None, subject_type: str = "message",
           subject_id: int | None = None, detail: dict | None = None) -> Event:
    """Add an audit event to the current transaction (the caller commits)."""
    event = Event(
        at=utcnow(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id if subject_id is not None else message_id,
        message_id=message_id,
        detail=detail or {},
    )
    db.session.add(event)
    return event


def record_many(actor: str, action: str, messages: list[tuple[int, dict]], *, at: datetime | None = None,
                defer_seal: bool = False) -> None:
    """One event per message for the same action, written with a single executemany (bulk intake).
    With defer_seal the events are left to the sealer (audit_chain.DEFER) instead of sealed at commit."""
    if not messages:
        return
    at = at or utcnow()
    db.session.execute(insert(Event).execution_options(**{DEFER: defer_seal}), [
        {"at": at, "actor": actor, "action": action, "subject_type": "message", "subject_id": message_id,
         "message_id": message_id, "detail": detail}
        for message_id, detail in messages
    ])
