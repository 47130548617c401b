"""Reading: one message with analysis, assignments and events; the filtered list; unit scoping."""

from __future__ import annotations

from datetime import datetime

import pytest

from responder import directory
from responder.models import RoutingRule, Unit


def msg(ext, content, received="2026-11-20T09:30:00+08:00", **kw):
    return {"channel": "hotline", "external_id": ext, "received_at": received, "content": content, **kw}


@pytest.fixture
def org(app, db):
    """Two units and a keyword rule sending 油烟 to the first."""
    zhifa, _ = directory.ensure_unit("综合行政执法办公室", actor="test")
    gongong, _ = directory.ensure_unit("公共服务办公室", actor="test")
    db.session.add(RoutingRule(name="油烟噪音", priority=50, keywords=["油烟", "噪音"], lead_unit_id=zhifa.id,
                               assist_units=[gongong]))
    db.session.commit()
    return {"zhifa": zhifa, "gonggong": gongong}


def test_read_shows_analysis_assignments_due_and_events(client, make_token, org):
    ingest, operator = make_token("integration"), make_token("operator")
    no = client.post("/api/v1/messages", json=msg("R-1", "楼下饭店油烟太大，每天晚上噪音扰民，多次投诉没人管。",
                                                   request_type="complaint"), headers=ingest).json["tracking_no"]
    body = client.get(f"/api/v1/messages/{no}", headers=operator).json
    assert body["status"] == "dispatched"
    assert body["analysis"]["topic"] and 0 <= body["analysis"]["sentiment"] <= 1
    assert body["analysis"]["model_version"]
    assert body["due_at"] == "2026-12-11T23:59:59+08:00"  # 15 working days after 2026-11-20
    lead = body["assignments"][0]
    assert (lead["unit"], lead["role"]) == ("综合行政执法办公室", "lead")
    assert "油烟" in lead["reason"] and lead["sign_due_at"]
    assert [a["unit"] for a in body["assignments"][1:]] == ["公共服务办公室"]
    assert [e["action"] for e in body["events"]] == ["receive", "analyse", "dispatch"]
    assert body["responses"] == [] and isinstance(body["overdue"], bool)


def test_unmatched_message_waits_analyzed(client, make_token, org):
    no = client.post("/api/v1/messages", json=msg("R-2", "请问镇上的图书馆周末几点开门？"),
                     headers=make_token("integration")).json["tracking_no"]
    body = client.get(f"/api/v1/messages/{no}", headers=make_token("operator")).json
    assert body["status"] == "analyzed" and body["assignments"] == []
    assert body["request_type"] == "consult" and body["due_at"].startswith("2026-11-24T23:59:59")


def test_a_unit_sees_only_its_own_items(client, make_token, org):
    ingest = make_token("integration")
    mine = client.post("/api/v1/messages", json=msg("U-1", "油烟扰民"), headers=ingest).json["tracking_no"]
    other = client.post("/api/v1/messages", json=msg("U-2", "请问社保卡在哪里补办"), headers=ingest).json["tracking_no"]
    unit = make_token("unit", "综合行政执法办公室")
    listing = client.get("/api/v1/messages", headers=unit).json
    assert [m["tracking_no"] for m in listing["items"]] == [mine] and listing["total"] == 1
    assert client.get(f"/api/v1/messages/{mine}", headers=unit).status_code == 200
    assert client.get(f"/api/v1/messages/{other}", headers=unit).status_code == 404


def test_list_filters_and_pagination(client, make_token, org):
    ingest, operator = make_token("integration"), make_token("operator")
    for i in range(5):
        client.post("/api/v1/messages", json=msg(f"L-{i}", f"第{i}件：油烟太大", "2026-09-01T09:00:00+08:00"),
                    headers=ingest)
    client.post("/api/v1/messages", json={**msg("M-1", "图书馆开放时间？"), "channel": "mailbox"}, headers=ingest)
    get = lambda q: client.get(f"/api/v1/messages?{q}", headers=operator).json  # noqa: E731
    assert get("")["total"] == 6
    assert get("channel=mailbox")["total"] == 1
    assert get("status=dispatched")["total"] == 5
    assert get("unit=综合行政执法办公室")["total"] == 5
    assert get("q=第3件")["total"] == 1
    page = get("per_page=2&page=3")
    assert (len(page["items"]), page["page"], page["total"]) == (2, 3, 6)
    assert get("overdue=true")["total"] == 5  # September's are long past due; today's mailbox one is not
    topic = get("q=第3件")["items"][0]["analysis"]["topic"]
    assert get(f"topic={topic}")["total"] >= 1


@pytest.mark.parametrize("query, field", [("status=lost", "status"), ("channel=fax", "channel"),
                                          ("overdue=maybe", "overdue"), ("page=0", "page"),
                                          ("per_page=1000", "per_page"), ("page=x", "page")])
def test_bad_filters_give_422(client, make_token, query, field):
    response = client.get(f"/api/v1/messages?{query}", headers=make_token("operator"))
    assert response.status_code == 422 and field in response.json["fields"]


@pytest.mark.parametrize("kind, want", [
    ("complaint", "2026-10-27T23:59:59+08:00"), ("consult", "2026-10-09T23:59:59+08:00"),
    ("help", "2026-10-20T23:59:59+08:00"), ("praise", "2026-10-13T23:59:59+08:00"),
    ("disclosure", "2026-11-03T23:59:59+08:00"),
])
def test_deadlines_across_national_day(client, make_token, kind, want):
    no = client.post("/api/v1/messages", json=msg(f"ND-{kind}", "国庆节前反映的问题", "2026-09-30T10:00:00+08:00",
                                                   request_type=kind), headers=make_token("integration")).json["tracking_no"]
    body = client.get(f"/api/v1/messages/{no}", headers=make_token("operator")).json
    assert body["due_at"] == want and body["due_provisional"] is False


def test_urgent_gets_24_hours_and_unknown_year_is_provisional(client, make_token):
    ingest, operator = make_token("integration"), make_token("operator")
    no = client.post("/api/v1/messages", json=msg("UR-1", "路面塌陷", "2026-09-30T10:00:00+08:00", urgency="urgent"),
                     headers=ingest).json["tracking_no"]
    assert client.get(f"/api/v1/messages/{no}", headers=operator).json["due_at"] == "2026-10-01T10:00:00+08:00"
    no = client.post("/api/v1/messages", json=msg("NY-1", "年底反映", "2026-12-28T10:00:00+08:00",
                                                   request_type="complaint"), headers=ingest).json["tracking_no"]
    body = client.get(f"/api/v1/messages/{no}", headers=operator).json
    assert datetime.fromisoformat(body["due_at"]).year == 2027 and body["due_provisional"] is True


def test_no_type_uses_the_channel_default_until_analysis(app, db):
    from responder.workflow.clock import Clock

    clock = Clock.load()
    start = datetime.fromisoformat("2026-11-20T09:30:00+08:00")
    days = {ch: clock.handling_deadline(ch, None, "normal", start).due_at.date().isoformat()
            for ch in ("mailbox", "hotline", "newmedia")}
    assert days == {"mailbox": "2026-12-11", "hotline": "2026-12-04", "newmedia": "2026-11-24"}
    assert db.session.query(Unit).count() == 0
