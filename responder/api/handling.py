"""Handling endpoints (CONTRACT, Handling): thin views over the workflow use cases."""

from __future__ import annotations

from flask import g, jsonify, request

from responder.api import api_bp
from responder.api.serializers import (
    assignment_dict,
    extension_dict,
    message_dict,
    response_dict,
    return_dict,
)
from responder.auth.permissions import get_assignment_for, get_message_for, require_role
from responder.errors import NotFound
from responder.extensions import db
from responder.ledger import service as ledger
from responder.models import ExtensionRequest, Response, ReturnRequest
from responder.workflow import closing, handling, replies


def _body():
    return request.get_json(silent=True) if request.data else {}


def _row(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound()
    return row


def _message_answer(message):
    db.session.expire_all()
    return jsonify(message_dict(message, g.principal.role))


@api_bp.post("/messages/<tracking_no>/dispatch")
@require_role("operator")
def dispatch_message(tracking_no):
    """派单 / 改派 to a lead unit and assisting units (by name)."""
    message = get_message_for(g.principal, tracking_no)
    handling.dispatch_by_operator(message, _body(), g.principal)
    return _message_answer(message)


@api_bp.post("/assignments/<int:assignment_id>/accept")
@require_role("unit")
def accept_assignment(assignment_id):
    """签收."""
    assignment = get_assignment_for(g.principal, assignment_id)
    handling.accept(assignment, g.principal)
    return jsonify(assignment_dict(assignment))


@api_bp.post("/assignments/<int:assignment_id>/return")
@require_role("unit")
def return_assignment(assignment_id):
    """退单 with a reason."""
    assignment = get_assignment_for(g.principal, assignment_id)
    returned = handling.return_assignment(assignment, _body(), g.principal)
    return jsonify(return_dict(returned))


@api_bp.post("/returns/<int:return_id>/refuse")
@require_role("operator")
def refuse_return(return_id):
    """不予退单: the same unit keeps the item."""
    handling.refuse_return(_row(ReturnRequest, return_id), _body(), g.principal)
    return jsonify(return_dict(_row(ReturnRequest, return_id)))


@api_bp.post("/assignments/<int:assignment_id>/extension")
@require_role("unit")
def request_extension(assignment_id):
    """延期申请: answers 201 with the request."""
    assignment = get_assignment_for(g.principal, assignment_id)
    return jsonify(extension_dict(handling.request_extension(assignment, _body(), g.principal))), 201


@api_bp.post("/extensions/<int:extension_id>/approve")
@require_role("supervisor")
def approve_extension(extension_id):
    row = _row(ExtensionRequest, extension_id)
    handling.decide_extension(row, True, _body(), g.principal)
    return jsonify(extension_dict(row))


@api_bp.post("/extensions/<int:extension_id>/reject")
@require_role("supervisor")
def reject_extension(extension_id):
    row = _row(ExtensionRequest, extension_id)
    handling.decide_extension(row, False, _body(), g.principal)
    return jsonify(extension_dict(row))


@api_bp.post("/assignments/<int:assignment_id>/pause")
@require_role("unit")
def pause_assignment(assignment_id):
    """补正: stop the clock while waiting for the citizen."""
    handling.pause(get_assignment_for(g.principal, assignment_id), _body(), g.principal)
    return jsonify(assignment_dict(get_assignment_for(g.principal, assignment_id)))


@api_bp.post("/assignments/<int:assignment_id>/resume")
@require_role("unit")
def resume_assignment(assignment_id):
    handling.resume(get_assignment_for(g.principal, assignment_id), g.principal)
    return jsonify(assignment_dict(get_assignment_for(g.principal, assignment_id)))


@api_bp.post("/assignments/<int:assignment_id>/opinion")
@require_role("unit")
def submit_opinion(assignment_id):
    """协办意见 from an assisting unit."""
    opinion = handling.submit_opinion(get_assignment_for(g.principal, assignment_id), _body(), g.principal)
    return jsonify({"id": opinion.id, "content": opinion.content}), 201


@api_bp.post("/messages/<tracking_no>/responses")
@require_role("unit")
def reply_to_message(tracking_no):
    """答复 by the lead unit; waits for review."""
    response = replies.reply(get_message_for(g.principal, tracking_no), _body(), g.principal)
    return jsonify(response_dict(response)), 201


@api_bp.post("/responses/<int:response_id>/approve")
@require_role("supervisor")
def approve_response(response_id):
    row = _row(Response, response_id)
    replies.review(row, True, _body(), g.principal)
    return jsonify(response_dict(row))


@api_bp.post("/responses/<int:response_id>/reject")
@require_role("supervisor")
def reject_response(response_id):
    row = _row(Response, response_id)
    replies.review(row, False, _body(), g.principal)
    return jsonify(response_dict(row))


@api_bp.post("/messages/<tracking_no>/callback")
@require_role("operator")
def callback(tracking_no):
    """回访; dissatisfied reopens (重办)."""
    message = get_message_for(g.principal, tracking_no)
    closing.callback(message, _body(), g.principal)
    return _message_answer(message)


@api_bp.post("/messages/<tracking_no>/merge")
@require_role("operator")
def merge(tracking_no):
    message = get_message_for(g.principal, tracking_no)
    closing.merge(message, _body(), g.principal)
    return _message_answer(message)


@api_bp.post("/messages/<tracking_no>/invalidate")
@require_role("operator")
def invalidate(tracking_no):
    message = get_message_for(g.principal, tracking_no)
    closing.invalidate(message, _body(), g.principal)
    return _message_answer(message)


@api_bp.post("/messages/<tracking_no>/answer")
@require_role("operator")
def answer(tracking_no):
    """直接答复 for a 咨询."""
    message = get_message_for(g.principal, tracking_no)
    replies.answer_directly(message, _body(), g.principal)
    return _message_answer(message)


@api_bp.post("/commitments/<int:commitment_id>/fulfil")
@require_role("unit")
def fulfil_commitment(commitment_id):
    row = ledger.get_commitment_for(g.principal, commitment_id)
    ledger.fulfil(row, _body(), g.principal)
    return jsonify({"id": row.id, "status": row.status})


@api_bp.post("/commitments/<int:commitment_id>/publish")
@require_role("supervisor")
def publish_commitment(commitment_id):
    row = ledger.get_commitment_for(g.principal, commitment_id)
    ledger.publish(row, _body(), g.principal)
    return jsonify({"id": row.id, "status": row.status, "url": row.disclosure_url})


