"""The fast paths added for scale keep their promises: capped counts, cached lookups, answers as stored."""

from __future__ import annotations

import pytest

from responder import admin_service, reading
from responder.app import create_app
from responder.extensions import db as _db
from responder.models.message import OPEN_UNSTAMPED
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
