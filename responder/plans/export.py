"""The task ledger as CSV or XLSX: one row per task, cells a spreadsheet will not run as formulas."""

from __future__ import annotations

import csv
import io

from responder.models import PlanTask
from responder.plans.ledger import task_dict

COLUMNS = [
    ("plan", "方案"), ("number", "序号"), ("section", "工作任务"), ("requirement", "具体要求"),
    ("lead", "牵头单位"), ("assist", "配合单位"), ("groups", "集体表述"), ("deadline_text", "完成时限"),
    ("deadline", "截止日期"), ("flagged_no_unit", "未写明责任单位"), ("status_label", "状态"),
    ("progress_note", "进展情况"),
]


def safe(value) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab/CR) gets a quote (formula injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rows(tasks: list[PlanTask], names: dict[int, str]) -> list[list[str]]:
    out = []
    for task in tasks:
        doc = task_dict(task, names)
        out.append([safe(doc[key]) for key, _ in COLUMNS])
    return out


def to_csv(tasks: list[PlanTask], names: dict[int, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows(rows(tasks, names))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(tasks: list[PlanTask], names: dict[int, str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "重点任务台账"
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(tasks, names):
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (30, 6, 24, 60, 20, 20, 16, 14, 12, 10, 8, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
