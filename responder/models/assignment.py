"""Assignment: a message given to a unit as lead (主办) or assisting (协办) unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import TimestampMixin, UTCDateTime

ASSIGNMENT_ROLES = ("lead", "assist")  # 主办, 协办


class Assignment(TimestampMixin, db.Model):
    """One unit's share of a message, with its own sign-for and handling deadlines."""

    __tablename__ = "assignments"
    # A unit holds a message in one role once at a time; returned or superseded rows stay for the record.
    __table_args__ = (
        Index("uq_assignments_active", "message_id", "unit_id", "role", unique=True,
              sqlite_where=text("active"), postgresql_where=text("active")),
        # The KPI summary (reports.kpis.late_since_rollup): unsigned assignments by sign-for deadline.
        Index("ix_assignments_unsigned_sign_due", "sign_due_at",
              sqlite_where=text("accepted_at IS NULL"), postgresql_where=text("accepted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="dispatched", index=True)
    sign_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # clock stopped (补正) since
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 催办 sent
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 督办 raised
    reason: Mapped[str | None] = mapped_column(Text)  # why it was routed here (rule and matched words)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rules.id"))
    dispatched_by: Mapped[str] = mapped_column(String(120), default="system")
    auto: Mapped[bool] = mapped_column(default=False)  # dispatched by the routing engine
    # An automatic lead someone changed (改派 by an operator, or a return that ended with another lead):
    # the figure routing accuracy counts.
    overridden: Mapped[bool] = mapped_column(default=False)

    message: Mapped[Message] = relationship(back_populates="assignments")  # noqa: F821
    unit: Mapped[Unit] = relationship()  # noqa: F821
