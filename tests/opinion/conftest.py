"""Fixtures for opinion events and hotspots: both databases, two units, supervisors and handlers, tokens."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import BOTH_DATABASES, app_on, create_people

LEAD, OTHER = "宣传办", "公共服务办公室"
SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(params=BOTH_DATABASES)
def app(request, tmp_path):
    """The app on SQLite or on a fresh PostgreSQL database, tables created."""
    yield from app_on(request, tmp_path)


@pytest.fixture
def people(app, monkeypatch):
    """Two units with a handler each, two supervisors and an operator (as users, to receive notifications)."""
    rows = [("handler", "unit", LEAD), ("elsewhere", "unit", OTHER), ("sup1", "supervisor", None),
            ("sup2", "supervisor", None), ("op", "operator", None)]
    return create_people(monkeypatch, rows)


@pytest.fixture
def tokens(make_token, people):
    return {"supervisor": make_token("supervisor"), "lead": make_token("unit", LEAD),
            "other": make_token("unit", OTHER), "operator": make_token("operator"),
            "integration": make_token("integration"), "admin": make_token("admin")}
