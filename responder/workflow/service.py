"""transition(): the only code that changes a message's status, with its audit event."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from responder.audit import record
from responder.auth.principal import Principal
from responder.errors import Conflict, NotPermitted
from responder.extensions import db
from responder.models import Message, utcnow
from responder.workflow.states import LABELS, Status, target


def transition(message: Message, action: str, actor: Principal, detail: dict | None = None) -> Status:
    """Move `message` by `action` if the table allows it for the actor's role; 409 on a stale state.

    The UPDATE is conditional on the status we read, so of two people acting at once exactly one wins.
    The caller commits.
    """
    current = message.status
    step = target(current, action)
    if step is None:
        raise Conflict(f"当前状态为「{LABELS[Status(current)]}」，不能执行该操作",
                       {"status": current}, code="illegal_transition")
    new_status, roles = step
    if actor.role not in roles:
        raise NotPermitted("当前角色不能执行该操作")
    result = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.status == current)
        .values(status=new_status.value, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("该件已被他人处理，请刷新后重试", {"status": current}, code="stale_state")
    set_committed_value(message, "status", new_status.value)  # already written above; no second UPDATE
    record(actor.actor, action, message_id=message.id,
           detail={"from": current, "to": new_status.value, **(detail or {})})
    return new_status
