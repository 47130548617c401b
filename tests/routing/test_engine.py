"""The routing engine: order of kinds, scores and threshold, location, explanations; 改派 and routing accuracy."""

from __future__ import annotations

from datetime import date

import pytest

from responder import directory
from responder.models import Assignment, Event, Message
from responder.routing.rules import Place, Rule, decide, place_names

ADMIN = Rule(1, "欠薪", 75, None, ("欠薪",), lead=10, source="admin")
TOPIC = Rule(2, "劳动默认", 10, "劳动和社会保障", (), lead=20, source="demo")
PLAN = Rule(3, "分工方案：做好疫苗接种信息公开", 5, None, ("疫苗", "接种"), lead=30, source="plan",
            origin="《某镇方案》第10项")
PLACES = [Place("茅冈村", 40, "茅冈村委会"), Place("百合圩社区", 41, "百合圩社区居委会")]


def test_kinds_in_order_admin_topic_plan_location():
    both = decide([ADMIN, TOPIC, PLAN], "劳动和社会保障", 0.9, "欠薪，还有疫苗接种", places=PLACES,
                  address="茅冈村", content="欠薪，还有疫苗接种")
    assert both.lead == 10 and both.rule.kind == "admin"
    assert both.assists == [40]  # the location comes in as 属地协办; topic/plan leads are not concrete co-leads
    assert "属地：地址提及「茅冈村」" in both.reasons[40]
    topic = decide([TOPIC, PLAN], "劳动和社会保障", 0.8, "疫苗接种")
    assert topic.lead == 20 and topic.score == 0.8
    plan = decide([TOPIC, PLAN], "卫生计生", 0.8, "疫苗接种")
    assert (plan.lead, plan.score, plan.confident) == (30, 0.75, True)
    assert plan.reasons[30].startswith("分工方案《某镇方案》第10项「做好疫苗接种信息公开」；命中词：疫苗、接种")


def test_low_topic_confidence_gives_way_to_a_plan_rule():
    d = decide([TOPIC, PLAN], "劳动和社会保障", 0.3, "疫苗接种")
    assert d.lead == 30 and d.confident


def test_location_alone_is_a_suggestion_for_the_operator():
    d = decide([], None, None, "路灯坏了", places=PLACES, address="百合镇茅冈村坑口里", content="路灯坏了")
    assert (d.lead, d.confident, d.score, d.rule_id) == (40, False, 0.4, None)
    # the address wins over the content; the longest (most specific) place name wins
    d = decide([], None, None, "x", places=PLACES, address=None, content="百合圩社区和茅冈村之间")
    assert d.lead == 41 and d.score == 0.35
    assert decide([], None, None, "路灯坏了", places=PLACES, address="开平市", content="路灯坏了") is None
    assert decide([], None, None, "x", places=PLACES, address="茅冈村", min_score=0.3).confident


def test_agreement_raises_the_score_and_is_explained():
    same = Rule(4, "分工方案：欠薪", 5, None, ("欠薪",), lead=10, source="plan", origin="《某镇方案》第19项")
    d = decide([ADMIN, same], None, None, "欠薪")
    assert d.score == 0.99  # 0.9 (priority 75) + 0.1 agreement, capped
    assert "另据分工方案《某镇方案》第19项" in d.reasons[10] and d.reasons[10].endswith("得分 0.99")


@pytest.mark.parametrize("name, aliases, places", [
    ("茅冈村委会", ["茅冈村"], ["茅冈村"]),
    ("百合圩社区居委会", ["百合圩社区", "百合社区"], ["百合圩社区", "百合社区"]),
    ("城关街道办事处", [], ["城关街道"]),
    ("公共服务办公室", ["社会事务办"], []),
    ("龙门乡人民政府", ["乡政府"], ["龙门乡"]),
])
def test_place_names(name, aliases, places):
    assert place_names(name, aliases) == places


# --- with the database: automatic dispatch, 改派, accuracy ---------------------------------------------

