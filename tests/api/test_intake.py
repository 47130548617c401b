"""Intake through the API: 201/200, idempotency, field-named 422s, masking, batch."""

from __future__ import annotations

import pytest

from responder.models import Event, Message


def msg(channel="hotline", ext="GD-1", content="小区楼下烧烤店油烟太大，晚上吵到十二点。", **kw):
    return {"channel": channel, "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00",
            "content": content, **kw}


@pytest.fixture
def ingest(make_token):
    return make_token("integration")


def test_each_channel_gives_201_with_tracking_no_and_query_code(client, ingest):
    for channel in ("hotline", "mailbox", "newmedia"):
        response = client.post("/api/v1/messages", json=msg(channel, f"{channel}-1"), headers=ingest)
        assert response.status_code == 201, response.json
        assert response.json["tracking_no"] and len(response.json["query_code"]) == 8
        assert response.json["channel"] == channel


def test_repeat_gives_200_with_same_tracking_no_and_no_query_code(client, ingest, db):
    first = client.post("/api/v1/messages", json=msg(), headers=ingest)
    again = client.post("/api/v1/messages", json=msg(content="内容变了也算同一件"), headers=ingest)
    assert again.status_code == 200
    assert again.json["tracking_no"] == first.json["tracking_no"]
    assert "query_code" not in again.json
    assert db.session.query(Message).count() == 1
    assert db.session.query(Event).filter_by(action="receive").count() == 1


@pytest.mark.parametrize("payload, field", [
    (msg(content=""), "content"),
    (msg(content="   "), "content"),
    (msg(content="长" * 20_001), "content"),
    (msg(channel="fax"), "channel"),
    ({**msg(), "received_at": "昨天"}, "received_at"),
    ({**msg(), "received_at": "2026-11-20T09:30:00"}, "received_at"),
    ({**msg(), "received_at": 20261120}, "received_at"),
    ({"channel": "hotline", "content": "无编号", "received_at": "2026-11-20T09:30:00+08:00"}, "external_id"),
    (msg(request_type="gossip"), "request_type"),
    (msg(urgency="panic"), "urgency"),
    (msg(citizen="张三"), "citizen"),
    (msg(citizen={"phone": ["1"]}), "citizen.phone"),
    (msg(consent_public="yes"), "consent_public"),
    (msg(meta=[1, 2]), "meta"),
])
def test_bad_payloads_give_422_naming_the_field(client, ingest, db, payload, field):
    response = client.post("/api/v1/messages", json=payload, headers=ingest)
    assert response.status_code == 422
    assert field in response.json["fields"]
    assert response.json["error"] == "validation_failed" and response.json["message"]
    assert db.session.query(Message).count() == 0


def test_not_json_is_a_4xx_json_error(client, ingest):
    response = client.post("/api/v1/messages", data="not json", headers=ingest, content_type="text/plain")
    assert response.status_code == 422 and response.json["fields"] == {"body": "应为 JSON 对象"}
    response = client.post("/api/v1/messages", json=[1, 2], headers=ingest)
    assert response.status_code == 422


def test_personal_data_is_masked_for_the_integration(client, ingest):
    body = msg(citizen={"name": "张三丰", "phone": "+86 138-1234-5678", "id_number": "44078319900101123x"})
    response = client.post("/api/v1/messages", json=body, headers=ingest)
    text = response.get_data(as_text=True)
    assert "13812345678" not in text and "44078319900101123X" not in text and "张三丰" not in text
    assert response.json["citizen"] == {"name": "张**", "phone": "138****5678", "id_number": "440***********123X"}


def test_operator_sees_phone_supervisor_does_not(client, ingest, make_token):
    no = client.post("/api/v1/messages", json=msg(citizen={"phone": "13812345678"}), headers=ingest).json["tracking_no"]
    assert client.get(f"/api/v1/messages/{no}", headers=make_token("operator")).json["citizen"]["phone"] == "13812345678"
    assert client.get(f"/api/v1/messages/{no}", headers=make_token("supervisor")).json["citizen"]["phone"] == "138****5678"


def test_unknown_fields_are_kept_in_meta(client, ingest):
    response = client.post("/api/v1/messages", json=msg(hotline_seat="A12", meta={"platform": "wechat"}), headers=ingest)
    assert response.json["meta"] == {"platform": "wechat", "extra": {"hotline_seat": "A12"}}


def test_batch_answers_item_by_item_in_order(client, ingest, db):
    items = [msg(ext="B-1"), msg(ext="B-2", content=""), msg(ext="B-1"), msg(channel="mailbox", ext="B-1")]
    response = client.post("/api/v1/messages/batch", json={"messages": items}, headers=ingest)
    assert response.status_code == 200
    assert [r["status"] for r in response.json["results"]] == [201, 422, 200, 201]
    assert response.json["results"][1]["fields"] == {"content": "不能为空"}
    assert (response.json["created"], response.json["duplicates"], response.json["rejected"]) == (2, 1, 1)
    assert db.session.query(Message).count() == 2


@pytest.mark.parametrize("body, field", [({}, "messages"), ({"messages": []}, "messages"),
                                         ({"messages": [msg()] * 1001}, "messages")])
def test_batch_envelope_errors(client, ingest, body, field):
    response = client.post("/api/v1/messages/batch", json=body, headers=ingest)
    assert response.status_code == 422 and field in response.json["fields"]


def test_auth_is_required_and_integration_cannot_read(client, ingest):
    assert client.post("/api/v1/messages", json=msg()).status_code == 401
    assert client.post("/api/v1/messages", json=msg(), headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/messages", headers=ingest).status_code == 403
    response = client.get("/api/v1/messages")
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"] == "not_found"
    assert client.put("/api/v1/messages").json["error"] == "method_not_allowed"


def test_in_process_analysis_failure_never_fails_intake(tmp_path, monkeypatch):
    from responder import directory
    from responder.analysis import pipeline
    from responder.app import create_app
    from responder.config import celery_settings
    from responder.extensions import db
    from tests.conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path / 'e.db'}") | {"CELERY": celery_settings(None)})
    with app.app_context():
        db.create_all()
        _, plain = directory.create_token("e", "integration", None, actor="t")

        def broken(*args, **kwargs):
            raise RuntimeError("model file damaged")

        monkeypatch.setattr(pipeline, "analyse_text", broken)
        response = app.test_client().post("/api/v1/messages", json=msg(), headers={"Authorization": f"Bearer {plain}"})
        assert response.status_code == 201 and response.json["status"] == "received"
        assert db.session.query(Message).one().status == "received"  # kept for the sweep to retry
        db.session.remove()
        db.engine.dispose()


def test_single_row_statement_binds_every_column_intake_fills(app):
    """PostgreSQL's one-statement single POST binds a fixed column list; a column added to the row must be in it."""
    from responder.intake import schemas, service
    from responder.models import utcnow
    from responder.workflow.clock import Clock

    item = schemas.validate(msg(title="标题", address="某路1号", citizen={"name": "张三", "phone": "13800138000"}))
    row = service._row(item, service.new_query_code(), Clock.load(), utcnow())
    assert set(row) == set(service._ONE_ROW_COLUMNS)
