"""Intake and reading endpoints for messages."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select

from responder.api import api_bp
from responder.api.serializers import message_dict
from responder.auth.permissions import READERS, get_message_for, require_role
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.intake.service import Received, receive_batch, receive_message
from responder.models import Event
from responder.reading import MessageFilter, list_messages, load_for_display

INGESTERS = ("integration", "operator", "admin")
MAX_BATCH = 1000


def _json_body():
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed("请求体应为 JSON", {"body": "应为 JSON 对象"})
    return body


def _received_bodies(results: list) -> dict[int, dict]:
    """Documents for the stored messages: new ones as written, the others (repeats, or messages analysed
    in-process already) loaded in one go."""
    received = [r for r in results if isinstance(r, Received)]
    messages = {r.message_id: r.written for r in received if r.written is not None}
    to_load = [r.message_id for r in received if r.written is None]
    if to_load:
        messages |= load_for_display(to_load)
    return {i: message_dict(m, g.principal.role) for i, m in messages.items()}


def _received_body(received: Received, bodies: dict[int, dict]) -> dict:
    body = bodies[received.message_id]
    if received.query_code:
        body = {**body, "query_code": received.query_code}
    return body


@api_bp.post("/messages")
@require_role(*INGESTERS)
def create_message():
    """Accept one channel message: 201 when new, 200 with the stored message for a repeat."""
    received = receive_message(_json_body(), g.principal.actor)
    return jsonify(_received_body(received, _received_bodies([received]))), 201 if received.created else 200


@api_bp.post("/messages/batch")
@require_role(*INGESTERS)
def create_messages():
    """Accept up to 1,000 messages; each item is answered in order with its own status."""
    body = _json_body()
    items = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ValidationFailed("缺少 messages 数组", {"messages": "应为数组"})
    if not 1 <= len(items) <= MAX_BATCH:
        raise ValidationFailed(f"每批 1 至 {MAX_BATCH} 条", {"messages": f"应有 1 至 {MAX_BATCH} 条"})
    answers = []
    results = receive_batch(items, g.principal.actor)
    bodies = _received_bodies(results)
    for result in results:
        if isinstance(result, ValidationFailed):
            answers.append({"status": 422, "error": "validation_failed", "message": result.message,
                            "fields": result.fields})
        else:
            answers.append({"status": 201 if result.created else 200, "message": _received_body(result, bodies)})
    summary = {code: sum(1 for a in answers if a["status"] == code) for code in (201, 200, 422)}
    return jsonify({"results": answers, "created": summary[201], "duplicates": summary[200],
                    "rejected": summary[422]}), 200


@api_bp.get("/messages/<tracking_no>")
@require_role(*READERS)
def get_message(tracking_no: str):
    """One message with its analysis, assignments, responses and audit events."""
    message = get_message_for(g.principal, tracking_no)
    events = list(db.session.scalars(select(Event).where(Event.message_id == message.id).order_by(Event.id)))
    return jsonify(message_dict(message, g.principal.role, events))


@api_bp.get("/messages")
@require_role(*READERS)
def get_messages():
    """The filtered, paginated list; a unit sees only its own items."""
    page = list_messages(g.principal, MessageFilter.from_args(request.args))
    return jsonify({
        "items": [message_dict(m, g.principal.role) for m in page.items],
        "total": page.total,
        "total_capped": page.total_capped,
        "page": page.page,
        "per_page": page.per_page,
    })
