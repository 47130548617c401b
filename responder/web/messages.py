"""Read-only message pages: the list with analysis and assignments, and one message."""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required
from sqlalchemy import select

from responder.api.serializers import is_overdue
from responder.auth.masking import citizen_view
from responder.auth.permissions import get_message_for
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.models import Event
from responder.reading import MessageFilter, list_messages
from responder.web import web_bp
from responder.web.guards import principal


@web_bp.get("/messages")
@login_required
def messages():
    try:
        filters = MessageFilter.from_args(request.args)
    except ValidationFailed as exc:
        filters, error = MessageFilter(), exc.message
    else:
        error = None
    page = list_messages(principal(), filters)
    return render_template("web/messages.html", page=page, filters=filters, error=error,
                           is_overdue=is_overdue, args=request.args)


@web_bp.get("/messages/<tracking_no>")
@login_required
def message_detail(tracking_no: str):
    return render_message(get_message_for(principal(), tracking_no))


def render_message(message, **extra):
    """The message page (callers have checked access); `extra` goes to the template (e.g. a reply draft)."""
    who = principal()
    events = db.session.scalars(select(Event).where(Event.message_id == message.id).order_by(Event.id))
    citizen = citizen_view(who.role, message.citizen_name, message.citizen_phone, message.citizen_id_number)
    return render_template("web/message.html", m=message, events=list(events), citizen=citizen,
                           overdue=is_overdue(message), **extra)
