"""File import: rows through the same intake path as the API, in chunked transactions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from responder.errors import ValidationFailed
from responder.intake.service import receive_batch


@dataclass
class ImportReport:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


def _reason(exc: ValidationFailed) -> str:
    return "；".join(f"{name}：{why}" for name, why in exc.fields.items()) or exc.message


def _flush(batch: list, report: ImportReport, actor: str) -> None:
    numbers = [number for number, _ in batch]
    for number, result in zip(numbers, receive_batch([payload for _, payload in batch], actor), strict=True):
        if isinstance(result, ValidationFailed):
            report.rejected.append((number, _reason(result)))
        elif result.created:
            report.accepted += 1
        else:
            report.duplicates += 1
    batch.clear()


def import_rows(rows: Iterable, *, channel: str | None, actor: str, chunk: int = 500,
                progress: Callable[[int], object] | None = None) -> ImportReport:
    """Store every valid row (each whole or not at all) and report the others with their row numbers."""
    report = ImportReport()
    batch: list[tuple[int, dict]] = []
    for row in rows:
        if progress:
            progress(1)
        if row.payload is None:
            report.rejected.append((row.number, row.error or "无法解析"))
            continue
        payload = dict(row.payload)
        if channel:
            payload["channel"] = channel
        batch.append((row.number, payload))
        if len(batch) >= chunk:
            _flush(batch, report, actor)
    if batch:
        _flush(batch, report, actor)
    report.rejected.sort()
    return report
