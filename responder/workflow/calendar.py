"""The official working-day calendar: chinesecalendar's data plus days an admin entered.

China moves working days around every year (法定节假日 and 调休 make-up working days on weekends),
and the State Council publishes each year's schedule only late in the previous year. chinesecalendar
ships the published years; for anything else we fall back to "Monday to Friday" and say so, so a
deadline is never refused, only marked provisional. Admin-entered days (CalendarDay rows) win over
both, which is how a new year's schedule gets in before the library is upgraded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

# chinesecalendar's published span is contiguous and well inside this window; probing it once is
# cheaper than catching NotImplementedError on every lookup outside it.
_PROBE_YEARS = range(1990, 2101)


@cache
def library_years() -> frozenset[int]:
    """Years for which the installed chinesecalendar has the official schedule."""
    years = set()
    for year in _PROBE_YEARS:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


def _as_date(d: date) -> date:
    # datetime is a subclass of date; its time part would break dict lookups keyed by date.
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Working days on the Chinese official calendar, with admin overrides taking precedence."""

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        # date -> True: make-up working day (调休上班); False: holiday (放假).
        self._overrides = {_as_date(d): bool(v) for d, v in (overrides or {}).items()}
        self._override_years = frozenset(d.year for d in self._overrides)
        # Sweeps ask about the same few hundred days over and over; one instance is one snapshot.
        self._workday_cache: dict[date, bool] = {}
        self._added: dict[tuple[date, int], tuple[date, bool]] = {}  # bulk intake: same days, same limits

    def fingerprint(self) -> str:
        """Identifies the calendar's content: the library's published years and version, and the admin's days.
        Anything computed from working days (the KPI rollup) is stale when this changes."""
        version = getattr(chinese_calendar, "__version__", "")
        days = ",".join(f"{d.isoformat()}:{int(v)}" for d, v in sorted(self._overrides.items()))
        content = f"{version}|{min(library_years(), default=0)}-{max(library_years(), default=0)}|{days}"
        return hashlib.sha256(content.encode()).hexdigest()

    def knows(self, year: int) -> bool:
        """Whether the official schedule for `year` is available (library data or admin entries)."""
        return year in library_years() or year in self._override_years

    def is_workday(self, d: date) -> bool:
        """Whether people work on `d` (weekday or 调休 make-up day, and not a holiday)."""
        d = _as_date(d)
        cached = self._workday_cache.get(d)
        if cached is None:
            cached = self._workday_cache[d] = self._lookup(d)
        return cached

    def _lookup(self, d: date) -> bool:
        if d in self._overrides:
            return self._overrides[d]
        if d.year in library_years():
            try:
                return chinese_calendar.is_workday(d)
            except NotImplementedError:
                pass  # defensive: fall through to the weekday rule rather than fail a deadline
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> tuple[date, bool]:
        """The n-th working day strictly after `start`, and whether an unknown year made it a guess."""
        if n < 0:
            raise ValueError("n must be >= 0")
        key = (_as_date(start), n)
        found = self._added.get(key)
        if found is None:
            found = self._added[key] = self._add_working_days(*key)
        return found

    def _add_working_days(self, start: date, n: int) -> tuple[date, bool]:
        day = start
        provisional = False
        checked_year = None
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if day.year != checked_year:
                checked_year = day.year
                provisional = provisional or not self.knows(day.year)
            if self.is_workday(day):
                remaining -= 1
        return day, provisional

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall in (start, end]; 0 when end is not after start."""
        start, end = _as_date(start), _as_date(end)
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_workday(day)
            day += timedelta(days=1)
        return count