PLAN_TEXT = """某镇2023年政务公开工作要点分工方案
工作任务\t具体要求\t责任单位
一、疫情防控信息公开。\t1. 扎实做好疫苗接种信息公开和舆论引导工作。\t公共服务办公室
二、财政信息公开。\t2. 积极推进本镇预算、决算及相关报表公开。\t财政所
"""


@pytest.fixture
def routed(app, db, client, make_token, tmp_path):
    from responder.plans.importer import write_plan
    from responder.routing.fengong import parse_plan

    root, _ = directory.ensure_unit("某镇人民政府", actor="test")
    directory.ensure_unit("茅冈村委会", parent="某镇人民政府", aliases=["茅冈村"], actor="test")
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    write_plan(parse_plan(path), actor="test")
    tokens = {"ing": make_token("integration"), "op": make_token("operator"), "sup": make_token("supervisor"),
              "gb": make_token("unit", "公共服务办公室")}

    def post(path, who, body):
        return client.post(f"/api/v1{path}", json=body, headers=tokens[who])

    def new(ext, content, address=None):
        body = {"channel": "hotline", "external_id": ext, "received_at": "2026-11-20T10:00:00+08:00",
                "content": content, "request_type": "consult"}
        if address:
            body["address"] = address
        answer = post("/messages", "ing", body)
        assert answer.status_code == 201, answer.json
        return answer.json

    return post, new, tokens


def test_plan_rule_dispatches_and_explains(routed, db):
    _, new, _ = routed
    body = new("V-1", "想问一下镇上哪里可以接种疫苗？", address="茅冈村")
    lead = next(a for a in body["assignments"] if a["role"] == "lead")
    assert body["status"] == "dispatched" and lead["unit"] == "公共服务办公室" and lead["auto"]
    assert "分工方案《某镇2023年政务公开工作要点分工方案》第1项" in lead["reason"] and "接种、疫苗" in lead["reason"]
    village = next(a for a in body["assignments"] if a["role"] == "assist")
    assert village["unit"] == "茅冈村委会" and "属地" in village["reason"]
    event = db.session.query(Event).filter_by(action="dispatch").one()
    assert event.detail["auto"] and event.detail["score"] >= 0.45 and event.detail["matched"] == ["接种", "疫苗"]


def test_below_threshold_waits_for_the_operator(routed):
    _, new, _ = routed
    body = new("L-1", "村口路灯坏了一个月", address="茅冈村")
    assert body["status"] == "analyzed" and body["assignments"] == []


def test_redispatch_after_return_is_recorded_and_counted(routed, db, client):
    post, new, tokens = routed
    kept = new("V-2", "疫苗接种点周末开放吗")
    changed = new("V-3", "接种疫苗后发烧，想反映卫生院收费问题")
    lead = next(a for a in changed["assignments"] if a["role"] == "lead")
    assert post(f"/assignments/{lead['id']}/return", "gb", {"reason": "收费问题不属本单位"}).status_code == 200
    again = post(f"/messages/{changed['tracking_no']}/dispatch", "op", {"lead": "财政所"})
    assert again.status_code == 200, again.json
    first = db.session.get(Assignment, lead["id"])
    assert first.auto and first.overridden
    assert db.session.query(Event).filter_by(action="routing.override").one().detail["to"] == "财政所"
    manual = db.session.query(Assignment).filter_by(message_id=first.message_id, active=True, role="lead").one()
    assert not manual.auto and not manual.overridden
    kept_lead = db.session.query(Assignment).join(Message).filter(
        Message.tracking_no == kept["tracking_no"], Assignment.role == "lead").one()
    assert kept_lead.auto and not kept_lead.overridden
    stats = client.get("/api/v1/stats/summary?from=2026-11-01&to=2026-11-30", headers=tokens["sup"]).json
    assert stats["routing_accuracy"] == 0.5
    assert (stats["totals"]["auto_dispatched"], stats["totals"]["auto_kept"]) == (2, 1)
    assert date.fromisoformat(stats["from"]) == date(2026, 11, 1)
