"""风险预警: an urgent message with risk flags alerts every supervisor at once, once, with the analysis."""

from __future__ import annotations

from sqlalchemy import select

from responder.analysis.service import analyse_message
from responder.extensions import db
from responder.models import AnalysisResult, Message, Notification, User


def post(flow, ext, content, **extra):
    answer = flow.client.post("/api/v1/messages", headers=flow.ingest, json={
        "channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00", "content": content,
        **extra})
    assert answer.status_code == 201, answer.json
    return db.session.scalar(select(Message).where(Message.tracking_no == answer.json["tracking_no"]))


def alerts():
    db.session.expire_all()
    return list(db.session.execute(
        select(User.username, Notification.kind, Notification.message_id, Notification.title)
        .join(User, User.id == Notification.user_id).where(Notification.kind == "alert").order_by(User.username)))


def test_every_supervisor_is_alerted_once_per_risky_message(flow, people):
    risky = post(flow, "R-1", "我们楼道里煤气泄漏，味道很大，随时可能爆炸，请马上派人来！")
    post(flow, "R-2", "小区门口路灯坏了很久")  # calm: no alert
    post(flow, "R-3", "请尽快处理", urgency="urgent")  # urgent by the channel, no risk flag: no alert
    assert risky.urgency == "urgent" and risky.analysis.risk_flags
    got = alerts()
    assert [(name, mid) for name, _, mid, _ in got] == [("sup1", risky.id), ("sup2", risky.id)]
    assert all("【风险预警】" in title and "公共安全险情" in title and risky.tracking_no in title
               for *_, title in got)

    # Analysing again (a retried task) neither re-analyses nor alerts again.
    assert analyse_message(risky.id) is False
    assert len(alerts()) == 2


def test_the_alert_is_in_the_same_transaction_as_the_result(flow, people, monkeypatch):
    from responder.analysis import service

    def broken(message, flags):
        raise RuntimeError("notification store down")

    monkeypatch.setattr(service, "alert_supervisors", broken)
    monkeypatch.setitem(flow.client.application.config["CELERY"], "task_eager_propagates", False)
    answer = flow.client.post("/api/v1/messages", headers=flow.ingest, json={
        "channel": "hotline", "external_id": "R-9", "received_at": "2026-11-20T09:30:00+08:00",
        "content": "工地脚手架倒塌压住了人，快来救人"})
    assert answer.status_code == 201
    db.session.rollback()
    message = db.session.scalar(select(Message).where(Message.external_id == "R-9"))
    assert message.status == "received" and message.analysed_at is None
    assert db.session.scalar(select(AnalysisResult).where(AnalysisResult.message_id == message.id)) is None
    assert alerts() == []
