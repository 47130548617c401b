"""Opinion events (舆情事件): create, move through 收集→会商→研判→回应→评估, record responses and the evaluation.

Supervisors (督办) create events and move them; a responsible unit sees its own events and may record
its responses; nobody else sees an event of other units. Each use case writes one audit event and commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, exists, func, select

from responder.audit import record
from responder.auth.permissions import scoped
from responder.auth.principal import Principal
from responder.directory import find_unit
from responder.errors import Conflict, FieldError, NotFound, NotPermitted
from responder.extensions import db
from responder.intake.schemas import EARLIEST_YEAR
from responder.models import Message, OpinionDeadline, OpinionEvent, OpinionEventMessage, OpinionResponse, utcnow
from responder.models import opinion_event_units as event_units
from responder.opinion import rules
from responder.validation import body_object, choice_field, raise_if, text_field

READERS = ("supervisor", "admin", "operator", "unit")
MAX_MESSAGES = 1000


def _require_supervisor(actor: Principal, doing: str) -> None:
    if actor.role != "supervisor":
        raise NotPermitted(f"只有督办人员可以{doing}")


def scoped_events(query: Select, actor: Principal) -> Select:
    """Restrict an event query to what `actor` may see: a unit only the events it is responsible for."""
    if actor.role in ("supervisor", "admin", "operator", "system"):
        return query
    if actor.role == "unit" and actor.unit_id is not None:
        return query.where(exists().where(event_units.c.event_id == OpinionEvent.id,
                                          event_units.c.unit_id == actor.unit_id))
    return query.where(False)


def get_event_for(actor: Principal, event_id: int) -> OpinionEvent:
    """One event, or 404 — also when it exists but the actor's unit is not responsible for it."""
    event = db.session.scalar(scoped_events(select(OpinionEvent).where(OpinionEvent.id == event_id), actor))
    if event is None:
        raise NotFound("未找到该舆情事件")
    return event


def list_events(actor: Principal, *, stage: str | None = None, level: str | None = None) -> Select:
    """Events the actor may see, newest discovery first, optionally of one stage or level."""
    query = scoped_events(select(OpinionEvent), actor)
    if stage:
        query = query.where(OpinionEvent.stage == stage)
    if level:
        query = query.where(OpinionEvent.level == level)
    return query.order_by(OpinionEvent.discovered_at.desc(), OpinionEvent.id.desc())


def instant_field(payload: dict, name: str, errors: dict, *, now: datetime) -> datetime | None:
    """An ISO 8601 time with offset, not in the future (default: now)."""
    value = payload.get(name)
    if value is None or value == "":
        return now
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = "应为带时区的 ISO 8601 时间，如 2026-11-20T09:30:00+08:00"
        return None
    if parsed.tzinfo is None:
        errors[name] = "缺少时区，如 +08:00"
        return None
    if parsed > now:
        errors[name] = "不能晚于当前时间"
        return None
    if parsed.year < EARLIEST_YEAR:  # as for messages: a typo, and pre-1900 local offsets are not valid ISO 8601
        errors[name] = f"年份不能早于 {EARLIEST_YEAR}"
        return None
    return parsed


