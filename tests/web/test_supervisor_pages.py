"""Supervisor pages driven through the real forms: review desk, extensions, overdue board, dashboard, KPIs."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta

import pytest

from responder import directory
from responder.models import Assignment, Response, utcnow
from responder.workflow.sla import TZ

A, EVIL = "公共服务办公室", "=1+2 测试单位"
PASSWORD = "correct-horse"


def csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def login(client, username):
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf(client)})


@pytest.fixture
def desk(app, db, client, make_token):
    """Units, a supervisor and a unit user, and an API driver to bring messages to the supervisor."""
    for name in (A, EVIL):
        directory.ensure_unit(name, actor="test")
    directory.create_user("sup", "supervisor", None, PASSWORD, actor="test")
    directory.create_user("ua", "unit", A, PASSWORD, actor="test")
    tokens = {"ing": make_token("integration"), "op": make_token("operator"), A: make_token("unit", A),
              EVIL: make_token("unit", EVIL)}

    class Desk:
        def post(self, path, who, body=None):
            response = client.post(f"/api/v1{path}", json=body or {}, headers=tokens[who])
            assert response.status_code < 300, response.json
            return response.json

        def get(self, no):
            return client.get(f"/api/v1/messages/{no}", headers=tokens["op"]).json

        def dispatched(self, ext, unit=A, text="小区供水管道漏水一周"):
            """A new hotline complaint, dispatched to `unit` and signed for; returns (tracking no, lead)."""
            received = (datetime.now(TZ) - timedelta(hours=2)).isoformat(timespec="seconds")
            no = self.post("/messages", "ing", {"channel": "hotline", "external_id": ext, "received_at": received,
                                                "content": text, "request_type": "complaint"})["tracking_no"]
            self.post(f"/messages/{no}/dispatch", "op", {"lead": unit})
            lead = next(a for a in self.get(no)["assignments"] if a["role"] == "lead" and a["active"])
            self.post(f"/assignments/{lead['id']}/accept", unit)
            return no, lead

        def replied(self, ext, content):
            no, lead = self.dispatched(ext)
            reply = self.post(f"/messages/{no}/responses", A, {
                "content": content, "public": True,
                "commitments": [{"content": "三日内完成维修", "due_date": "2026-12-31"}]})
            return no, reply["id"]

    return Desk()


def test_supervisor_approves_and_rejects_replies_through_the_desk(client, desk, db):
    first_no, first = desk.replied("R-1", "已联系物业<b>维修</b>管道。")
    second_no, second = desk.replied("R-2", "已安排人员上门查看。")
    assert login(client, "sup").status_code == 302
    page = client.get("/supervisor/desk").get_data(as_text=True)
    assert "已联系物业&lt;b&gt;维修&lt;/b&gt;管道。" in page and "<b>维修</b>" not in page
    assert "三日内完成维修" in page and A in page and first_no in page and second_no in page
    token = csrf(client, "/supervisor/desk")

    approved = client.post(f"/supervisor/responses/{first}/approve", data={"csrf_token": token})
    assert approved.status_code == 302 and approved.headers["Location"].endswith("/supervisor/desk")
    assert desk.get(first_no)["status"] == "published"
    assert "答复已审核通过并发布" in client.get("/supervisor/desk").get_data(as_text=True)

    no_reason = client.post(f"/supervisor/responses/{second}/reject", data={"csrf_token": token})
    assert no_reason.status_code == 302 and db.session.get(Response, second).status == "pending"
    rejected = client.post(f"/supervisor/responses/{second}/reject",
                           data={"csrf_token": token, "reason": "请写明具体维修时间"},
                           query_string={"next": f"/messages/{second_no}"})
    assert rejected.status_code == 302 and rejected.headers["Location"].endswith(f"/messages/{second_no}")
    db.session.expire_all()
    row = db.session.get(Response, second)
    assert row.status == "rejected" and row.review_reason == "请写明具体维修时间"
    assert desk.get(second_no)["status"] == "in_progress"
    page = client.get("/supervisor/desk").get_data(as_text=True)
    assert "暂无待审核答复" in page


def test_message_page_carries_the_supervisor_panel(client, desk):
    no, response_id = desk.replied("R-3", "已维修。")
    login(client, "sup")
    page = client.get(f"/messages/{no}").get_data(as_text=True)
    assert f"/supervisor/responses/{response_id}/approve?next=/messages/{no}" in page


def test_supervisor_approves_an_extension_and_the_deadline_moves(client, desk, db):
    no, lead = desk.dispatched("E-1")
    ext = desk.post(f"/assignments/{lead['id']}/extension", A, {"days": 5, "reason": "需协调供水公司"})
    login(client, "sup")
    page = client.get("/supervisor/desk").get_data(as_text=True)
    assert "需协调供水公司" in page and f"/supervisor/extensions/{ext['id']}/approve" in page
    before = db.session.get(Assignment, lead["id"]).due_at
    response = client.post(f"/supervisor/extensions/{ext['id']}/approve",
                           data={"csrf_token": csrf(client, "/supervisor/desk")})
    assert response.status_code == 302
    db.session.expire_all()
    after = db.session.get(Assignment, lead["id"]).due_at
    assert after > before + timedelta(days=4)
    assert desk.get(no)["due_at"] == after.astimezone(TZ).isoformat()
    assert "暂无待审批延期申请" in client.get("/supervisor/desk").get_data(as_text=True)


def test_overdue_board_marks_overdue_red_and_due_soon_yellow(client, desk, db):
    late_no, late = desk.dispatched("O-1")
    soon_no, soon = desk.dispatched("O-2")
    later_no, _ = desk.dispatched("O-3")
    now = utcnow()
    db.session.get(Assignment, late["id"]).due_at = now - timedelta(days=10)
    db.session.get(Assignment, soon["id"]).due_at = now + timedelta(hours=1)
    db.session.commit()
    login(client, "sup")
    page = client.get("/supervisor/overdue").get_data(as_text=True)
    red = re.search(rf'<tr class="red" data-assignment="{late["id"]}">(.*?)</tr>', page, re.S)
    assert red and late_no in red.group(1) and "已超期" in red.group(1) and "通报" in red.group(1)
    yellow = re.search(rf'<tr class="yellow" data-assignment="{soon["id"]}">(.*?)</tr>', page, re.S)
    assert yellow and soon_no in yellow.group(1)
    assert later_no not in page  # not due soon: only with scope=all
    assert later_no in client.get("/supervisor/overdue?scope=all").get_data(as_text=True)


def test_dashboard_renders_json_blocks_and_serves_echarts_locally(client, desk):
    desk.dispatched("D-1")
    login(client, "sup")
    page = client.get("/supervisor/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    blocks = dict(re.findall(r'<script type="application/json" id="data-(\w+)">(.*?)</script>', html, re.S))
    assert set(blocks) == {"channel", "topic", "day", "sentiment", "units", "hot"}
    assert json.loads(blocks["channel"]) == [{"name": "12345热线", "value": 1}]
    assert sum(json.loads(blocks["day"])["counts"]) == 1
    assert [u["unit"] for u in json.loads(blocks["units"])] == [A]
    assert '<script src="/static/vendor/echarts.min.js"></script>' in html and "cdn" not in html.lower()
    script = client.get("/static/vendor/echarts.min.js")
    assert script.status_code == 200 and b"echarts" in script.data[:2000]


def test_kpi_csv_has_bom_header_and_neutralised_formula_cells(client, desk):
    desk.dispatched("K-1", unit=EVIL)
    login(client, "sup")
    assert EVIL in client.get("/supervisor/kpis?by=unit").get_data(as_text=True)
    bad = client.get("/supervisor/kpis?by=unit&from=yesterday")
    assert bad.status_code == 200 and "应为日期" in bad.get_data(as_text=True)
    export = client.get("/supervisor/kpis?by=unit&format=csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["责任单位", "诉求件数", "签收及时率"]
    assert rows[1][0] == "'" + EVIL and rows[1][1] == "1"
    assert client.get("/supervisor/kpis?by=channel&format=csv").data.decode("utf-8-sig").splitlines()[1].startswith(
        "12345热线")


def test_other_roles_and_missing_csrf_are_refused(client, desk):
    assert client.get("/supervisor/desk").status_code == 302  # not signed in
    login(client, "ua")
    assert client.get("/supervisor/desk").status_code == 403
    assert client.get("/supervisor/dashboard").status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client, "/messages")})
    _, response_id = desk.replied("C-1", "已处理。")
    login(client, "sup")
    assert client.post(f"/supervisor/responses/{response_id}/approve").status_code == 400
    assert client.post(f"/supervisor/extensions/{response_id}/approve").status_code == 400
