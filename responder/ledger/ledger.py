"""The response ledger (舆情回应台账): its parts, each a set of rows over a window, unit-scoped.

A part is a key, a sheet title, its columns and a loader (LedgerQuery → total, rows). The ledger is
whatever parts it is asked for, in order: 办理台账 (one row per handled message) and 承诺事项 (one row
per commitment) live here; other capabilities add theirs with register_part (the opinion-events part,
舆情事件, comes that way). Loaders read a page of ids with one query, then everything those rows show
with one query per related table (assignments, replies, callbacks, commitments): never one per row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select

from responder.auth.masking import mask_phone
from responder.auth.permissions import scoped
from responder.auth.principal import Principal
from responder.extensions import db
from responder.ledger.outcomes import STATE_LABELS, outcome
from responder.models import AnalysisResult, Assignment, Callback, Commitment, Message, Response, Unit, utcnow
from responder.reports.export import Column
from responder.workflow.sla import TZ
from responder.workflow.states import LABELS, Status

NOT_HANDLED = (Status.RECEIVED.value, Status.ANALYZED.value, Status.MERGED.value, Status.INVALID.value)
CHANNEL_LABELS = {"hotline": "12345热线", "mailbox": "领导信箱", "newmedia": "政务新媒体"}
REQUEST_TYPE_LABELS = {"consult": "咨询", "help": "求助", "complaint": "投诉", "report": "举报",
                       "suggestion": "建议", "praise": "表扬", "disclosure": "依申请公开"}
SATISFACTION_LABELS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
CHUNK = 500  # ids per IN (...) list
LONG_NUMBER = re.compile(r"\d{7,}")


@dataclass(frozen=True)
class LedgerQuery:
    """What the ledger covers: local dates start..end (both inclusive), a unit, who asks, and a page."""

    start: date
    end: date
    principal: Principal
    unit_id: int | None = None
    page: int = 1
    per_page: int | None = None  # None: every row (exports)

    def bounds(self) -> tuple[datetime, datetime]:
        return (datetime.combine(self.start, time(), TZ), datetime.combine(self.end + timedelta(days=1), time(), TZ))


@dataclass(frozen=True)
class Part:
    """One part of the ledger (one sheet of the export)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    load: Callable[[LedgerQuery], tuple[int, list[dict]]]


PARTS: dict[str, Part] = {}


def register_part(part: Part) -> None:
    """Add a part (another capability's rows) to the ledger; later parts come after earlier ones."""
    PARTS[part.key] = part


def build(query: LedgerQuery, keys: list[str] | None = None) -> list[tuple[Part, int, list[dict]]]:
    """The ledger's parts (all registered ones unless `keys` names some), each with its total and rows."""
    chosen = [PARTS[k] for k in (keys or list(PARTS))]
    return [(part, *part.load(query)) for part in chosen]


def _page(select_ids, query: LedgerQuery) -> tuple[int, list[int]]:
    total = db.session.scalar(select(func.count()).select_from(select_ids.order_by(None).subquery()))
    if query.per_page:
        select_ids = select_ids.limit(query.per_page).offset((query.page - 1) * query.per_page)
    return total or 0, list(db.session.scalars(select_ids))


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _summary(message: Message) -> str:
    """The title, or the first words of the message; long numbers (phones, ID numbers) masked."""
    text = (message.title or message.content or "").strip().replace("\n", " ")
    text = text if len(text) <= 80 else text[:80] + "…"
    return LONG_NUMBER.sub(lambda m: mask_phone(m.group()), text)


def _message_ids(query: LedgerQuery):
    low, high = query.bounds()
    ids = scoped(select(Message.id), query.principal).where(
        Message.received_at >= low, Message.received_at < high, Message.status.notin_(NOT_HANDLED))
    if query.unit_id is not None:
        ids = ids.where(exists().where(Assignment.message_id == Message.id, Assignment.active.is_(True),
                                       Assignment.unit_id == query.unit_id))
    return ids.order_by(Message.received_at, Message.id)