def _list_field(payload: dict, name: str, errors: dict) -> list[str]:
    value = payload.get(name) or []
    if isinstance(value, str):  # forms send one name per line
        value = [part.strip() for part in value.replace("，", ",").replace("\n", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = "应为字符串列表"
        return []
    value = [v.strip() for v in value if v.strip()]
    if len(value) > MAX_MESSAGES:
        errors[name] = f"至多 {MAX_MESSAGES} 项"
        return []
    return list(dict.fromkeys(value))


def _messages_by_tracking_no(numbers: list[str]) -> list[int]:
    found = dict(db.session.execute(
        select(Message.tracking_no, Message.id).where(Message.tracking_no.in_(numbers))).all())
    missing = [n for n in numbers if n not in found]
    if missing:
        raise FieldError("messages", "受理编号不存在：" + "、".join(missing[:5]))
    return [found[n] for n in numbers]


def _link(event: OpinionEvent, message_ids: list[int]) -> int:
    """Link messages not yet linked; returns how many were new."""
    have = set(db.session.scalars(select(OpinionEventMessage.message_id).where(
        OpinionEventMessage.event_id == event.id, OpinionEventMessage.message_id.in_(message_ids))))
    new = [m for m in dict.fromkeys(message_ids) if m not in have]
    db.session.add_all(OpinionEventMessage(event_id=event.id, message_id=m) for m in new)
    return len(new)


def create_event(body, actor: Principal) -> OpinionEvent:
    """立项: a supervisor records an event, its level, responsible units and messages; deadlines follow the level."""
    event = new_event(body, actor)
    db.session.commit()
    return event


def new_event(body, actor: Principal, *, message_ids: list[int] | None = None,
              source: str = "manual") -> OpinionEvent:
    """create_event without the commit, for callers that change more in the same transaction."""
    _require_supervisor(actor, "登记舆情事件")
    body, errors, now = body_object(body), {}, utcnow()
    title = text_field(body, "title", errors, required=True, max_len=300)
    level = choice_field(body, "level", tuple(rules.LEVELS), errors, required=True)
    discovered_at = instant_field(body, "discovered_at", errors, now=now)
    summary = text_field(body, "summary", errors, max_len=5000) or ""
    unit_names = _list_field(body, "units", errors)
    numbers = _list_field(body, "messages", errors)
    raise_if(errors)
    units = [find_unit(name, "units") for name in unit_names]
    linked = list(message_ids or []) + (_messages_by_tracking_no(numbers) if numbers else [])
    event = OpinionEvent(title=title, level=level, discovered_at=discovered_at, summary=summary,
                         created_by=actor.actor, units=list({u.id: u for u in units}.values()))
    event.deadlines = [OpinionDeadline(kind=kind, due_at=due)
                       for kind, due in rules.deadlines_for(level, discovered_at).items()]
    db.session.add(event)
    db.session.flush()
    _link(event, linked)
    record(actor.actor, "opinion_event.create", subject_type="opinion_event", subject_id=event.id,
           detail={"level": level, "units": [u.name for u in event.units], "messages": len(linked), "source": source})
    return event


def link_messages(event: OpinionEvent, body, actor: Principal) -> int:
    """收集: add messages (by tracking number) to an event still open."""
    _require_supervisor(actor, "归集诉求")
    errors: dict[str, str] = {}
    numbers = _list_field(body_object(body), "messages", errors)
    if not numbers and not errors:
        errors["messages"] = "必填"
    raise_if(errors)
    if event.stage == "closed":
        raise Conflict("事件已闭环")
    added = _link(event, _messages_by_tracking_no(numbers))
    record(actor.actor, "opinion_event.link", subject_type="opinion_event", subject_id=event.id,
           detail={"added": added})
    db.session.commit()
    return added


def advance(event: OpinionEvent, body, actor: Principal) -> str:
    """Move to the next stage of the cycle; 回应 is left only once a response is recorded."""
    _require_supervisor(actor, "推进事件阶段")
    note = text_field(body_object(body or {}), "note", errors := {}, max_len=2000)
    raise_if(errors)
    target = rules.next_stage(event.stage)
    if target is None:
        raise Conflict("评估阶段须登记评估结论后闭环" if event.stage == "evaluating" else "事件已闭环",
                       {"stage": event.stage})
    if event.stage == "responding" and not event.responses:
        raise Conflict("尚未登记任何回应，不能进入评估", {"stage": event.stage})
    previous, event.stage = event.stage, target
    record(actor.actor, "opinion_event.advance", subject_type="opinion_event", subject_id=event.id,
           detail={"from": previous, "to": target, "note": note})
    db.session.commit()
    return target


def _may_respond(event: OpinionEvent, actor: Principal) -> None:
    if actor.role == "supervisor":
        return
    if actor.role == "unit" and any(u.id == actor.unit_id for u in event.units):
        return
    raise NotPermitted("只有督办人员或责任单位可以登记回应")


def add_response(event: OpinionEvent, body, actor: Principal) -> OpinionResponse:
    """回应: a response on a channel at a time; it meets a deadline (named or inferred) if one is open."""
    _may_respond(event, actor)
    if event.stage == "closed":
        raise Conflict("事件已闭环")
    body, errors = body_object(body), {}
    channel = choice_field(body, "channel", tuple(rules.CHANNELS), errors, required=True)
    content = text_field(body, "content", errors, required=True, max_len=20_000)
    responded_at = instant_field(body, "responded_at", errors, now=utcnow())
    kinds = {d.kind: d for d in event.deadlines}
    meets = choice_field(body, "meets", tuple(kinds), errors)
    raise_if(errors)
    if responded_at < event.discovered_at:
        raise FieldError("responded_at", "不能早于事件发现时间")
    if meets is None:
        meets = rules.default_meets(event.level, channel, {k for k, d in kinds.items() if d.met_at is None})
    if meets is not None and (kinds[meets].met_at is None or responded_at < kinds[meets].met_at):
        kinds[meets].met_at = responded_at
    response = OpinionResponse(event_id=event.id, channel=channel, content=content, responded_at=responded_at,
                               meets=meets, unit_id=actor.unit_id if actor.role == "unit" else None,
                               created_by=actor.actor)
    db.session.add(response)
    db.session.flush()
    record(actor.actor, "opinion_event.respond", subject_type="opinion_event", subject_id=event.id,
           detail={"response_id": response.id, "channel": channel, "meets": meets,
                   "on_time": meets is not None and responded_at <= kinds[meets].due_at})
    db.session.commit()
    return response


def evaluate(event: OpinionEvent, body, actor: Principal) -> None:
    """评估: the evaluation and its outcome close the event."""
    _require_supervisor(actor, "登记评估")
    if event.stage != "evaluating":
        raise Conflict("事件须先推进到评估阶段", {"stage": event.stage})
    body, errors = body_object(body), {}
    text = text_field(body, "evaluation", errors, required=True, max_len=20_000)
    outcome = choice_field(body, "outcome", tuple(rules.OUTCOMES), errors, required=True)
    raise_if(errors)
    now = utcnow()
    event.evaluation, event.outcome, event.evaluated_at, event.closed_at = text, outcome, now, now
    event.stage = "closed"
    record(actor.actor, "opinion_event.evaluate", subject_type="opinion_event", subject_id=event.id,
           detail={"outcome": outcome})
    db.session.commit()


def message_count(event_id: int) -> int:
    return db.session.scalar(select(func.count()).where(OpinionEventMessage.event_id == event_id))


def linked_messages(event_id: int, actor: Principal, limit: int = 200) -> list[Message]:
    """The event's messages the actor may see (a unit: its own items), oldest first; callers mask personal data."""
    return list(db.session.scalars(
        scoped(select(Message), actor).join(OpinionEventMessage, OpinionEventMessage.message_id == Message.id)
        .where(OpinionEventMessage.event_id == event_id).order_by(Message.received_at, Message.id).limit(limit)))
