"""rawsql: psycopg directly on pooled connections, with SQLAlchemy's errors and no autocommit left behind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from responder import rawsql

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(pg_url):
    engine = sa.create_engine(pg_url, pool_size=1, max_overflow=0, pool_pre_ping=True)
    yield engine
    engine.dispose()


def test_one_statement_commits_by_itself_and_leaves_the_connection_transactional(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (n int)"))
    assert rawsql.autocommit_fetchone(engine, "INSERT INTO t VALUES (%(n)s) RETURNING n", {"n": 7}) == (7,)
    with engine.connect() as conn:  # the same pooled connection: back in transactional mode
        assert conn.connection.driver_connection.autocommit is False
        assert conn.scalar(sa.text("SELECT n FROM t")) == 7


def test_errors_are_sqlalchemy_errors_and_the_connection_survives(engine):
    with pytest.raises(sa.exc.DataError):
        rawsql.autocommit_fetchone(engine, "SELECT 1 / %(zero)s", {"zero": 0})
    with engine.connect() as conn:
        assert conn.connection.driver_connection.autocommit is False
        assert conn.scalar(sa.text("SELECT 2")) == 2


def test_no_server_is_an_operational_error_as_for_engine_connect():
    engine = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", pool_pre_ping=True)
    with pytest.raises(sa.exc.OperationalError):
        rawsql.autocommit_fetchone(engine, "SELECT 1", {})


def test_constant_column_defaults_are_filled_in(engine):
    table = sa.Table("d", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, default=5))
    statement, params = rawsql.compiled(table.insert().values(a=sa.bindparam("a")), engine.dialect)
    assert params["b"] == 5 and "%(b)s" in statement
