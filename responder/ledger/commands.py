"""`responder commitments [FILE]`: the commitment extractor over JSONL replies, without an app or a database."""

from __future__ import annotations

import json
from datetime import date, datetime

import click

from responder.cli import InputError


def _replied_at(value, number: int) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"第 {number} 行：字段 replied_at 应为 ISO 8601 日期或时间")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"第 {number} 行：字段 replied_at 不是 ISO 8601 日期或时间：{value[:40]}") from None
    if moment.tzinfo is not None:
        from responder.workflow.sla import TZ

        moment = moment.astimezone(TZ)  # the reply's own (Beijing) date is what deadlines count from
    return moment.date()


def parse_line(raw: bytes, number: int) -> tuple[object, str, date | None]:
    """(id, content, replied date) of one input line; InputError (exit 2) naming the line and field."""
    try:
        record = json.loads(raw.decode("utf-8").lstrip("\ufeff"))
    except UnicodeDecodeError:
        raise InputError(f"第 {number} 行：不是 UTF-8 文本") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"第 {number} 行：不是 JSON（{exc.msg}，第 {exc.colno} 列）") from None
    if not isinstance(record, dict):
        raise InputError(f"第 {number} 行：应为 JSON 对象 {{id, content, replied_at?}}")
    if "id" not in record:
        raise InputError(f"第 {number} 行：缺少字段 id")
    content = record.get("content")
    if not isinstance(content, str) or not content.strip():
        raise InputError(f"第 {number} 行：字段 content 应为非空字符串")
    return record["id"], content, _replied_at(record.get("replied_at"), number)


@click.command("commitments")
@click.argument("file", required=False, default="-", type=click.File("rb"))
def commitments_command(file) -> None:
    """Extract commitments (承诺) from official replies: JSONL in, JSONL out, one line per input line.

    Each input line is {"id", "content", "replied_at"?} (FILE, or stdin without FILE); each output line
    is {"id", "commitments": [{"text", "due_date"}]}, due_date YYYY-MM-DD or null, relative deadlines
    (N个工作日内) counted from replied_at on the official calendar. Blank lines are skipped. A bad line
    stops the run with exit status 2 and a message naming its line number and field.
    """
    from responder.ledger.extract import extract
    from responder.workflow.calendar import WorkCalendar

    calendar = WorkCalendar()
    for number, raw in enumerate(file, start=1):
        if not raw.strip():
            continue
        ident, content, replied = parse_line(raw, number)
        found = [c.as_dict() for c in extract(content, replied, calendar)]
        click.echo(json.dumps({"id": ident, "commitments": found}, ensure_ascii=False).encode("utf-8"))
