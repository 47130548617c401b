"""SQL pieces the notification sweeps share: local times, JSON objects and INSERT … ON CONFLICT DO NOTHING.

Only SQLite (the embedded default) and PostgreSQL are supported, like the rest of the application.
Asia/Shanghai has been UTC+8 without daylight saving since 1991, so SQLite can shift by a fixed 8 hours.
"""

from __future__ import annotations

import zlib

from sqlalchemy import String, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import JSON

from responder.extensions import db
from responder.models.base import UTCDateTime

# (SQLite strftime, PostgreSQL to_char) for each way a deadline is written out.
_FORMATS = {
    "date": ("%Y-%m-%d", "YYYY-MM-DD"),
    "minute": ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH24:MI"),
    "iso": ("%Y-%m-%dT%H:%M:%S+08:00", 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
}


class local_time(FunctionElement):  # noqa: N801  SQL function naming
    """An instant written in Asia/Shanghai time as text: "date", "minute" or "iso" (for dedupe keys and titles)."""

    type = String()
    inherit_cache = True

    def __init__(self, column, fmt: str = "date"):
        if fmt not in _FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt = fmt
        super().__init__(column)


@compiles(local_time, "sqlite")
def _local_time_sqlite(element, compiler, **kw):
    return f"strftime('{_FORMATS[element.fmt][0]}', {compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_time, "postgresql")
def _local_time_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"to_char(({column}) AT TIME ZONE 'Asia/Shanghai', '{_FORMATS[element.fmt][1]}')"


class json_object(FunctionElement):  # noqa: N801
    """A JSON object built in SQL from key/value pairs (values: SQL expressions or string constants)."""

    type = JSON()
    inherit_cache = True

    def __init__(self, **pairs):
        args = []
        for key, value in pairs.items():
            # Typed parameters: PostgreSQL cannot infer the type of a bare parameter in a variadic function.
            args.append(literal(key, String()))
            args.append(literal(value, String()) if isinstance(value, str) else value)
        super().__init__(*args)


@compiles(json_object, "sqlite")
def _json_object_sqlite(element, compiler, **kw):
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "postgresql")
def _json_object_postgresql(element, compiler, **kw):
    return f"jsonb_build_object({compiler.process(element.clauses, **kw)})"


def const(value: str):
    """A string constant usable in SELECT lists and concatenations (typed, so PostgreSQL knows what it is)."""
    return literal(value, String())


def insert_new(model, columns: list[str], rows, conflict_on: list[str]):
    """INSERT … SELECT that skips rows already present under the unique constraint `conflict_on`."""
    dialect = db.session.get_bind().dialect.name
    insert = {"sqlite": sqlite_insert, "postgresql": pg_insert}[dialect]
    return insert(model).from_select(columns, rows).on_conflict_do_nothing(index_elements=conflict_on)


def instant(value):
    """A timestamp constant for INSERT … SELECT (stored like every UTCDateTime column)."""
    return literal(value, UTCDateTime())


def serialize(name: str) -> None:
    """Hold a lock named `name` until the transaction ends, so two runs of one sweep never interleave.

    Notifications and deliveries are deduplicated by their keys anyway; this keeps audit events and
    counts exact when beat and `responder sweep` overlap. PostgreSQL only: SQLite has one writer at a time.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"responder:{name}".encode()))))
