"""Migrations: one head; upgrading an empty SQLite and an empty PostgreSQL gives exactly the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import func, select

from responder.app import create_app
from responder.extensions import db
from responder.models import TimeLimitPolicy
from tests.conftest import base_config


def _check(url: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == []
        assert db.session.scalar(select(func.count(TimeLimitPolicy.id))) >= 10  # policies seeded as data
        db.session.remove()
        db.engine.dispose()


def test_single_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_empty_sqlite_matches_models(tmp_path):
    _check(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_upgrade_empty_postgres_matches_models(pg_url):
    _check(pg_url)
