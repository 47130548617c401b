"""route_message and dispatch: turn a routing decision into lead and assisting assignments."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from responder.analysis import review
from responder.auth.principal import SYSTEM, Principal
from responder.caching import ReadCache
from responder.errors import Conflict
from responder.extensions import db
from responder.models import Assignment, Message, PlanTask, RoutingRule, Unit, utcnow
from responder.routing import rules as matching
from responder.workflow.clock import Clock
from responder.workflow.service import transition
from responder.workflow.states import Status


def _origins() -> dict[int, str]:
    """For plan rules: 《plan》第N项, from the task ledger row the rule was derived from."""
    rows = db.session.execute(select(PlanTask.rule_id, PlanTask.plan, PlanTask.number)
                              .where(PlanTask.rule_id.is_not(None))).all()
    return {rule_id: f"《{plan}》" + (f"第{number}项" if number else "") for rule_id, plan, number in rows}


def _routing_cache() -> ReadCache:
    cache = current_app.extensions.get("rules_cache")
    if cache is None:
        ttl = current_app.config.get("READ_CACHE_SECONDS", 10)
        cache = current_app.extensions.setdefault("rules_cache", ReadCache((RoutingRule, Unit, PlanTask), ttl))
    return cache


def load_rules() -> list[matching.Rule]:
    """The active routing rules as plain values for the matcher, cached per process (see caching.py)."""
    return _routing_cache().get("rules", read_rules)


def read_rules() -> list[matching.Rule]:
    """The active routing rules from the database."""
    rows = db.session.scalars(
        select(RoutingRule).where(RoutingRule.active.is_(True))
        .options(selectinload(RoutingRule.assist_units), selectinload(RoutingRule.lead_unit))
    )
    origins = _origins()
    return [
        matching.Rule(r.id, r.name, r.priority, r.topic, tuple(r.keywords or ()), r.lead_unit_id,
                      tuple(u.id for u in r.assist_units), r.lead_unit.name, r.source or "admin",
                      origins.get(r.id, ""))
        for r in rows
    ]


def load_places() -> list[matching.Place]:
    """Place names (街道/镇/乡/村/社区) that are an active unit's name or alias, cached like the rules."""
    return _routing_cache().get("places", read_places)


def read_places() -> list[matching.Place]:
    """The place names from the database; the root organisation is left out."""
    places = []
    for unit in db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.parent_id.is_not(None))):
        places.extend(matching.Place(name, unit.id, unit.name)
                      for name in matching.place_names(unit.name, unit.aliases or []))
    return places


def unit_names(unit_ids: list[int]) -> dict[int, str]:
    """Names of units by id for the dispatch event, from the routing cache (read again for an id it lacks)."""
    names = _routing_cache().get("unit_names", lambda: dict(db.session.execute(select(Unit.id, Unit.name)).all()))
    if all(i in names for i in unit_ids):
        return names
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())


def min_score() -> float:
    return float(current_app.config.get("ROUTING_MIN_SCORE", matching.MIN_SCORE))


def decide_for(message: Message, rules: list[matching.Rule], places: list[matching.Place],
               topic: str | None = None, topic_confidence: float | None = None,
               min_topic_confidence: float | None = None) -> matching.Decision | None:
    """The decision for one message with rules and places already loaded (the queue page reads them once)."""
    text = "\n".join(filter(None, [message.title, message.content, message.address]))
    content = "\n".join(filter(None, [message.title, message.content]))
    return matching.decide(rules, topic, topic_confidence, text, places=places, address=message.address,
                           content=content, min_score=min_score(),
                           min_topic_confidence=review.threshold() if min_topic_confidence is None
                           else min_topic_confidence)


def suggest(message: Message) -> matching.Decision | None:
    """The routing decision for a message, without acting on it."""
    analysis = message.analysis
    return decide_for(message, load_rules(), load_places(), analysis.topic if analysis else None,
                      analysis.topic_confidence if analysis else None)


