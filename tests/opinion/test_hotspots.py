"""Hotspot detection on synthetic series: a surge is found, a steady series is not; alerts once; conversion."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from responder.extensions import db
from responder.hotspots import detect
from responder.hotspots import service as hotspots
from responder.models import AnalysisResult, Hotspot, Message, Notification, OpinionEventMessage
from tests.opinion.conftest import SQLITE_ONLY, at

NOW = at("2026-11-20T12:00:00+08:00")
FILLER = ["门口的井盖松动", "晚上灯光太暗", "公交站台破损", "垃圾清运不及时", "绿化带杂草丛生", "人行道砖块翘起",
          "下水道返味", "健身器材坏了", "路边违停严重", "广场舞音响太吵", "菜市场地面湿滑", "快递柜占用消防通道",
          "楼道堆放杂物", "小广告乱贴", "排水沟堵塞", "树枝遮挡路牌", "施工围挡倒塌", "电动车乱停放"]
SURGE = "春华镇金鼎村自来水已经停水两天了，家里老人小孩没水喝，请尽快恢复供水"


def _message(n: int, received, content: str, topic: str, tags: list[str]) -> None:
    message = Message(channel="hotline", external_id=f"x{n}", tracking_no=f"T{n:05d}", query_code_hash="-",
                      received_at=received, content=content, status="analyzed", analysed_at=received)
    db.session.add(message)
    db.session.flush()
    db.session.add(AnalysisResult(message_id=message.id, model_version="test", topic=topic, tags=tags))


@pytest.fixture
def series(app):
    """15 days of 8 varied 黄兴镇 messages a day (steady), then 12 near-identical 春华镇 停水 calls in the last day."""
    rng, n = random.Random(7), 0
    for day in range(15, 0, -1):
        for slot in range(8):
            text = "黄兴镇" + "，".join(rng.sample(FILLER, 5))
            _message(n := n + 1, NOW - timedelta(days=day - 1, hours=slot + 1), text, "城乡建设", [])
    for k in range(12):
        _message(n := n + 1, NOW - timedelta(hours=k + 1, minutes=5), SURGE + "！" * (k % 3), "环境保护", ["供水"])
    db.session.commit()


def test_a_surge_is_found_and_a_steady_series_is_not(series, people):
    with freeze_time(NOW):
        first = hotspots.run()
    assert first["indexed"] == 15 * 8 + 12
    found = {(h.kind, h.key, h.window): h for h in db.session.scalars(select(Hotspot))}
    place = found[("place", "春华镇", "24h")]
    assert place.count == 12 and place.baseline == 0 and place.score >= detect.K_SIGMA
    assert len(place.message_ids) == detect.SAMPLE
    assert ("topic", "环境保护", "24h") in found and ("tag", "供水", "24h") in found
    assert not [k for k in found if "黄兴镇" in k[1] or k[1] == "城乡建设"]  # 8 a day, every day: no surge
    assert not [k for k in found if k[2] == "7d" and k[0] != "cluster"]  # two weeks of data: no weekly baseline
    terms = [h for h in found.values() if h.kind == "term"]
    assert len(terms) == 1 and "停水" in terms[0].key.split("/")  # the burst's terms fold into one hotspot
    assert len(hotspots.member_ids(terms[0])) == 12
    clusters = [h for h in found.values() if h.kind == "cluster"]
    assert [c.count for c in clusters] == [12]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2 * len(found)  # two supervisors
    with freeze_time(NOW + timedelta(minutes=15)):
        again = hotspots.run()
    assert again["new"] == 0 and again["notified"] == 0 and again["updated"] == len(found)
    assert db.session.scalar(select(func.count()).select_from(Hotspot)) == len(found)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2 * len(found)


@SQLITE_ONLY
def test_a_hotspot_becomes_an_event_with_its_messages(series, client, tokens):
    with freeze_time(NOW):
        hotspots.run()
        listed = client.get("/api/v1/hotspots?kind=place", headers=tokens["supervisor"])
        assert listed.status_code == 200 and listed.json["total"] == 1
        spot = listed.json["items"][0]
        assert client.get("/api/v1/hotspots", headers=tokens["lead"]).status_code == 403
        assert client.get("/api/v1/hotspots", headers=tokens["integration"]).status_code == 403
        assert client.get("/api/v1/hotspots").status_code == 401
        assert client.get("/api/v1/hotspots?status=open", headers=tokens["supervisor"]).status_code == 422
        path = f"/api/v1/hotspots/{spot['id']}/convert"
        assert client.post(path, headers=tokens["lead"], json={}).status_code == 403
        answer = client.post(path, headers=tokens["supervisor"], json={"level": "major"})
        assert answer.status_code == 201, answer.json
        event = answer.json
    assert event["title"] == spot["label"] and event["message_count"] == 12 and event["level"] == "major"
    linked = set(db.session.scalars(select(OpinionEventMessage.message_id)))
    assert linked == set(db.session.scalars(select(Message.id).where(Message.content.startswith("春华镇"))))
    assert db.session.get(Hotspot, spot["id"]).status == "converted"
    assert client.post(path, headers=tokens["supervisor"], json={}).status_code == 409
    cluster = next(h for h in db.session.scalars(select(Hotspot).where(Hotspot.kind == "cluster")))
    assert client.post(f"/api/v1/hotspots/{cluster.id}/dismiss", headers=tokens["supervisor"]).json["status"] \
        == "dismissed"
    with freeze_time(NOW + timedelta(hours=1)):  # the same surge continuing raises nothing new
        assert hotspots.run()["new"] == 0


@SQLITE_ONLY
def test_no_history_no_surge(app):
    """The first day of data has no baseline: nothing is flagged, however busy."""
    for k in range(20):
        _message(k, NOW - timedelta(hours=1), SURGE + str(k), "环境保护", ["供水"])
    db.session.commit()
    detect.index_new()
    assert detect.surges(NOW, detect.WINDOWS["24h"]) == []


@SQLITE_ONLY
def test_the_worker_task_and_beat_entry_run_detection(series, people):
    from workers.hotspots import detect as task
    from workers.schedule import BEAT_SCHEDULE

    assert {"hotspots.detect", "sweeps.flag_late_events"} <= {e["task"] for e in BEAT_SCHEDULE.values()}
    with freeze_time(NOW):
        first = task.delay().get()
        assert first["new"] >= 4 and task.delay().get()["new"] == 0
