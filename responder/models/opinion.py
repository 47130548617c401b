"""Opinion events (舆情事件) with their deadlines, responses and messages, and detected hotspots (热点)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin, UTCDateTime

# Responsible units (责任单位) of an event: a plain link table, the units see the event through it.
opinion_event_units = Table(
    "opinion_event_units", db.metadata,
    Column("event_id", ForeignKey("opinion_events.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class OpinionEvent(TimestampMixin, db.Model):
    """A matter of public concern (舆情事件): level, stage in 收集→会商→研判→回应→评估, evaluation."""

    __tablename__ = "opinion_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(30))  # especially_major 特别重大 | major 重大 | general 一般
    discovered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="collecting", index=True)
    created_by: Mapped[str] = mapped_column(String(160))
    evaluation: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(30))  # resolved | eased | ongoing
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    units: Mapped[list[Unit]] = relationship(secondary=opinion_event_units, order_by="Unit.id")  # noqa: F821
    deadlines: Mapped[list[OpinionDeadline]] = relationship(order_by="OpinionDeadline.due_at",
                                                            cascade="all, delete-orphan")
    responses: Mapped[list[OpinionResponse]] = relationship(order_by="OpinionResponse.responded_at",
                                                            cascade="all, delete-orphan")


class OpinionDeadline(db.Model):
    """One response deadline of an event: 权威信息 5 h, 发布会 24 h (特别重大/重大) or 回应 48 h (一般).

    `met_at` is the first response that meets it; `late_at` is stamped once by the sweep when the
    deadline passed unmet or was met too late (the flag and its notifications happen once).
    """

    __tablename__ = "opinion_deadlines"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("opinion_events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # info | press | response
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OpinionResponse(TimestampMixin, db.Model):
    """A public response to an event: channel (网站/发布会/新媒体/媒体采访), time, content, deadline met."""

    __tablename__ = "opinion_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("opinion_events.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # website | press_conference | new_media | interview
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[str] = mapped_column(Text)
    meets: Mapped[str | None] = mapped_column(String(20))  # the deadline kind it answers
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[str] = mapped_column(String(160))


class OpinionEventMessage(db.Model):
    """A message that belongs to an event (one link per pair)."""

    __tablename__ = "opinion_event_messages"
    __table_args__ = (UniqueConstraint("event_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("opinion_events.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)


class HotspotKey(db.Model):
    """What a message counts towards in hotspot detection: its topic, tags, key terms and places.

    Written once per analysed message (a row kind "all" marks it indexed); `at` is received_at in
    epoch seconds, so window buckets are plain integer division on SQLite and PostgreSQL alike.
    """

    __tablename__ = "hotspot_keys"
    __table_args__ = (
        UniqueConstraint("message_id", "kind", "key"),
        Index("ix_hotspot_keys_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # all | topic | tag | term | place
    key: Mapped[str] = mapped_column(String(120))
    at: Mapped[int] = mapped_column(BigInteger)


class Hotspot(TimestampMixin, db.Model):
    """A surge (kind topic/tag/term/place) or a cluster of near-duplicates, found by the detection sweep."""

    __tablename__ = "hotspots"
    __table_args__ = (Index("ix_hotspots_open", "kind", "key", "window", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # topic | tag | term | place | cluster
    key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(300), default="")
    window: Mapped[str] = mapped_column(String(10))  # 24h | 7d
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    count: Mapped[int] = mapped_column()
    baseline: Mapped[float] = mapped_column(Float, default=0.0)  # mean of the preceding windows
    spread: Mapped[float] = mapped_column(Float, default=0.0)  # their standard deviation
    score: Mapped[float] = mapped_column(Float, default=0.0)
    message_ids: Mapped[list] = mapped_column(JSONDoc, default=list)  # samples (all members for a cluster)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)  # new | dismissed | converted
    event_id: Mapped[int | None] = mapped_column(ForeignKey("opinion_events.id"))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(160))
