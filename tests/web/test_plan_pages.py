"""Task ledger pages through the real forms: supervisor list and export, the lead unit's progress, groups."""

from __future__ import annotations

import io

import pytest
from flask import g

from responder import directory
from responder.models import Event, PlanTask, UnitGroup
from responder.plans.importer import write_plan
from responder.routing.fengong import parse_plan
from tests.web import test_pages

PLAN = """某镇2023年政务公开工作要点分工方案
工作任务\t具体要求\t责任单位
一、财政\t1. 公开本镇预算、决算。\t财政所
\t2. =公开惠农补贴发放情况。\t农业农村办公室牵头，各村（社区）配合
二、其他\t3. 修订公开指南。\t
"""


def login(client, username):
    g.pop("csrf_token", None)
    return test_pages.login(client, username, "correct-horse")


def csrf(client, path):
    g.pop("csrf_token", None)
    return test_pages.csrf(client, path)


@pytest.fixture
def ledger_site(app, db, client, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    write_plan(parse_plan(path), actor="test")
    directory.ensure_unit("茅冈村委会", actor="test")
    for name, role, unit in (("sup", "supervisor", None), ("adm", "admin", None), ("cz", "unit", "财政所"),
                             ("ny", "unit", "农业农村办公室"), ("op", "operator", None)):
        directory.create_user(name, role, unit, "correct-horse", actor="t")
    return client


def test_supervisor_lists_filters_and_exports(ledger_site):
    client = ledger_site
    assert login(client, "sup").status_code == 302
    page = client.get("/plans/tasks").get_data(as_text=True)
    assert "共 3 项" in page and "未写明责任单位，待核定" in page and "各村（社区）" in page
    assert 'name="status"' not in page.split("<tbody>")[1]  # a supervisor reads; no progress form
    assert "共 1 项" in client.get("/plans/tasks?flagged=true").get_data(as_text=True)
    assert "共 1 项" in client.get("/plans/tasks?unit=财政所").get_data(as_text=True)
    assert "取值应为" in client.get("/plans/tasks?status=bogus").get_data(as_text=True)
    csv = client.get("/plans/tasks?format=csv")
    assert csv.mimetype == "text/csv" and "'=公开惠农补贴" in csv.get_data(as_text=True)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/plans/tasks?format=xlsx").data)).active
    assert sheet.freeze_panes == "A2" and sheet.max_row == 4


def test_unit_sees_its_tasks_and_the_lead_records_progress(ledger_site, db):
    client = ledger_site
    assert login(client, "ny").status_code == 302
    page = client.get("/plans/tasks?unit=财政所").get_data(as_text=True)  # held to its own unit
    assert "共 1 项" in page and "惠农补贴" in page and "预算" not in page
    task = db.session.query(PlanTask).filter_by(number="2").one()
    token = csrf(client, "/plans/tasks")
    answer = client.post(f"/plans/tasks/{task.id}/status",
                         data={"status": "in_progress", "progress_note": "已在村务公开栏公示", "csrf_token": token})
    assert answer.status_code == 302
    db.session.refresh(task)
    assert (task.status, task.progress_note) == ("in_progress", "已在村务公开栏公示")
    other = db.session.query(PlanTask).filter_by(number="1").one()
    token = csrf(client, "/plans/tasks")
    client.post(f"/plans/tasks/{other.id}/status", data={"status": "done", "csrf_token": token})
    db.session.refresh(other)
    assert other.status == "not_started"  # not its task
    no_csrf = client.post(f"/plans/tasks/{task.id}/status", data={"status": "done"})
    assert no_csrf.status_code == 400
    assert db.session.query(Event).filter_by(action="plan_task.status").count() == 1


def test_operator_has_no_ledger_and_admin_maps_groups(ledger_site, db):
    client = ledger_site
    assert login(client, "op").status_code == 302
    assert client.get("/plans/tasks").status_code == 403
    assert login(client, "adm").status_code == 302
    page = client.get("/plans/groups").get_data(as_text=True)
    assert "各村（社区）" in page and "未映射" in page
    group = db.session.query(UnitGroup).one()
    token = csrf(client, "/plans/groups")
    answer = client.post(f"/plans/groups/{group.id}", data={"units": "茅冈村委会", "note": "", "csrf_token": token})
    assert answer.status_code == 302
    task = db.session.query(PlanTask).filter_by(number="2").one()
    db.session.refresh(task)
    assert len(task.assist_unit_ids) == 1
    assert "茅冈村委会" in client.get("/plans/tasks").get_data(as_text=True)


def test_operator_queue_shows_a_location_suggestion_below_the_threshold(ledger_site, db):
    from responder.intake.service import receive_message

    directory.ensure_unit("某镇人民政府", actor="test")
    directory.ensure_unit("厚山村委会", parent="某镇人民政府", aliases=["厚山村"], actor="test")
    receive_message({"channel": "hotline", "external_id": "Q-1", "received_at": "2026-11-20T10:00:00+08:00",
                     "content": "村口的路灯坏了", "address": "某镇厚山村上坑里", "citizen": {"phone": "13800000000"}},
                    "test")
    client = ledger_site
    assert login(client, "op").status_code == 302
    page = client.get("/operator/queue").get_data(as_text=True)
    assert "厚山村委会" in page and "低于自动派单阈值" in page and "属地：地址提及「厚山村」" in page
