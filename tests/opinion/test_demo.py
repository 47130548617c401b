"""The demo comes with an opinion event (from a detected cluster) and open hotspots, so the pages are not empty."""

from __future__ import annotations

from sqlalchemy import func, select

from responder.app import create_app
from responder.extensions import db
from responder.models import Hotspot, OpinionEvent
from responder.opinion.service import message_count
from tests.conftest import base_config
from tests.web.test_admin_pages import login


def test_demo_has_an_event_and_hotspots(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'demo.db'}"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    with app.app_context():
        event = db.session.scalar(select(OpinionEvent))
        assert event.level == "major" and event.stage == "consulting" and message_count(event.id) == 6
        assert {d.kind: d.met_at is not None for d in event.deadlines} == {"info": True, "press": False}
        kinds = dict(db.session.execute(select(Hotspot.kind, Hotspot.status)).all())
        assert kinds["cluster"] == "converted" and "new" in kinds.values()
        client = app.test_client()
        assert login(client, "supervisor", "demo-2026").status_code == 302
        assert "茅冈村集中停水引发网民关注" in client.get("/events/").get_data(as_text=True)
        assert "激增" in client.get("/events/hotspots").get_data(as_text=True)
        db.session.remove()
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(OpinionEvent.id))) == 1
        db.session.remove()
        db.engine.dispose()
