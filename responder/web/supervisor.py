"""Supervisor pages (督办/审核): the review desk, the overdue board, the dashboard and the KPI table.

Pages only read; every decision goes through the workflow services (replies.review,
handling.decide_extension) via actions.perform. Aggregates are GROUP BY queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request, url_for
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from responder.api.stats import window_from_args
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.models import (
    Assignment,
    ExtensionRequest,
    Message,
    Response,
    ReturnRequest,
    Unit,
    utcnow,
)
from responder.notify.sweeps import NOTICE_AFTER_WORKING_DAYS, RUNNING
from responder.notify.sweeps import Window as SweepWindow
from responder.reports import dashboard as dashboard_figures
from responder.reports import kpis
from responder.reports.export import Column, Sheet, csv_bytes, download
from responder.validation import page_number
from responder.web.actions import form_body, perform
from responder.web.filters import CHANNEL_LABELS
from responder.web.guards import principal, role_required
from responder.workflow import handling, replies
from responder.workflow.clock import Clock
from responder.workflow.sla import TZ

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")
PER_PAGE = 20
KPI_GROUPINGS = {"unit": "责任单位", "topic": "主题", "channel": "渠道"}
KPI_COLUMNS = [
    ("messages", "诉求件数"), ("on_time_sign_rate", "签收及时率"), ("on_time_completion_rate", "按期办结率"),
    ("satisfaction_rate", "满意率"), ("return_rate", "退单率"), ("reopen_rate", "重办率"),
    ("extension_rate", "延期率"), ("repeat_rate", "重复件率"), ("routing_accuracy", "自动派单准确率"),
    ("hours_mean", "平均办理时长（工作小时）"), ("hours_p90", "90%办理时长（工作小时）"),
]


@dataclass
class Page:
    """One page of rows and what the pager needs."""

    items: list
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def _page_arg(name: str) -> int:
    return page_number(request.args.get(name))


def _paginate(query, arg: str) -> Page:
    """Rows of a multi-column select, one page of them, plus the total (two queries)."""
    page = _page_arg(arg)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(list(rows), total or 0, page)


def _back() -> str:
    """Where a decision returns to: a same-site path given as ?next=, else the desk."""
    target = request.args.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("supervisor.desk")


def pending_replies():
    """Replies awaiting review (先审后发), oldest first, with their message and unit."""
    return (select(Response, Message.tracking_no, Message.title, Unit.name.label("unit"))
            .join(Message, Message.id == Response.message_id).outerjoin(Unit, Unit.id == Response.unit_id)
            .where(Response.status == "pending").options(selectinload(Response.commitments))
            .order_by(Response.created_at, Response.id))


def pending_extensions():
    """Extension requests awaiting a decision, with the assignment's current deadline."""
    return (select(ExtensionRequest, Message.tracking_no, Unit.name.label("unit"), Assignment.role,
                   Assignment.due_at.label("current_due"))
            .join(Assignment, Assignment.id == ExtensionRequest.assignment_id)
            .join(Message, Message.id == ExtensionRequest.message_id).join(Unit, Unit.id == Assignment.unit_id)
            .where(ExtensionRequest.status == "pending").order_by(ExtensionRequest.created_at, ExtensionRequest.id))


@bp.app_template_global("supervisor_pending_extensions")
def pending_extensions_of(message_id: int) -> list:
    """For the message page's panel: (request, unit name, current deadline) of pending extensions."""
    return db.session.execute(
        select(ExtensionRequest, Unit.name, Assignment.due_at)
        .join(Assignment, Assignment.id == ExtensionRequest.assignment_id).join(Unit, Unit.id == Assignment.unit_id)
        .where(ExtensionRequest.message_id == message_id, ExtensionRequest.status == "pending")
        .order_by(ExtensionRequest.id)).all()


@bp.get("/desk")
@role_required("supervisor")
def desk():
    """审核督办: replies to review, extensions to decide, returns waiting for the operator."""
    returns = (select(ReturnRequest, Message.tracking_no, Unit.name.label("unit"))
               .join(Message, Message.id == ReturnRequest.message_id).join(Unit, Unit.id == ReturnRequest.unit_id)
               .where(ReturnRequest.status == "pending").order_by(ReturnRequest.created_at, ReturnRequest.id))
    return render_template("supervisor/desk.html", replies=_paginate(pending_replies(), "rp"),
                           extensions=_paginate(pending_extensions(), "ep"), returns=_paginate(returns, "tp"),
                           args=request.args.to_dict())


@bp.post("/responses/<int:response_id>/<any(approve, reject):decision>")
@role_required("supervisor")
def review_response(response_id: int, decision: str):
    row = db.session.get(Response, response_id) or abort(404)
    approve = decision == "approve"
    return perform(lambda: replies.review(row, approve, form_body(), principal()),
                   "答复已审核通过并发布" if approve else "答复已退回承办单位", _back())


