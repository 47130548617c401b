"""What became of a commitment: its state's label, and the 回头看 outcome against its promised date."""

from __future__ import annotations

from datetime import date

from responder.workflow.sla import TZ

STATE_LABELS = {"pending": "待落实", "overdue": "逾期未落实", "fulfilled": "已落实", "published": "已公开"}
OUTCOMES = ("按期落实", "逾期落实", "逾期未落实", "未到期", "无明确时限未落实")


def outcome(commitment, today: date) -> str:
    """按期落实 / 逾期落实 (fulfilled, by or after the date) / 逾期未落实 / 未到期 / 无明确时限未落实."""
    due = commitment.due_date
    if commitment.fulfilled_at is not None:
        done = commitment.fulfilled_at.astimezone(TZ).date()
        return "逾期落实" if due is not None and done > due else "按期落实"
    if due is None:
        return "无明确时限未落实"
    return "逾期未落实" if due < today else "未到期"
