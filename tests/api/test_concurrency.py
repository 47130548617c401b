"""The same delivery arriving many times at the same instant is stored once, with no 5xx."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import Event, Message
from tests.conftest import base_config


def hammer(app, headers, n=20):
    payload = {"channel": "hotline", "external_id": "RACE-1", "received_at": "2026-11-20T09:30:00+08:00",
               "content": "同一条工单同时到达二十次"}
    barrier, results = threading.Barrier(n), []

    def one():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/messages", json=payload, headers=headers)
        results.append((response.status_code, response.json.get("tracking_no")))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def check(url):
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        _, plain = directory.create_token("race", "integration", None, actor="test")
        db.session.remove()
    results = hammer(app, {"Authorization": f"Bearer {plain}"})
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and set(codes) <= {200, 201}, codes
    assert len({no for _, no in results}) == 1
    with app.app_context():
        assert db.session.query(Message).count() == 1
        assert db.session.query(Event).filter_by(action="receive").count() == 1
        db.session.remove()
        db.engine.dispose()


def test_simultaneous_identical_posts_sqlite(tmp_path):
    check(f"sqlite:///{tmp_path / 'race.db'}")


@pytest.mark.postgres
def test_simultaneous_identical_posts_postgres(pg_url):
    check(pg_url)
