"""Hostile input against the OpenAPI document, in-process: no 5xx and every answer as the document says.

Schemathesis generates requests for every operation in /api/v1/openapi.json (valid and invalid bodies,
parameters and paths) and sends them to the WSGI app with a token of a role the operation admits (from the
access matrix), so the checks reach the validation and service code rather than stopping at 403.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import Hotspot, PlanTask, RoutingRule, Unit, UnitGroup
from tests.auth.test_access_matrix import MATRIX, PUBLIC
from tests.conftest import base_config

ROLE_ORDER = ("integration", "operator", "unit", "supervisor", "admin")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))  # CI stays under a minute; raise it locally
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    app = create_app(base_config(f"sqlite:///{path}") | {"RATE_LIMITS": {"api_token": (0, 60), "public_lookup": (0, 60)}})
    with app.app_context():
        db.create_all()
        unit, _ = directory.ensure_unit("综合行政执法办公室", actor="t")
        db.session.add(RoutingRule(name="垃圾", priority=50, keywords=["垃圾"], lead_unit_id=db.session.scalar(
            db.select(Unit.id).where(Unit.name == "综合行政执法办公室"))))
        db.session.commit()
        tokens = {role: directory.create_token(f"f-{role}", role, "综合行政执法办公室" if role == "unit" else None,
                                               actor="t")[1] for role in ROLE_ORDER}
        client = app.test_client()
        client.post("/api/v1/messages", headers={"Authorization": f"Bearer {tokens['integration']}"}, json={
            "channel": "hotline", "external_id": "F-1", "received_at": "2026-11-20T09:30:00+08:00",
            "content": "楼下垃圾三天没人清运"})
        # Objects for the id-taking operations, so generated ids (small integers) reach the services too.
        client.post("/api/v1/events", headers={"Authorization": f"Bearer {tokens['supervisor']}"}, json={
            "title": "垃圾清运舆情", "level": "general", "units": ["综合行政执法办公室"]})
        now = datetime.now(timezone.utc)
        db.session.add_all([
            Hotspot(kind="topic", key="环境卫生", label="主题「环境卫生」近24小时激增", window="24h",
                    window_start=now - timedelta(hours=24), window_end=now, count=3, message_ids=[1], created_at=now),
            PlanTask(plan="工作要点", item_key="1||清运", number="1", text="清运", requirement="清运垃圾",
                     responsibility="综合行政执法办公室", lead_unit_ids=[1]),
            UnitGroup(name="各科室", unit_ids=[])])
        db.session.commit()
        db.session.remove()
    yield app, tokens
    with app.app_context():
        db.engine.dispose()


def token_for(case, tokens) -> dict:
    """A token of the first role the access matrix lets through this operation (none for public ones)."""
    rule = case.operation.path.replace("{", "<").replace("}", ">")
    rule = rule if rule.startswith("/api/v1") else "/api/v1" + rule
    for (method, matrix_rule), (allowed, _) in MATRIX.items():
        plain_rule = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", matrix_rule)  # <int:id>, <path:name> → <id>, <name>
        if method == case.method.upper() and plain_rule == rule:
            if allowed == PUBLIC:
                return {}
            role = next(r for r in ROLE_ORDER if r in allowed)
            return {"Authorization": f"Bearer {tokens[role]}"}
    raise AssertionError(f"{case.method} {rule} is not in the access matrix")


def test_api_answers_every_generated_request_as_documented(world):
    app, tokens = world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25

    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  phases=[Phase.explicit, Phase.generate])
        def run(case):
            case.call_and_validate(headers=token_for(case, tokens), checks=CHECKS)

        try:  # every operation is fuzzed, and every failing one reported, not only the first
            run()
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis raises a BaseExceptionGroup
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
