"""load_demo: migrate, then load the demo organisation, rules, users and messages (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from responder import directory
from responder.audit import record
from responder.auth import tokens
from responder.demo import content
from responder.extensions import db
from responder.intake.service import receive_batch
from responder.models import ApiToken, Message, RoutingRule, Unit, User, utcnow
from responder.workflow.sweeps import run_all

ACTOR = "cli:demo"
DEMO_TOKEN = "演示接入平台"  # noqa: S105  a token name, not a secret


def _units() -> dict[str, Unit]:
    for row in content.UNITS:  # parents come before children in the list
        directory.ensure_unit(row["name"], parent=row["parent"], aliases=row["aliases"], actor=ACTOR)
    return {u.name: u for u in db.session.scalars(select(Unit))}


def _rules(units: dict[str, Unit]) -> None:
    known = set(db.session.scalars(select(RoutingRule.name).where(RoutingRule.source == "demo")))
    for row in content.ROUTING_RULES:
        if row["name"] in known:
            continue
        rule = RoutingRule(name=row["name"], priority=row["priority"], topic=row.get("topic"),
                           keywords=list(row.get("keywords") or []), lead_unit_id=units[row["lead"]].id,
                           note=row.get("note", ""), source="demo",
                           assist_units=[units[name] for name in row.get("assist") or []])
        db.session.add(rule)
        db.session.flush()
        record(ACTOR, "rule.create", subject_type="routing_rule", subject_id=rule.id, detail={"name": rule.name})
    db.session.commit()


def _plan() -> None:
    """The demo's 分工方案 (a few rows of the seed plan): plan rules and the task ledger, as `plan import` makes."""
    from responder.plans.importer import write_plan
    from responder.routing.fengong import parse_plan

    plan = parse_plan(content.PLAN_FILE)
    write_plan(plan, actor=ACTOR, plan_name=plan.title)


def _users(units: dict[str, Unit]) -> list[dict]:
    existing = set(db.session.scalars(select(User.username)))
    for row in content.USERS:
        if row["username"] in existing:
            continue
        user = User(username=row["username"], role=row["role"], display_name=row["display_name"],
                    unit_id=units[row["unit"]].id if row.get("unit") else None,
                    password_hash=generate_password_hash(row["password"]))
        db.session.add(user)
        db.session.flush()
        record(ACTOR, "user.create", subject_type="user", subject_id=user.id, detail={"username": user.username})
    db.session.commit()
    return [{"username": r["username"], "role": r["role"], "unit": r.get("unit")} for r in content.USERS]


def _token() -> str:
    """A fresh integration token each run: the old one's secret cannot be shown again, so rotate it."""
    old = db.session.scalar(select(ApiToken).where(ApiToken.name == DEMO_TOKEN))
    if old is not None:
        old.revoked_at = utcnow()
        old.name = f"{DEMO_TOKEN}（{old.id} 已轮换）"
        record(ACTOR, "token.revoke", subject_type="api_token", subject_id=old.id)
        db.session.commit()
    return tokens.create_token(DEMO_TOKEN, "integration", None, ACTOR)[1]


def _messages() -> int:
    now = utcnow()
    payloads = []
    for row in content.MESSAGES:
        payload = {k: v for k, v in row.items() if k != "age_hours"}
        payload["received_at"] = (now - timedelta(hours=row["age_hours"])).isoformat()
        payloads.append(payload)
    results = receive_batch(payloads, ACTOR)
    return sum(1 for r in results if getattr(r, "created", False))


def load_demo() -> dict:
    """Everything `responder demo` sets up; analysis runs in-process whatever REDIS_URL says."""
    upgrade()
    celery = current_app.extensions["celery"]
    celery.conf.task_always_eager = True
    units = _units()
    _rules(units)
    _plan()
    users = _users(units)
    token = _token()
    created = _messages()
    from responder.demo.story import tell

    story = tell()
    from responder.demo.opinion import stage as stage_opinion

    opinion = stage_opinion(ACTOR)
    run_all()
    count = lambda *where: db.session.scalar(select(func.count(Message.id)).where(*where))  # noqa: E731
    return {
        "units": len(units), "messages": count(), "created": created,
        "analyzed": count(Message.analysed_at.is_not(None)),
        "dispatched": count(Message.status.notin_(["received", "analyzed"])),
        "users": users, "password": content.DEMO_PASSWORD, "token": token, "story": story,
        "opinion": opinion,
    }
