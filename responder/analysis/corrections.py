"""Operator corrections of the analysis (研判纠正): topic, request type and urgency.

The model's AnalysisResult stays as the model wrote it (only its 待复核 mark is cleared once an operator
has confirmed or corrected the topic); the correction is an audit event
("analysis.correct", detail {"from": …, "to": …}) — the feedback a later retraining reads.
Request type and urgency live on the Message, so those are updated and the deadline follows them.
"""

from __future__ import annotations

from sqlalchemy import select

from responder.analysis.topics import LABELS
from responder.audit import record
from responder.auth.principal import Principal
from responder.errors import Conflict, NotPermitted
from responder.extensions import db
from responder.models import REQUEST_TYPES, URGENCIES, Event, Message
from responder.validation import body_object, choice_field, raise_if, text_field
from responder.workflow.clock import Clock
from responder.workflow.states import Status

MAX_TOPIC_LEN = 60
# Only before dispatch: afterwards the units' deadlines already rest on the type and urgency.
CORRECTABLE = (Status.RECEIVED, Status.ANALYZED)


def corrected_topics(message_ids: list[int]) -> dict[int, str]:
    """The latest operator-corrected topic of each message that has one (one query)."""
    if not message_ids:
        return {}
    events = db.session.scalars(select(Event).where(Event.message_id.in_(message_ids),
                                                    Event.action == "analysis.correct").order_by(Event.id))
    return {e.message_id: e.detail["to"]["topic"] for e in events if "topic" in (e.detail or {}).get("to", {})}


def current_topic(message: Message) -> str | None:
    """The topic as the operator last corrected it, else the model's."""
    corrected = corrected_topics([message.id])
    return corrected.get(message.id, message.analysis.topic if message.analysis else None)


def _read(body) -> dict:
    body = body_object(body)
    errors: dict[str, str] = {}
    wanted = {
        "topic": text_field(body, "topic", errors, max_len=MAX_TOPIC_LEN),
        "request_type": choice_field(body, "request_type", REQUEST_TYPES, errors),
        "urgency": choice_field(body, "urgency", URGENCIES, errors),
    }
    raise_if(errors)
    return {key: value for key, value in wanted.items() if value is not None}


def correct(message: Message, body, principal: Principal) -> dict:
    """Apply an operator's correction; returns the fields that changed ({} when nothing did)."""
    if principal.role != "operator":
        raise NotPermitted("只有受理员可以纠正研判结果")
    if message.status not in CORRECTABLE:
        raise Conflict("派单后不能再纠正研判结果", {"status": message.status})
    wanted = _read(body)
    before = {"topic": current_topic(message), "request_type": message.request_type, "urgency": message.urgency}
    changed = {key: value for key, value in wanted.items() if before[key] != value}
    reviewed = "topic" in wanted and message.analysis is not None and message.analysis.needs_review
    if reviewed:
        message.analysis.needs_review = False  # 待复核 done: the operator confirmed or corrected the topic
    if not changed:
        if reviewed:
            record(principal.actor, "analysis.confirm", message_id=message.id, detail={"topic": wanted["topic"]})
            db.session.commit()
        return {}
    if "request_type" in changed:
        message.request_type, message.request_type_source = changed["request_type"], "operator"
    if "urgency" in changed:
        message.urgency = changed["urgency"]
    if "request_type" in changed or "urgency" in changed:
        deadline = Clock.load().handling_deadline(message.channel, message.request_type, message.urgency,
                                                  message.received_at)
        if deadline:
            message.due_at, message.due_provisional = deadline.due_at, deadline.provisional
    detail = {"from": {key: before[key] for key in changed}, "to": changed,
              "model_version": message.analysis.model_version if message.analysis else None}
    if "topic" in changed:
        detail["topic_is_label"] = changed["topic"] in LABELS  # free text marks a label the model lacks
    record(principal.actor, "analysis.correct", message_id=message.id, detail=detail)
    db.session.commit()
    return changed
