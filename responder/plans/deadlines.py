"""Deadlines written in plan text (`2021年12月1日前完成`, `9月底前`, `年底前`) as dates — pure."""

from __future__ import annotations

import calendar
import re
from datetime import date

_FULL = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日|(底|末|下旬)|(中旬)|(上旬))?")
_YEAR = re.compile(r"(20\d{2})年")


def plan_year(title: str | None) -> int | None:
    """The year a plan is for (`…2021年政务公开工作要点…` → 2021)."""
    match = _YEAR.search(title or "")
    return int(match.group(1)) if match else None


def deadline_date(text: str | None, year: int | None) -> date | None:
    """The last day the text allows, or None when it names no day we can place (长期坚持, no year)."""
    text = text or ""
    match = _FULL.search(text)
    if match:
        y = int(match.group(1)) if match.group(1) else year
        month = int(match.group(2))
        if y is None or not 1 <= month <= 12:
            return None
        last = calendar.monthrange(y, month)[1]
        day = int(match.group(3)) if match.group(3) else 20 if match.group(5) else 10 if match.group(6) else last
        return date(y, month, min(max(day, 1), last))
    explicit = _YEAR.search(text)
    y = int(explicit.group(1)) if explicit else year
    if y is None:
        return None
    if "上半年" in text:
        return date(y, 6, 30)
    if "年底" in text or "年内" in text or "下半年" in text or "年末" in text or re.search(r"\d{4}年底", text):
        return date(y, 12, 31)
    return None