def route_message(message_id: int) -> bool:
    """Dispatch an analysed message by the rules; no match, or a score below the threshold, leaves it
    `analyzed` for an operator (who sees the suggestion)."""
    # The message with what the decision reads, in one query.
    message = db.session.get(Message, message_id, options=[joinedload(Message.analysis),
                                                             joinedload(Message.assignments)])
    if message is None or message.status != Status.ANALYZED or message.assignments:
        return False
    analysis = message.analysis
    try:
        routed = _route(message, analysis.topic if analysis else None, analysis.topic_confidence if analysis else None)
    except Conflict:
        db.session.rollback()
        return False
    if routed:
        db.session.commit()
    return routed


def analyse_and_route(message_id: int) -> bool:
    """The worker's step: analyse a received message and route it in one transaction, one commit (one
    seal of the audit chain), reading the message once. True if it was analysed.

    If routing meets a conflict, the analysis alone is redone and committed, as the two-step path would.
    """
    from responder.analysis.service import analyse_in_transaction, analyse_message

    analysed = analyse_in_transaction(message_id)
    if analysed is None:
        return False
    message, found = analysed
    try:
        _route(message, found.topic, found.topic_confidence)
    except Conflict:
        db.session.rollback()
        return analyse_message(message_id)
    db.session.commit()
    return True


def _route(message: Message, topic: str | None, topic_confidence: float | None) -> bool:
    """Dispatch by the rules in the caller's transaction; False when no confident decision."""
    decision = decide_for(message, load_rules(), load_places(), topic, topic_confidence)
    if decision is None or not decision.confident:
        return False
    dispatch(message, decision.lead, decision.assists, SYSTEM, reasons=decision.reasons,
             rule_id=decision.rule_id, score=decision.score, matched=decision.matched)
    return True


def dispatch(message: Message, lead: int, assists: list[int], actor: Principal, *,
             reasons: dict[int, str] | None = None, rule_id: int | None = None, note: str | None = None,
             now: datetime | None = None, score: float | None = None,
             matched: list[str] | None = None) -> list[Assignment]:
    """派单: create the lead and assisting assignments with their deadlines; the caller commits.

    With `reasons` (the engine's decision) the assignments are automatic (`auto`), which routing accuracy counts.
    """
    now = now or utcnow()
    reasons = reasons or {}
    clock = Clock.load()
    sign = clock.sign_deadline(message.channel, message.request_type, message.urgency, now)
    assist_due = clock.assist_deadline(message.channel, message.request_type, message.urgency, now)
    if assist_due and message.due_at and assist_due.due_at > message.due_at:
        assist_due = None  # an opinion is never due after the reply it feeds
    names = unit_names([lead, *assists])
    # The status change goes first: its conditional UPDATE makes a concurrent dispatch of the same
    # message fail with 409 before it could add a second set of assignments.
    transition(message, "dispatch", actor, {
        "lead": names[lead], "assist": [names[a] for a in assists if a != lead],
        "rule_id": rule_id, "note": note, "auto": bool(reasons),
        **({"score": score, "matched": matched or [], "reason": reasons.get(lead)} if reasons else {}),
    })
    created = []
    for unit_id, role in [(lead, "lead"), *((a, "assist") for a in assists if a != lead)]:
        assignment = Assignment(
            message_id=message.id, unit_id=unit_id, role=role, status="dispatched",
            sign_due_at=sign.due_at if sign else None,
            due_at=assist_due.due_at if role == "assist" and assist_due else message.due_at,
            due_provisional=assist_due.provisional if role == "assist" and assist_due else message.due_provisional,
            reason=reasons.get(unit_id) or note or "人工派单", rule_id=rule_id if unit_id in reasons else None,
            dispatched_by=actor.actor, auto=bool(reasons),
        )
        message.assignments.append(assignment)
        created.append(assignment)
    db.session.flush()
    return created
