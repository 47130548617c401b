"""route_message and dispatch: turn a routing decision into lead and assisting assignments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from responder.analysis import review
from responder.auth.principal import SYSTEM, Principal
from responder.errors import Conflict
from responder.extensions import db
from responder.models import Assignment, Message, RoutingRule, Unit, utcnow
from responder.routing import rules as matching
from responder.workflow.clock import Clock
from responder.workflow.service import transition
from responder.workflow.states import Status


def load_rules() -> list[matching.Rule]:
    """The active routing rules as plain values for the matcher."""
    rows = db.session.scalars(
        select(RoutingRule).where(RoutingRule.active.is_(True))
        .options(selectinload(RoutingRule.assist_units), selectinload(RoutingRule.lead_unit))
    )
    return [
        matching.Rule(r.id, r.name, r.priority, r.topic, tuple(r.keywords or ()), r.lead_unit_id,
                      tuple(u.id for u in r.assist_units), r.lead_unit.name)
        for r in rows
    ]


def suggest(message: Message) -> matching.Decision | None:
    """The routing decision for a message, without acting on it."""
    analysis = message.analysis
    text = "\n".join(filter(None, [message.title, message.content, message.address]))
    return matching.decide(load_rules(), analysis.topic if analysis else None,
                           analysis.topic_confidence if analysis else None, text, review.threshold())


def route_message(message_id: int) -> bool:
    """Dispatch an analysed message by the rules; no match leaves it `analyzed` for an operator."""
    message = db.session.get(Message, message_id)
    if message is None or message.status != Status.ANALYZED or message.assignments:
        return False
    decision = suggest(message)
    if decision is None:
        return False
    try:
        dispatch(message, decision.lead, decision.assists, SYSTEM, reasons=decision.reasons,
                 rule_id=decision.rule.id)
    except Conflict:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def dispatch(message: Message, lead: int, assists: list[int], actor: Principal, *,
             reasons: dict[int, str] | None = None, rule_id: int | None = None, note: str | None = None,
             now: datetime | None = None) -> list[Assignment]:
    """派单: create the lead and assisting assignments with their deadlines; the caller commits."""
    now = now or utcnow()
    reasons = reasons or {}
    clock = Clock.load()
    sign = clock.sign_deadline(message.channel, message.request_type, message.urgency, now)
    assist_due = clock.assist_deadline(message.channel, message.request_type, message.urgency, now)
    if assist_due and message.due_at and assist_due.due_at > message.due_at:
        assist_due = None  # an opinion is never due after the reply it feeds
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_([lead, *assists])))}
    # The status change goes first: its conditional UPDATE makes a concurrent dispatch of the same
    # message fail with 409 before it could add a second set of assignments.
    transition(message, "dispatch", actor, {
        "lead": units[lead].name, "assist": [units[a].name for a in assists if a != lead],
        "rule_id": rule_id, "note": note,
    })
    created = []
    for unit_id, role in [(lead, "lead"), *((a, "assist") for a in assists if a != lead)]:
        assignment = Assignment(
            message_id=message.id, unit_id=unit_id, role=role, status="dispatched",
            sign_due_at=sign.due_at if sign else None,
            due_at=assist_due.due_at if role == "assist" and assist_due else message.due_at,
            due_provisional=assist_due.provisional if role == "assist" and assist_due else message.due_provisional,
            reason=reasons.get(unit_id) or note or "人工派单", rule_id=rule_id if unit_id in reasons else None,
            dispatched_by=actor.actor,
        )
        message.assignments.append(assignment)
        created.append(assignment)
    db.session.flush()
    return created
