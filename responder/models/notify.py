"""In-app notifications (催办, 督办, 通报, review queues) and per-unit webhook deliveries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin, UTCDateTime


class Notification(TimestampMixin, db.Model):
    """One notice for one user; `dedupe_key` makes every sweep idempotent (nothing is sent twice)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # reminder | escalation | notice | alert | review
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    dedupe_key: Mapped[str] = mapped_column(String(200))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(TimestampMixin, db.Model):
    """A signed POST to a unit's webhook; the row holds the send state a sweep retries from."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("unit_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
