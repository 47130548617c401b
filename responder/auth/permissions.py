"""Access rules in one place: who may call what, and which messages a principal may see."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from sqlalchemy import Select, exists, select

from responder.auth import ratelimit
from responder.auth.principal import Principal
from responder.auth.tokens import authenticate
from responder.errors import NotFound, NotPermitted
from responder.extensions import db
from responder.models import Assignment, Message

READERS = frozenset({"operator", "unit", "supervisor", "admin"})


def require_role(*roles: str):
    """API views: authenticate the bearer token and require one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            principal = authenticate(request.headers.get("Authorization"))
            ratelimit.check("api_token", str(principal.ref_id))
            if principal.role not in roles:
                raise NotPermitted("该令牌无权执行此操作")
            g.principal = principal
            return view(*args, **kwargs)

        return wrapped

    return decorator


def scoped(query: Select, principal: Principal) -> Select:
    """Restrict a message query to what `principal` may see (a unit sees only its own items)."""
    if principal.role in ("operator", "supervisor", "admin", "system"):
        return query
    if principal.role == "unit" and principal.unit_id is not None:
        return query.where(exists().where(Assignment.message_id == Message.id, Assignment.active.is_(True),
                                          Assignment.unit_id == principal.unit_id))
    return query.where(False)


def get_message_for(principal: Principal, tracking_no: str) -> Message:
    """One message by tracking number, or 404 — also when it exists but belongs to another unit."""
    message = db.session.scalar(scoped(select(Message).where(Message.tracking_no == tracking_no), principal))
    if message is None:
        raise NotFound("未找到该诉求件")
    return message


def get_assignment_for(principal: Principal, assignment_id: int) -> Assignment:
    """One assignment, or 404 — also when it belongs to another unit than the principal's."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or (principal.role == "unit" and assignment.unit_id != principal.unit_id):
        raise NotFound("未找到该派单")
    return assignment


def require_unit_of(principal: Principal, assignment: Assignment) -> None:
    """Unit handlers act only on their own unit's assignments (others may act where their role allows)."""
    if principal.role == "unit" and assignment.unit_id != principal.unit_id:
        raise NotFound("未找到该派单")


def lead_assignment_of(principal: Principal, message: Message) -> Assignment:
    """The principal's unit's active lead assignment on a message; assisting units get 403."""
    mine = [a for a in message.assignments if a.active and a.unit_id == principal.unit_id]
    lead = next((a for a in mine if a.role == "lead"), None)
    if lead is None:
        raise NotPermitted("只有主办单位可以答复" if mine else "该件不属于本单位")
    return lead

