"""Unit handlers' pages: the inbox tabs, the action forms on the message page, unit isolation, CSRF,
and every user's notifications page — all through the real /login form and CSRF tokens."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time

from responder import directory
from responder.models import Assignment, Commitment, ExtensionRequest, Message, Notification, ReturnRequest

A, B = "综合行政执法办公室", "财政所"
NOW = "2026-11-20T10:00:00+08:00"  # a Friday: the next working day is Monday 23 November


def csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, username, password="correct-horse"):
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)})
    assert response.status_code == 302
    return response


@pytest.fixture
def desk(app, db, client, make_token):
    """Two units with a handler each; m1 lead A + assist B, m2 only B's, m3 A's and overdue for signing."""
    for name in (A, B):
        directory.ensure_unit(name, actor="t")
    directory.create_user("za", "unit", A, "correct-horse", actor="t")
    directory.create_user("cz", "unit", B, "correct-horse", actor="t")
    ingest, op = make_token("integration"), make_token("operator")

    def new(ext, received, lead, assist=()):
        no = client.post("/api/v1/messages", headers=ingest, json={
            "channel": "hotline", "external_id": ext, "received_at": received, "request_type": "complaint",
            "title": f"<b>{ext}</b>", "content": "夜间施工噪音扰民"}).json["tracking_no"]
        assert client.post(f"/api/v1/messages/{no}/dispatch", headers=op,
                           json={"lead": lead, "assist": list(assist)}).status_code == 200
        return no

    with freeze_time("2026-11-02T10:00:00+08:00"):
        m3 = new("U-3", "2026-11-02T09:00:00+08:00", A)
    with freeze_time(NOW):
        m1 = new("U-1", "2026-11-20T09:30:00+08:00", A, [B])
        m2 = new("U-2", "2026-11-20T09:40:00+08:00", B)

    def assignment(no, unit) -> Assignment:
        message = db.session.query(Message).filter_by(tracking_no=no).one()
        return next(a for a in message.assignments if a.active and a.unit.name == unit)

    return {"m1": m1, "m2": m2, "m3": m3, "assignment": assignment}


def tab(client, name) -> str:
    return client.get(f"/unit/inbox?tab={name}").get_data(as_text=True)


def count(page, name) -> int:
    return int(re.search(rf'data-tab="{name}">[^<]*<span class="count">(\d+)</span>', page).group(1))


@freeze_time(NOW)
def test_inbox_lists_only_the_units_items_in_the_right_tabs(client, desk):
    login(client, "za")
    page = tab(client, "to_sign")
    assert [count(page, t) for t in ("to_sign", "in_progress", "due_soon", "overdue", "returned")] == [2, 0, 1, 1, 0]
    assert desk["m1"] in page and desk["m3"] in page and desk["m2"] not in page
    assert "<b>U-1</b>" not in page and "&lt;b&gt;U-1&lt;/b&gt;" in page  # escaped
    assert "主办" in page and f'href="/messages/{desk["m1"]}"' in page
    due_soon, overdue = tab(client, "due_soon"), tab(client, "overdue")
    assert desk["m1"] in due_soon and desk["m3"] not in due_soon
    assert desk["m3"] in overdue and desk["m1"] not in overdue and 'class="overdue"' in overdue
    login(client, "cz")
    page = tab(client, "to_sign")
    assert desk["m2"] in page and desk["m1"] in page and "协办" in page and desk["m3"] not in page
    assert client.get("/unit/inbox?tab=nonsense&page=x").status_code == 200


def test_other_roles_cannot_open_the_inbox(client, desk):
    assert client.get("/unit/inbox").status_code == 302  # to the sign-in page
    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    login(client, "op")
    assert client.get("/unit/inbox").status_code == 403


@freeze_time(NOW)
def test_sign_extend_pause_resume_and_reply_with_a_commitment(client, desk, db):
    login(client, "za")
    no, lead = desk["m1"], desk["assignment"](desk["m1"], A)
    page = client.get(f"/messages/{no}").get_data(as_text=True)
    assert f'action="/unit/assignments/{lead.id}/accept"' in page and 'for="return-reason-' in page
    token = csrf(client, f"/messages/{no}")
    response = client.post(f"/unit/assignments/{lead.id}/accept", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(f"/messages/{no}")
    db.session.expire_all()
    assert lead.status == "accepted" and lead.message.status == "in_progress"
    page = client.get(f"/messages/{no}").get_data(as_text=True)
    assert "已签收" in page and "提交答复" in page and "commitment_content_1" in page

    client.post(f"/unit/assignments/{lead.id}/extension", data={"csrf_token": token, "days": "3", "reason": "需协调"})
    ext = db.session.query(ExtensionRequest).filter_by(assignment_id=lead.id).one()
    assert (ext.days, ext.status, ext.reason) == (3, "pending", "需协调")
    bad = client.post(f"/unit/assignments/{lead.id}/extension", data={"csrf_token": token, "days": "2", "reason": "再"},
                      follow_redirects=True)
    assert "已有待审批的延期申请" in bad.get_data(as_text=True)

    client.post(f"/unit/assignments/{lead.id}/pause", data={"csrf_token": token, "reason": "等待补充材料"})
    db.session.expire_all()
    assert lead.paused_at is not None
    assert "已暂停计时" in tab(client, "in_progress")
    client.post(f"/unit/assignments/{lead.id}/resume", data={"csrf_token": token})
    db.session.expire_all()
    assert lead.paused_at is None

    missing = client.post(f"/unit/messages/{no}/reply", data={"csrf_token": token, "content": " "},
                          follow_redirects=True)
    assert "content" in missing.get_data(as_text=True)
    db.session.expire_all()
    assert lead.message.status == "in_progress"
    response = client.post(f"/unit/messages/{no}/reply", data={
        "csrf_token": token, "content": "已责令施工单位停止夜间施工。", "public": "1",
        "commitment_content_1": "每晚22点后巡查", "commitment_due_1": "2026-11-30",
        "commitment_content_2": "", "commitment_due_2": ""})
    assert response.status_code == 302
    db.session.expire_all()
    message = db.session.query(Message).filter_by(tracking_no=no).one()
    assert message.status == "replied"
    [commitment] = db.session.query(Commitment).filter_by(message_id=message.id).all()
    assert commitment.content == "每晚22点后巡查" and str(commitment.due_date) == "2026-11-30"


@freeze_time(NOW)
def test_return_with_a_reason_lands_in_the_returned_tab(client, desk, db):
    login(client, "za")
    no, lead = desk["m3"], desk["assignment"](desk["m3"], A)
    token = csrf(client, f"/messages/{no}")
    refused = client.post(f"/unit/assignments/{lead.id}/return", data={"csrf_token": token}, follow_redirects=True)
    assert refused.status_code == 200 and "reason" in refused.get_data(as_text=True)
    client.post(f"/unit/assignments/{lead.id}/return", data={"csrf_token": token, "reason": "属财政所职责"})
    db.session.expire_all()
    assert lead.status == "returned"
    assert db.session.query(ReturnRequest).filter_by(assignment_id=lead.id).one().reason == "属财政所职责"
    page = tab(client, "returned")
    assert no in page and count(page, "returned") == 1 and count(page, "overdue") == 0


@freeze_time(NOW)
def test_assisting_unit_signs_and_gives_its_opinion(client, desk, db):
    login(client, "cz")
    no, assist = desk["m1"], desk["assignment"](desk["m1"], B)
    token = csrf(client, f"/messages/{no}")
    client.post(f"/unit/assignments/{assist.id}/accept", data={"csrf_token": token})
    page = client.get(f"/messages/{no}").get_data(as_text=True)
    assert "提交协办意见" in page and "提交答复" not in page
    client.post(f"/unit/assignments/{assist.id}/opinion", data={"csrf_token": token, "content": "已安排执法检查"})
    db.session.expire_all()
    assert assist.status == "opinion_given"
    refused = client.post(f"/unit/messages/{no}/reply", data={"csrf_token": token, "content": "越权答复"},
                          follow_redirects=True)
    assert "只有主办单位可以答复" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Message).filter_by(tracking_no=no).one().status == "dispatched"


@freeze_time(NOW)
def test_another_units_handler_gets_404_and_csrf_is_required(client, desk, db):
    login(client, "cz")
    no, lead = desk["m3"], desk["assignment"](desk["m3"], A)
    assert client.get(f"/messages/{no}").status_code == 404
    token = csrf(client, "/unit/inbox")
    for action in ("accept", "return", "extension", "pause", "resume", "opinion"):
        assert client.post(f"/unit/assignments/{lead.id}/{action}",
                           data={"csrf_token": token, "reason": "x", "days": "1", "content": "x"}).status_code == 404
    assert client.post(f"/unit/messages/{no}/reply", data={"csrf_token": token, "content": "x"}).status_code == 404
    assert client.post("/unit/assignments/999999/accept", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert lead.status == "dispatched"
    mine = desk["assignment"](desk["m2"], B)
    assert client.post(f"/unit/assignments/{mine.id}/accept").status_code == 400  # no CSRF token
    db.session.expire_all()
    assert mine.status == "dispatched"


def test_notifications_page_lists_a_sweeps_reminder_and_marks_it_read(client, desk, db):
    from responder.models import User
    from responder.notify.service import unread_count
    from responder.notify.sweeps import remind_due_soon

    with freeze_time(NOW):
        assert remind_due_soon() >= 1
    directory.create_user("sup", "supervisor", None, "correct-horse", actor="t")
    za = db.session.query(User).filter_by(username="za").one()
    sup = db.session.query(User).filter_by(username="sup").one()
    db.session.add(Notification(user_id=sup.id, kind="notice", title="<i>通报</i>", body="", dedupe_key="t:1"))
    db.session.commit()
    notes = db.session.query(Notification).filter_by(user_id=za.id).all()
    assert notes and unread_count(za.id) == len(notes)
    login(client, "za")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "【催办】" in page and f'href="/messages/{desk["m1"]}"' in page and "全部标为已读" in page
    assert "通报" not in page  # the supervisor's row is not shown to others
    response = client.post("/notifications/read", data={"csrf_token": csrf(client, "/notifications/")})
    assert response.status_code == 302 and unread_count(za.id) == 0 and unread_count(sup.id) == 1
    assert "全部标为已读" not in client.get("/notifications/").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 400  # no CSRF token
    login(client, "sup")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "&lt;i&gt;通报&lt;/i&gt;" in page and "【催办】" not in page
