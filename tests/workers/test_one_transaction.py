"""On PostgreSQL the worker's step analyses and routes a message in one transaction (one commit, one seal
of the audit chain), a repeat changes nothing, and the chain stays intact."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from responder import directory
from responder.audit_chain import verify
from responder.extensions import db
from responder.models import Message, RoutingRule
from tests.conftest import base_config

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pg_app(pg_url):
    from responder.app import create_app

    app = create_app(base_config(pg_url))  # no Redis: the task runs in-process after the intake commit
    with app.app_context():
        upgrade()
        unit, _ = directory.ensure_unit("综合行政执法办公室", actor="test")
        db.session.add(RoutingRule(name="垃圾", priority=50, keywords=["垃圾"], lead_unit_id=unit.id))
        db.session.commit()
        _, plain = directory.create_token("one-tx", "integration", None, actor="test")
        db.session.remove()
    yield app, {"Authorization": f"Bearer {plain}"}
    with app.app_context():
        db.engine.dispose()


def post(client, headers, ext, content):
    return client.post("/api/v1/messages", headers=headers, json={
        "channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00", "content": content})


def events_of(message_id: int) -> list[tuple[str, int, int]]:
    """(action, seq, inserting transaction id) of a message's events, in chain order."""
    return [tuple(r) for r in db.session.execute(sa.text(
        "SELECT action, seq, xmin::text::bigint FROM events WHERE message_id = :m ORDER BY seq"), {"m": message_id})]


def test_analysis_and_routing_are_one_commit(pg_app):
    app, headers = pg_app
    client = app.test_client()
    answer = post(client, headers, "T-1", "小区门口的垃圾三天没人清运，臭味很大")
    assert answer.status_code == 201
    with app.app_context():
        message = db.session.scalar(sa.select(Message).filter_by(external_id="T-1"))
        assert message.status == "dispatched" and message.analysed_at is not None
        assert message.analysis_attempts == 1
        events = events_of(message.id)
        assert [a for a, _, _ in events] == ["receive", "analyse", "dispatch"]
        (_, _, received_tx), (_, analyse_seq, analyse_tx), (_, dispatch_seq, dispatch_tx) = events
        assert analyse_tx == dispatch_tx != received_tx  # analysis and dispatch committed together
        assert dispatch_seq == analyse_seq + 1
        same_tx = db.session.execute(sa.text(
            "SELECT (SELECT count(*) FROM analysis_results WHERE message_id = :m AND xmin::text::bigint = :x),"
            " (SELECT count(*) FROM assignments WHERE message_id = :m AND xmin::text::bigint = :x)"),
            {"m": message.id, "x": analyse_tx}).one()
        assert tuple(same_tx) == (1, 1)
        db.session.remove()


def test_a_repeated_task_and_delivery_change_nothing(pg_app):
    from workers.analysis import analyse_message

    app, headers = pg_app
    client = app.test_client()
    assert post(client, headers, "T-2", "垃圾桶满了没人倒").status_code == 201
    assert post(client, headers, "T-3", "路灯坏了好几天").status_code == 201  # no rule matches: stays analysed
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Message.external_id, Message.id)).all())
        before = {ext: events_of(i) for ext, i in ids.items()}
        db.session.remove()
    assert post(client, headers, "T-2", "垃圾桶满了没人倒").status_code == 200
    with app.app_context():
        for message_id in ids.values():
            analyse_message(message_id)  # a redelivered task
        assert {ext: events_of(i) for ext, i in ids.items()} == before
        statuses = dict(db.session.execute(sa.select(Message.external_id, Message.status)).all())
        assert statuses == {"T-2": "dispatched", "T-3": "analyzed"}
        assert [a for a, _, _ in before["T-3"]] == ["receive", "analyse"]
        verdict = verify(db.session.connection())
        assert verdict.intact, verdict
        db.session.remove()
