"""The KPI rollup (考核指标日汇总): per local day of receipt, the counts reports.kpis would compute live.

Rows are derived data, rebuilt by reports.rollup from messages and their assignments; never edited by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from responder.extensions import db
from responder.models.base import UTCDateTime

ROLLUP_STATE_ID = 1  # the state table's only row

# Counts kept per (day, unit, topic, channel); see reports.kpis for what each one means.
ROLLUP_COUNTS = ("messages", "merged", "completion_total", "completed_on_time", "published", "reopened",
                 "assignments", "sign_total", "signed_on_time", "returned", "extended", "auto_dispatched",
                 "auto_kept", "callbacks", "satisfied")


class KpiDaily(db.Model):
    """Counts for one group of one day. Message-level counts sit on rows of the message's lead unit,
    assignment-level counts on rows of the assignment's own unit, exactly as the live summary groups them."""

    __tablename__ = "kpi_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[int] = mapped_column(Integer, index=True)  # reports.hours.day_number of received_at
    unit_id: Mapped[int | None] = mapped_column(Integer)
    topic: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(20))
    messages: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    completion_total: Mapped[int] = mapped_column(Integer, default=0)
    completed_on_time: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    assignments: Mapped[int] = mapped_column(Integer, default=0)
    sign_total: Mapped[int] = mapped_column(Integer, default=0)
    signed_on_time: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    extended: Mapped[int] = mapped_column(Integer, default=0)
    auto_dispatched: Mapped[int] = mapped_column(Integer, default=0)
    auto_kept: Mapped[int] = mapped_column(Integer, default=0)
    callbacks: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)


class KpiHours(db.Model):
    """Handling times of one group of one day as a histogram in hundredths of a working hour (36 s):
    how many published messages took that long, and their exact sum (for the mean)."""

    __tablename__ = "kpi_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    topic: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(20))
    centihours: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    hours_sum: Mapped[float] = mapped_column(Float)


class KpiDay(db.Model):
    """A day whose rows are in the rollup, and when they were computed (the `now` of their time-bound counts)."""

    __tablename__ = "kpi_days"

    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KpiRollupState(db.Model):
    """One row: the audit-chain position the rollup has caught up with, and the calendar it was built on."""

    __tablename__ = "kpi_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int | None] = mapped_column(Integer)
    calendar: Mapped[str | None] = mapped_column(String(64))
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
