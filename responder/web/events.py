"""Opinion-event and hotspot pages (舆情事件, 热点监测): views read, every change goes through the services."""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import func, select

from responder.extensions import db
from responder.hotspots import service as hotspots
from responder.models import Unit, utcnow
from responder.opinion import rules
from responder.opinion import service as events
from responder.opinion.present import cycle, deadline_state
from responder.web.actions import form_body, perform
from responder.web.guards import principal, role_required
from responder.web.supervisor import PER_PAGE, Page, _page_arg

bp = Blueprint("events", __name__, url_prefix="/events")
READERS = ("supervisor", "unit", "admin", "operator")
_OFFSET = re.compile(r"([+-]\d{2}:?\d{2}|Z)$")


def _scalars_page(query, arg: str = "page") -> Page:
    page = _page_arg(arg)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return Page(list(items), total or 0, page)


def _form(*, lists: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> dict:
    """The posted form as the services' JSON body: lists from multi-selects, datetime-local read as Beijing time."""
    body = form_body()
    for name in lists:
        body[name] = [v for v in request.form.getlist(name) if v.strip()]
    for name in times:
        if body.get(name) and not _OFFSET.search(body[name]):
            body[name] = body[name] + "+08:00"
    return body


@bp.app_template_filter("level_label")
def level_label(value: str) -> str:
    return rules.LEVELS.get(value, value or "")


@bp.app_template_filter("stage_label")
def stage_label(value: str) -> str:
    return rules.STAGES.get(value, value or "")


@bp.get("/")
@role_required(*READERS)
def index():
    """舆情事件: the events the signed-in person may see, with their stage and nearest deadline."""
    stage = request.args.get("stage") if request.args.get("stage") in rules.STAGES else None
    page = _scalars_page(events.list_events(principal(), stage=stage))
    now = utcnow()
    states = {e.id: [deadline_state(d, now) for d in e.deadlines] for e in page.items}
    return render_template("events/index.html", page=page, states=states, stage=stage, stages=rules.STAGES,
                           args=request.args.to_dict())


@bp.route("/new", methods=["GET", "POST"])
@role_required("supervisor")
def new():
    """登记舆情事件 (a form)."""
    if request.method == "POST":
        body = _form(lists=("units",), times=("discovered_at",))
        made = {}
        response = perform(lambda: made.setdefault("event", events.create_event(body, principal())),
                           "舆情事件已登记，回应时限已生成", url_for("events.new"))
        if "event" in made:
            response.location = url_for("events.detail", event_id=made["event"].id)
        return response
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id)).all()
    return render_template("events/new.html", levels=rules.LEVELS, units=units, hours=rules.DEADLINE_HOURS)


@bp.get("/<int:event_id>")
@role_required(*READERS)
def detail(event_id: int):
    """One event: the five-stage cycle, deadlines counting down, responses, evaluation, its messages."""
    who = principal()
    event = events.get_event_for(who, event_id)
    now = utcnow()
    may_respond = who.role == "supervisor" or (who.role == "unit" and any(u.id == who.unit_id for u in event.units))
    return render_template("events/detail.html", event=event, cycle=cycle(event),
                           deadlines=[deadline_state(d, now) for d in event.deadlines],
                           messages=events.linked_messages(event.id, who), count=events.message_count(event.id),
                           rules=rules, may_respond=may_respond and event.stage != "closed",
                           supervisor=who.role == "supervisor", next_stage=rules.next_stage(event.stage))


def _act(event_id: int, action, success: str):
    event = events.get_event_for(principal(), event_id)
    return perform(lambda: action(event), success, url_for("events.detail", event_id=event_id))


@bp.post("/<int:event_id>/advance")
@role_required("supervisor")
def advance(event_id: int):
    return _act(event_id, lambda e: events.advance(e, form_body(), principal()), "已推进到下一阶段")


@bp.post("/<int:event_id>/responses")
@role_required("supervisor", "unit")
def respond(event_id: int):
    body = _form(times=("responded_at",))
    return _act(event_id, lambda e: events.add_response(e, body, principal()), "回应已登记")


@bp.post("/<int:event_id>/evaluation")
@role_required("supervisor")
def evaluate(event_id: int):
    return _act(event_id, lambda e: events.evaluate(e, form_body(), principal()), "评估已登记，事件闭环")


@bp.post("/<int:event_id>/messages")
@role_required("supervisor")
def link(event_id: int):
    return _act(event_id, lambda e: events.link_messages(e, form_body(), principal()), "已归集诉求")


@bp.get("/hotspots")
@role_required("supervisor")
def hotspot_list():
    """热点监测: surges and near-duplicate clusters found by the detection sweep; dismiss or convert."""
    status = request.args.get("status", "new")
    status = status if status in hotspots.STATUSES else None
    page = _scalars_page(hotspots.list_hotspots(status))
    return render_template("events/hotspots.html", page=page, status=status, statuses=hotspots.STATUS_LABELS,
                           kinds=hotspots.KIND_LABELS, windows=hotspots.WINDOW_LABELS, levels=rules.LEVELS,
                           args=request.args.to_dict())


@bp.post("/hotspots/<int:hotspot_id>/convert")
@role_required("supervisor")
def convert(hotspot_id: int):
    """转为舆情事件 in one action; lands on the new event."""
    made = {}
    spot = hotspots.get_hotspot(hotspot_id)
    response = perform(lambda: made.setdefault("event", hotspots.convert(spot, form_body(), principal())),
                       "已转为舆情事件并关联其诉求", url_for("events.hotspot_list"))
    if "event" in made:
        response.location = url_for("events.detail", event_id=made["event"].id)
    return response


@bp.post("/hotspots/<int:hotspot_id>/dismiss")
@role_required("supervisor")
def dismiss(hotspot_id: int):
    spot = hotspots.get_hotspot(hotspot_id)
    return perform(lambda: hotspots.dismiss(spot, principal()), "已忽略该热点", url_for("events.hotspot_list"))
