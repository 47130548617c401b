"""Fixtures for the supervision tests: both databases, a small organisation, and the handling flow via the API.

The sweeps write dialect-specific SQL (local dates, JSON objects, ON CONFLICT), so the tests that
exercise it run on SQLite and on PostgreSQL; the rest pin `sqlite` with SQLITE_ONLY.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from freezegun import freeze_time

from responder.extensions import db as _db
from responder.models import Assignment
from tests.conftest import BOTH_DATABASES, app_on, create_people

LEAD, OTHER = "综合行政执法办公室", "公共服务办公室"
# 2026-11-20 is a Friday; November 2026 has no holidays.
DISPATCHED_AT = "2026-11-20T10:00:00+08:00"  # sign-for deadline: Monday 2026-11-23 23:59:59


SQLITE_ONLY = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(params=BOTH_DATABASES)
def app(request, tmp_path):
    """The app on SQLite or on a fresh PostgreSQL database, tables created."""
    yield from app_on(request, tmp_path)


@pytest.fixture
def people(app, monkeypatch):
    """Two units; two handlers in the lead unit, one elsewhere, two supervisors and an operator."""
    rows = [("handler1", "unit", LEAD), ("handler2", "unit", LEAD), ("elsewhere", "unit", OTHER),
            ("sup1", "supervisor", None), ("sup2", "supervisor", None), ("op", "operator", None)]
    return create_people(monkeypatch, rows)


class Flow:
    """Messages in, dispatched, signed, paused, answered — all through the API."""

    def __init__(self, client, make_token):
        self.client = client
        self.ingest, self.operator, self.supervisor = make_token("integration"), make_token("operator"), \
            make_token("supervisor")
        self.units = {LEAD: make_token("unit", LEAD), OTHER: make_token("unit", OTHER)}

    def dispatched(self, ext: str, received: str, request_type: str = "consult", lead: str = LEAD,
                   dispatched_at: str = DISPATCHED_AT, urgency: str = "normal",
                   assist: tuple[str, ...] = ()) -> tuple[str, int]:
        """A message received at `received`, dispatched to `lead` at `dispatched_at`: (tracking no, assignment id)."""
        answer = self.client.post("/api/v1/messages", headers=self.ingest, json={
            "channel": "hotline", "external_id": ext, "received_at": received, "content": "小区门口路灯坏了很久",
            "request_type": request_type, "urgency": urgency})
        assert answer.status_code == 201, answer.json
        no = answer.json["tracking_no"]
        with freeze_time(at(dispatched_at)):
            answer = self.client.post(f"/api/v1/messages/{no}/dispatch", headers=self.operator,
                                      json={"lead": lead, "assist": list(assist)})
        assert answer.status_code == 200, answer.json
        return no, answer.json["assignments"][0]["id"]

    def call(self, path: str, unit: str = LEAD, **body):
        answer = self.client.post(path, headers=self.units[unit], json=body)
        assert answer.status_code in (200, 201), answer.json
        return answer.json

    def accept(self, assignment_id: int) -> None:
        self.call(f"/api/v1/assignments/{assignment_id}/accept")

    def pause(self, assignment_id: int) -> None:
        self.accept(assignment_id)
        self.call(f"/api/v1/assignments/{assignment_id}/pause", reason="等待群众补充材料")

    def finish(self, no: str, assignment_id: int) -> None:
        self.accept(assignment_id)
        response = self.call(f"/api/v1/messages/{no}/responses", content="路灯已修复。")
        answer = self.client.post(f"/api/v1/responses/{response['id']}/approve", headers=self.supervisor, json={})
        assert answer.status_code == 200, answer.json

    def give_opinion(self, assignment_id: int, unit: str) -> None:
        self.call(f"/api/v1/assignments/{assignment_id}/accept", unit)
        self.call(f"/api/v1/assignments/{assignment_id}/opinion", unit, content="已核实，建议更换灯具。")

    def give_back(self, assignment_id: int) -> None:
        self.call(f"/api/v1/assignments/{assignment_id}/return", reason="不属于本单位职责")


@pytest.fixture
def flow(client, make_token, people):
    return Flow(client, make_token)


def assignment(assignment_id: int) -> Assignment:
    _db.session.expire_all()
    return _db.session.get(Assignment, assignment_id)
