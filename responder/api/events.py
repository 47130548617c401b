"""Opinion events (舆情事件) and hotspots (热点) under /api/v1: thin views over the opinion and hotspot services."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import func, select

from responder.api import api_bp
from responder.auth.permissions import require_role
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.hotspots import service as hotspots
from responder.opinion import rules
from responder.opinion import service as events
from responder.opinion.present import event_dict, hotspot_dict

READERS = ("supervisor", "admin", "operator", "unit")
MAX_PER_PAGE = 100


def _body():
    return request.get_json(silent=True) if request.data else {}


def _page_args() -> tuple[int, int]:
    errors = {}
    values = {}
    for name, default, high in (("page", 1, 100_000), ("per_page", 20, MAX_PER_PAGE)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or not 1 <= int(raw) <= high:
            errors[name] = f"应为 1 至 {high} 的整数"
        else:
            values[name] = int(raw)
    if errors:
        raise ValidationFailed("查询参数不正确：" + "、".join(errors), errors)
    return values["page"], values["per_page"]


def _choice_arg(name: str, choices) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in choices:
        raise ValidationFailed(f"查询参数不正确：{name}", {name: "取值应为 " + " / ".join(choices)})
    return value


def _page(query, page: int, per_page: int, as_dict) -> dict:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [as_dict(r) for r in rows], "total": total, "page": page, "per_page": per_page}


@api_bp.get("/events")
@require_role(*READERS)
def list_events():
    """舆情事件 the token may see (a unit: the events it is responsible for), newest first."""
    page, per_page = _page_args()
    query = events.list_events(g.principal, stage=_choice_arg("stage", tuple(rules.STAGES)),
                               level=_choice_arg("level", tuple(rules.LEVELS)))
    return jsonify(_page(query, page, per_page, lambda e: event_dict(e, g.principal, full=False)))


@api_bp.post("/events")
@require_role("supervisor")
def create_event():
    """登记舆情事件: deadlines follow from the level and the discovery time."""
    event = events.create_event(_body(), g.principal)
    return jsonify(event_dict(event, g.principal)), 201


@api_bp.get("/events/<int:event_id>")
@require_role(*READERS)
def get_event(event_id):
    return jsonify(event_dict(events.get_event_for(g.principal, event_id), g.principal))


@api_bp.post("/events/<int:event_id>/advance")
@require_role("supervisor")
def advance_event(event_id):
    """Next stage of 收集→会商→研判→回应→评估."""
    event = events.get_event_for(g.principal, event_id)
    events.advance(event, _body(), g.principal)
    return jsonify(event_dict(event, g.principal))


@api_bp.post("/events/<int:event_id>/messages")
@require_role("supervisor")
def link_event_messages(event_id):
    event = events.get_event_for(g.principal, event_id)
    events.link_messages(event, _body(), g.principal)
    return jsonify(event_dict(event, g.principal))


@api_bp.post("/events/<int:event_id>/responses")
@require_role("supervisor", "unit")
def add_event_response(event_id):
    """回应 on a channel; a responsible unit may record its own."""
    event = events.get_event_for(g.principal, event_id)
    events.add_response(event, _body(), g.principal)
    db.session.expire_all()
    return jsonify(event_dict(events.get_event_for(g.principal, event_id), g.principal)), 201


@api_bp.post("/events/<int:event_id>/evaluation")
@require_role("supervisor")
def evaluate_event(event_id):
    """评估 closes the event."""
    event = events.get_event_for(g.principal, event_id)
    events.evaluate(event, _body(), g.principal)
    return jsonify(event_dict(event, g.principal))


@api_bp.get("/hotspots")
@require_role("supervisor", "admin")
def list_hotspots():
    """热点 found by the detection sweep, newest window first."""
    page, per_page = _page_args()
    query = hotspots.list_hotspots(_choice_arg("status", hotspots.STATUSES),
                                   _choice_arg("kind", tuple(hotspots.KIND_LABELS)))
    return jsonify(_page(query, page, per_page, hotspot_dict))


@api_bp.post("/hotspots/<int:hotspot_id>/convert")
@require_role("supervisor")
def convert_hotspot(hotspot_id):
    """转为舆情事件 with all the hotspot's messages (title, level, units optional)."""
    event = hotspots.convert(hotspots.get_hotspot(hotspot_id), _body(), g.principal)
    return jsonify(event_dict(event, g.principal)), 201


@api_bp.post("/hotspots/<int:hotspot_id>/dismiss")
@require_role("supervisor")
def dismiss_hotspot(hotspot_id):
    spot = hotspots.get_hotspot(hotspot_id)
    hotspots.dismiss(spot, g.principal)
    return jsonify(hotspot_dict(spot))
