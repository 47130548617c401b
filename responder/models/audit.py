"""Event: the append-only audit trail of every change (who, what, when)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from responder.extensions import db
from responder.models.base import JSONDoc, UTCDateTime, utcnow


class Event(db.Model):
    """One audit event; rows are only ever inserted."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(160))  # "user:alice", "token:12345平台", "system"
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column()
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    detail: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    # Hash chain (responder/audit_chain.py): place in the chain, previous event's hash, this event's hash.
    seq: Mapped[int | None] = mapped_column(unique=True, index=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AppendOnlyViolation(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(Event, "before_update")
@event.listens_for(Event, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyViolation("audit events are append-only")
