"""Admin pages through the real forms: units, users, tokens, rules, policies, calendar; 403 and CSRF."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from responder import directory
from responder.auth.tokens import digest
from responder.models import ApiToken, CalendarDay, Event, RoutingRule, TimeLimitPolicy, Unit, User
from tests.web import test_pages


def csrf(client, path):
    # The app fixture holds one app context for the whole test, so Flask-WTF's per-request cache in `g`
    # would hand one client's token to another; forget it before each fetch.
    g.pop("csrf_token", None)
    return test_pages.csrf(client, path)


def login(client, username, password="correct-horse"):
    g.pop("csrf_token", None)
    return test_pages.login(client, username, password)


@pytest.fixture
def admin_client(app, db, client):
    directory.create_user("root", "admin", None, "correct-horse", actor="t")
    assert login(client, "root").status_code == 302
    return client


def post(client, path, data, page=None):
    return client.post(path, data={**data, "csrf_token": csrf(client, page or path)})


def test_home_links_sections_and_shows_model_status(admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    for section in ("/admin/units", "/admin/users", "/admin/tokens", "/admin/rules", "/admin/policies",
                    "/admin/calendar"):
        assert section in page
    from responder.analysis.pipeline import MODEL_VERSION
    from responder.analysis.topics import TOPIC_MODEL_VERSION

    assert MODEL_VERSION in page and TOPIC_MODEL_VERSION in page and 'id="analysed-count">0<' in page


def test_units_tree_with_aliases_and_webhook(admin_client, db):
    assert post(admin_client, "/admin/units", {"name": "镇政府"}).status_code == 302
    post(admin_client, "/admin/units", {"name": "综合行政执法办公室", "parent": "镇政府", "aliases": "执法办、城管办"})
    unit = db.session.scalar(select(Unit).where(Unit.name == "综合行政执法办公室"))
    assert unit.aliases == ["执法办", "城管办"] and unit.parent.name == "镇政府"
    page = admin_client.get("/admin/units").get_data(as_text=True)
    assert page.index("镇政府") < page.index("└ 综合行政执法办公室") and "城管办" in page
    response = post(admin_client, f"/admin/units/{unit.id}", {
        "aliases": "执法办", "webhook_url": "https://unit.example.gov.cn/hook", "webhook_secret": "s" * 20})
    assert response.status_code == 302
    db.session.refresh(unit)
    assert unit.aliases == ["执法办"] and unit.webhook_secret == "s" * 20
    bad = post(admin_client, f"/admin/units/{unit.id}", {"webhook_url": "ftp://x"}, f"/admin/units/{unit.id}")
    assert "webhook_url" in admin_client.get(bad.location).get_data(as_text=True)
    assert {"unit.create", "unit.update"} <= set(db.session.scalars(select(Event.action)))


def test_create_deactivate_and_reset_a_user(admin_client, db, app):
    directory.ensure_unit("财政所", actor="t")
    post(admin_client, "/admin/users", {"username": "cz", "role": "unit", "unit": "财政所", "password": "12345678a"})
    user = db.session.scalar(select(User).where(User.username == "cz"))
    assert user.unit.name == "财政所" and "cz" in admin_client.get("/admin/users").get_data(as_text=True)
    missing_unit = post(admin_client, "/admin/users", {"username": "x", "role": "unit", "password": "12345678a"})
    assert "unit" in admin_client.get(missing_unit.location).get_data(as_text=True)
    post(admin_client, f"/admin/users/{user.id}/active", {"active": "0"}, "/admin/users")
    post(admin_client, f"/admin/users/{user.id}/password", {"password": "new-password-1"}, "/admin/users")
    db.session.refresh(user)
    assert user.active is False
    other = app.test_client()
    assert login(other, "cz", "new-password-1").status_code == 401  # deactivated
    post(admin_client, f"/admin/users/{user.id}/active", {"active": "1"}, "/admin/users")
    assert login(other, "cz", "new-password-1").status_code == 302
    actions = set(db.session.scalars(select(Event.action)))
    assert {"user.create", "user.deactivate", "user.activate", "user.password_reset"} <= actions


def test_token_is_shown_once_stored_as_digest_and_revoked(admin_client, db, client):
    response = post(admin_client, "/admin/tokens", {"name": "12345平台", "role": "integration"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = re.search(r'value="(rsp_[^"]+)"', response.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "12345平台"))
    assert token.token_hash == digest(plain) and plain not in admin_client.get("/admin/tokens").get_data(as_text=True)
    body = {"channel": "hotline", "external_id": "T-1", "received_at": "2026-11-20T09:30:00+08:00", "content": "路灯坏了"}
    assert client.post("/api/v1/messages", json=body, headers={"Authorization": f"Bearer {plain}"}).status_code == 201
    post(admin_client, f"/admin/tokens/{token.id}/revoke", {}, "/admin/tokens")
    db.session.refresh(token)
    assert token.revoked_at is not None
    again = client.post("/api/v1/messages", json=body | {"external_id": "T-2"},
                        headers={"Authorization": f"Bearer {plain}"})
    assert again.status_code == 401
    assert "token.revoke" in set(db.session.scalars(select(Event.action)))


def test_add_and_edit_a_routing_rule(admin_client, db):
    for name in ("住建局", "街道办", "社区居委会"):
        directory.ensure_unit(name, actor="t")
    response = post(admin_client, "/admin/rules/new", {"name": "物业纠纷", "priority": "60", "keywords": "物业，电梯",
                                                       "lead": "住建局", "assists": "街道办、社区居委会"})
    assert response.status_code == 302
    rule = db.session.scalar(select(RoutingRule).where(RoutingRule.name == "物业纠纷"))
    assert rule.keywords == ["物业", "电梯"] and [u.name for u in rule.assist_units] == ["街道办", "社区居委会"]
    page = admin_client.get("/admin/rules").get_data(as_text=True)
    assert "物业纠纷" in page and "住建局" in page and "社区居委会" in page and "电梯" in page
    post(admin_client, f"/admin/rules/{rule.id}", {"name": "物业纠纷", "priority": "70", "keywords": "物业",
                                                   "lead": "住建局", "active": "1"})
    db.session.refresh(rule)
    assert rule.priority == 70 and rule.assist_units == [] and rule.active
    post(admin_client, f"/admin/rules/{rule.id}/active", {"active": "0"}, "/admin/rules")
    db.session.refresh(rule)
    assert rule.active is False
    bad = post(admin_client, "/admin/rules/new", {"name": "空规则", "lead": "住建局"})
    assert "keywords" in admin_client.get(bad.location).get_data(as_text=True)
    assert {"rule.create", "rule.update", "rule.deactivate"} <= set(db.session.scalars(select(Event.action)))


def test_change_a_policys_working_days(admin_client, db):
    post(admin_client, "/admin/policies/seed", {}, "/admin/policies")
    policy = db.session.scalar(select(TimeLimitPolicy).where(TimeLimitPolicy.request_type == "complaint"))
    assert policy.working_days == 15
    post(admin_client, f"/admin/policies/{policy.id}", {"working_days": "12", "active": "1"}, "/admin/policies")
    db.session.refresh(policy)
    assert policy.working_days == 12 and policy.active
    both = post(admin_client, f"/admin/policies/{policy.id}", {"working_days": "3", "hours": "4"}, "/admin/policies")
    assert "working_days" in admin_client.get(both.location).get_data(as_text=True)
    db.session.refresh(policy)
    assert policy.working_days == 12
    assert "policy.update" in set(db.session.scalars(select(Event.action)))


def test_enter_a_2027_holiday(admin_client, db):
    from responder.workflow.clock import Clock

    page = admin_client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert "2027" in page and "chinesecalendar" in page
    assert not Clock.load().calendar.knows(2027)
    post(admin_client, "/admin/calendar", {"day": "2027-02-08", "kind": "holiday", "note": "春节"}, "/admin/calendar")
    post(admin_client, "/admin/calendar", {"day": "2027-02-20", "kind": "workday", "note": "春节调休"}, "/admin/calendar")
    calendar = Clock.load().calendar
    assert calendar.knows(2027) and not calendar.is_workday(__import__("datetime").date(2027, 2, 8))
    page = admin_client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert "春节调休" in page and "调休上班" in page
    post(admin_client, "/admin/calendar/2027-02-20/delete", {}, "/admin/calendar?year=2027")
    assert [d.note for d in db.session.scalars(select(CalendarDay))] == ["春节"]
    assert {"calendar.add", "calendar.delete"} <= set(db.session.scalars(select(Event.action)))


def test_non_admins_get_403_and_strangers_go_to_login(app, db, client):
    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    assert client.get("/admin/").status_code == 302
    login(client, "op")
    for path in ("/admin/", "/admin/units", "/admin/tokens", "/admin/calendar"):
        assert client.get(path).status_code == 403
    assert post(client, "/admin/units", {"name": "x"}, "/messages").status_code == 403


def test_forms_without_csrf_are_refused(admin_client, db):
    assert admin_client.post("/admin/units", data={"name": "无令牌单位"}).status_code == 400
    assert admin_client.post("/admin/tokens", data={"name": "n", "role": "integration"}).status_code == 400
    assert db.session.scalar(select(Unit).where(Unit.name == "无令牌单位")) is None
