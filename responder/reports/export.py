"""Every export's file format in one place: CSV (UTF-8 with BOM) and XLSX, formula cells neutralised.

A sheet is a title, its columns (key, label, kind, width) and rows of dicts. Text that a spreadsheet
would run as a formula (leading = + - @, tab or CR: CSV/formula injection) gets a leading apostrophe,
in CSV and XLSX alike, and XLSX text cells are written as text whatever they contain. XLSX dates and
times are real date cells (Beijing time, which is what people filing the 台账 read) with a number
format; the header row is frozen and columns have widths.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import Response as HttpResponse

from responder.models.base import LOCAL_TZ

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd", "rate": "0.0%"}


@dataclass(frozen=True)
class Column:
    """One exported column: the row key, its Chinese header, its kind (text, datetime, date, number, rate)."""

    key: str
    label: str
    kind: str = "text"
    width: int = 14


@dataclass
class Sheet:
    """One part of an export (one XLSX sheet)."""

    title: str
    columns: Sequence[Column]
    rows: list[dict]


def neutralise(value):
    """A cell a spreadsheet will not run as a formula (CSV injection); non-text passes unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _local(value):
    """Aware instants to naive Beijing time (spreadsheets have no time zones)."""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
    return value


def _text(value, kind: str) -> str:
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if kind == "rate" and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return neutralise(str(value))


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM (so Excel reads the Chinese), header row first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(c.label) for c in sheet.columns])
    writer.writerows([_text(row.get(c.key), c.kind) for c in sheet.columns] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """Sheets as one workbook: frozen bold header, column widths, date cells, no formula anywhere."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append([c.label for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F3E8E8")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for r, row in enumerate(sheet.rows, start=2):
            for c, column in enumerate(sheet.columns, start=1):
                _write(ws.cell(row=r, column=c), row.get(column.key), column.kind)
        for c, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = column.width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(cell, value, kind: str) -> None:
    from openpyxl.styles import Alignment

    value = _local(value)
    if value is None:
        return
    if isinstance(value, datetime | date):
        cell.value = value
        cell.number_format = FORMATS["datetime" if isinstance(value, datetime) else "date"]
    elif isinstance(value, bool):
        cell.value = "是" if value else "否"
    elif isinstance(value, int | float):
        cell.value = value
        if kind in FORMATS:
            cell.number_format = FORMATS[kind]
    else:
        cell.value = neutralise(str(value))
        cell.data_type = "s"  # never a formula, whatever the text
        cell.alignment = Alignment(wrap_text=len(cell.value) > 30, vertical="top")


def download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    """An attachment response for `fmt` csv or xlsx."""
    mime = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_MIME
    return HttpResponse(content, mimetype=mime,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
