"""Read an import file (CSV, XLSX or JSONL) into intake payloads, row by row, for `responder import`.

Pure file reading. The channel comes from the command line, so the reader never sets it, and field
validation is left to `intake.schemas`, which names the offending field.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice
from os import PathLike
from pathlib import Path

import charset_normalizer
import openpyxl

from responder.intake import columns
from responder.intake.columns import HeaderMap

EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
              ".jsonl": "jsonl", ".ndjson": "jsonl", ".json-lines": "jsonl"}
DELIMITERS = (",", "\t", ";", "|")
HEADER_SEARCH_ROWS = 5  # exports often put a title row (e.g. "12345热线工单明细") above the header
_SNIFF_BYTES = 8192
_CHUNK = 1 << 20
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected .xlsx
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's "Unicode 文本" export
_QUOTED = re.compile(r'"[^"]*"')

StrPath = str | PathLike[str]
Records = Iterator[tuple[int, list | csv.Error]]


class UnusableFile(Exception):
    """File cannot be read at all (missing, wrong format, no header, undecodable) — CLI exits 2."""


@dataclass
class Row:
    """One data row: its number as the user sees it in the file, and its payload or why there is none."""

    number: int
    payload: dict | None
    error: str | None = None


def detect_format(path: StrPath) -> str:
    """"csv", "xlsx" or "jsonl", from the extension, falling back to a look at the content."""
    head = _head(path)
    if head.startswith(_ZIP):
        return "xlsx"  # unambiguous, so it beats a renamed extension
    if head.startswith(_OLE2):
        raise UnusableFile("不支持旧版 .xls 或加密的 Excel 文件，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）")
    suffix = Path(path).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt == "xlsx":
        raise UnusableFile(f"文件扩展名是 {suffix}，但内容不是 XLSX 工作簿")
    return fmt or _sniff(head, suffix)


def count_rows(path: StrPath) -> int | None:
    """Cheap estimate of the data rows, for a progress bar; None when it cannot be told cheaply."""
    fmt = detect_format(path)
    if fmt == "xlsx":
        try:
            with open(path, "rb") as stream, closing(openpyxl.load_workbook(stream, read_only=True)) as wb:
                max_row = wb.worksheets[0].max_row if wb.worksheets else None
        except Exception:  # an estimate must never stop the import
            return None
        return max(max_row - 1, 0) if max_row else None
    with open(path, "rb") as f:
        lines = sum(1 for line in f if line.strip(b" \t\r\n\x00,;|"))
    return lines if fmt == "jsonl" else max(lines - 1, 0)


def unknown_headers(path: StrPath) -> list[str]:
    """Headers of columns the import ignores (unrecognised, or a weaker duplicate), so the CLI can warn."""
    fmt = detect_format(path)
    if fmt == "jsonl":
        return []
    header, records = _open_table(path, fmt)
    records.close()
    return header.ignored


def read_rows(path: StrPath) -> Iterator[Row]:
    """Stream the data rows of an import file; raises UnusableFile now, not on first iteration."""
    fmt = detect_format(path)
    if fmt == "jsonl":
        return _jsonl_rows(path, _encoding(path))
    header, records = _open_table(path, fmt)
    return _table_rows(header, records)


def table_records(path: StrPath) -> Records:
    """(row number, cells) of a CSV or XLSX file, header row included, for readers with their own columns."""
    fmt = detect_format(path)
    if fmt == "jsonl":
        raise UnusableFile("这里需要表格文件（CSV 或 XLSX），不是 JSONL")
    return _csv_records(path) if fmt == "csv" else _xlsx_records(path)


def _open_table(path: StrPath, fmt: str) -> tuple[HeaderMap, Records]:
    """Find the header row (the first non-empty row with a content column) and leave records after it."""
    records = _csv_records(path) if fmt == "csv" else _xlsx_records(path)
    candidates = 0
    for _, cells in records:
        if isinstance(cells, csv.Error) or _blank(cells):
            continue
        header = columns.map_header(cells)
        if header.has(("content",)):
            return header, records
        candidates += 1
        if candidates == HEADER_SEARCH_ROWS:
            break
    records.close()
    if not candidates:
        raise UnusableFile("文件中没有表头行（没有任何数据）")
    raise UnusableFile("没有找到内容列（content/诉求内容）")


def _table_rows(header: HeaderMap, records: Records) -> Iterator[Row]:
    with closing(records):
        for number, cells in records:
            if isinstance(cells, csv.Error):
                yield Row(number, None, f"第{number}行无法解析: {cells}")
            elif not _blank(cells):
                yield Row(number, _payload(header, cells), None)


def _payload(header: HeaderMap, cells: list) -> dict:
    payload: dict = {}
    for index, target in header.columns:
        value = columns.convert(target, cells[index]) if index < len(cells) else None
        if value is None:
            continue
        node = payload
        for key in target[:-1]:
            node = node.setdefault(key, {})
        node[target[-1]] = value
    return payload


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not columns.clean_text(c)) for c in cells)


def _csv_records(path: StrPath) -> Records:
    """(spreadsheet row number, cells) per CSV record; a quoted multi-line cell is one row, as in Excel."""
    encoding = _encoding(path)
    with open(path, encoding=encoding, newline="") as f:
        sample = list(islice(f, 50))
        reader = csv.reader(chain(sample, f), delimiter=_delimiter(sample, Path(path).suffix.lower()))
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. an oversized field: report the row, keep reading
                yield number, exc
                continue
            yield number, cells


def _delimiter(lines: list[str], suffix: str) -> str:
    """The delimiter used most in the first line that has any (the header, or a title row padded by Excel)."""
    for line in lines:
        counts = {d: _QUOTED.sub("", line).count(d) for d in DELIMITERS}
        if suffix == ".tsv" and counts["\t"]:
            return "\t"
        best = max(DELIMITERS, key=counts.__getitem__)  # ties keep the earlier, i.e. ","
        if counts[best]:
            return best
    return ","


def _xlsx_records(path: StrPath) -> Records:
    """(row number, cell values) for the first worksheet, streamed in openpyxl's read-only mode."""
    # A file object, not the path: openpyxl refuses paths whose extension it does not know.
    with open(path, "rb") as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors all mean "not readable"
            raise UnusableFile(f"无法打开 XLSX 文件: {exc}") from exc
        with closing(workbook):
            if not workbook.worksheets:
                raise UnusableFile("XLSX 文件中没有工作表")
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some exporters write a wrong <dimension>, which would truncate rows
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                yield number, list(cells)