def _related(ids: list[int]) -> dict[str, dict[int, list]]:
    """Assignments (with unit names), replies, callbacks and commitments of the messages, one query each."""
    found: dict[str, dict[int, list]] = {k: defaultdict(list) for k in ("assignments", "responses", "callbacks",
                                                                         "commitments")}
    for chunk in _chunks(ids):
        for a, unit in db.session.execute(select(Assignment, Unit.name).join(Unit, Unit.id == Assignment.unit_id)
                                          .where(Assignment.message_id.in_(chunk)).order_by(Assignment.id)):
            found["assignments"][a.message_id].append((a, unit))
        for r in db.session.scalars(select(Response).where(Response.message_id.in_(chunk)).order_by(Response.id)):
            found["responses"][r.message_id].append(r)
        for c in db.session.scalars(select(Callback).where(Callback.message_id.in_(chunk)).order_by(Callback.id)):
            found["callbacks"][c.message_id].append(c)
        for c in db.session.scalars(select(Commitment).join(Response, Response.id == Commitment.response_id)
                                    .where(Commitment.message_id.in_(chunk), Response.status != "rejected")
                                    .order_by(Commitment.id)):
            found["commitments"][c.message_id].append(c)
    return found


def _on_time(message: Message, now: datetime) -> str:
    if message.due_at is None:
        return ""
    if message.published_at is not None:
        return "是" if message.published_at <= message.due_at else "否"
    return "否（超期未办结）" if message.due_at < now else "办理中"


def _message_row(message: Message, topic: str | None, rel: dict, now: datetime) -> dict:
    assignments = rel["assignments"].get(message.id, [])
    active = [(a, u) for a, u in assignments if a.active]
    lead = next(((a, u) for a, u in active if a.role == "lead"), None)
    replies = [r for r in rel["responses"].get(message.id, []) if r.kind == "reply"]
    approved = [r for r in rel["responses"].get(message.id, []) if r.status == "approved"]
    callbacks = rel["callbacks"].get(message.id, [])
    promised = rel["commitments"].get(message.id, [])
    states = [c.state for c in promised]
    disclosed = [c for c in promised if c.disclosure_url]
    return {
        "tracking_no": message.tracking_no, "channel": CHANNEL_LABELS.get(message.channel, message.channel),
        "received_at": message.received_at, "topic": topic or "",
        "request_type": REQUEST_TYPE_LABELS.get(message.request_type or "", "未分类"), "summary": _summary(message),
        "lead_unit": lead[1] if lead else "", "assist_units": "、".join(u for a, u in active if a.role == "assist"),
        "dispatched_at": min((a.created_at for a, _ in assignments), default=None),
        "signed_at": lead[0].accepted_at if lead else None,
        "replied_at": replies[-1].created_at if replies else (approved[-1].created_at if approved else None),
        "published_at": message.published_at, "due_at": message.due_at, "on_time": _on_time(message, now),
        "status": LABELS.get(Status(message.status), message.status),
        "satisfaction": SATISFACTION_LABELS.get(callbacks[-1].satisfaction, "") if callbacks else "",
        "commitments": len(promised),
        "commitment_status": "；".join(f"{STATE_LABELS[s]} {states.count(s)}" for s in STATE_LABELS if s in states),
        "disclosure": _disclosure(approved, disclosed),
    }


def _disclosure(approved: list[Response], disclosed: list[Commitment]) -> str:
    parts = []
    public = [r for r in approved if r.public and r.published_at]
    if public:
        parts.append("答复已公开 " + public[-1].published_at.astimezone(TZ).strftime("%Y-%m-%d"))
    parts.extend(f"承诺落实情况已公开 {c.disclosure_url}" for c in disclosed)
    return "；".join(parts)


def load_messages(query: LedgerQuery) -> tuple[int, list[dict]]:
    """办理台账: one row per handled message received in the window."""
    total, ids = _page(_message_ids(query), query)
    rel = _related(ids)
    now = utcnow()
    rows: dict[int, dict] = {}
    current = and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True))
    for chunk in _chunks(ids):
        found = db.session.execute(select(Message, AnalysisResult.topic).outerjoin(AnalysisResult, current)
                                   .where(Message.id.in_(chunk)))
        for message, topic in found:
            rows[message.id] = _message_row(message, topic, rel, now)
    return total, [rows[i] for i in ids if i in rows]


