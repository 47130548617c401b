"""The fast paths added for scale keep their promises: capped counts, cached lookups, answers as stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from responder import admin_service, reading
from responder.app import create_app
from responder.extensions import db as _db
from responder.models import Message
from responder.models.message import OPEN, OPEN_UNSTAMPED
from responder.workflow.states import FINISHED
from tests.conftest import base_config


def msg(ext, content="小区门口路灯坏了一个星期，晚上很黑，请尽快维修。"):
    return {"channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00",
            "content": content, "citizen": {"name": "张三", "phone": "13812345678"}}


def test_list_total_is_capped_and_says_so(client, make_token, monkeypatch):
    ingest, operator = make_token("integration"), make_token("operator")
    for i in range(5):
        assert client.post("/api/v1/messages", json=msg(f"CAP-{i}"), headers=ingest).status_code == 201
    monkeypatch.setattr(reading, "COUNT_CAP", 3)
    body = client.get("/api/v1/messages?per_page=2", headers=operator).json
    assert (body["total"], body["total_capped"], len(body["items"])) == (3, True, 2)
    body = client.get("/api/v1/messages?per_page=2&page=3", headers=operator).json  # the cap covers the page
    assert (body["total"], body["total_capped"], len(body["items"])) == (5, False, 1)
    monkeypatch.setattr(reading, "COUNT_CAP", 10)
    body = client.get("/api/v1/messages?per_page=2", headers=operator).json
    assert (body["total"], body["total_capped"]) == (5, False)


def test_overdue_index_predicate_names_the_finished_statuses():
    words = OPEN_UNSTAMPED.text.split("NOT IN (")[1].split(")")[0]
    assert {w.strip(" '") for w in words.split(",")} == {s.value for s in FINISHED}


def test_open_index_predicate_names_the_finished_statuses():
    words = OPEN.text.split("NOT IN (")[1].split(")")[0]
    assert {w.strip(" '") for w in words.split(",")} == {s.value for s in FINISHED}


def _overdue_story(client, make_token) -> tuple[dict, list[str]]:
    """Seven messages: five received in September (long past due), one of them published, two today (not yet
    due). Returns the operator's headers and the tracking numbers the slow definition calls overdue."""
    ingest, operator = make_token("integration"), make_token("operator")
    for i, day in enumerate(["09-03", "09-01", "09-07", "09-02", "09-05"]):
        body = {**msg(f"OD-{i}"), "received_at": f"2026-{day}T09:30:00+08:00"}
        assert client.post("/api/v1/messages", json=body, headers=ingest).status_code == 201
    for i in range(2):
        assert client.post("/api/v1/messages", json=msg(f"NEW-{i}"), headers=ingest).status_code == 201
    first = db_first("OD-2")
    first.status = "published"
    _db.session.commit()
    now = reading.utcnow()
    late = [m for m in _db.session.scalars(select(Message))
            if m.due_at is not None and m.due_at < now and m.status not in {s.value for s in FINISHED}]
    late.sort(key=lambda m: (m.due_at, m.id))
    return operator, [m.tracking_no for m in late]


def db_first(external_id: str) -> Message:
    return _db.session.scalars(select(Message).where(Message.external_id == external_id)).one()


def test_overdue_list_is_the_overdue_set_longest_overdue_first(client, make_token):
    operator, want = _overdue_story(client, make_token)
    assert len(want) == 4
    body = client.get("/api/v1/messages?overdue=true&per_page=3", headers=operator).json
    assert body["total"] == 4 and [m["tracking_no"] for m in body["items"]] == want[:3]
    body = client.get("/api/v1/messages?overdue=true&per_page=3&page=2", headers=operator).json
    assert [m["tracking_no"] for m in body["items"]] == want[3:]
    others = client.get("/api/v1/messages?overdue=false", headers=operator).json
    assert others["total"] == 3 and not set(want) & {m["tracking_no"] for m in others["items"]}


@pytest.mark.postgres
def test_overdue_list_on_postgres_uses_the_open_due_index(pg_url):
    app = create_app(base_config(pg_url))
    with app.app_context():
        _db.create_all()
        from responder import directory

        def make_token(role):
            _, plain = directory.create_token(f"pg-{role}", role, None, actor="test")
            return {"Authorization": f"Bearer {plain}"}

        client = app.test_client()
        operator, want = _overdue_story(client, make_token)
        body = client.get("/api/v1/messages?overdue=true", headers=operator).json
        assert [m["tracking_no"] for m in body["items"]] == want
        query = reading._filtered(select(Message.id), reading.MessageFilter(overdue=True))
        query = query.order_by(*reading._order(reading.MessageFilter(overdue=True))).limit(20)
        _db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = _db.session.execute(text("EXPLAIN " + str(query.compile(_db.engine, compile_kwargs={
            "literal_binds": True})))).scalars().all()
        assert "ix_messages_open_due" in "\n".join(plan)
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def test_revoked_token_is_refused_at_once_despite_the_cache(client, make_token, app):
    headers = make_token("operator")
    assert client.get("/api/v1/messages", headers=headers).status_code == 200  # now cached
    from responder.models import ApiToken

    token = _db.session.query(ApiToken).order_by(ApiToken.id.desc()).first()
    admin_service.revoke_token(token.id, actor="test")
    assert client.get("/api/v1/messages", headers=headers).status_code == 401


@pytest.mark.postgres
def test_answer_to_a_new_message_is_what_a_read_returns(pg_url, redis_url):
    """With a broker the answer is built from the row intake wrote; it must equal the stored message."""
    app = create_app(base_config(pg_url, redis_url))
    with app.app_context():
        _db.create_all()
        from responder import directory

        _, plain = directory.create_token("scale-admin", "admin", None, actor="test")
        headers = {"Authorization": f"Bearer {plain}"}
        client = app.test_client()
        single = client.post("/api/v1/messages", json=msg("AS-1"), headers=headers)
        batch = client.post("/api/v1/messages/batch", json={"messages": [msg("AS-2"), msg("AS-1")]}, headers=headers)
        assert single.status_code == 201 and batch.status_code == 200
        answers = [single.json, batch.json["results"][0]["message"], batch.json["results"][1]["message"]]
        assert [a.get("query_code") is not None for a in answers] == [True, True, False]
        for answer in answers:
            stored = client.get(f"/api/v1/messages/{answer['tracking_no']}", headers=headers).json
            stored.pop("events")
            answer.pop("query_code", None)
            assert answer == stored
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()
