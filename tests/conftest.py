"""Fixtures: app (SQLite file, tasks in-process), db, client, tokens, and real PostgreSQL/Redis when present.

Tests that need PostgreSQL, Redis, a worker or ../shared/data skip with a reason on a machine without
them; under CI=true they fail instead, and any skip at all fails the run (see pytest_sessionfinish).
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

from responder.app import create_app
from responder.extensions import db as _db

IN_CI = os.environ.get("CI") == "true"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", int(os.environ.get("TEST_REDIS_PORT", "6379"))
# A database index per checkout lets parallel test runs share one Redis server without flushing each other.
REDIS_TEST_DB = int(os.environ.get("TEST_REDIS_DB", "13"))
SHARED_DATA = Path(os.environ.get("RESPONDER_SHARED_DATA") or Path(__file__).resolve().parents[1] / ".." / "shared" / "data")


def need(condition: bool, reason: str) -> None:
    """Skip when a service is missing — except in CI, where a missing service is a failure."""
    if condition:
        return
    if os.environ.get("CI") == "true":  # read now: a test may set it
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def base_config(database_url: str, redis_url: str | None = None) -> dict:
    from responder.config import celery_settings, engine_options

    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "REDIS_URL": redis_url,
        "CELERY": celery_settings(redis_url) | ({} if redis_url else {"task_eager_propagates": True}),
        "AUDIT_DEFER_INTAKE_SEAL": redis_url is not None,  # as in production: the sealer runs where a broker does
        "WTF_CSRF_ENABLED": True,
    }




def create_people(monkeypatch, rows) -> dict[str, int]:
    """Users (username, role, unit) as ids by name; a cheap password hash, since strength is not under test."""
    from werkzeug.security import generate_password_hash

    from responder import directory

    monkeypatch.setattr(directory, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1"))
    for unit in dict.fromkeys(unit for _, _, unit in rows if unit):
        directory.ensure_unit(unit, actor="test")
    return {name: directory.create_user(name, role, unit, "password-123", actor="test").id
            for name, role, unit in rows}

BOTH_DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def app_on(request, tmp_path):
    """For a fixture parametrised with BOTH_DATABASES: the app on SQLite or a fresh PostgreSQL, tables created."""
    url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    app = create_app(base_config(url))
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()

@pytest.fixture
def app(tmp_path):
    """An app on a fresh SQLite file, tables created, analysis in-process."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'test.db'}"))
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_token(app):
    """make_token(role, unit=None) -> bearer header dict."""
    from responder import directory

    def make(role: str, unit: str | None = None) -> dict:
        _, plain = directory.create_token(f"t-{uuid.uuid4().hex[:8]}", role, unit, actor="test")
        return {"Authorization": f"Bearer {plain}"}

    return make


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for this test, dropped afterwards."""
    need(port_open("127.0.0.1", 5432), "PostgreSQL is not reachable on 127.0.0.1:5432")
    import sqlalchemy as sa

    name = f"responder_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_url():
    """The shared Redis server, on a database index of its own, emptied before and after."""
    need(port_open(REDIS_HOST, REDIS_PORT), f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT}")
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def shared_data() -> Path:
    need(SHARED_DATA.is_dir(), f"the shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI nothing may skip: a skipped storage, queue or worker test is an untested guarantee."""
    if IN_CI and _skipped:
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which CI does not allow: {_skipped[:10]}")
        session.exitstatus = 1
