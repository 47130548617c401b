"""The ledger pages through the real forms: reply commitments filled from the text, 落实 and 公开 on the
message page, the supervisor's 台账, 回头看 and annual report pages with their exports."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from responder.models import Commitment
from tests.notify.conftest import SQLITE_ONLY

pytestmark = SQLITE_ONLY
REPLY = "经核查，该路段路灯线路老化。下一步，我办将于12月20日前完成路灯更换，并加强日常巡查。感谢您的监督！"


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, username: str) -> None:
    client.get("/logout")
    answer = client.post("/login", data={"username": username, "password": "password-123",
                                         "csrf_token": csrf(client, "/login")})
    assert answer.status_code == 302


def test_a_unit_fills_commitments_from_its_reply_then_fulfils_one(client, db, flow):
    no, aid = flow.dispatched("P-1", "2026-11-20T09:30:00+08:00")
    flow.accept(aid)
    sign_in(client, "handler1")
    page = f"/messages/{no}"
    token = csrf(client, page)
    shown = client.post(f"/unit/messages/{no}/reply/candidates", data={"csrf_token": token, "content": REPLY,
                                                                       "public": "1"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "识别到 1 项承诺" in html
    assert 'value="下一步，我办将于12月20日前完成路灯更换，并加强日常巡查"' in html
    due = re.search(r'name="commitment_due_1" value="([0-9-]+)"', html).group(1)
    assert due.endswith("-12-20")
    assert "感谢您的监督" in html and "checked" in html  # the draft is kept as written

    answer = client.post(f"/unit/messages/{no}/reply", data={
        "csrf_token": token, "content": REPLY, "public": "1",
        "commitment_content_1": "下一步，我办将于12月20日前完成路灯更换，并加强日常巡查", "commitment_due_1": due})
    assert answer.status_code == 302
    promised = db.session.scalar(select(Commitment))
    assert promised.due_date.isoformat() == due and promised.status == "pending"

    response_id = flow.client.get(f"/api/v1/messages/{no}", headers=flow.operator).json["responses"][0]["id"]
    assert flow.client.post(f"/api/v1/responses/{response_id}/approve", headers=flow.supervisor,
                            json={}).status_code == 200
    html = client.get(page).get_data(as_text=True)
    assert "登记已落实" in html
    answer = client.post(f"/ledger/commitments/{promised.id}/fulfil",
                         data={"csrf_token": csrf(client, page), "evidence": "已更换灯具 8 盏"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Commitment, promised.id).status == "fulfilled"

    sign_in(client, "sup1")
    assert "登记已公开" in client.get(page).get_data(as_text=True)
    answer = client.post(f"/ledger/commitments/{promised.id}/publish",
                         data={"csrf_token": csrf(client, page), "url": "https://www.example.gov.cn/gk/2.html"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Commitment, promised.id).state == "published"

    html = client.get("/supervisor/commitments?from=2026-11-01&to=2026-12-31").get_data(as_text=True)
    assert "承诺事项回头看" in html and "已更换灯具 8 盏" in html
    html = client.get("/supervisor/ledger?from=2026-11-01&to=2026-12-31").get_data(as_text=True)
    assert no in html and "导出 XLSX" in html


def test_supervisor_pages_export_and_refuse_other_roles(client, db, flow):
    no, aid = flow.dispatched("P-2", "2026-11-20T09:30:00+08:00")
    flow.finish(no, aid)
    sign_in(client, "sup1")
    period = "from=2026-11-01&to=2026-11-30"
    book = load_workbook(io.BytesIO(client.get(f"/supervisor/ledger?{period}&format=xlsx").data))
    assert book.sheetnames == ["办理台账", "承诺事项"] and book["办理台账"]["A2"].value == no
    csv_text = client.get(f"/supervisor/commitments?{period}&format=csv").data.decode("utf-8")
    assert csv_text.startswith("\ufeff受理编号,承诺单位")
    assert "该期间暂无记录" in client.get("/supervisor/ledger?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert "查询参数不正确" in client.get("/supervisor/ledger?from=bad").get_data(as_text=True)

    html = client.get("/supervisor/annual?year=2026").get_data(as_text=True)
    assert "2026 年度诉求办理统计" in html and "vendor/echarts.min.js" in html and "按渠道统计" in html
    book = load_workbook(io.BytesIO(client.get("/supervisor/annual?year=2026&format=xlsx").data))
    assert book.sheetnames[0] == "总体情况" and "按办理结果统计" in book.sheetnames
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    channels = {r[0].value: r[1].value for r in book["按渠道统计"].iter_rows(min_row=2)}
    assert channels["12345热线"] == 1
    assert client.get("/supervisor/annual?year=2026&format=csv").data.decode("utf-8").startswith("\ufeff表,项目,数值")

    sign_in(client, "handler1")
    for path in ("/supervisor/ledger", "/supervisor/commitments", "/supervisor/annual"):
        assert client.get(path).status_code == 403
