"""Ending a message: callback (回访, a dissatisfied one reopens it: 重办), merge (并单) and invalid (无效)."""

from __future__ import annotations

from sqlalchemy import select

from responder.auth.principal import Principal
from responder.errors import Conflict, FieldError
from responder.extensions import db
from responder.models import Callback, Message, utcnow
from responder.validation import body_object, choice_field, raise_if, single_text, text_field
from responder.workflow.clock import Clock
from responder.workflow.service import transition
from responder.workflow.states import ASSIGNMENT_FINISHED, AssignmentStatus

SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")  # 满意, 基本满意, 不满意
SOLVED = ("solved", "partly", "unsolved")  # 解决, 部分解决, 未解决


def callback(message: Message, body, actor: Principal) -> Callback:
    """回访: satisfied closes the message; dissatisfied reopens it with a fresh deadline (重办)."""
    body = body_object(body)
    errors: dict[str, str] = {}
    satisfaction = choice_field(body, "satisfaction", SATISFACTION, errors, required=True)
    solved = choice_field(body, "solved", SOLVED, errors)
    comment = text_field(body, "comment", errors, max_len=2000)
    raise_if(errors)
    now = utcnow()
    if satisfaction == "dissatisfied":
        _reopen(message, actor, comment, now)
    else:
        transition(message, "close", actor, {"satisfaction": satisfaction}, closed_at=now)
    row = Callback(message_id=message.id, satisfaction=satisfaction, solved=solved, comment=comment,
                   author=actor.actor)
    db.session.add(row)
    db.session.commit()
    return row


def _reopen(message: Message, actor: Principal, comment: str | None, now) -> None:
    lead = next((a for a in message.assignments if a.active and a.role == "lead"), None)
    deadline = Clock.load().handling_deadline(message.channel, message.request_type, message.urgency, now)
    due = deadline.due_at if deadline else None
    # A direct answer has no unit to reopen it: it goes back to the operator's queue for dispatch.
    transition(message, "reopen" if lead else "reopen_unassigned", actor, {"comment": comment},
               reopen_count=message.reopen_count + 1, due_at=due,
               due_provisional=bool(deadline and deadline.provisional), overdue_at=None, published_at=None)
    if lead is not None:
        transition(lead, "reopen", actor, due_at=due, due_provisional=message.due_provisional, finished_at=None,
                   reminded_at=None, escalated_at=None)


def merge(message: Message, body, actor: Principal) -> Message:
    """并单: a repeat joins its original; the citizen's lookup then follows the original."""
    into = single_text(body, "into", max_len=32)
    original = db.session.scalar(select(Message).where(Message.tracking_no == into))
    seen = {message.id}
    while original is not None and original.merged_into_id and original.id not in seen:
        seen.add(original.id)
        original = db.session.get(Message, original.merged_into_id)  # merge into the root of a chain
    if original is None:
        raise FieldError("into", "原件不存在")
    if original.id == message.id:
        raise FieldError("into", "不能合并到自身")
    if original.status == "invalid":
        raise Conflict("原件已标记为无效", {"status": original.status})
    transition(message, "merge", actor, {"into": original.tracking_no}, merged_into_id=original.id)
    _cancel_assignments(message, actor)
    db.session.commit()
    return original


def invalidate(message: Message, body, actor: Principal) -> None:
    """无效件: spam, abuse, test calls — with a reason."""
    reason = single_text(body, "reason")
    transition(message, "invalidate", actor, {"reason": reason})
    _cancel_assignments(message, actor)
    db.session.commit()


def _cancel_assignments(message: Message, actor: Principal) -> None:
    for assignment in message.assignments:
        if assignment.active and assignment.status not in ASSIGNMENT_FINISHED:
            transition(assignment, "cancel", actor)
        elif assignment.status == AssignmentStatus.RETURNED:
            assignment.active = False
