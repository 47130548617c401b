"""Public pages without sign-in: the citizen's lookup and the published replies (no personal data)."""

from __future__ import annotations

import pytest
from flask import g

from responder.models import Message, Response, utcnow
from responder.web.public import mask_digits
from tests.web import test_pages

PHONE = "13812345678"


def csrf(client, path="/public/lookup"):
    g.pop("csrf_token", None)  # one app context spans the test: don't reuse another request's token
    return test_pages.csrf(client, path)


def lookup(client, tracking_no, code):
    return client.post("/public/lookup", data={"tracking_no": tracking_no, "code": code, "csrf_token": csrf(client)})


@pytest.fixture
def items(app, db, client, make_token):
    """Two messages with approved public replies: one citizen consented to publication, one did not."""
    ingest = make_token("integration")

    def send(ext, content, consent, title=None):
        body = {"channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00",
                "content": content, "consent_public": consent, "title": title,
                "citizen": {"name": "张三", "phone": PHONE, "id_number": "110101199003071234"},
                "address": "幸福路8号"}
        created = client.post("/api/v1/messages", headers=ingest, json={k: v for k, v in body.items() if v is not None})
        assert created.status_code == 201, created.json
        return created.json

    shown = send("H-1", f"小区路灯坏了一个月，请尽快修复，电话{PHONE}", True)
    hidden = send("H-2", "楼下餐馆油烟扰民，希望处理", False, title="油烟扰民")
    for doc, text in ((shown, "已安排维修人员于三日内更换路灯。"), (hidden, "已责令餐馆加装油烟净化设备。")):
        message = db.session.query(Message).filter_by(tracking_no=doc["tracking_no"]).one()
        db.session.add(Response(message_id=message.id, content=text, public=True, status="approved",
                                author="t", published_at=utcnow()))
    db.session.commit()
    return {"shown": shown, "hidden": hidden}


def test_lookup_with_the_right_code_shows_status_and_wrong_code_is_generic(client, items):
    assert client.get("/public/lookup").status_code == 200
    mine = items["shown"]
    response = lookup(client, mine["tracking_no"], mine["query_code"])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and mine["tracking_no"] in page and "当前状态" in page and "已受理" in page
    assert "张三" not in page and "幸福路" not in page
    wrong = lookup(client, mine["tracking_no"], "000000")
    unknown = lookup(client, "NO-SUCH-NUMBER", mine["query_code"])
    for refused in (wrong, unknown):
        assert refused.status_code == 404 and "受理编号或查询码不正确" in refused.get_data(as_text=True)
        assert "当前状态" not in refused.get_data(as_text=True)


def test_lookup_needs_csrf_and_is_rate_limited(app, client, items):
    mine = items["shown"]
    assert client.post("/public/lookup", data={"tracking_no": mine["tracking_no"], "code": "x"}).status_code == 400
    app.config["RATE_LIMITS"] = {"public_lookup": (4, 600)}
    assert [lookup(client, mine["tracking_no"], "guess").status_code for _ in range(3)] == [404] * 3
    # The API's lookup draws on the same allowance: switching between page and API gains a guesser nothing.
    api = client.get(f"/api/v1/public/messages/{mine['tracking_no']}", query_string={"code": "guess"})
    assert api.status_code == 404
    limited = client.get(f"/api/v1/public/messages/{mine['tracking_no']}", query_string={"code": mine["query_code"]})
    assert limited.status_code == 429 and limited.json["error"] == "too_many_requests" and limited.headers["Retry-After"]
    assert lookup(client, mine["tracking_no"], mine["query_code"]).status_code == 429


def test_replies_list_shows_consenting_citizens_only_and_no_personal_data(client, items):
    page = client.get("/public/replies").get_data(as_text=True)
    assert "已安排维修人员于三日内更换路灯" in page and "小区路灯坏了一个月" in page
    assert "已责令餐馆加装油烟净化设备" not in page and "油烟扰民" not in page
    for private in (PHONE, "张三", "110101199003071234", "幸福路", items["shown"]["tracking_no"]):
        assert private not in page
    assert "/public/lookup" in page and "查询我的诉求" in page
    assert "更换路灯" in client.get("/public/replies?q=路灯").get_data(as_text=True)
    assert "更换路灯" not in client.get("/public/replies?q=不存在的词").get_data(as_text=True)


def test_digit_runs_are_masked():
    assert mask_digits(f"电话{PHONE}，身份证11010119900307123X，门牌12号") == "电话***********，身份证******************，门牌12号"
    assert mask_digits("138-1234-5678") == "*" * 13
