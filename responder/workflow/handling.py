"""Use cases of the units' work on an assignment: dispatch (派单/改派), sign (签收), return (退单),
extension (延期), pause (补正) and assisting opinions (协办意见). One function, one transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from responder.audit import record
from responder.auth.permissions import require_unit_of
from responder.auth.principal import Principal
from responder.directory import find_unit
from responder.errors import Conflict, FieldError, NotPermitted
from responder.extensions import db
from responder.models import Assignment, ExtensionRequest, Message, Opinion, Pause, ReturnRequest, utcnow
from responder.routing.service import dispatch
from responder.validation import body_object, int_field, raise_if, single_text, text_field
from responder.workflow import sla
from responder.workflow.clock import Clock
from responder.workflow.service import decide, transition
from responder.workflow.states import AssignmentStatus


def dispatch_by_operator(message: Message, body, actor: Principal) -> list[Assignment]:
    """派单 or 改派: lead and assisting units by name; pending returns on the message are settled."""
    body = body_object(body)
    errors: dict[str, str] = {}
    lead_name = text_field(body, "lead", errors, required=True, max_len=120)
    assist_names = body.get("assist") or []
    if not isinstance(assist_names, list) or not all(isinstance(n, str) for n in assist_names):
        errors["assist"] = "应为单位名称数组"
    note = text_field(body, "note", errors, max_len=1000)
    raise_if(errors)
    lead = find_unit(lead_name, "lead")
    assists = []
    for name in dict.fromkeys(assist_names):
        unit = find_unit(name, "assist")
        if unit.id != lead.id:
            assists.append(unit.id)
    _settle_returns(message, actor)
    _record_override(message, lead, actor)
    created = dispatch(message, lead.id, assists, actor, note=note)
    db.session.commit()
    return created


def _record_override(message: Message, lead, actor: Principal) -> None:
    """改派 of an automatic dispatch: the engine's lead, if another unit now leads, is marked overridden."""
    auto = [a for a in message.assignments if a.role == "lead" and a.auto]
    if not auto or auto[-1].overridden or auto[-1].unit_id == lead.id:
        return
    auto[-1].overridden = True
    record(actor.actor, "routing.override", message_id=message.id, subject_type="assignment",
           subject_id=auto[-1].id, detail={"from": auto[-1].unit.name, "to": lead.name,
                                           "rule_id": auto[-1].rule_id, "reason": auto[-1].reason})


def _settle_returns(message: Message, actor: Principal) -> None:
    """A re-dispatch answers the pending returns: the returned assignments leave the active set."""
    for assignment in message.assignments:
        if assignment.active and assignment.status == AssignmentStatus.RETURNED:
            assignment.active = False
            pending = db.session.scalar(select(ReturnRequest).where(
                ReturnRequest.assignment_id == assignment.id, ReturnRequest.status == "pending"))
            if pending:
                decide(pending, "redispatched", actor, decided_by=actor.actor, decided_at=utcnow())
    db.session.flush()


def accept(assignment: Assignment, actor: Principal) -> None:
    """签收: the unit takes the assignment on; the lead's signature starts the message's handling."""
    require_unit_of(actor, assignment)
    now = utcnow()
    transition(assignment, "accept", actor, accepted_at=now)
    if assignment.role == "lead":
        transition(assignment.message, "accept", actor)
    db.session.commit()


def return_assignment(assignment: Assignment, body, actor: Principal) -> ReturnRequest:
    """退单: back to the operator with a reason; a returned lead puts the message back in the queue."""
    require_unit_of(actor, assignment)
    reason = single_text(body, "reason")
    transition(assignment, "return", actor, {"reason": reason})
    if assignment.role == "lead":
        transition(assignment.message, "return", actor, {"reason": reason, "unit": assignment.unit.name})
    request = ReturnRequest(assignment_id=assignment.id, message_id=assignment.message_id,
                            unit_id=assignment.unit_id, reason=reason, requested_by=actor.actor)
    db.session.add(request)
    db.session.commit()
    return request


def refuse_return(request: ReturnRequest, body, actor: Principal) -> None:
    """不予退单: the operator sends the assignment back to the same unit, with a note."""
    note = single_text(body, "reason")
    assignment = db.session.get(Assignment, request.assignment_id)
    decide(request, "refused", actor, {"reason": note}, decided_by=actor.actor, decided_at=utcnow(),
           decision_note=note)
    transition(assignment, "refuse_return", actor, {"reason": note})
    if assignment.role == "lead":
        transition(assignment.message, "refuse_return", actor, {"reason": note})
    db.session.commit()