@bp.post("/extensions/<int:extension_id>/<any(approve, reject):decision>")
@role_required("supervisor")
def decide_extension(extension_id: int, decision: str):
    row = db.session.get(ExtensionRequest, extension_id) or abort(404)
    approve = decision == "approve"
    return perform(lambda: handling.decide_extension(row, approve, form_body(), principal()),
                   "已批准延期，办理时限已顺延" if approve else "已驳回延期申请", _back())


def _running():
    """Active assignments whose handling clock runs (not paused, still owing work)."""
    return [Assignment.active.is_(True), Assignment.paused_at.is_(None), Assignment.due_at.is_not(None),
            Assignment.status.in_(RUNNING)]


def _board_rows(rows, w: SweepWindow) -> list[dict]:
    late: dict = {}  # few distinct deadline dates: count each once
    found = []
    for row in rows:
        day = row.due_at.astimezone(TZ).date()
        if day not in late:
            late[day] = w.calendar.working_days_between(day, w.today)
        overdue = row.due_at < w.now
        found.append({"row": row, "overdue": overdue, "soon": not overdue and row.due_at < w.horizon,
                      "days_late": late[day] if overdue else 0, "notice": row.due_at < w.notice_before})
    return found


@bp.get("/overdue")
@role_required("supervisor")
def overdue():
    """超期看板: overdue (red) and due within one working day (yellow), soonest first; the 通报 list."""
    w = SweepWindow.at(utcnow(), Clock.load().calendar)  # the same boundaries the reminder sweeps use
    scope = "all" if request.args.get("scope") == "all" else "alert"
    base = (select(Assignment.id, Assignment.role, Assignment.status, Assignment.due_at, Message.tracking_no,
                   Message.title, Unit.name.label("unit"))
            .join(Message, Message.id == Assignment.message_id).join(Unit, Unit.id == Assignment.unit_id)
            .where(*_running()))
    query = base if scope == "all" else base.where(Assignment.due_at < w.horizon)
    page = _paginate(query.order_by(Assignment.due_at, Assignment.id), "page")
    counts = db.session.execute(select(
        func.coalesce(func.sum(case((Assignment.due_at < w.now, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(Assignment.due_at >= w.now, Assignment.due_at < w.horizon), 1),
                                    else_=0)), 0)).where(*_running())).one()
    notices = db.session.execute(base.where(Assignment.due_at < w.notice_before)
                                 .order_by(Assignment.due_at, Assignment.id).limit(200)).all()
    return render_template("supervisor/overdue.html", page=page, rows=_board_rows(page.items, w),
                           notices=_board_rows(notices, w), red=counts[0], yellow=counts[1], scope=scope,
                           horizon=w.horizon, notice_days=NOTICE_AFTER_WORKING_DAYS,
                           args=request.args.to_dict())


@bp.get("/dashboard")
@role_required("supervisor")
def dashboard():
    """统计分析: charts (ECharts from our static files) over the last 30 days."""
    now = utcnow()
    data = dashboard_figures.chart_data(now)
    data["channel"] = [{"name": CHANNEL_LABELS.get(row["name"], row["name"]), "value": row["value"]}
                       for row in data["channel"]]
    data["units"] = dashboard_figures.unit_rates(now)
    return render_template("supervisor/dashboard.html", data=data, days=dashboard_figures.DASHBOARD_DAYS,
                           hot_days=dashboard_figures.HOT_DAYS)


def _kpi_rows(by: str, groups: list[dict]) -> list[list]:
    label = (lambda k: CHANNEL_LABELS.get(k, k)) if by == "channel" else (lambda k: k)
    return [[label(g["key"]) if g["key"] is not None else "（未分组）", *[g[c] for c, _ in KPI_COLUMNS]]
            for g in groups]


@bp.get("/kpis", endpoint="kpis")
@role_required("supervisor")
def kpi_table():
    """考核指标: KPIs by unit, topic or channel for from..to (default the last 30 days); ?format=csv downloads."""
    by = request.args.get("by") if request.args.get("by") in KPI_GROUPINGS else "unit"
    args, error = {"from": request.args.get("from"), "to": request.args.get("to"), "by": by}, None
    try:
        window = window_from_args(args, principal())
    except ValidationFailed as refused:
        error = refused.message + "".join(f"（{k}：{v}）" for k, v in refused.fields.items())
        window = window_from_args({"by": by}, principal())
    result = kpis.summary(window)
    rows = _kpi_rows(by, result["groups"])
    if request.args.get("format") == "csv":
        columns = [Column("key", KPI_GROUPINGS[by]), *[Column(key, label) for key, label in KPI_COLUMNS]]
        names = [c.key for c in columns]
        sheet = Sheet("考核指标", columns, [dict(zip(names, row, strict=True)) for row in rows])
        name = f"kpis-{by}-{window.start.isoformat()}-{window.end.isoformat()}.csv"
        return download(csv_bytes(sheet), name, "csv")
    return render_template("supervisor/kpis.html", by=by, groupings=KPI_GROUPINGS, columns=KPI_COLUMNS,
                           rows=rows, totals=result["totals"], window=window, error=error)

