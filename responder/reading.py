"""Reading messages: the filtered, unit-scoped, paginated list (one query for the page, one count)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from responder.auth.permissions import scoped
from responder.auth.principal import Principal
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.models import CHANNELS, AnalysisResult, Assignment, Message, Response, Unit, utcnow
from responder.models.message import OPEN
from responder.validation import MAX_PAGE
from responder.workflow.states import FINISHED, Status

MAX_PER_PAGE = 100
# Counting every match of a broad filter on millions of rows costs more than the page itself; past this
# many the list says "1000+" (total_capped) and asks for a narrower filter.
COUNT_CAP = 1_000
TRUE_WORDS, FALSE_WORDS = {"true", "1", "yes"}, {"false", "0", "no"}


@dataclass
class MessageFilter:
    status: str | None = None
    unit: str | None = None
    topic: str | None = None
    channel: str | None = None
    overdue: bool | None = None
    q: str | None = None
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args) -> MessageFilter:
        """Parse query parameters; a bad one is a 422 naming it."""
        errors: dict[str, str] = {}
        status = args.get("status") or None
        if status and status not in {s.value for s in Status}:
            errors["status"] = "取值应为 " + " / ".join(s.value for s in Status)
        channel = args.get("channel") or None
        if channel and channel not in CHANNELS:
            errors["channel"] = "取值应为 " + " / ".join(CHANNELS)
        overdue = None
        if args.get("overdue"):
            word = args["overdue"].lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                errors["overdue"] = "取值应为 true 或 false"
            overdue = word in TRUE_WORDS
        page = _positive_int(args, "page", 1, errors)
        per_page = _positive_int(args, "per_page", 20, errors)
        if per_page > MAX_PER_PAGE:
            errors["per_page"] = f"不能超过 {MAX_PER_PAGE}"
        if errors:
            raise ValidationFailed("查询参数不正确：" + "、".join(errors), errors)
        return cls(status, args.get("unit") or None, args.get("topic") or None, channel, overdue,
                   (args.get("q") or "").strip() or None, page, per_page)


def _positive_int(args, name, default, errors) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PAGE:
        errors[name] = "应为正整数" if value < 1 else f"不能超过 {MAX_PAGE}"
        return default
    return value


@dataclass
class Page:
    items: list[Message]
    total: int
    page: int
    per_page: int
    total_capped: bool = False


def _filtered(query, f: MessageFilter):
    if f.status:
        query = query.where(Message.status == f.status)
    if f.channel:
        query = query.where(Message.channel == f.channel)
    if f.topic:
        query = query.where(exists().where(AnalysisResult.message_id == Message.id,
                                           AnalysisResult.current.is_(True), AnalysisResult.topic == f.topic))
    if f.unit:
        query = query.where(exists().where(Assignment.message_id == Message.id, Assignment.unit_id == Unit.id,
                                           Unit.name == f.unit))
    if f.overdue:
        # OPEN is written out as the partial index's predicate, so the index serves this filter.
        query = query.where(Message.due_at < utcnow(), OPEN)
    elif f.overdue is not None:
        late = Message.due_at < utcnow()
        running = Message.status.notin_([s.value for s in FINISHED])
        query = query.where(~(late & running) | Message.due_at.is_(None))
    if f.q:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Message.content.like(pattern, escape="\\"), Message.title.like(pattern, escape="\\"),
                                Message.tracking_no == f.q))
    return query


# Everything a message document shows, loaded a handful of queries per page instead of per row.
DISPLAY = (
    selectinload(Message.analysis),
    selectinload(Message.assignments).selectinload(Assignment.unit),
    selectinload(Message.responses).selectinload(Response.commitments),
    selectinload(Message.merged_into),
)


def load_for_display(ids: list[int]) -> dict[int, Message]:
    """Messages by id with everything the API shows, fresh from the database."""
    rows = db.session.scalars(select(Message).where(Message.id.in_(ids)).options(*DISPLAY)
                              .execution_options(populate_existing=True))
    return {m.id: m for m in rows}


def _order(f: MessageFilter) -> tuple:
    """Newest first; overdue ones longest overdue first. Newest-first would scan past every recent, not yet
    due message before the first overdue one (a second at 1,000,000); by deadline the partial index
    ix_messages_open_due hands over the page directly."""
    if f.overdue:
        return Message.due_at.asc(), Message.id.asc()
    return Message.received_at.desc(), Message.id.desc()


def list_messages(principal: Principal, f: MessageFilter) -> Page:
    """Messages `principal` may see, newest first (overdue: longest overdue first), loaded in bulk."""
    base = _filtered(scoped(select(Message), principal), f)
    cap = max(COUNT_CAP, f.page * f.per_page)
    counted = base.with_only_columns(Message.id).order_by(None).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted))
    rows = db.session.scalars(
        base.options(*DISPLAY)
        .order_by(*_order(f))
        .limit(f.per_page).offset((f.page - 1) * f.per_page)
    )
    return Page(list(rows), min(total, cap), f.page, f.per_page, total_capped=total > cap)
