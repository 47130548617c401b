"""The sign-in form and the read-only message pages: CSRF, escaping, unit isolation by URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from responder import directory


def csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, username, password="correct-horse"):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)})


@pytest.fixture
def people(app, db, client, make_token):
    directory.ensure_unit("综合行政执法办公室", actor="t")
    directory.ensure_unit("财政所", actor="t")
    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    directory.create_user("zf", "unit", "综合行政执法办公室", "correct-horse", actor="t")
    from responder.models import RoutingRule, Unit

    unit = db.session.query(Unit).filter_by(name="综合行政执法办公室").one()
    db.session.add(RoutingRule(name="油烟", priority=50, keywords=["油烟"], lead_unit_id=unit.id))
    db.session.commit()
    ingest = make_token("integration")
    post = lambda ext, content: client.post("/api/v1/messages", headers=ingest, json={  # noqa: E731
        "channel": "newmedia", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00", "content": content,
        "citizen": {"phone": "13812345678"}}).json["tracking_no"]
    return {"mine": post("P-1", "<script>alert(1)</script>油烟太大"), "other": post("P-2", "请问社保卡怎么补办")}


def test_sign_in_then_list_shows_messages_escaped(client, people):
    assert client.get("/").status_code == 302
    assert client.get("/messages").status_code == 302  # not signed in: to /login
    response = login(client, "op")
    assert response.status_code == 302
    page = client.get("/messages").get_data(as_text=True)
    assert people["mine"] in page and people["other"] in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    detail = client.get(f"/messages/{people['mine']}").get_data(as_text=True)
    assert "综合行政执法办公室" in detail and "派单依据" in detail and "13812345678" in detail


def test_wrong_password_and_missing_csrf_are_refused(client, people):
    response = login(client, "op", "wrong-password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)
    response = client.post("/login", data={"username": "op", "password": "correct-horse"})
    assert response.status_code == 400 and client.get("/messages").status_code == 302


def test_a_unit_user_cannot_open_another_units_item_by_url(client, people):
    login(client, "zf")
    assert client.get(f"/messages/{people['mine']}").status_code == 200
    assert client.get(f"/messages/{people['other']}").status_code == 404
    page = client.get("/messages").get_data(as_text=True)
    assert people["mine"] in page and people["other"] not in page


def test_sign_out_needs_the_form(client, people):
    login(client, "op")
    token = csrf(client, "/messages")
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/messages").status_code == 302


def test_repeated_failures_lock_the_account_for_a_while(client, people, db):
    from responder.models import Event

    for _ in range(5):
        assert login(client, "op", "wrong-password").status_code == 401
    locked = login(client, "op")  # the right password no longer helps
    assert locked.status_code == 401 and "锁定" in locked.get_data(as_text=True)
    assert client.get("/messages").status_code == 302
    assert db.session.query(Event).filter_by(action="login.lock").count() == 1
    with freeze_time(timedelta(minutes=16)):
        assert login(client, "op").status_code == 302


def test_unknown_user_is_refused_like_a_wrong_password(client, people):
    response = login(client, "nobody")
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)
