"""`responder demo --no-serve`: migrates, loads the organisation and messages, analyses and routes them."""

from __future__ import annotations

from sqlalchemy import func, select

from responder.app import create_app
from responder.extensions import db
from responder.models import Assignment, Message, PlanTask, Unit
from tests.conftest import base_config


def test_demo_loads_analyses_and_routes_idempotently(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'demo.db'}"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "demo-2026" in result.output and "http://127.0.0.1:8000/" in result.output
    assert result.output.count("rsp_") == 1
    with app.app_context():
        total = db.session.scalar(select(func.count(Message.id)))
        assert total >= 66
        assert db.session.scalar(select(func.count(Message.id)).where(Message.status == "received")) == 0
        statuses = dict(db.session.execute(select(Message.status, func.count()).group_by(Message.status)).all())
        assert sum(n for s, n in statuses.items() if s not in ("received", "analyzed")) >= total * 0.8
        for status in ("dispatched", "in_progress", "replied", "published", "closed", "merged", "invalid"):
            assert statuses.get(status), (status, statuses)
        assert db.session.scalar(select(func.count(Message.id)).where(Message.urgency == "urgent")) >= 3
        vaccine = db.session.scalars(select(Message).where(Message.content.like("%疫苗%"))).first()
        lead = db.session.scalar(select(Unit.name).join(Assignment, Assignment.unit_id == Unit.id)
                                 .where(Assignment.message_id == vaccine.id, Assignment.role == "lead"))
        assert lead == "公共服务办公室"
        # The demo's plan (responder/demo/plan.txt) makes 公共服务办公室 responsible for 疫苗接种 (row 10): every
        # automatic dispatch of a vaccination message names that row and the words that matched.
        vaccinations = db.session.scalars(select(Message).where(Message.content.like("%疫苗%"),
                                                                Message.content.like("%接种%"))).all()
        assert vaccinations
        for message in vaccinations:
            leads = [a for a in message.assignments if a.role == "lead"]
            assert leads and leads[0].unit.name == "公共服务办公室" and leads[0].auto, message.content
            assert "分工方案《百合镇2021年政务公开工作要点分工方案（演示节选）》第10项" in leads[0].reason
            assert "命中词：接种、疫苗" in leads[0].reason and "得分" in leads[0].reason
        assert db.session.scalar(select(func.count(PlanTask.id))) == 6
        db.session.remove()
    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and "新载入 0 件" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) == total
        assert db.session.scalar(select(func.count(PlanTask.id))) == 6  # the plan again: nothing new
        db.session.remove()
        db.engine.dispose()
