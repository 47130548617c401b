"""Sweeps: overdue marking once per item with one event each; stuck messages queued again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from responder.models import Event, Message, utcnow
from responder.workflow.sweeps import mark_overdue, requeue_stuck, run_all


def post(client, headers, ext, received):
    return client.post("/api/v1/messages", headers=headers, json={
        "channel": "hotline", "external_id": ext, "received_at": received, "content": "请问图书馆几点开门？",
        "request_type": "consult"}).json["tracking_no"]


def test_overdue_is_marked_once_with_one_event_each(client, make_token, db):
    ingest = make_token("integration")
    late = [post(client, ingest, f"O-{i}", "2026-09-01T09:00:00+08:00") for i in range(3)]
    post(client, ingest, "F-1", (utcnow() + timedelta(days=1)).isoformat())
    assert mark_overdue() == 3
    assert mark_overdue() == 0  # idempotent
    events = db.session.query(Event).filter_by(action="overdue").all()
    assert len(events) == 3 and {e.actor for e in events} == {"system"} and all(e.detail == {} for e in events)
    stamped = {m.tracking_no for m in db.session.query(Message).filter(Message.overdue_at.is_not(None))}
    assert stamped == set(late)


def test_stuck_messages_are_requeued_and_analysed(client, make_token, db, app):
    ingest = make_token("integration")
    no = post(client, ingest, "S-1", "2026-11-20T09:00:00+08:00")
    # Simulate a message the broker never got: back in `received`, never queued.
    message = db.session.query(Message).filter_by(tracking_no=no).one()
    db.session.execute(update(Message).where(Message.id == message.id).values(
        status="received", analysed_at=None, analysis_queued_at=None))
    db.session.commit()
    post(client, ingest, "S-2", "2026-11-20T09:00:00+08:00")  # analysed at once: not stuck
    assert requeue_stuck() == 1
    db.session.expire_all()
    assert db.session.query(Message).filter_by(tracking_no=no).one().status == "analyzed"
    assert requeue_stuck() == 0
    assert run_all()["requeued"] == 0
