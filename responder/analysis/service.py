"""analyse_message: run the analysis pipeline on a stored message and record what it found."""

from __future__ import annotations

import logging

from sqlalchemy import select

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
    message = db.session.get(Message, message_id)
    if message is None or message.status != Status.RECEIVED or message.analysed_at is not None:
        return False
    lexicon_store.refresh()  # an admin's new cue words reach this worker within LEXICON_REFRESH_SECONDS
    given_type = message.request_type if message.request_type_source in ("channel", "operator") else None
    found = pipeline.analyse_text(message.content, message.title, given_type, message.urgency)
    _store_result(message, found)
    changed_type = given_type is None and found.request_type != message.request_type
    raised = found.urgency != message.urgency
    if changed_type:
        message.request_type, message.request_type_source = found.request_type, "analysis"
    if raised:
        message.urgency = found.urgency
    if changed_type or raised or message.due_at is None:
        deadline = Clock.load().handling_deadline(message.channel, message.request_type, message.urgency,
                                                  message.received_at)
        if deadline:
            message.due_at, message.due_provisional = deadline.due_at, deadline.provisional
    message.analysed_at = utcnow()
    message.analysis_attempts += 1
    try:
        transition(message, "analyse", SYSTEM, {
            "topic": found.topic, "request_type": message.request_type, "urgency": message.urgency,
            "risk_flags": list(found.risk_flags), "model_version": found.model_version,
        })
    except Conflict:  # someone else analysed it meanwhile: theirs stands
        db.session.rollback()
        return False
    if message.urgency == "urgent" and found.risk_flags:
        alert_supervisors(message, found.risk_flags)  # same transaction as the result: both or neither
    db.session.commit()
    return True


def _store_result(message: Message, found: pipeline.Analysis) -> None:
    """One result per (message, model version); earlier versions stay, marked not current."""
    # One read of the message's results (none for a new message) instead of an UPDATE and a SELECT.
    earlier = list(db.session.scalars(select(AnalysisResult).where(AnalysisResult.message_id == message.id)))
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
