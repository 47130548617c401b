"""analyse_message: run the analysis pipeline on a stored message and record what it found."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from responder.analysis import lexicon_store, pipeline, review
from responder.auth.principal import SYSTEM
from responder.errors import Conflict
from responder.extensions import db
from responder.models import AnalysisResult, Message, utcnow
from responder.notify.alerts import alert_supervisors
from responder.workflow.clock import Clock
from responder.workflow.service import transition
from responder.workflow.states import Status

log = logging.getLogger(__name__)


def analyse_message(message_id: int) -> bool:
    """Analyse one received message (idempotent: a message already analysed is left alone)."""
    if analyse_in_transaction(message_id) is None:
        return False
    db.session.commit()
    return True


def analyse_in_transaction(message_id: int) -> tuple[Message, pipeline.Analysis] | None:
    """Analyse a received message in the caller's transaction (the caller commits); returns the message and
    what was found, or None if there was nothing to do or someone else analysed it meanwhile (then the
    transaction has been rolled back).

    The message comes with its assignments (none while `received`) in the same query, so routing in the
    same transaction reads nothing more; the columns analysis changes go into the status UPDATE itself.
    """
    message = db.session.get(Message, message_id, options=[joinedload(Message.assignments)])
    if message is None or message.status != Status.RECEIVED or message.analysed_at is not None:
        return None
    lexicon_store.refresh()  # an admin's new cue words reach this worker within LEXICON_REFRESH_SECONDS
    given_type = message.request_type if message.request_type_source in ("channel", "operator") else None
    found = pipeline.analyse_text(message.content, message.title, given_type, message.urgency)
    _store_result(message, found)
    values: dict = {"analysed_at": utcnow(), "analysis_attempts": (message.analysis_attempts or 0) + 1}
    request_type, urgency = message.request_type, message.urgency
    changed_type = given_type is None and found.request_type != request_type
    raised = found.urgency != urgency
    if changed_type:
        request_type = values["request_type"] = found.request_type
        values["request_type_source"] = "analysis"
    if raised:
        urgency = values["urgency"] = found.urgency
    if changed_type or raised or message.due_at is None:
        deadline = Clock.load().handling_deadline(message.channel, request_type, urgency, message.received_at)
        if deadline:
            values["due_at"], values["due_provisional"] = deadline.due_at, deadline.provisional
    try:
        transition(message, "analyse", SYSTEM, {
            "topic": found.topic, "request_type": request_type, "urgency": urgency,
            "risk_flags": list(found.risk_flags), "model_version": found.model_version,
        }, **values)
    except Conflict:  # someone else analysed it meanwhile: theirs stands
        db.session.rollback()
        return None
    if message.urgency == "urgent" and found.risk_flags:
        alert_supervisors(message, found.risk_flags)  # same transaction as the result: both or neither
    return message, found


def _store_result(message: Message, found: pipeline.Analysis) -> None:
    """One result per (message, model version); earlier versions stay, marked not current."""
    # Results are written only here, in the transaction that counts the attempt: a message never analysed
    # has none, so only a later analysis reads them (the unique (message, version) key guards the rest).
    earlier = list(db.session.scalars(select(AnalysisResult).where(AnalysisResult.message_id == message.id))) \
        if message.analysis_attempts else []
    result = next((r for r in earlier if r.model_version == found.model_version), None)
    for other in earlier:
        if other is not result and other.current:
            other.current = False
    if result is None:
        result = AnalysisResult(message_id=message.id, model_version=found.model_version)
    result.current = True
    result.topic, result.topic_confidence = found.topic, found.topic_confidence
    result.sentiment, result.sentiment_label = found.sentiment, found.sentiment_label
    result.request_type, result.request_type_confidence = found.request_type, found.request_type_confidence
    result.urgency, result.risk_flags, result.tags = found.urgency, list(found.risk_flags), list(found.tags)
    result.needs_review = review.needs_review(found.topic_confidence)
    db.session.add(result)
