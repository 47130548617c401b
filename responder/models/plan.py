"""The task ledger of an imported 分工方案 (重点任务台账) and the collective references an admin maps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from responder.extensions import db
from responder.models.base import JSONDoc, TimestampMixin, UTCDateTime, utcnow

TASK_STATUSES = ("not_started", "in_progress", "done")  # 未启动, 推进中, 已完成
TASK_STATUS_LABELS = dict(zip(TASK_STATUSES, ("未启动", "推进中", "已完成"), strict=True))


class PlanTask(TimestampMixin, db.Model):
    """One work item of a plan: who leads, who assists, by when, and how far it has got."""

    __tablename__ = "plan_tasks"
    # (plan, item_key) makes importing the same plan twice change nothing.
    __table_args__ = (UniqueConstraint("plan", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan: Mapped[str] = mapped_column(String(200), index=True)  # the plan's title (or file name)
    year: Mapped[int | None] = mapped_column()
    item_key: Mapped[str] = mapped_column(String(240))
    number: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(String(300))  # the item's first clause, for lists
    requirement: Mapped[str] = mapped_column(Text)  # the item's whole text (具体要求)
    responsibility: Mapped[str] = mapped_column(Text, default="")  # the 责任单位 phrase as written
    lead_unit_ids: Mapped[list] = mapped_column(JSONDoc, default=list)
    assist_unit_ids: Mapped[list] = mapped_column(JSONDoc, default=list)
    groups: Mapped[list] = mapped_column(JSONDoc, default=list)  # collective references named by the row
    deadline_text: Mapped[str | None] = mapped_column(String(60))
    deadline: Mapped[date | None] = mapped_column(Date)
    flagged_no_unit: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    progress_note: Mapped[str | None] = mapped_column(Text)
    status_by: Mapped[str | None] = mapped_column(String(160))
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rules.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UnitGroup(TimestampMixin, db.Model):
    """A collective reference in plans (各科室, 相关各部门 …) and the units an admin says it means."""

    __tablename__ = "unit_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    unit_ids: Mapped[list] = mapped_column(JSONDoc, default=list)  # empty: not mapped yet
    note: Mapped[str] = mapped_column(String(300), default="")
