"""Two people acting on the same item at once: one success and one 409, never a lost update (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import Event
from tests.conftest import base_config

pytestmark = pytest.mark.postgres


def at_once(app, calls):
    """Run (method, path, headers) calls simultaneously; returns their status codes, sorted."""
    barrier, codes = threading.Barrier(len(calls)), []

    def one(path, headers):
        client = app.test_client()
        barrier.wait()
        codes.append(client.post(path, json={}, headers=headers).status_code)

    threads = [threading.Thread(target=one, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


def test_simultaneous_sign_and_approve_on_postgres(pg_url):
    app = create_app(base_config(pg_url))
    with app.app_context():
        upgrade()
        directory.ensure_unit("公共服务办公室", actor="t")
        heads = {role: {"Authorization": "Bearer " + directory.create_token(f"t-{role}", role, unit, actor="t")[1]}
                 for role, unit in (("integration", None), ("operator", None), ("supervisor", None),
                                    ("unit", "公共服务办公室"))}
        second_unit = {"Authorization": "Bearer " + directory.create_token("t-unit2", "unit", "公共服务办公室",
                                                                           actor="t")[1]}
        db.session.remove()
    client = app.test_client()
    no = client.post("/api/v1/messages", headers=heads["integration"], json={
        "channel": "hotline", "external_id": "RACE-2", "received_at": "2026-11-20T09:00:00+08:00",
        "content": "路灯坏了", "request_type": "complaint"}).json["tracking_no"]
    client.post(f"/api/v1/messages/{no}/dispatch", json={"lead": "公共服务办公室"}, headers=heads["operator"])
    lead = client.get(f"/api/v1/messages/{no}", headers=heads["operator"]).json["assignments"][0]["id"]
    assert at_once(app, [(f"/api/v1/assignments/{lead}/accept", heads["unit"]),
                         (f"/api/v1/assignments/{lead}/accept", second_unit)]) == [200, 409]
    reply = client.post(f"/api/v1/messages/{no}/responses", json={"content": "已修复"}, headers=heads["unit"]).json
    assert at_once(app, [(f"/api/v1/responses/{reply['id']}/approve", heads["supervisor"])] * 2) == [200, 409]
    with app.app_context():
        assert db.session.query(Event).filter_by(action="accept").count() == 1
        assert db.session.query(Event).filter_by(action="approve_response").count() == 1
        db.session.remove()
        db.engine.dispose()
