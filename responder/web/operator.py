"""The operator's pages (受理员): the intake queue, the callback queue, and the actions on one message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import case, func, select

from responder.analysis import corrections, duplicates, review
from responder.analysis.topics import LABELS as TOPIC_LABELS
from responder.auth.permissions import get_message_for
from responder.errors import NotFound
from responder.extensions import db
from responder.models import REQUEST_TYPES, URGENCIES, AnalysisResult, Message, ReturnRequest, Unit
from responder.reading import DISPLAY
from responder.routing.service import decide_for, load_places, load_rules
from responder.validation import page_number
from responder.web.actions import form_body, perform
from responder.web.filters import REQUEST_TYPE_LABELS, URGENCY_LABELS
from responder.web.guards import principal, role_required
from responder.workflow import closing, handling, replies
from responder.workflow.closing import SATISFACTION, SOLVED
from responder.workflow.states import Status

bp = Blueprint("operator", __name__, url_prefix="/operator")

PER_PAGE = 20
QUEUE_STATUSES = (Status.RECEIVED.value, Status.ANALYZED.value)
SATISFACTION_LABELS = dict(zip(SATISFACTION, ("满意", "基本满意", "不满意"), strict=True))
SOLVED_LABELS = dict(zip(SOLVED, ("已解决", "部分解决", "未解决"), strict=True))
REPEAT_WINDOW = timedelta(days=30)  # 重复诉求: the same citizen again within 30 days
MAX_CANDIDATES = 5


@dataclass
class Suggestion:
    """A routing decision with unit names, as the operator reads it."""

    lead: str
    assists: list[str]
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0
    confident: bool = True


@dataclass
class Pager:
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _page_arg() -> int:
    return page_number(request.args.get("page"))


def _suggestions(messages: list[Message], topics: dict[int, str | None]) -> dict[int, Suggestion]:
    """Routing suggestions (as routing.service.suggest computes them), with the rules read once."""
    rules, places, least = load_rules(), load_places(), review.threshold()
    decisions = {}
    for m in messages:
        confidence = m.analysis.topic_confidence if m.analysis else None
        if m.analysis and topics.get(m.id) != m.analysis.topic:
            confidence = 1.0  # an operator chose this topic
        decision = decide_for(m, rules, places, topics.get(m.id), confidence, least)
        if decision:
            decisions[m.id] = decision
    wanted = {u for d in decisions.values() for u in (d.lead, *d.assists)}
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all()) if wanted else {}
    return {mid: Suggestion(names.get(d.lead, ""), [names.get(a, "") for a in d.assists],
                            [f"{names.get(u, '')}：{why}" for u, why in d.reasons.items()], d.score, d.confident)
            for mid, d in decisions.items()}


def _topics(messages: list[Message]) -> dict[int, str | None]:
    corrected = corrections.corrected_topics([m.id for m in messages])
    return {m.id: corrected.get(m.id, m.analysis.topic if m.analysis else None) for m in messages}


@bp.get("/queue")
@role_required("operator")
def queue():
    """The intake queue: received and analysed messages, urgent first, then oldest first."""
    page = _page_arg()
    only_review = request.args.get("review") == "1"
    base = select(Message).where(Message.status.in_(QUEUE_STATUSES))
    waiting_review = base.where(Message.id.in_(select(AnalysisResult.message_id).where(
        AnalysisResult.current.is_(True), AnalysisResult.needs_review.is_(True))))
    reviews = db.session.scalar(select(func.count()).select_from(waiting_review.subquery()))
    base = waiting_review if only_review else base
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = list(db.session.scalars(
        base.options(*DISPLAY)
        .order_by(case((Message.urgency == "urgent", 0), else_=1), Message.received_at, Message.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    topics = _topics(rows)
    return render_template("operator/queue.html", rows=rows, topics=topics, suggestions=_suggestions(rows, topics),
                           pager=Pager(page, total), only_review=only_review, reviews=reviews,
                           review_threshold=review.threshold())


@bp.get("/callbacks")
@role_required("operator")
def callbacks():
    """The callback queue (回访): published messages, oldest publication first."""
    page = _page_arg()
    base = select(Message).where(Message.status == Status.PUBLISHED.value)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = list(db.session.scalars(
        base.options(*DISPLAY).order_by(Message.published_at, Message.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return render_template("operator/callbacks.html", rows=rows, pager=Pager(page, total),
                           satisfaction=SATISFACTION_LABELS, solved=SOLVED_LABELS)


@dataclass
class Candidate:
    """A possible original of a repeat, and why it is offered (重复诉求: same caller; 相似诉求: other citizens)."""

    message: Message
    kind: str
    similarity: float


def merge_candidates(message: Message) -> list[Candidate]:
    """Possible originals within 30 days before it: the caller's similar messages first, then near-duplicates."""
    repeats = [(m, s) for m, s in duplicates.repeat_candidates(db.session, message, days=REPEAT_WINDOW.days)
               if m.status not in (Status.MERGED.value, Status.INVALID.value)]
    alike = duplicates.near_duplicates(db.session, message, days=REPEAT_WINDOW.days)
    return ([Candidate(m, "重复诉求", s) for m, s in repeats[:MAX_CANDIDATES]]
            + [Candidate(m, "相似诉求", s) for m, s in alike[:MAX_CANDIDATES]])[:MAX_CANDIDATES * 2]


