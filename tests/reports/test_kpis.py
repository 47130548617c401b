"""KPIs: a month of handling driven through the API on a frozen clock, then exact figures, on SQLite and PG.

The story (Beijing time, November 2026; the report runs Mon 11-30 12:00 over 11-02..11-15):
M1 complaint 11-02 09:00 → lead A (signed on time), assist B (signed late); published 11-04 10:00 (49 h); satisfied.
M3 complaint 11-03 07:00 (still 11-02 in UTC) → B returns it → A signs late; never answered, due 11-24: late.
M2 help      11-06 16:00 → A signs on time, extension +3 working days (due 11-25), published 11-24 12:00,
             dissatisfied → 重办, published again 11-26 10:00 (330 working hours, weekends excluded); basically satisfied.
M4 consult   11-11 09:00 → answered directly 10:00 (1 h).
M5 complaint 11-12 09:00 → merged into M1.
M6 mailbox   11-13 09:00 → lead B, never signed (sign due 11-16): late; handling not yet due.
Outside the window: one received Sun 11-01 23:30 and one Mon 11-16 00:30 (both 11-01/11-15 in UTC).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from flask_migrate import upgrade
from freezegun import freeze_time

from responder import directory
from responder.app import create_app
from responder.extensions import db as _db
from responder.models import CalendarDay
from responder.reports import kpis, rollup
from responder.reports.hours import day_number_of
from responder.workflow.clock import Clock
from tests.conftest import base_config

A, B = "城市管理局", "住房建设局"
WINDOW = "from=2026-11-02&to=2026-11-15"
REPORT_AT = "2026-11-30T12:00:00+08:00"

TOTALS = {
    "messages": 6, "merged": 1, "repeat_rate": 0.1667,
    "completion_total": 4, "completed_on_time": 3, "on_time_completion_rate": 0.75,
    "handled": 3, "hours_mean": 126.67, "hours_p90": 330.0,
    "callbacks": 3, "satisfied": 2, "satisfaction_rate": 0.6667,
    "published": 3, "reopened": 1, "reopen_rate": 0.3333,
    "assignments": 6, "sign_total": 5, "signed_on_time": 2, "on_time_sign_rate": 0.4,
    "returned": 1, "return_rate": 0.1667, "extended": 1, "extension_rate": 0.1667,
}
BEFORE_REOPEN = {"completion_total": 3, "completed_on_time": 3, "on_time_completion_rate": 1.0, "handled": 3,
                 "hours_mean": 111.33, "hours_p90": 284.0, "published": 3, "reopened": 0, "callbacks": 1}
BY_UNIT = {
    A: {"messages": 3, "on_time_completion_rate": 0.6667, "hours_mean": 189.5, "hours_p90": 330.0,
        "satisfaction_rate": 0.6667, "reopen_rate": 0.5, "repeat_rate": 0.0, "assignments": 3,
        "on_time_sign_rate": 0.6667, "return_rate": 0.0, "extension_rate": 0.3333},
    B: {"messages": 1, "on_time_completion_rate": None, "hours_mean": None, "hours_p90": None,
        "satisfaction_rate": None, "reopen_rate": None, "repeat_rate": 0.0, "assignments": 3,
        "sign_total": 2, "on_time_sign_rate": 0.0, "return_rate": 0.3333, "extension_rate": 0.0},
    None: {"messages": 2, "merged": 1, "repeat_rate": 0.5, "on_time_completion_rate": 1.0, "hours_mean": 1.0,
           "hours_p90": 1.0, "reopen_rate": 0.0, "satisfaction_rate": None, "assignments": 0,
           "on_time_sign_rate": None, "return_rate": None},
}
BY_WEEK = {
    "2026-W45": {"messages": 3, "handled": 2, "hours_mean": 189.5, "on_time_completion_rate": 0.6667,
                 "assignments": 5, "on_time_sign_rate": 0.5},
    "2026-W46": {"messages": 3, "handled": 1, "hours_mean": 1.0, "merged": 1, "assignments": 1,
                 "on_time_sign_rate": 0.0},
}


def at(local: str):
    """Freeze the clock at a Beijing time written 'MM-DD HH:MM' in November 2026."""
    month_day, clock = local.split()
    return freeze_time(f"2026-{month_day}T{clock}:00+08:00")


class Desk:
    """Drives the API with one token per role."""

    def __init__(self, client):
        self.client = client
        self.tokens = {}
        for name in (A, B):
            directory.ensure_unit(name, actor="test")
        for who, role, unit in [("ing", "integration", None), ("op", "operator", None), ("sup", "supervisor", None),
                                ("admin", "admin", None), ("a", "unit", A), ("b", "unit", B)]:
            _, plain = directory.create_token(f"t-{uuid.uuid4().hex[:8]}", role, unit, actor="test")
            self.tokens[who] = {"Authorization": f"Bearer {plain}"}

    def post(self, path, who, body=None):
        response = self.client.post(f"/api/v1{path}", json=body or {}, headers=self.tokens[who])
        assert response.status_code in (200, 201), (path, response.json)
        return response.json

    def get(self, path, who="op"):
        return self.client.get(f"/api/v1{path}", headers=self.tokens[who])

    def new(self, ext, received, kind="complaint", channel="hotline", text="小区门口道路破损，雨天积水严重"):
        body = {"channel": channel, "external_id": ext, "received_at": received, "content": text,
                "request_type": kind}
        return self.post("/messages", "ing", body)["tracking_no"]

    def assignment(self, no, unit, role="lead"):
        items = self.get(f"/messages/{no}").json["assignments"]
        return next(a["id"] for a in items if a["unit"] == unit and a["role"] == role and a["active"])

    def publish(self, no, who="a"):
        return self.post(f"/messages/{no}/responses", who, {"content": "已处理完毕。"})["id"]

    def summary(self, query="", who="op"):
        response = self.get(f"/stats/summary?{WINDOW}&{query}", who)
        assert response.status_code == 200, response.json
        return response.json


def play_november(desk: Desk, midway=None) -> dict:
    """The story in the module docstring; returns the tracking numbers and the totals seen at 11-24 12:00."""
    n = {}
    with at("11-02 09:05"):
        n["m1"] = desk.new("K-1", "2026-11-02T09:00:00+08:00")
        desk.new("K-0", "2026-11-01T23:30:00+08:00")
    with at("11-02 10:00"):
        desk.post(f"/messages/{n['m1']}/dispatch", "op", {"lead": A, "assist": [B]})
    with at("11-02 11:00"):
        desk.post(f"/assignments/{desk.assignment(n['m1'], A)}/accept", "a")
    with at("11-03 07:05"):
        n["m3"] = desk.new("K-3", "2026-11-03T07:00:00+08:00")
    with at("11-03 10:00"):
        desk.post(f"/messages/{n['m3']}/dispatch", "op", {"lead": B})
    with at("11-04 09:00"):
        desk.post(f"/assignments/{desk.assignment(n['m1'], B, 'assist')}/accept", "b")
        desk.post(f"/assignments/{desk.assignment(n['m3'], B)}/return", "b", {"reason": "不属本单位职责"})
        response = desk.publish(n["m1"])
    with at("11-04 10:00"):
        desk.post(f"/responses/{response}/approve", "sup")
    with at("11-05 09:00"):
        desk.post(f"/messages/{n['m1']}/callback", "op", {"satisfaction": "satisfied"})
        desk.post(f"/messages/{n['m3']}/dispatch", "op", {"lead": A})
    with at("11-06 16:05"):
        n["m2"] = desk.new("K-2", "2026-11-06T16:00:00+08:00", kind="help")
    with at("11-06 17:00"):
        desk.post(f"/messages/{n['m2']}/dispatch", "op", {"lead": A})
    with at("11-09 09:00"):
        desk.post(f"/assignments/{desk.assignment(n['m2'], A)}/accept", "a")
        desk.post(f"/assignments/{desk.assignment(n['m3'], A)}/accept", "a")
    with at("11-10 09:00"):
        ext = desk.post(f"/assignments/{desk.assignment(n['m2'], A)}/extension", "a", {"days": 3, "reason": "需现场勘查"})
        desk.post(f"/extensions/{ext['id']}/approve", "sup")
    with at("11-11 09:05"):
        n["m4"] = desk.new("K-4", "2026-11-11T09:00:00+08:00", kind="consult", text="请问居住证到哪里办理？")
    with at("11-11 10:00"):
        desk.post(f"/messages/{n['m4']}/answer", "op", {"content": "到街道便民服务中心办理。"})
    with at("11-12 09:05"):
        n["m5"] = desk.new("K-5", "2026-11-12T09:00:00+08:00")
    with at("11-12 10:00"):
        desk.post(f"/messages/{n['m5']}/merge", "op", {"into": n["m1"]})
    with at("11-13 09:05"):
        n["m6"] = desk.new("K-6", "2026-11-13T09:00:00+08:00", channel="mailbox")
    with at("11-13 10:00"):
        desk.post(f"/messages/{n['m6']}/dispatch", "op", {"lead": B})
    with at("11-16 00:35"):
        desk.new("K-7", "2026-11-16T00:30:00+08:00")
    if midway:
        midway()
    with at("11-24 10:00"):
        response = desk.publish(n["m2"])
    with at("11-24 12:00"):
        desk.post(f"/responses/{response}/approve", "sup")
        n["before_reopen"] = desk.summary()["totals"]  # M2 is past its first due date (11-20), not the extended one
    with at("11-25 09:00"):
        desk.post(f"/messages/{n['m2']}/callback", "op", {"satisfaction": "dissatisfied", "comment": "仍未修好"})
    with at("11-26 09:00"):
        response = desk.publish(n["m2"])
    with at("11-26 10:00"):
        desk.post(f"/responses/{response}/approve", "sup")
    with at("11-27 09:00"):
        desk.post(f"/messages/{n['m2']}/callback", "op", {"satisfaction": "basically_satisfied"})
    return n


def subset(found: dict, expected: dict) -> dict:
    return {name: found[name] for name in expected}


def roll_up_at(local: str) -> None:
    """Refresh the KPI rollup as the sweep would have at that moment (every day then read from it, and what
    fell due between then and the report added on top)."""
    with at(local):
        rollup.refresh()


@pytest.fixture(params=["live", "rollup"])
def november(request, app, db, client):
    desk = Desk(client)
    if request.param == "live":
        return desk, play_november(desk)
    # Rolled up on 11-20; M2 (received 11-06) changes afterwards, so its day is read live, the other 13 days
    # from the rollup, M3 (due 11-24, never answered) through what fell due after the refresh.
    story = play_november(desk, midway=lambda: roll_up_at("11-20 12:00"))
    window = kpis.Window(start=date(2026, 11, 2), end=date(2026, 11, 15), now=datetime(2026, 11, 30, 4, tzinfo=UTC))
    clean = kpis.clean_days(window, Clock.load().calendar.fingerprint())
    assert len(clean) == 13 and day_number_of(date(2026, 11, 6)) not in clean
    return desk, story


@freeze_time(REPORT_AT)
def test_totals_match_the_story(november):
    desk, numbers = november
    body = desk.summary()
    assert (body["from"], body["to"], body["unit"], body["by"], body["groups"]) == (
        "2026-11-02", "2026-11-15", None, None, [])
    assert subset(body["totals"], TOTALS) == TOTALS
    assert desk.get(f"/messages/{numbers['m2']}").json["reopen_count"] == 1


def test_the_extension_moves_the_completion_deadline(november):
    _, story = november
    earlier = story["before_reopen"]   # M3 (due 11-24 23:59:59) not yet past due, so out of the figure
    assert subset(earlier, BEFORE_REOPEN) == BEFORE_REOPEN


@freeze_time(REPORT_AT)
def test_by_unit_channel_and_period(november):
    desk, _ = november
    groups = desk.summary("by=unit")["groups"]
    assert [g["key"] for g in groups][-1] is None  # messages without a lead unit come last
    assert {g["key"]: subset(g, BY_UNIT[g["key"]]) for g in groups} == BY_UNIT
    channels = {g["key"]: g for g in desk.summary("by=channel")["groups"]}
    assert {k: (g["messages"], g["assignments"], g["on_time_sign_rate"]) for k, g in channels.items()} == {
        "hotline": (5, 5, 0.5), "mailbox": (1, 1, 0.0)}
    days = desk.summary("by=day")["groups"]
    assert [(g["key"], g["messages"]) for g in days] == [
        ("2026-11-02", 1), ("2026-11-03", 1), ("2026-11-06", 1), ("2026-11-11", 1), ("2026-11-12", 1),
        ("2026-11-13", 1)]   # M3 at 07:00 Beijing time is Nov 3rd, though still Nov 2nd in UTC
    weeks = desk.summary("by=week")["groups"]
    assert {g["key"]: subset(g, BY_WEEK[g["key"]]) for g in weeks} == BY_WEEK
    (month,) = desk.summary("by=month")["groups"]
    assert month["key"] == "2026-11" and subset(month, TOTALS) == TOTALS


@freeze_time(REPORT_AT)
def test_by_topic_follows_the_analysis(november):
    desk, story = november
    numbers = [no for name, no in story.items() if name.startswith("m")]
    topics = Counter(desk.get(f"/messages/{no}").json["analysis"]["topic"] for no in numbers)
    groups = desk.summary("by=topic")["groups"]
    assert {g["key"]: g["messages"] for g in groups} == dict(topics)


@freeze_time(REPORT_AT)
def test_unit_filter_and_unit_tokens_see_only_their_own(november):
    desk, _ = november
    mine = desk.summary("unit=" + A)
    assert mine["unit"] == A and subset(mine["totals"], BY_UNIT[A]) == BY_UNIT[A]
    forced = desk.summary("unit=" + A, who="b")   # a unit token asking for another unit gets its own
    assert forced["unit"] == B and subset(forced["totals"], BY_UNIT[B]) == BY_UNIT[B]
    assert [g["key"] for g in desk.summary("by=unit", who="b")["groups"]] == [B]
    assert desk.get(f"/stats/summary?{WINDOW}", "ing").status_code == 403
    assert desk.client.get("/api/v1/stats/summary").status_code == 401


@pytest.mark.parametrize("query, field", [
    ("from=2026-13-01", "from"), ("to=yesterday", "to"), ("by=year", "by"), ("unit=不存在的单位", "unit"),
    ("from=2026-11-10&to=2026-11-01", "from"), ("from=2020-01-01&to=2026-11-01", "to"),
    # Out of 2000-01-01 .. the end of next year: year 1 once overflowed (a 500), 1900 took 14 s.
    ("from=0001-01-01&to=0001-01-01", "from"), ("from=1900-01-01&to=1901-12-31", "from"),
    ("from=9998-01-01&to=9999-12-31", "to"),
])
def test_bad_parameters_are_422_naming_the_field(client, make_token, query, field):
    response = client.get(f"/api/v1/stats/summary?{query}", headers=make_token("supervisor"))
    assert response.status_code == 422 and field in response.json["fields"], response.json


def test_empty_window_gives_nulls_and_zeros(client, make_token):
    body = client.get("/api/v1/stats/summary?by=unit", headers=make_token("admin")).json
    assert body["groups"] == [] and body["totals"]["messages"] == 0
    assert body["totals"]["on_time_completion_rate"] is None and body["totals"]["hours_p90"] is None


def test_handling_hours_skip_holidays_and_follow_admin_calendar_days(app, db, client):
    """Wed 9-30 16:00 → Sat 10-10 10:00 (调休 workday) is 8 + 24 + 24 + 10 = 66 h over National Day."""
    desk = Desk(client)
    with freeze_time("2026-09-30T16:05:00+08:00"):
        no = desk.new("H-1", "2026-09-30T16:00:00+08:00", kind="consult", text="请问公积金怎么提取？")
    with freeze_time("2026-10-10T10:00:00+08:00"):
        desk.post(f"/messages/{no}/answer", "op", {"content": "携带身份证到公积金中心办理。"})
        totals = desk.get("/stats/summary?from=2026-09-30&to=2026-09-30").json["totals"]
        assert (totals["hours_mean"], totals["on_time_completion_rate"]) == (66.0, 0.0)  # due 10-09: late
        rollup.refresh()
        assert desk.get("/stats/summary?from=2026-09-30&to=2026-09-30").json["totals"] == totals
        db.session.add(CalendarDay(day=date(2026, 10, 9), is_workday=False, note="test"))
        db.session.commit()
        # The rollup was built on the old calendar: the summary reads live until the next refresh rebuilds it.
        assert desk.get("/stats/summary?from=2026-09-30&to=2026-09-30").json["totals"]["hours_mean"] == 42.0
        assert rollup.refresh()["full"] is True
        assert desk.get("/stats/summary?from=2026-09-30&to=2026-09-30").json["totals"]["hours_mean"] == 42.0


def test_p90_is_the_nearest_rank(app, db, client):
    """Ten direct answers taking 1..10 working hours: mean 5.5, p90 the 9th value."""
    desk = Desk(client)
    with freeze_time("2026-11-02T08:30:00+08:00"):
        numbers = [desk.new(f"P-{i}", "2026-11-02T08:00:00+08:00", kind="consult", text=f"第{i}个咨询：办事时间？")
                   for i in range(1, 11)]
    for i, no in enumerate(numbers, start=1):
        with freeze_time(f"2026-11-02T{8 + i:02d}:00:00+08:00"):
            desk.post(f"/messages/{no}/answer", "op", {"content": "工作日 9 点至 17 点。"})
    with freeze_time(REPORT_AT):
        totals = desk.get("/stats/summary?from=2026-11-02&to=2026-11-02").json["totals"]
    assert (totals["handled"], totals["hours_mean"], totals["hours_p90"]) == (10, 5.5, 9.0)


@pytest.mark.postgres
def test_the_same_figures_on_postgresql(pg_url):
    app = create_app(base_config(pg_url))
    with app.app_context():
        upgrade()
        try:
            desk = Desk(app.test_client())
            play_november(desk)
            with freeze_time(REPORT_AT):
                assert subset(desk.summary()["totals"], TOTALS) == TOTALS
                groups = desk.summary("by=unit")["groups"]
                assert {g["key"]: subset(g, BY_UNIT[g["key"]]) for g in groups} == BY_UNIT
                weeks = desk.summary("by=week")["groups"]
                assert {g["key"]: subset(g, BY_WEEK[g["key"]]) for g in weeks} == BY_WEEK
                days = [g["key"] for g in desk.summary("by=day")["groups"]]
                assert days[:2] == ["2026-11-02", "2026-11-03"] and len(days) == 6
        finally:
            _db.session.remove()
            _db.engine.dispose()
