"""Messages as the API shows them, masked for the viewer's role."""

from __future__ import annotations

from datetime import datetime

from responder.auth.masking import citizen_view
from responder.models import (
    AnalysisResult,
    Assignment,
    Event,
    ExtensionRequest,
    Message,
    Response,
    ReturnRequest,
    utcnow,
)
from responder.models.base import local_iso as iso
from responder.workflow.states import FINISHED, LABELS, Status


def is_overdue(message: Message, now: datetime | None = None) -> bool:
    return bool(message.due_at and message.status not in FINISHED and message.due_at < (now or utcnow()))


def analysis_dict(result: AnalysisResult | None) -> dict | None:
    if result is None:
        return None
    return {
        "topic": result.topic,
        "topic_confidence": result.topic_confidence,
        "sentiment": result.sentiment,
        "sentiment_label": result.sentiment_label,
        "request_type": result.request_type,
        "request_type_confidence": result.request_type_confidence,
        "urgency": result.urgency,
        "risk_flags": list(result.risk_flags or []),
        "tags": list(result.tags or []),
        "model_version": result.model_version,
        "needs_review": bool(result.needs_review),
    }


def assignment_dict(assignment: Assignment) -> dict:
    return {
        "id": assignment.id,
        "unit": assignment.unit.name,
        "role": assignment.role,
        "status": assignment.status,
        "active": assignment.active,
        "sign_due_at": iso(assignment.sign_due_at),
        "due_at": iso(assignment.due_at),
        "accepted_at": iso(assignment.accepted_at),
        "paused_at": iso(assignment.paused_at),
        "reason": assignment.reason,
        "auto": assignment.auto,
        "overridden": assignment.overridden,
    }


def response_dict(response: Response) -> dict:
    return {
        "id": response.id,
        "kind": response.kind,
        "content": response.content,
        "public": response.public,
        "status": response.status,
        "review_reason": response.review_reason,
        "published_at": iso(response.published_at),
        "commitments": [{"id": c.id, "content": c.content, "due_date": c.due_date.isoformat() if c.due_date else None,
                         "status": c.state} for c in response.commitments],
    }


def extension_dict(row: ExtensionRequest) -> dict:
    return {"id": row.id, "assignment_id": row.assignment_id, "days": row.days, "reason": row.reason,
            "status": row.status, "old_due_at": iso(row.old_due_at), "new_due_at": iso(row.new_due_at),
            "decision_reason": row.decision_reason}


def return_dict(row: ReturnRequest) -> dict:
    return {"id": row.id, "assignment_id": row.assignment_id, "reason": row.reason, "status": row.status,
            "decision_note": row.decision_note}


def event_dict(event: Event) -> dict:
    return {"at": iso(event.at), "actor": event.actor, "action": event.action, "detail": event.detail or {}}


def message_dict(message: Message, role: str, events: list[Event] | None = None) -> dict:
    """The contract's message document; personal data masked per `role`; events only when given."""
    body = {
        "tracking_no": message.tracking_no,
        "channel": message.channel,
        "external_id": message.external_id,
        "received_at": iso(message.received_at),
        "title": message.title,
        "content": message.content,
        "request_type": message.request_type,
        "urgency": message.urgency,
        "status": message.status,
        "status_label": LABELS[Status(message.status)],
        "due_at": iso(message.due_at),
        "due_provisional": message.due_provisional,
        "overdue": is_overdue(message),
        "citizen": citizen_view(role, message.citizen_name, message.citizen_phone, message.citizen_id_number),
        "address": message.address,
        "consent_public": message.consent_public,
        "meta": message.meta or {},
        "analysis": analysis_dict(message.analysis),
        "assignments": [assignment_dict(a) for a in message.assignments],
        "responses": [response_dict(r) for r in message.responses],
        "merged_into": message.merged_into.tracking_no if message.merged_into_id else None,
        "reopen_count": message.reopen_count,
    }
    if events is not None:
        body["events"] = [event_dict(e) for e in events]
    return body
