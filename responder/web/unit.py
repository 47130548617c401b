"""Unit handlers' pages (承办人): the inbox by tab, and the forms behind the message page's action panel.

Every lookup goes through responder.auth.permissions (another unit's item is a 404); every change goes
through the workflow services via actions.perform, which flashes the outcome and returns to the item.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, render_template, request, url_for
from sqlalchemy import and_, case, func, literal, select

from responder.auth.permissions import get_assignment_for, get_message_for
from responder.extensions import db
from responder.models import Assignment, Message, Opinion, utcnow
from responder.models.base import LOCAL_TZ, UTCDateTime
from responder.validation import page_number
from responder.web.actions import form_body, perform
from responder.web.guards import principal, role_required
from responder.workflow import handling, replies
from responder.workflow.clock import Clock
from responder.workflow.states import AssignmentStatus

bp = Blueprint("unit", __name__, url_prefix="/unit")

PER_PAGE = 20
COMMITMENT_ROWS = 3
TABS = {"to_sign": "待签收", "in_progress": "办理中", "due_soon": "即将到期", "overdue": "已超期",
        "returned": "已退单"}
RUNNING = (AssignmentStatus.DISPATCHED.value, AssignmentStatus.ACCEPTED.value)

# The deadline a unit is working against: signing (签收) until signed for, then handling (办理).
DEADLINE = case((Assignment.status == AssignmentStatus.DISPATCHED.value,
                 func.coalesce(Assignment.sign_due_at, Assignment.due_at)), else_=Assignment.due_at)


def _instant(value: datetime):
    return literal(value, UTCDateTime())


def _horizon(now: datetime) -> datetime:
    """00:00 (Beijing) after the next working day: a deadline before it is due soon."""
    today = now.astimezone(LOCAL_TZ).date()
    next_workday, _ = Clock.load().calendar.add_working_days(today, 1)
    return datetime.combine(next_workday + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def _conditions(now: datetime, horizon: datetime) -> dict:
    """Each tab as a SQL condition over the unit's active assignments; paused clocks are neither due nor late."""
    running = and_(Assignment.status.in_(RUNNING), Assignment.paused_at.is_(None), DEADLINE.is_not(None))
    return {
        "to_sign": Assignment.status == AssignmentStatus.DISPATCHED.value,
        "in_progress": Assignment.status == AssignmentStatus.ACCEPTED.value,
        "due_soon": and_(running, DEADLINE >= _instant(now), DEADLINE < _instant(horizon)),
        "overdue": and_(running, DEADLINE < _instant(now)),
        "returned": Assignment.status == AssignmentStatus.RETURNED.value,
    }


@bp.get("/inbox")
@role_required("unit")
def inbox():
    who = principal()
    if who.unit_id is None:
        abort(403)
    tab = request.args.get("tab", "to_sign")
    if tab not in TABS:
        tab = "to_sign"
    page = request.args.get("page", "1")
    page = page_number(page)
    now = utcnow()
    conditions = _conditions(now, _horizon(now))
    mine = [Assignment.unit_id == who.unit_id, Assignment.active.is_(True)]
    counts_row = db.session.execute(
        select(*(func.coalesce(func.sum(case((cond, 1), else_=0)), 0).label(name)
                 for name, cond in conditions.items())).select_from(Assignment).where(*mine)
    ).one()
    counts = dict(counts_row._mapping)
    total = counts[tab]
    rows = db.session.execute(
        select(Assignment, Message.tracking_no, Message.title, Message.urgency)
        .join(Message, Message.id == Assignment.message_id)
        .where(*mine, conditions[tab])
        .order_by(DEADLINE.is_(None), DEADLINE, Assignment.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template("unit/inbox.html", tabs=TABS, tab=tab, counts=counts, rows=rows, now=now,
                           page=page, pages=max(math.ceil(total / PER_PAGE), 1), total=total)


@bp.app_template_global("unit_opinions")
def unit_opinions(message_id: int) -> list[Opinion]:
    """The assisting units' opinions on a message, for the lead's reply form (the page is already scoped)."""
    return list(db.session.scalars(select(Opinion).where(Opinion.message_id == message_id).order_by(Opinion.id)))


def _assignment(assignment_id: int) -> tuple[Assignment, str]:
    """The unit's own assignment (404 otherwise) and the message page to return to."""
    assignment = get_assignment_for(principal(), assignment_id)
    return assignment, url_for("web.message_detail", tracking_no=assignment.message.tracking_no)


@bp.post("/assignments/<int:assignment_id>/accept")
@role_required("unit")
def accept(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    return perform(lambda: handling.accept(assignment, principal()), "已签收", back)


@bp.post("/assignments/<int:assignment_id>/return")
@role_required("unit")
def return_(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    return perform(lambda: handling.return_assignment(assignment, form_body(), principal()),
                   "已退单，等待受理员处理", back)


@bp.post("/assignments/<int:assignment_id>/extension")
@role_required("unit")
def extension(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    body = form_body()
    if isinstance(body.get("days"), str) and body["days"].strip().isdigit():
        body["days"] = int(body["days"])
    return perform(lambda: handling.request_extension(assignment, body, principal()),
                   "延期申请已提交，等待督办审批", back)


@bp.post("/assignments/<int:assignment_id>/pause")
@role_required("unit")
def pause(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    return perform(lambda: handling.pause(assignment, form_body(), principal()), "已暂停计时（补正）", back)


@bp.post("/assignments/<int:assignment_id>/resume")
@role_required("unit")
def resume(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    return perform(lambda: handling.resume(assignment, principal()), "已恢复计时", back)


@bp.post("/assignments/<int:assignment_id>/opinion")
@role_required("unit")
def opinion(assignment_id: int):
    assignment, back = _assignment(assignment_id)
    return perform(lambda: handling.submit_opinion(assignment, form_body(), principal()), "协办意见已提交", back)


def reply_body(form) -> dict:
    """The reply form as the service's body: content, public, and the filled commitment rows."""
    commitments = []
    for n in range(1, COMMITMENT_ROWS + 1):
        content = (form.get(f"commitment_content_{n}") or "").strip()
        due = (form.get(f"commitment_due_{n}") or "").strip()
        if content or due:
            commitments.append({"content": content or None, "due_date": due or None})
    body = {"public": form.get("public") in ("1", "on", "true"), "commitments": commitments}
    content = (form.get("content") or "").strip()
    if content:
        body["content"] = content
    return body


@bp.post("/messages/<tracking_no>/reply")
@role_required("unit")
def reply(tracking_no: str):
    message = get_message_for(principal(), tracking_no)
    back = url_for("web.message_detail", tracking_no=message.tracking_no)
    body = reply_body(request.form)
    return perform(lambda: replies.reply(message, body, principal()), "答复已提交，等待审核后发布", back)
