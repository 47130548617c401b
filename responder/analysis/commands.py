"""`responder classify [FILE]`: analyse JSONL messages without an app or a database."""

from __future__ import annotations

import json

import click

#: The keys of every result line, in this order (CONTRACT.md).
OUTPUT_KEYS = (
    "id",
    "topic",
    "topic_confidence",
    "sentiment",
    "sentiment_label",
    "request_type",
    "urgency",
    "risk_flags",
    "tags",
)


class BadLine(ValueError):
    """An input line that cannot be classified; carries the id when the line had one."""

    def __init__(self, reason: str, ident=None):
        super().__init__(reason)
        self.ident = ident


def _parse(raw: bytes) -> dict:
    """Decode one JSONL line into a message object, or raise BadLine saying why not."""
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise BadLine("not UTF-8 text") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise BadLine("not a JSON object")
    ident, content, title = record.get("id"), record.get("content"), record.get("title")
    if content is None or (isinstance(content, str) and not content.strip()):
        raise BadLine("no content", ident)
    if not isinstance(content, str):
        raise BadLine("content must be a string", ident)
    if title is not None and not isinstance(title, str):
        raise BadLine("title must be a string", ident)
    return record


def classify_line(raw: bytes) -> dict:
    """Return the result object for one input line (raise BadLine for unusable input)."""
    from responder.analysis.pipeline import analyse_text  # keeps `responder --help` free of model imports

    record = _parse(raw)
    try:
        analysis = analyse_text(
            record["content"],
            record.get("title"),
            given_request_type=record.get("request_type"),
            given_urgency=record.get("urgency"),
        ).as_dict()
    except ValueError as exc:
        raise BadLine(str(exc), record.get("id")) from None
    analysis["id"] = record.get("id")
    return {key: analysis[key] for key in OUTPUT_KEYS}


@click.command("classify")
@click.argument("file", required=False, default="-", type=click.File("rb"))
@click.pass_context
def classify_command(ctx: click.Context, file) -> None:
    """Classify messages: JSONL in, one JSONL result per input line, in order.

    Each input line is {"id", "content", "title"?} (optionally "request_type", "urgency" as in the
    API); read from FILE, or stdin without FILE. Each output line has id, topic, topic_confidence,
    sentiment, sentiment_label, request_type, urgency, risk_flags, tags; a bad line gives
    {"id", "error"} instead and a message with its line number on stderr. Blank lines are skipped.
    Exit status: 0 all lines classified, 1 some lines bad, 2 FILE unreadable.
    """
    bad = 0
    for number, raw in enumerate(file, start=1):
        if not raw.strip():
            continue
        try:
            result = classify_line(raw)
        except BadLine as exc:
            bad += 1
            result = {"id": exc.ident, "error": str(exc)}
            click.echo(f"line {number}: {exc}", err=True)
        click.echo(json.dumps(result, ensure_ascii=False).encode("utf-8"))  # bytes: UTF-8 whatever the locale
    ctx.exit(1 if bad else 0)