@bp.app_template_global("operator_panel")
def operator_panel(message: Message) -> dict:
    """What the action panel on the message page needs (templates/operator/_actions.html)."""
    status = message.status
    open_ = status in QUEUE_STATUSES
    topics = _topics([message])
    panel = {
        "can_dispatch": open_, "can_correct": open_,
        "can_answer": open_ and message.request_type == "consult",
        "can_invalidate": status in (*QUEUE_STATUSES, Status.DISPATCHED.value),
        "can_merge": status in (*QUEUE_STATUSES, Status.DISPATCHED.value, Status.IN_PROGRESS.value),
        "can_callback": status == Status.PUBLISHED.value,
        "topic": topics[message.id], "topic_labels": TOPIC_LABELS,
        "request_types": [(t, REQUEST_TYPE_LABELS.get(t, t)) for t in REQUEST_TYPES],
        "urgencies": [(u, URGENCY_LABELS.get(u, u)) for u in URGENCIES],
        "satisfaction": SATISFACTION_LABELS, "solved": SOLVED_LABELS,
    }
    if open_:
        panel["returns"] = list(db.session.execute(
            select(ReturnRequest, Unit.name).join(Unit, Unit.id == ReturnRequest.unit_id)
            .where(ReturnRequest.message_id == message.id, ReturnRequest.status == "pending")
            .order_by(ReturnRequest.id)).all())
        panel["units"] = list(db.session.scalars(select(Unit.name).where(Unit.active.is_(True)).order_by(Unit.name)))
        panel["suggestion"] = _suggestions([message], topics).get(message.id)
    if panel["can_merge"]:
        panel["candidates"] = merge_candidates(message)
    return panel


def _act(tracking_no: str, use_case, success: str, body: dict | None = None, back: str | None = None):
    """Load the message as the operator may see it, run the use case from the form, flash, redirect."""
    who = principal()
    message = get_message_for(who, tracking_no)
    body = form_body() if body is None else body
    back = back or url_for("web.message_detail", tracking_no=tracking_no)
    return perform(lambda: use_case(message, body, who), success=success, back=back)


@bp.post("/messages/<tracking_no>/dispatch")
@role_required("operator")
def dispatch(tracking_no: str):
    body = form_body()
    body["assist"] = [name for name in request.form.getlist("assist") if name.strip()]
    return _act(tracking_no, handling.dispatch_by_operator, "已派单", body)


@bp.post("/messages/<tracking_no>/answer")
@role_required("operator")
def answer(tracking_no: str):
    return _act(tracking_no, replies.answer_directly, "已直接答复并办结")


@bp.post("/messages/<tracking_no>/invalidate")
@role_required("operator")
def invalidate(tracking_no: str):
    return _act(tracking_no, closing.invalidate, "已标记为无效件")


@bp.post("/messages/<tracking_no>/merge")
@role_required("operator")
def merge(tracking_no: str):
    body = form_body()
    typed = body.pop("into_other", None)  # a number typed in wins over a listed candidate
    if typed:
        body["into"] = typed
    return _act(tracking_no, closing.merge, "已合并为重复件", body)


@bp.post("/messages/<tracking_no>/callback")
@role_required("operator")
def callback(tracking_no: str):
    back = url_for("operator.callbacks") if request.args.get("from") == "callbacks" else None
    return _act(tracking_no, closing.callback, "已记录回访结果", back=back)


@bp.post("/messages/<tracking_no>/correct")
@role_required("operator")
def correct(tracking_no: str):
    return _act(tracking_no, corrections.correct, "已纠正研判结果")


@bp.post("/messages/<tracking_no>/returns/<int:return_id>/refuse")
@role_required("operator")
def refuse_return(tracking_no: str, return_id: int):
    """不予退单: the unit that returned the item keeps it."""
    message = get_message_for(principal(), tracking_no)
    pending = db.session.get(ReturnRequest, return_id)
    if pending is None or pending.message_id != message.id:
        raise NotFound("未找到该退单申请")
    return perform(lambda: handling.refuse_return(pending, form_body(), principal()), success="已退回原单位继续办理",
                   back=url_for("web.message_detail", tracking_no=tracking_no))
