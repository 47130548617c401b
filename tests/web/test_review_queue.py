"""待复核: low-confidence topics are marked, shown and filtered in the queue, cleared by the operator's review."""

from __future__ import annotations

from freezegun import freeze_time

from responder.models import Event, Message, RoutingRule, Unit
from tests.web.test_operator_pages import NOW, desk, status_of, submit  # noqa: F401  (desk is a fixture)
from tests.web.test_pages import login

CLEAR = "化工厂偷排废水，河里的鱼都死了，空气污染严重，请环保局查处"
VAGUE = "你好，麻烦看一下这个事情"


@freeze_time(NOW)
def test_low_confidence_topics_wait_for_review(app, client, desk, db, make_token):  # noqa: F811
    clear, vague = desk("V-1", CLEAR), desk("V-2", VAGUE)
    assert status_of(db, vague).analysis.needs_review and not status_of(db, clear).analysis.needs_review
    reader = make_token("operator")
    assert client.get(f"/api/v1/messages/{vague}", headers=reader).json["analysis"]["needs_review"] is True
    assert client.get(f"/api/v1/messages/{clear}", headers=reader).json["analysis"]["needs_review"] is False

    login(client, "op")
    page = client.get("/operator/queue").get_data(as_text=True)
    assert clear in page and vague in page and "待复核" in page
    only = client.get("/operator/queue?review=1").get_data(as_text=True)
    assert vague in only and clear not in only and "只看待复核（1 件）" in only

    detail = f"/messages/{vague}"
    assert "请确认或纠正主题" in client.get(detail).get_data(as_text=True)
    topic = status_of(db, vague).analysis.topic
    submit(client, f"/operator/messages/{vague}/correct", {"topic": topic, "urgency": "normal"}, detail)
    assert not status_of(db, vague).analysis.needs_review
    assert db.session.query(Event).filter_by(action="analysis.confirm").count() == 1
    assert vague not in client.get("/operator/queue?review=1").get_data(as_text=True)


@freeze_time(NOW)
def test_a_topic_waiting_for_review_is_not_routed_by_topic_alone(app, client, desk, db):  # noqa: F811
    unit = db.session.query(Unit).filter_by(name="财政所").one()
    vague = desk("V-3", VAGUE)
    topic = status_of(db, vague).analysis.topic
    db.session.add(RoutingRule(name="按主题", priority=10, topic=topic, keywords=[], lead_unit_id=unit.id))
    db.session.commit()
    app.config["TOPIC_REVIEW_THRESHOLD"] = 0.99
    second = desk("V-4", VAGUE)
    assert status_of(db, second).status == "analyzed" and status_of(db, second).analysis.needs_review
    app.config["TOPIC_REVIEW_THRESHOLD"] = 0.0
    app.config["ROUTING_MIN_SCORE"] = 0.0  # a topic rule also scores its confidence against the routing threshold
    third = desk("V-5", VAGUE)
    assert status_of(db, third).status == "dispatched" and not status_of(db, third).analysis.needs_review
    assert db.session.query(Message).count() == 3
