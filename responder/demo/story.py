"""Move the demo's messages along the handling cycle, by age, through the same use cases people use:
older items are signed, answered, reviewed and called back; a few are returned, extended, merged,
invalidated or answered directly, so every page and figure has something real to show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from responder.auth.principal import Principal
from responder.demo import content
from responder.errors import DomainError
from responder.extensions import db
from responder.models import Assignment, Message, Response, User, utcnow
from responder.workflow import closing, handling, replies

OPERATOR = Principal(role="operator", name="operator", kind="user")
SUPERVISOR = Principal(role="supervisor", name="supervisor", kind="user")
REPLY = ("您好！您反映的问题已收悉。经我单位核实，已安排工作人员到现场查看并督促相关责任方整改。"
         "下一步我们将持续跟进，计划于{due}前完成整改，届时将通过原渠道告知处理结果。感谢您对我们工作的监督。")


def _unit_actor(unit_id: int) -> Principal:
    user = db.session.scalar(select(User).where(User.unit_id == unit_id, User.role == "unit"))
    return Principal(role="unit", name=user.username if user else f"unit-{unit_id}", kind="user", unit_id=unit_id)


def _by_external_id(external_id: str) -> Message | None:
    return db.session.scalar(select(Message).where(Message.external_id == external_id))


def _lead(message: Message) -> Assignment | None:
    return next((a for a in message.assignments if a.active and a.role == "lead"), None)


def _progress(message: Message, age: timedelta, index: int, counts: dict) -> None:
    """Sign after a day, reply after three, approve after five, call back after eight days."""
    lead = _lead(message)
    if lead is None or age < timedelta(days=1):
        return
    actor = _unit_actor(lead.unit_id)
    handling.accept(lead, actor)
    counts["accepted"] += 1
    if age < timedelta(days=3):
        return
    due = (utcnow() + timedelta(days=10)).date()
    promise = {"content": "完成整改并告知处理结果", "due_date": due.isoformat()}
    response = replies.reply(message, {"content": REPLY.format(due=f"{due.month}月{due.day}日"),
                                       "public": bool(message.consent_public), "commitments": [promise]}, actor)
    counts["replied"] += 1
    if age < timedelta(days=5):
        return
    replies.review(response, True, {}, SUPERVISOR)
    counts["published"] += 1
    if age < timedelta(days=8):
        return
    satisfaction = "dissatisfied" if index % 6 == 0 else ("basically_satisfied" if index % 3 == 0 else "satisfied")
    closing.callback(message, {"satisfaction": satisfaction, "solved": "unsolved" if satisfaction == "dissatisfied"
                               else "solved", "comment": "电话回访"}, OPERATOR)
    counts["called_back"] += 1


def _merge_repeat(counts: dict) -> None:
    """并单: the second near-duplicate call joins the first."""
    first, second = (_by_external_id(e) for e in content.SCENARIOS["near_duplicates"][:2])
    if first and second and second.status in ("analyzed", "dispatched"):
        closing.merge(second, {"into": first.tracking_no}, OPERATOR)
        counts["merged"] += 1


def _side_paths(counts: dict) -> None:
    """One of each: invalidate a silent call, answer a 咨询, a return, an extension."""
    silent = _by_external_id(content.SCENARIOS["vague"][0])
    if silent and silent.status in ("received", "analyzed", "dispatched"):
        closing.invalidate(silent, {"reason": "无声来电，多次询问无应答"}, OPERATOR)
        counts["invalid"] += 1
    consult = db.session.scalar(
        select(Message).where(Message.status == "analyzed", Message.request_type == "consult"))
    if consult:
        answer = {"content": "您好，您咨询的事项可携带身份证到镇公共服务中心窗口办理。"}
        replies.answer_directly(consult, answer, OPERATOR)
        counts["answered"] += 1
    newest = db.session.scalars(select(Assignment).where(Assignment.status == "dispatched", Assignment.role == "lead")
                                .order_by(Assignment.id.desc()).limit(2)).all()
    if newest:
        handling.return_assignment(newest[0], {"reason": "该事项不属于本单位职责，建议改派。"},
                                   _unit_actor(newest[0].unit_id))
        counts["returned"] += 1
        _redispatch(newest[0], counts)
    accepted = db.session.scalars(select(Assignment).where(Assignment.status == "accepted", Assignment.role == "lead")
                                  .order_by(Assignment.id).limit(2)).all()
    for number, assignment in enumerate(accepted):
        request = handling.request_extension(assignment, {"days": 5, "reason": "需协调多个部门现场核查"},
                                             _unit_actor(assignment.unit_id))
        if number == 0:
            handling.decide_extension(request, True, {"reason": "同意"}, SUPERVISOR)
        counts["extensions"] += 1


def _redispatch(returned: Assignment, counts: dict) -> None:
    """改派: the operator sends the returned item to another unit (recorded against the automatic dispatch)."""
    message = returned.message
    other = "党政综合办公室" if returned.unit.name != "党政综合办公室" else "公共服务办公室"
    handling.dispatch_by_operator(message, {"lead": other, "note": "按退单理由改派"}, OPERATOR)
    counts["redispatched"] += 1


def tell() -> dict:
    """Advance the freshly loaded demo once (a database that already has replies is left as it is)."""
    counts = dict.fromkeys(("accepted", "replied", "published", "called_back", "merged", "invalid", "answered",
                            "returned", "redispatched", "extensions"), 0)
    if db.session.scalar(select(func.count(Response.id))):
        return counts
    _merge_repeat(counts)
    now = utcnow()
    dispatched = db.session.scalars(select(Message).where(Message.status == "dispatched").order_by(Message.id)).all()
    for index, message in enumerate(dispatched):
        try:
            _progress(message, now - message.received_at, index, counts)
        except DomainError:  # an item an earlier step already moved on
            db.session.rollback()
    _side_paths(counts)
    return counts
