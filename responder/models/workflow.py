"""The handling cycle's records: returns (退单), extensions (延期), pauses (补正), assisting opinions
(协办意见), replies (答复) under review, and callbacks (回访)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import TimestampMixin, UTCDateTime

DECISIONS = ("pending", "approved", "rejected")


class ReturnRequest(TimestampMixin, db.Model):
    """A unit sends an assignment back (退单) with a reason; the operator re-dispatches or refuses."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | redispatched | refused
    requested_by: Mapped[str] = mapped_column(String(160))
    decided_by: Mapped[str | None] = mapped_column(String(160))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


class ExtensionRequest(TimestampMixin, db.Model):
    """A unit asks for more working days (延期申请); a supervisor approves or rejects."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    days: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | approved | rejected
    requested_by: Mapped[str] = mapped_column(String(160))
    decided_by: Mapped[str | None] = mapped_column(String(160))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    old_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Pause(TimestampMixin, db.Model):
    """The clock stopped while waiting for the citizen (补正材料); resuming moves the deadline on."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    days_added: Mapped[int | None] = mapped_column()


class Opinion(TimestampMixin, db.Model):
    """An assisting unit's opinion to the lead (协办意见)."""

    __tablename__ = "opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(160))


class Response(TimestampMixin, db.Model):
    """A reply (答复) to the citizen; nothing is published before a supervisor approves it (先审后发)."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="reply")  # reply | direct_answer
    content: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False)  # the unit proposes; the citizen's consent decides
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | approved | rejected
    author: Mapped[str] = mapped_column(String(160))
    reviewed_by: Mapped[str | None] = mapped_column(String(160))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    commitments: Mapped[list[Commitment]] = relationship(  # noqa: F821
        back_populates="response", order_by="Commitment.id")


class Callback(TimestampMixin, db.Model):
    """The operator's follow-up call (回访): satisfaction and whether the problem was solved."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    satisfaction: Mapped[str] = mapped_column(String(30))  # satisfied | basically_satisfied | dissatisfied
    solved: Mapped[str | None] = mapped_column(String(20))  # solved | partly | unsolved
    comment: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(160))
