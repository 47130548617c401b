"""Replies and their review (先审后发): the lead answers, a supervisor approves or sends it back; an
operator may answer a 咨询 directly. Commitments in a reply are recorded for the ledger."""

from __future__ import annotations

from responder.audit import record
from responder.auth.permissions import lead_assignment_of
from responder.auth.principal import Principal
from responder.errors import Conflict, NotPermitted
from responder.extensions import db
from responder.models import Commitment, Message, Response, utcnow
from responder.validation import body_object, bool_field, date_field, raise_if, single_text, text_field
from responder.workflow.service import decide, transition
from responder.workflow.states import AssignmentStatus

MAX_COMMITMENTS = 20


def _commitments(body: dict, errors: dict) -> list[dict]:
    items = body.get("commitments") or []
    if not isinstance(items, list) or len(items) > MAX_COMMITMENTS:
        errors["commitments"] = f"应为至多 {MAX_COMMITMENTS} 项的数组"
        return []
    found = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"commitments[{i}]"] = "应为对象 {content, due_date}"
            continue
        local: dict[str, str] = {}
        content = text_field(item, "content", local, required=True, max_len=2000)
        due = date_field(item, "due_date", local)
        errors.update({f"commitments[{i}].{k}": v for k, v in local.items()})
        found.append({"content": content, "due_date": due})
    return found


def reply(message: Message, body, actor: Principal) -> Response:
    """答复: only the lead unit, only while handling; the reply waits for review."""
    if actor.role != "unit":
        raise NotPermitted("只有承办单位可以答复")
    lead = lead_assignment_of(actor, message)
    body = body_object(body)
    errors: dict[str, str] = {}
    content = text_field(body, "content", errors, required=True, max_len=20_000)
    public = bool_field(body, "public", errors, default=False)
    promised = _commitments(body, errors)
    raise_if(errors)
    transition(message, "reply", actor)
    transition(lead, "reply", actor)
    response = Response(message_id=message.id, assignment_id=lead.id, unit_id=lead.unit_id, content=content,
                        public=bool(public), author=actor.actor)
    response.commitments = [Commitment(message_id=message.id, unit_id=lead.unit_id, content=c["content"],
                                       due_date=c["due_date"]) for c in promised]
    db.session.add(response)
    db.session.flush()
    record(actor.actor, "response.submit", message_id=message.id, subject_type="responses", subject_id=response.id,
           detail={"commitments": len(promised), "public": bool(public)})
    db.session.commit()
    return response


def review(response: Response, approve: bool, body, actor: Principal) -> None:
    """先审后发: approval publishes the reply and completes the message; rejection sends it back."""
    if actor.role != "supervisor":
        raise NotPermitted("只有督办/审核人员可以审核答复")
    reason = single_text(body, "reason", required=not approve)
    message = db.session.get(Message, response.message_id)
    now = utcnow()
    if approve:
        decide(response, "approved", actor, reviewed_by=actor.actor, reviewed_at=now, published_at=now)
        transition(message, "approve_response", actor, {"response_id": response.id}, published_at=now)
        for assignment in message.assignments:
            if assignment.active and assignment.status not in (AssignmentStatus.DONE, AssignmentStatus.RETURNED):
                transition(assignment, "finish", actor, finished_at=now)
    else:
        decide(response, "rejected", actor, {"reason": reason}, reviewed_by=actor.actor, reviewed_at=now,
               review_reason=reason)
        transition(message, "reject_response", actor, {"response_id": response.id, "reason": reason})
        lead = next(a for a in message.assignments if a.active and a.role == "lead")
        transition(lead, "reject_response", actor, {"reason": reason})
    db.session.commit()


def answer_directly(message: Message, body, actor: Principal) -> Response:
    """直接答复: the operator closes a 咨询 on the spot; the answer is published at once."""
    content = single_text(body, "content", max_len=20_000)
    if message.request_type != "consult":
        raise Conflict("只有咨询类诉求可以直接答复", {"request_type": message.request_type or ""})
    now = utcnow()
    transition(message, "answer", actor, published_at=now)
    response = Response(message_id=message.id, kind="direct_answer", content=content, public=True,
                        status="approved", author=actor.actor, reviewed_by=actor.actor, reviewed_at=now,
                        published_at=now)
    db.session.add(response)
    db.session.commit()
    return response
