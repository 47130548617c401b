"""Message (诉求件): one citizen's message from one channel, and its analysis results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin, UTCDateTime, utcnow

CHANNELS = ("hotline", "mailbox", "newmedia")  # 12345热线, 省长信箱等领导信箱, 政务新媒体
REQUEST_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise", "disclosure")
URGENCIES = ("normal", "urgent")  # 一般, 紧急


# Open (not finished) messages: the overdue list filter's words, so that its partial index serves it.
OPEN = text("status NOT IN ('published', 'closed', 'merged', 'invalid')")
UNFINISHED = text("published_at IS NULL")
# Open (not finished) and not yet stamped overdue: what mark_overdue() looks at; same words as its query.
OPEN_UNSTAMPED = text("overdue_at IS NULL AND status NOT IN ('published', 'closed', 'merged', 'invalid')")


class Message(TimestampMixin, db.Model):
    """A citizen's message; (channel, external_id) is unique so redelivery stores it once."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_messages_status_received", "status", "received_at"),
        # Scale (bench/scale.py): the newest-first list pages, and the overdue sweep's candidates only.
        Index("ix_messages_received_id", "received_at", "id"),
        Index("ix_messages_open_unstamped_due", "due_at",
              postgresql_where=OPEN_UNSTAMPED, sqlite_where=OPEN_UNSTAMPED),
        # The overdue list (reading.py): open items whose deadline passed, longest overdue first.
        Index("ix_messages_open_due", "due_at", "id", postgresql_where=OPEN, sqlite_where=OPEN),
        # The KPI summary (reports.kpis.late_since_rollup): unfinished items by deadline.
        Index("ix_messages_unfinished_due", "due_at", postgresql_where=UNFINISHED, sqlite_where=UNFINISHED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str | None] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text)
    request_type: Mapped[str | None] = mapped_column(String(20))
    request_type_source: Mapped[str | None] = mapped_column(String(20))  # channel | analysis | operator
    urgency: Mapped[str] = mapped_column(String(20), default="normal")
    citizen_name: Mapped[str | None] = mapped_column(String(80))
    citizen_phone: Mapped[str | None] = mapped_column(String(40), index=True)
    citizen_id_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(500))
    consent_public: Mapped[bool | None] = mapped_column()
    meta: Mapped[dict] = mapped_column(JSONDoc, default=dict)

    status: Mapped[str] = mapped_column(String(20), default="received")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set by the sweep once passed
    # Background-work state lives on the row, not in the broker (a sweep retries from here).
    analysis_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    analysis_attempts: Mapped[int] = mapped_column(default=0)
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    reopen_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    analysis: Mapped[AnalysisResult | None] = relationship(
        primaryjoin="and_(AnalysisResult.message_id == Message.id, AnalysisResult.current)",
        viewonly=True,
        uselist=False,
    )
    assignments: Mapped[list[Assignment]] = relationship(  # noqa: F821
        back_populates="message", order_by="Assignment.id"
    )
    merged_into: Mapped[Message | None] = relationship(remote_side=[id], viewonly=True)
    responses: Mapped[list[Response]] = relationship(order_by="Response.id", viewonly=True)  # noqa: F821


class AnalysisResult(TimestampMixin, db.Model):
    """What analysis found in a message, with the model version that found it (研判结果)."""

    __tablename__ = "analysis_results"
    __table_args__ = (UniqueConstraint("message_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    model_version: Mapped[str] = mapped_column(String(120))
    current: Mapped[bool] = mapped_column(default=True)
    topic: Mapped[str | None] = mapped_column(String(60), index=True)
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    sentiment: Mapped[float | None] = mapped_column(Float)
    sentiment_label: Mapped[str | None] = mapped_column(String(20))
    request_type: Mapped[str | None] = mapped_column(String(20))
    request_type_confidence: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(20), default="normal")
    risk_flags: Mapped[list] = mapped_column(JSONDoc, default=list)
    tags: Mapped[list] = mapped_column(JSONDoc, default=list)
    # 待复核: topic confidence below the review threshold; cleared when an operator confirms or corrects it.
    needs_review: Mapped[bool] = mapped_column(default=False, index=True)