def request_extension(assignment: Assignment, body, actor: Principal) -> ExtensionRequest:
    """延期申请: before the deadline, within the policy's cap; one pending request at a time."""
    require_unit_of(actor, assignment)
    errors: dict[str, str] = {}
    body = body_object(body)
    message = assignment.message
    clock = Clock.load()
    cap = sla.resolve_limit(clock.policies, kind="extension_cap", channel=message.channel,
                            request_type=message.request_type, urgency=message.urgency)
    granted = db.session.scalar(select(func.coalesce(func.sum(ExtensionRequest.days), 0)).where(
        ExtensionRequest.assignment_id == assignment.id, ExtensionRequest.status == "approved"))
    room = (cap.working_days if cap and cap.working_days else 20) - granted
    days = int_field(body, "days", errors, low=1, high=max(room, 1), required=True)
    reason = text_field(body, "reason", errors, required=True, max_len=2000)
    if room < 1:
        errors["days"] = "已达延期上限"
    raise_if(errors)
    if assignment.status not in (AssignmentStatus.DISPATCHED, AssignmentStatus.ACCEPTED):
        raise Conflict("当前状态不能申请延期", {"status": assignment.status}, code="illegal_transition")
    if assignment.due_at and utcnow() > assignment.due_at:
        raise Conflict("已超过办理时限，不能再申请延期", {"due_at": assignment.due_at.isoformat()})
    if db.session.scalar(select(ExtensionRequest.id).where(
            ExtensionRequest.assignment_id == assignment.id, ExtensionRequest.status == "pending")):
        raise Conflict("已有待审批的延期申请")
    request = ExtensionRequest(assignment_id=assignment.id, message_id=assignment.message_id, days=days,
                               reason=reason, requested_by=actor.actor, old_due_at=assignment.due_at)
    db.session.add(request)
    db.session.flush()
    record(actor.actor, "extension.request", message_id=assignment.message_id, subject_type="extension_requests",
           subject_id=request.id, detail={"days": days, "reason": reason})
    db.session.commit()
    return request


def _move_deadline(assignment: Assignment, days: int, clock: Clock) -> None:
    """Push an assignment's deadline on by working days (and the message's, for the lead)."""
    if not assignment.due_at or days <= 0:
        return
    moved = sla.due_at(assignment.due_at, sla.Limit(working_days=days), clock.calendar)
    assignment.due_at, assignment.due_provisional = moved.due_at, moved.provisional
    if assignment.role == "lead":
        message = assignment.message
        message.due_at, message.due_provisional, message.overdue_at = moved.due_at, moved.provisional, None


def decide_extension(request: ExtensionRequest, approve: bool, body, actor: Principal) -> None:
    """A supervisor approves (the deadline moves by working days) or rejects (with a reason)."""
    reason = single_text(body, "reason", required=not approve)
    if actor.role != "supervisor":
        raise NotPermitted("只有督办/审核人员可以审批延期")
    assignment = db.session.get(Assignment, request.assignment_id)
    if not approve:
        decide(request, "rejected", actor, {"reason": reason}, decided_by=actor.actor, decided_at=utcnow(),
               decision_reason=reason)
        db.session.commit()
        return
    _move_deadline(assignment, request.days, Clock.load())
    decide(request, "approved", actor, {"days": request.days, "new_due_at": assignment.due_at.isoformat()},
           decided_by=actor.actor, decided_at=utcnow(), decision_reason=reason, new_due_at=assignment.due_at)
    db.session.commit()


def pause(assignment: Assignment, body, actor: Principal) -> Pause:
    """补正: stop the clock while waiting for the citizen's material."""
    require_unit_of(actor, assignment)
    reason = single_text(body, "reason")
    if assignment.status != AssignmentStatus.ACCEPTED or assignment.paused_at:
        raise Conflict("只有办理中且未暂停的派单可以暂停计时", {"status": assignment.status})
    now = utcnow()
    assignment.paused_at = now
    row = Pause(assignment_id=assignment.id, reason=reason, started_at=now)
    db.session.add(row)
    db.session.flush()
    record(actor.actor, "assignment.pause", message_id=assignment.message_id, subject_type="assignment",
           subject_id=assignment.id, detail={"reason": reason})
    db.session.commit()
    return row


def resume(assignment: Assignment, actor: Principal) -> Pause:
    """Restart the clock; the deadline moves on by the working days the pause lasted."""
    require_unit_of(actor, assignment)
    if not assignment.paused_at:
        raise Conflict("该派单未暂停计时")
    row = db.session.scalar(select(Pause).where(Pause.assignment_id == assignment.id, Pause.ended_at.is_(None)))
    clock = Clock.load()
    now = utcnow()
    days = clock.calendar.working_days_between(assignment.paused_at.astimezone(sla.TZ).date(),
                                               now.astimezone(sla.TZ).date())
    _move_deadline(assignment, days, clock)
    assignment.paused_at = None
    row.ended_at, row.days_added = now, days
    record(actor.actor, "assignment.resume", message_id=assignment.message_id, subject_type="assignment",
           subject_id=assignment.id, detail={"days_added": days})
    db.session.commit()
    return row


def submit_opinion(assignment: Assignment, body, actor: Principal) -> Opinion:
    """协办意见: an assisting unit's contribution, for the lead to use in the reply."""
    require_unit_of(actor, assignment)
    content = single_text(body, "content", max_len=20_000)
    if assignment.role != "assist":
        raise FieldError("role", "只有协办单位提交协办意见")
    transition(assignment, "opinion", actor)
    opinion = Opinion(assignment_id=assignment.id, message_id=assignment.message_id, content=content,
                      author=actor.actor)
    db.session.add(opinion)
    db.session.commit()
    return opinion

