"""Statements sent through psycopg directly, on connections from SQLAlchemy's pool, for the two hot paths where
SQLAlchemy's own execution costs more than the work: the audit chain's pipelined lock-and-read, and a single
POST's one-statement insert. Errors come out as SQLAlchemy's (OperationalError → 503, task retry), and a
connection the server dropped is invalidated, exactly as SQLAlchemy would do it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


@functools.cache
def compiled(statement: ClauseElement, dialect: Dialect) -> tuple[str, dict]:
    """A statement's SQL text for the dialect and the values of its literal binds and of the columns' constant
    defaults (which SQLAlchemy would fill in at execution), compiled once; `statement` must be built once too
    (a module constant or a cached builder), since it is the cache key."""
    result = statement.compile(dialect=dialect)
    params = dict(result.params)
    for column in getattr(result, "insert_prefetch", ()):
        if column.default is None or not column.default.is_scalar:
            raise ValueError(f"{column.key}: only constant column defaults can be sent without SQLAlchemy")
        params[column.key] = column.default.arg
    return str(result), params


@contextmanager
def translated_errors(dialect: Dialect, raw, statement: str, params, invalidate: Callable) -> Iterator[None]:
    """Raise psycopg's errors from the block as SQLAlchemy's, invalidating the connection when it is gone."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        disconnected = dialect.is_disconnect(exc, raw, None)
        if disconnected:
            invalidate(exc)
        raise DBAPIError.instance(statement, params, exc, psycopg.Error,
                                  connection_invalidated=disconnected) from exc


def autocommit_fetchone(engine: Engine, statement: str, params: dict) -> tuple | None:
    """Run one statement as its own transaction (autocommit) on a pooled, pre-pinged connection; its first row.

    About a third of the CPU of `engine.connect()` plus `Connection.scalar` for the same statement.
    """
    import psycopg

    try:
        fairy = engine.raw_connection()  # unlike engine.connect(), raises the driver's error when it cannot connect
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error, connection_invalidated=True) from exc
    raw = fairy.driver_connection
    try:
        with translated_errors(engine.dialect, raw, statement, params, fairy.invalidate):
            raw.autocommit = True
            return raw.execute(statement, params).fetchone()
    finally:
        if fairy.is_valid:  # never hand the pool an autocommit connection: sessions rely on transactions
            try:
                raw.autocommit = False
            except psycopg.Error as exc:
                fairy.invalidate(exc)
        fairy.close()  # back to the pool, or discarded when invalidated