def commitment_ids(query: LedgerQuery):
    """Commitments made in the window (by their reply's date), not in replies sent back, unit-scoped."""
    low, high = query.bounds()
    ids = (select(Commitment.id).join(Response, Response.id == Commitment.response_id)
           .join(Message, Message.id == Commitment.message_id)
           .where(Commitment.created_at >= low, Commitment.created_at < high, Response.status != "rejected"))
    if query.principal.role == "unit":
        ids = ids.where(Commitment.unit_id == query.principal.unit_id)
    elif query.principal.role not in ("operator", "supervisor", "admin", "system"):
        ids = ids.where(False)
    if query.unit_id is not None:
        ids = ids.where(Commitment.unit_id == query.unit_id)
    return ids.order_by(Commitment.created_at, Commitment.id)


def load_commitments(query: LedgerQuery) -> tuple[int, list[dict]]:
    """承诺事项 (回头看): every commitment made in the window with its outcome."""
    total, ids = _page(commitment_ids(query), query)
    today = utcnow().astimezone(TZ).date()
    rows: dict[int, dict] = {}
    for chunk in _chunks(ids):
        for c, tracking_no, unit in db.session.execute(
                select(Commitment, Message.tracking_no, Unit.name).join(Message, Message.id == Commitment.message_id)
                .outerjoin(Unit, Unit.id == Commitment.unit_id).where(Commitment.id.in_(chunk))):
            rows[c.id] = {
                "id": c.id, "tracking_no": tracking_no, "unit": unit or "", "content": c.content,
                "made_at": c.created_at, "due_date": c.due_date, "state": STATE_LABELS[c.state],
                "outcome": outcome(c, today), "fulfilled_at": c.fulfilled_at, "evidence": c.evidence or "",
                "overdue_at": c.overdue_at, "disclosed_at": c.disclosed_at, "disclosure_url": c.disclosure_url or "",
            }
    return total, [rows[i] for i in ids if i in rows]


MESSAGE_COLUMNS = (
    Column("tracking_no", "受理编号", width=18), Column("channel", "渠道", width=12),
    Column("received_at", "受理时间", "datetime", 17), Column("topic", "主题", width=12),
    Column("request_type", "诉求类型", width=10), Column("summary", "诉求摘要", width=40),
    Column("lead_unit", "主办单位", width=18), Column("assist_units", "协办单位", width=22),
    Column("dispatched_at", "派单时间", "datetime", 17), Column("signed_at", "签收时间", "datetime", 17),
    Column("replied_at", "答复时间", "datetime", 17), Column("published_at", "办结（发布）时间", "datetime", 17),
    Column("due_at", "办理时限", "datetime", 17), Column("on_time", "是否按期", width=14),
    Column("status", "状态", width=10), Column("satisfaction", "满意度", width=10),
    Column("commitments", "承诺事项数", "number", 10), Column("commitment_status", "承诺落实情况", width=24),
    Column("disclosure", "公开情况", width=36),
)
COMMITMENT_COLUMNS = (
    Column("tracking_no", "受理编号", width=18), Column("unit", "承诺单位", width=18),
    Column("content", "承诺内容", width=48), Column("made_at", "承诺时间", "datetime", 17),
    Column("due_date", "承诺完成日期", "date", 13), Column("state", "状态", width=12),
    Column("outcome", "回头看结果", width=14), Column("fulfilled_at", "落实时间", "datetime", 17),
    Column("evidence", "落实情况", width=36), Column("overdue_at", "逾期标记时间", "datetime", 17),
    Column("disclosed_at", "公开时间", "datetime", 17), Column("disclosure_url", "公开网址", width=36),
)

register_part(Part("messages", "办理台账", MESSAGE_COLUMNS, load_messages))
register_part(Part("commitments", "承诺事项", COMMITMENT_COLUMNS, load_commitments))
