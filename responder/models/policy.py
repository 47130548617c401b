"""Policy as data: time limits, routing rules and the working-day calendar an admin edits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin


class TimeLimitPolicy(TimestampMixin, db.Model):
    """A time limit (办理时限): which items it covers (None = any) and how long they get."""

    __tablename__ = "time_limit_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # handle | sign | extension_cap
    channel: Mapped[str | None] = mapped_column(String(20))
    request_type: Mapped[str | None] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(20))
    working_days: Mapped[int | None] = mapped_column()
    hours: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)


routing_rule_assists = Table(
    "routing_rule_assists",
    db.Model.metadata,
    Column("rule_id", ForeignKey("routing_rules.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class RoutingRule(TimestampMixin, db.Model):
    """Topic and/or keywords → lead unit and assisting units; higher priority wins."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(default=0)
    topic: Mapped[str | None] = mapped_column(String(60))
    keywords: Mapped[list] = mapped_column(JSONDoc, default=list)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(40), default="admin")  # admin | demo | plan
    active: Mapped[bool] = mapped_column(default=True)

    lead_unit: Mapped[Unit] = relationship()  # noqa: F821
    assist_units: Mapped[list[Unit]] = relationship(secondary=routing_rule_assists)  # noqa: F821


class CalendarDay(TimestampMixin, db.Model):
    """An admin-entered day that overrides the official calendar (holiday or make-up working day)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
