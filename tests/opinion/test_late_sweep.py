"""Late event responses are flagged by the sweep once, on SQLite and PostgreSQL."""

from __future__ import annotations

from freezegun import freeze_time
from sqlalchemy import func, select

from responder.extensions import db
from responder.models import Event, Notification, OpinionDeadline
from responder.opinion import sweeps
from responder.workflow.sweeps import run_all
from tests.opinion.conftest import LEAD, at


def _event(client, tokens, level: str, discovered: str) -> int:
    answer = client.post("/api/v1/events", headers=tokens["supervisor"], json={
        "title": "化工厂异味引发网民关注", "level": level, "discovered_at": discovered, "units": [LEAD]})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _notes(people, name: str) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(Notification.user_id == people[name])))


def test_missed_and_late_deadlines_are_flagged_once(client, tokens, people):
    with freeze_time(at("2026-11-20T10:00:00+08:00")):
        missed = _event(client, tokens, "major", "2026-11-20T09:00:00+08:00")  # info due 14:00, press 09:00 next day
        late = _event(client, tokens, "general", "2026-11-18T09:00:00+08:00")  # response due 11-20 09:00: passed
        on_time = _event(client, tokens, "general", "2026-11-20T09:00:00+08:00")
        answer = client.post(f"/api/v1/events/{late}/responses", headers=tokens["lead"],
                             json={"channel": "website", "content": "已发布情况通报。"})
        assert answer.status_code == 201 and answer.json["deadlines"][0]["state"] == "met_late"
        client.post(f"/api/v1/events/{on_time}/responses", headers=tokens["lead"],
                    json={"channel": "website", "content": "已发布情况通报。"})
        assert sweeps.flag_late() == 1  # only the general event answered after its 48 hours
    with freeze_time(at("2026-11-20T15:00:00+08:00")):
        assert sweeps.flag_late() == 1  # the major event's 5-hour deadline passed unmet
        assert sweeps.flag_late() == 0
    with freeze_time(at("2026-11-21T10:00:00+08:00")):
        assert run_all()["events_late"] == 1  # its press conference deadline too, through `responder sweep`
        assert run_all()["events_late"] == 0
    flagged = db.session.execute(select(OpinionDeadline.event_id, OpinionDeadline.kind)
                                 .where(OpinionDeadline.late_at.is_not(None))).all()
    assert sorted(flagged) == sorted([(late, "response"), (missed, "info"), (missed, "press")])
    for name in ("sup1", "sup2", "handler"):
        titles = _notes(people, name)
        assert len(titles) == 3 and all(t.startswith("【舆情回应超时】") for t in titles), titles
    assert _notes(people, "elsewhere") == [] and _notes(people, "op") == []
    assert any("发布权威信息" in t and "2026-11-20 14:00" in t for t in _notes(people, "sup1"))
    events = db.session.scalar(select(func.count()).select_from(Event).where(Event.action == "opinion_event.late"))
    assert events == 3
