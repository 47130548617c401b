"""Opinion events: deadlines by level, the five-stage cycle, who may do what, and bad input."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time

from responder.extensions import db
from responder.models import Event, OpinionEvent
from responder.opinion import rules
from tests.opinion.conftest import LEAD, SQLITE_ONLY, at

NOW = "2026-11-20T10:00:00+08:00"


def test_deadlines_follow_the_level():
    found = at("2026-11-20T09:00:00+08:00")
    for level in ("especially_major", "major"):
        due = rules.deadlines_for(level, found)
        assert due == {"info": found + timedelta(hours=5), "press": found + timedelta(hours=24)}
    assert rules.deadlines_for("general", found) == {"response": found + timedelta(hours=48)}


def _create(client, tokens, **body):
    payload = {"title": "某小区集中停水引发关注", "level": "major", "discovered_at": "2026-11-20T08:00:00+08:00",
               "summary": "多名居民在政务微博留言反映停水。", "units": [LEAD]} | body
    answer = client.post("/api/v1/events", headers=tokens["supervisor"], json=payload)
    assert answer.status_code == 201, answer.json
    return answer.json


@SQLITE_ONLY
@freeze_time(NOW)
def test_major_event_shows_its_deadlines_counting_down(client, tokens):
    event = _create(client, tokens)
    deadlines = {d["kind"]: d for d in event["deadlines"]}
    assert set(deadlines) == {"info", "press"}
    assert deadlines["info"]["due_at"] == "2026-11-20T13:00:00+08:00"
    assert deadlines["info"]["seconds_left"] == 3 * 3600
    assert deadlines["press"]["due_at"] == "2026-11-21T08:00:00+08:00"
    assert [c["current"] for c in event["cycle"]] == [True, False, False, False, False]
    general = _create(client, tokens, level="general")
    assert [(d["kind"], d["due_at"]) for d in general["deadlines"]] == [("response", "2026-11-22T08:00:00+08:00")]


@SQLITE_ONLY
@freeze_time(NOW)
def test_the_cycle_runs_collect_consult_assess_respond_evaluate(client, tokens):
    event = _create(client, tokens)
    path, sup = f"/api/v1/events/{event['id']}", tokens["supervisor"]
    for stage in ("consulting", "assessing", "responding"):
        answer = client.post(f"{path}/advance", headers=sup, json={"note": "会商研判"})
        assert answer.status_code == 200 and answer.json["stage"] == stage
    refused = client.post(f"{path}/advance", headers=sup, json={})
    assert refused.status_code == 409  # 回应 without a response
    answer = client.post(f"{path}/responses", headers=tokens["lead"], json={
        "channel": "new_media", "content": "供水公司已抢修，预计今晚恢复供水。",
        "responded_at": "2026-11-20T09:30:00+08:00"})
    assert answer.status_code == 201, answer.json
    info = next(d for d in answer.json["deadlines"] if d["kind"] == "info")
    assert info["state"] == "met" and answer.json["responses"][0]["meets"] == "info"
    press = client.post(f"{path}/responses", headers=sup, json={
        "channel": "press_conference", "content": "召开新闻发布会通报停水原因。"}).json
    assert {d["kind"]: d["state"] for d in press["deadlines"]} == {"info": "met", "press": "met"}
    assert client.post(f"{path}/evaluation", headers=sup, json={"evaluation": "x", "outcome": "resolved"}
                       ).status_code == 409  # not yet in 评估
    assert client.post(f"{path}/advance", headers=sup, json={}).json["stage"] == "evaluating"
    assert client.post(f"{path}/advance", headers=sup, json={}).status_code == 409
    bad = client.post(f"{path}/evaluation", headers=sup, json={"evaluation": "舆情平息", "outcome": "gone"})
    assert bad.status_code == 422 and "outcome" in bad.json["fields"]
    closed = client.post(f"{path}/evaluation", headers=sup, json={"evaluation": "舆情平息", "outcome": "resolved"})
    assert closed.status_code == 200 and closed.json["stage"] == "closed"
    assert all(c["done"] for c in closed.json["cycle"])
    assert client.post(f"{path}/responses", headers=sup, json={"channel": "website", "content": "补充"}
                       ).status_code == 409
    actions = [e.action for e in db.session.query(Event).filter(Event.subject_type == "opinion_event")]
    assert actions.count("opinion_event.advance") == 4 and actions.count("opinion_event.respond") == 2
    assert actions[0] == "opinion_event.create" and actions[-1] == "opinion_event.evaluate"


@SQLITE_ONLY
@freeze_time(NOW)
def test_units_see_only_their_events_and_cannot_run_them(client, tokens):
    event = _create(client, tokens)
    path = f"/api/v1/events/{event['id']}"
    assert client.post("/api/v1/events", headers=tokens["lead"], json={"title": "x", "level": "general"}
                       ).status_code == 403
    assert client.get(path, headers=tokens["lead"]).status_code == 200
    assert client.get(path, headers=tokens["other"]).status_code == 404
    assert client.get("/api/v1/events", headers=tokens["other"]).json["total"] == 0
    assert client.get("/api/v1/events", headers=tokens["lead"]).json["total"] == 1
    assert client.post(f"{path}/responses", headers=tokens["other"],
                       json={"channel": "website", "content": "x"}).status_code == 404
    assert client.post(f"{path}/advance", headers=tokens["lead"], json={}).status_code == 403
    assert client.get(path, headers=tokens["integration"]).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get(path, headers=tokens["operator"]).status_code == 200


@SQLITE_ONLY
@freeze_time(NOW)
def test_bad_input_names_the_field_and_writes_nothing(client, tokens):
    sup = tokens["supervisor"]
    for body, field in (({"title": "x"}, "level"), ({"level": "major"}, "title"),
                        ({"title": "x", "level": "huge"}, "level"),
                        ({"title": "x", "level": "major", "discovered_at": "2026-11-21T10:00:00+08:00"},
                         "discovered_at"),
                        ({"title": "x", "level": "major", "discovered_at": "2026-11-20T08:00:00"}, "discovered_at"),
                        ({"title": "x", "level": "major", "discovered_at": "1501-05-29T08:13:48Z"}, "discovered_at"),
                        ({"title": "x", "level": "major", "units": ["不存在的单位"]}, "units"),
                        ({"title": "x", "level": "major", "messages": ["NOPE"]}, "messages")):
        answer = client.post("/api/v1/events", headers=sup, json=body)
        assert answer.status_code == 422 and field in answer.json["fields"], (body, answer.json)
    assert db.session.query(OpinionEvent).count() == 0
    event = _create(client, tokens)
    early = client.post(f"/api/v1/events/{event['id']}/responses", headers=sup, json={
        "channel": "website", "content": "x", "responded_at": "2026-11-19T08:00:00+08:00"})
    assert early.status_code == 422 and "responded_at" in early.json["fields"]
    wrong = client.post(f"/api/v1/events/{event['id']}/responses", headers=sup, json={
        "channel": "website", "content": "x", "meets": "response"})  # a major event has no 48-hour deadline
    assert wrong.status_code == 422 and "meets" in wrong.json["fields"]


@SQLITE_ONLY
@freeze_time(NOW)
def test_messages_link_by_tracking_number(client, tokens):
    level = "general"
    ingest = tokens["integration"]
    numbers = []
    for n in range(2):
        answer = client.post("/api/v1/messages", headers=ingest, json={
            "channel": "newmedia", "external_id": f"wb-{n}", "received_at": "2026-11-20T07:00:00+08:00",
            "content": "小区停水一天了没人管"})
        numbers.append(answer.json["tracking_no"])
    event = _create(client, tokens, level=level, messages=numbers[:1])
    assert event["message_count"] == 1
    linked = client.post(f"/api/v1/events/{event['id']}/messages", headers=tokens["supervisor"],
                         json={"messages": numbers})
    assert linked.status_code == 200 and linked.json["message_count"] == 2
    # the unit is responsible for the event but the messages are not its items: it sees none of them
    assert client.get(f"/api/v1/events/{event['id']}", headers=tokens["lead"]).json["messages"] == []
