"""/api/v1/admin: units, groups, rules, policies and the plan task ledger — admin tokens only, audited."""

from __future__ import annotations

import io

import pytest

from responder import directory
from responder.models import Event
from responder.plans.importer import write_plan
from responder.routing.fengong import parse_plan

PLAN = """某局2024年政务公开工作要点分工方案
序号|工作任务|具体要求|责任科室|完成时限
1|一、政策解读|1. 做好重大政策解读。|局宣教科、办公室主办,各科室协办|2024年6月底前
2|二、回应关切|2. 及时回应网民关于噪音扰民的留言。|执法大队|
3|三、其他|3. 修订公开指南。||
"""


@pytest.fixture
def admin_api(app, db, client, make_token, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    write_plan(parse_plan(path), actor="test")
    directory.ensure_unit("某局", actor="test")
    admin, unit = make_token("admin"), make_token("unit", "执法大队")

    def call(method, path, body=None, headers=None):
        return client.open(f"/api/v1/admin{path}", method=method, json=body,
                           headers=admin if headers is None else headers)

    return call, unit


def test_only_admin_tokens(admin_api, make_token):
    call, unit = admin_api
    for path in ("/units", "/rules", "/policies", "/plan-tasks"):
        assert call("GET", path, headers=unit).status_code == 403
        assert call("GET", path, headers=make_token("supervisor")).status_code == 403
        assert call("GET", path, headers={}).status_code == 401


def test_units_tree_aliases_and_groups(admin_api, db):
    call, _ = admin_api
    created = call("POST", "/units", {"name": "局宣教科", "parent": "某局", "aliases": ["宣教科"]})
    assert created.status_code == 200 and created.json["created"] is False  # the plan made it already
    child = call("POST", "/units", {"name": "法规科", "parent": "某局"})
    assert child.status_code == 201
    tree = call("GET", "/units").json
    root = next(u for u in tree["units"] if u["name"] == "某局")
    assert [c["name"] for c in root["children"]] == ["法规科"]
    assert tree["groups"] == [{"id": tree["groups"][0]["id"], "name": "各科室", "units": [], "mapped": False,
                               "note": ""}]
    unit_id = child.json["id"]
    assert call("PATCH", f"/units/{unit_id}", {"aliases": ["法规股"]}).json["aliases"] == ["法规股"]
    clash = call("PATCH", f"/units/{unit_id}", {"aliases": ["办公室"]})
    assert clash.status_code == 422 and "aliases" in clash.json["fields"]
    mapped = call("PUT", "/groups/各科室", {"units": ["法规科", "执法大队"]})
    assert mapped.status_code == 200 and mapped.json["units"] == ["法规科", "执法大队"]
    rule = next(r for r in call("GET", "/rules?source=plan").json["items"] if r["name"].startswith("分工方案：做好重大"))
    assert rule["lead"] == "局宣教科" and sorted(rule["assists"]) == sorted(["办公室", "法规科", "执法大队"])
    bad = call("PUT", "/groups/各科室", {"units": "法规科"})
    assert bad.status_code == 422 and bad.json["fields"] == {"units": "应为单位名称数组"}
    actions = {e.action for e in db.session.query(Event)}
    assert {"unit.create", "unit.alias", "group.map"} <= actions


def test_rules_and_policies(admin_api, db):
    call, _ = admin_api
    created = call("POST", "/rules", {"name": "噪音", "keywords": ["噪音", "扰民"], "lead": "执法大队",
                                      "priority": 60})
    assert created.status_code == 201 and created.json["source"] == "admin"
    changed = call("PATCH", f"/rules/{created.json['id']}", {"active": False, "assists": ["办公室"]})
    assert changed.json["active"] is False and changed.json["assists"] == ["办公室"]
    assert changed.json["keywords"] == ["噪音", "扰民"]
    missing = call("POST", "/rules", {"name": "x", "keywords": ["y"], "lead": "不存在的单位"})
    assert missing.status_code == 422 and "lead" in missing.json["fields"]
    assert call("PATCH", "/rules/9999", {"name": "x"}).status_code == 404
    from responder.admin_service import seed_default_policies

    seed_default_policies(actor="test")
    policy = call("GET", "/policies").json["items"][0]
    both = call("PATCH", f"/policies/{policy['id']}", {"working_days": 3, "hours": 4})
    assert both.status_code == 422 and "working_days" in both.json["fields"]
    assert call("PATCH", f"/policies/{policy['id']}", {"working_days": 7}).json["working_days"] == 7
    assert db.session.query(Event).filter_by(action="policy.update").count() == 1


def test_plan_tasks_list_update_export(admin_api):
    call, _ = admin_api
    listed = call("GET", "/plan-tasks").json
    assert listed["total"] == 3
    first, second, third = listed["items"]
    assert (first["lead"], first["assist"], first["groups"], first["deadline"]) == (
        ["局宣教科", "办公室"], [], ["各科室"], "2024-06-30")
    assert third["flagged_no_unit"] and third["lead"] == []
    assert call("GET", "/plan-tasks?flagged=true").json["total"] == 1
    assert call("GET", "/plan-tasks?unit=执法大队").json["items"][0]["id"] == second["id"]
    assert call("GET", "/plan-tasks?status=bogus").status_code == 422
    # A page number past any OFFSET the database takes (found by schemathesis) reads as the first page, not a 500.
    far = call("GET", "/plan-tasks?page=71601551823980453888")
    assert (far.status_code, far.json["page"]) == (200, 1)
    assert call("GET", "/plan-tasks?page=999999").json["items"] == []
    done = call("PATCH", f"/plan-tasks/{second['id']}", {"status": "done", "progress_note": "已回复"})
    assert done.json["status_label"] == "已完成"
    assert call("GET", "/plan-tasks?status=done").json["total"] == 1
    csv = call("GET", "/plan-tasks?format=csv")
    assert csv.mimetype == "text/csv" and "修订公开指南" in csv.data.decode("utf-8-sig")
    from openpyxl import load_workbook

    xlsx = call("GET", "/plan-tasks?format=xlsx")
    assert load_workbook(io.BytesIO(xlsx.data)).active.max_row == 4
