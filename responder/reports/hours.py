"""Working hours in SQL: the official calendar as a small VALUES table, and handling time per group.

Working hours (工作时长) are the elapsed hours that fall on working days of the official calendar
(chinesecalendar plus the admin's CalendarDay rows), counted in Beijing time: a working day counts
all 24 of its hours, a weekend or holiday none, and a make-up working day (调休上班) counts in full.

What keeps this set-based: for every day d of the report's span the calendar table holds `cum`, the
working hours of the span before d. The working-hours position of an instant t falling on day d is

    W(t) = cum(d) + workday(d) * (hours since midnight of d at t)

so the working hours between two instants are W(b) - W(a): two equality joins on the local date,
no loop over the days of each row. The joins use the local day's number (days since 1970-01-01 in
Beijing time, arithmetic on the epoch) rather than its formatted text: at a million rows formatting
dates cost more than everything else. The same SQL runs on SQLite and PostgreSQL; the small functions
below are the only places the dialects differ.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import CTE, Float, Integer, String, case, column, select, values
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, Subquery

from responder.workflow.calendar import WorkCalendar
from responder.workflow.sla import TZ

HOURS_PER_WORKING_DAY = 24.0


class local_day(FunctionElement):  # noqa: N801  (reads as a SQL function)
    """The Beijing-time calendar date of an instant, as 'YYYY-MM-DD' text."""

    type = String()
    inherit_cache = True


@compiles(local_day)
def _local_day_default(element, compiler, **kw):
    return "to_char((%s) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')" % compiler.process(element.clauses, **kw)


@compiles(local_day, "sqlite")
def _local_day_sqlite(element, compiler, **kw):
    # SQLite stores naive UTC text; Beijing has kept UTC+8 without daylight saving since 1991.
    return "date(%s, '+8 hours')" % compiler.process(element.clauses, **kw)


class day_number(FunctionElement):  # noqa: N801
    """The Beijing-time calendar date of an instant as days since 1970-01-01 (an integer, cheap to join on)."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number_default(element, compiler, **kw):
    # Beijing has kept UTC+8 without daylight saving since 1991: local days are 86,400 s from 16:00 UTC.
    return "CAST(floor((date_part('epoch', %s) + 28800) / 86400) AS INTEGER)" % compiler.process(
        element.clauses, **kw)


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return "((CAST(strftime('%%s', %s) AS INTEGER) + 28800) / 86400)" % compiler.process(element.clauses, **kw)


def day_number_of(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def day_of_number(n: int) -> date:
    return date(1970, 1, 1) + timedelta(days=n)


class epoch(FunctionElement):  # noqa: N801
    """Seconds since 1970-01-01 UTC of an instant."""

    type = Float()
    inherit_cache = True


@compiles(epoch)
def _epoch_default(element, compiler, **kw):
    # date_part gives double precision; EXTRACT gives numeric since PostgreSQL 14, several times slower here.
    return "date_part('epoch', %s)" % compiler.process(element.clauses, **kw)


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    return "CAST(strftime('%%s', %s) AS INTEGER)" % compiler.process(element.clauses, **kw)


def calendar_table(calendar: WorkCalendar, start: date, end: date, dialect: str = "sqlite") -> Subquery | CTE:
    """The days start..end as `cal`: day, its number (day_number), ISO week, month, local midnight, workday flag,
    cum hours. A subquery over VALUES, not a CTE: PostgreSQL scans CTEs only in the leader process, which kept
    the million-row scans joined to it out of the parallel workers. SQLite gets the CTE (it cannot name the
    columns of VALUES in FROM)."""
    rows, cum, day = [], 0.0, start
    while day <= end:
        year, week, _ = day.isocalendar()
        workday = calendar.is_workday(day)
        midnight = int(datetime.combine(day, time(), TZ).timestamp())
        rows.append((day.isoformat(), day_number_of(day), f"{year}-W{week:02d}", day.strftime("%Y-%m"), midnight,
                     int(workday), cum))
        cum += HOURS_PER_WORKING_DAY if workday else 0.0
        day += timedelta(days=1)
    # Literal rows: all generated here from dates, and a year of days stays far below any bind limit.
    table = values(column("day", String), column("n", Integer), column("week", String), column("month", String),
                   column("start", Integer), column("workday", Integer), column("cum", Float),
                   name="cal", literal_binds=True)
    if dialect == "sqlite":
        return table.data(rows).cte("cal")
    return select(table.data(rows)).subquery("cal")


def position(day_row, instant) -> ColumnElement:
    """W(t): the working-hours position of `instant`, given the calendar row of its local day."""
    return day_row.c.cum + day_row.c.workday * (epoch(instant) - day_row.c.start) / 3600.0


def working_hours(cal: Subquery | CTE, start, end) -> tuple[ColumnElement, list]:
    """Working hours from `start` to `end` (never negative), and the (alias, onclause) joins it needs."""
    start_day, end_day = cal.alias("start_day"), cal.alias("end_day")
    span = position(end_day, end) - position(start_day, start)
    joins = [(start_day, start_day.c.n == day_number(start)), (end_day, end_day.c.n == day_number(end))]
    return case((span > 0, span), else_=0.0), joins


class centihours(FunctionElement):  # noqa: N801
    """Hours to the nearest hundredth (36 s), as an integer: the bucket of the handling-time histogram."""

    type = Integer()
    inherit_cache = True


@compiles(centihours)
def _centihours(element, compiler, **kw):
    # floor(x + 0.5) rather than round(): the same half-up rule on both databases.
    return "CAST(floor((%s) * 100 + 0.5) AS INTEGER)" % compiler.process(element.clauses, **kw)
