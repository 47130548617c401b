"""transition() and decide(): the only code that changes a status, each with its audit event.

Both are conditional UPDATEs on the status that was read, so of two people acting on the same item
at once exactly one wins and the other gets 409, never a lost update. The caller commits.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from responder.audit import record
from responder.auth.principal import Principal
from responder.errors import Conflict, NotPermitted
from responder.extensions import db
from responder.models import Assignment, Message, utcnow
from responder.workflow.states import (
    ASSIGNMENT_LABELS,
    ASSIGNMENT_TRANSITIONS,
    LABELS,
    MESSAGE_TRANSITIONS,
    AssignmentStatus,
    Status,
)

TABLES = {
    Message: (MESSAGE_TRANSITIONS, Status, LABELS, "message"),
    Assignment: (ASSIGNMENT_TRANSITIONS, AssignmentStatus, ASSIGNMENT_LABELS, "assignment"),
}


def transition(item: Message | Assignment, action: str, actor: Principal, detail: dict | None = None,
               **values) -> str:
    """Move a message or assignment by `action` if its table allows it for the actor's role.

    `values` are further columns written in the same UPDATE (e.g. accepted_at).
    """
    model = type(item)
    table, enum, labels, kind = TABLES[model]
    current = item.status
    step = table.get((enum(current), action))
    if step is None:
        raise Conflict(f"当前状态为「{labels[enum(current)]}」，不能执行该操作", {"status": current},
                       code="illegal_transition")
    new_status, roles = step
    if actor.role not in roles:
        raise NotPermitted("当前角色不能执行该操作")
    if model is Message:
        values.setdefault("updated_at", utcnow())
    result = db.session.execute(
        update(model).where(model.id == item.id, model.status == current)
        .values(status=new_status.value, **values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("该件已被他人处理，请刷新后重试", {"status": current}, code="stale_state")
    for name, value in {"status": new_status.value, **values}.items():
        set_committed_value(item, name, value)  # already written above; no second UPDATE
    message_id = item.id if model is Message else item.message_id
    record(actor.actor, action if model is Message else f"assignment.{action}", message_id=message_id,
           subject_type=kind, subject_id=item.id, detail={"from": current, "to": new_status.value, **(detail or {})})
    return new_status.value


def decide(row, decision: str, actor: Principal, detail: dict | None = None, *, expected: str = "pending",
           **values) -> None:
    """Settle a pending request or review (return, extension, response) exactly once."""
    model = type(row)
    result = db.session.execute(
        update(model).where(model.id == row.id, model.status == expected)
        .values(status=decision, **values).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("该申请已被处理，请刷新后重试", {"status": row.status}, code="already_decided")
    for name, value in {"status": decision, **values}.items():
        set_committed_value(row, name, value)
    record(actor.actor, f"{model.__tablename__}.{decision}", message_id=getattr(row, "message_id", None),
           subject_type=model.__tablename__, subject_id=row.id, detail=detail or {})
