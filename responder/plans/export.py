"""The task ledger (重点任务台账) as CSV or XLSX, through the one export module every 台账 uses."""

from __future__ import annotations

from flask import Response

from responder.extensions import db
from responder.models import PlanTask
from responder.plans import ledger
from responder.plans.ledger import task_dict
from responder.reports.export import Column, Sheet, csv_bytes, download, xlsx_bytes

COLUMNS = [
    Column("plan", "方案", width=30), Column("number", "序号", width=6), Column("section", "工作任务", width=24),
    Column("requirement", "具体要求", width=60), Column("lead", "牵头单位", width=20),
    Column("assist", "配合单位", width=20), Column("groups", "集体表述", width=16),
    Column("deadline_text", "完成时限", width=14), Column("deadline", "截止日期", "date", width=12),
    Column("flagged_no_unit", "未写明责任单位", width=10), Column("status_label", "状态", width=8),
    Column("progress_note", "进展情况", width=40),
]


def sheet(tasks: list[PlanTask], names: dict[int, str]) -> Sheet:
    rows = []
    for task in tasks:
        row = task_dict(task, names)
        row.update({key: "、".join(row[key]) for key in ("lead", "assist", "groups")})
        row["deadline"] = task.deadline  # a real date cell, not its ISO text
        rows.append(row)
    return Sheet("重点任务台账", COLUMNS, rows)


def to_csv(tasks: list[PlanTask], names: dict[int, str]) -> bytes:
    return csv_bytes(sheet(tasks, names))


def to_xlsx(tasks: list[PlanTask], names: dict[int, str]) -> bytes:
    return xlsx_bytes([sheet(tasks, names)])


def download_tasks(filters: ledger.TaskFilter, fmt: str) -> Response:
    """Every task matching the filters as an attachment in `fmt` (csv or xlsx)."""
    tasks = list(db.session.scalars(ledger.task_query(filters)))
    names = ledger.unit_names()
    content = to_csv(tasks, names) if fmt == "csv" else to_xlsx(tasks, names)
    return download(content, f"plan-tasks.{fmt}", fmt)
