"""Event and hotspot pages through the real forms: create, advance, respond, evaluate, convert; CSRF; roles."""

from __future__ import annotations

import re
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from responder.extensions import db
from responder.hotspots import service as hotspots
from responder.models import Hotspot, OpinionEvent
from tests.opinion.conftest import LEAD, SQLITE_ONLY
from tests.opinion.test_hotspots import NOW, series  # noqa: F401  the synthetic surge fixture
from tests.web.test_admin_pages import csrf, login

pytestmark = SQLITE_ONLY


def post(client, path, data, page):
    return client.post(path, data={**data, "csrf_token": csrf(client, page)}, follow_redirects=True)


def test_supervisor_runs_an_event_through_the_pages(client, people):
    assert login(client, "sup1", "password-123").status_code == 302
    with freeze_time(NOW):
        page = post(client, "/events/new", {"title": "垃圾焚烧项目选址引发热议", "level": "especially_major",
                                             "discovered_at": "2026-11-20T10:30", "units": [LEAD],
                                             "summary": "网民集中质疑选址"}, "/events/new")
        assert page.status_code == 200
        event = db.session.scalar(select(OpinionEvent))
        html = page.get_data(as_text=True)
        assert "垃圾焚烧项目选址引发热议" in html and "特别重大" in html and 'aria-current="step"' in html
        assert 'data-seconds="12600"' in html  # 5 h from 10:30 Beijing time, seen at 12:00: 3.5 h left
        detail = f"/events/{event.id}"
        for stage in ("会商", "研判", "回应"):
            html = post(client, f"{detail}/advance", {"note": ""}, detail).get_data(as_text=True)
            assert "已推进到下一阶段" in html and re.search(rf'aria-current="step">\d\. {stage}</li>', html)
        html = post(client, f"{detail}/responses", {"channel": "press_conference", "content": "召开发布会说明选址论证过程",
                                                    "responded_at": "2026-11-20T11:45"}, detail).get_data(as_text=True)
        assert "回应已登记" in html and "已按时完成" in html
        post(client, f"{detail}/advance", {}, detail)
        html = post(client, f"{detail}/evaluation", {"evaluation": "网民情绪平复", "outcome": "eased"}, detail
                    ).get_data(as_text=True)
        assert "事件闭环" in html and "已闭环" in html
    assert client.post(f"{detail}/advance", data={}).status_code == 400  # no CSRF token
    assert "垃圾焚烧项目选址引发热议" in client.get("/events/").get_data(as_text=True)


def test_units_see_their_events_but_not_the_supervisor_forms(client, people, tokens):
    with freeze_time(NOW):
        answer = client.post("/api/v1/events", headers=tokens["supervisor"],
                             json={"title": "学校食堂食品安全传闻", "level": "general", "units": [LEAD]})
        event_id = answer.json["id"]
        assert login(client, "elsewhere", "password-123").status_code == 302
        assert client.get(f"/events/{event_id}").status_code == 404
        assert client.get("/events/new").status_code == 403
        assert client.get("/events/hotspots").status_code == 403
        client.post("/logout", data={"csrf_token": csrf(client, "/events/")})
        assert login(client, "handler", "password-123").status_code == 302
        html = client.get(f"/events/{event_id}").get_data(as_text=True)
        assert "登记回应" in html and "推进到" not in html
        html = post(client, f"/events/{event_id}/responses", {"channel": "website", "content": "已核查并通报"},
                    f"/events/{event_id}").get_data(as_text=True)
        assert "回应已登记" in html


def test_a_hotspot_turns_into_an_event_with_one_action(client, people, series):  # noqa: F811
    with freeze_time(NOW):
        hotspots.run()
    assert login(client, "sup1", "password-123").status_code == 302
    html = client.get("/events/hotspots").get_data(as_text=True)
    assert "地点「春华镇」近24小时激增" in html and "相似诉求" in html
    spot = db.session.scalar(select(Hotspot).where(Hotspot.kind == "place"))
    with freeze_time(NOW + timedelta(minutes=30)):
        html = post(client, f"/events/hotspots/{spot.id}/convert", {"level": "major"}, "/events/hotspots"
                    ).get_data(as_text=True)
    assert "已转为舆情事件" in html and "关联诉求（共 12 件" in html