def _jsonl_rows(path: StrPath, encoding: str) -> Iterator[Row]:
    with open(path, encoding=encoding) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Row(number, None, f"第{number}行不是有效的 JSON: {exc.msg}（第{exc.colno}列）")
                continue
            if not isinstance(item, dict):
                yield Row(number, None, f"第{number}行不是 JSON 对象（每行应是一个 {{…}} 对象）")
                continue
            yield Row(number, columns.clean_object(item), None)


def _head(path: StrPath) -> bytes:
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise UnusableFile(f"找不到文件: {path}") from None
    except OSError as exc:
        raise UnusableFile(f"无法读取文件 {path}: {exc.strerror or exc}") from None
    if not head:
        raise UnusableFile("文件是空的")
    return head


def _sniff(head: bytes, suffix: str) -> str:
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", "ignore")
    else:  # only ASCII matters here, so any single-byte decoding will do
        text = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if "\x00" not in text and first.startswith("{"):
        return "jsonl"
    if "\x00" not in text and any(d in first for d in DELIMITERS):
        return "csv"
    raise UnusableFile(f"无法识别的文件格式（扩展名 {suffix or '无'}）；支持 CSV、XLSX、JSONL")


def _encoding(path: StrPath) -> str:
    """Strictly UTF-8 (BOM optional), then GB18030 (superset of GBK, Excel's default); else a guess."""
    head = _head(path)
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head:
        raise UnusableFile("文件含有二进制内容，不是文本文件（CSV/JSONL）")
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    best = charset_normalizer.from_path(path).best()
    if best is None:
        raise UnusableFile("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 编码")
    return best.encoding


def _decodes(path: StrPath, encoding: str) -> bool:
    """Whether the whole file decodes strictly, checked chunk by chunk so big files stay out of memory."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(_CHUNK), b""):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
