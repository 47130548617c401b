"""GET /api/v1/stats/summary: the KPIs over a window, in total and by unit, topic, channel or period."""

from __future__ import annotations

from datetime import date, timedelta

from flask import g, jsonify, request

from responder.api import api_bp
from responder.auth.permissions import require_role
from responder.auth.principal import Principal
from responder.directory import find_unit
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.models import Unit, utcnow
from responder.reports import kpis
from responder.workflow.sla import TZ

DEFAULT_DAYS = 30


def _date_arg(args, name: str, errors: dict, today: date) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = "应为日期，如 2026-11-30"
        return None
    if not kpis.EARLIEST_DAY <= day <= kpis.latest_day(today):
        errors[name] = f"应在 {kpis.EARLIEST_DAY.isoformat()} 至 {kpis.latest_day(today).isoformat()} 之间"
        return None
    return day


def _unit_for(principal: Principal, name: str | None) -> Unit | None:
    """A unit token always gets its own unit, whatever it asked for; others may name any unit."""
    if principal.role == "unit":
        return db.session.get(Unit, principal.unit_id)
    return find_unit(name, "unit") if name else None


def window_from_args(args, principal: Principal) -> kpis.Window:
    """Parse from/to/unit/by; every bad parameter is a 422 naming it."""
    errors: dict[str, str] = {}
    now = utcnow()
    today = now.astimezone(TZ).date()
    start, end = _date_arg(args, "from", errors, today), _date_arg(args, "to", errors, today)
    by = (args.get("by") or "").strip() or None
    if by and by not in kpis.GROUPINGS:
        errors["by"] = "取值应为 " + " / ".join(kpis.GROUPINGS)
    if errors:
        raise ValidationFailed("查询参数不正确：" + "、".join(errors), errors)
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed("查询参数不正确：from", {"from": "不能晚于 to"})
    if (end - start).days + 1 > kpis.MAX_DAYS:
        raise ValidationFailed("查询参数不正确：to", {"to": f"统计区间不能超过 {kpis.MAX_DAYS} 天"})
    unit = _unit_for(principal, (args.get("unit") or "").strip() or None)
    return kpis.Window(start=start, end=end, now=now, unit_id=unit.id if unit else None, by=by)


@api_bp.get("/stats/summary")
@require_role("operator", "supervisor", "admin", "unit")
def stats_summary():
    """KPIs for messages received from..to (default: the last 30 days); a unit sees only its own."""
    window = window_from_args(request.args, g.principal)
    unit = db.session.get(Unit, window.unit_id) if window.unit_id is not None else None
    figures = kpis.summary(window)
    return jsonify({"from": window.start.isoformat(), "to": window.end.isoformat(),
                    "unit": unit.name if unit else None, "by": window.by, **figures,
                    "routing_accuracy": figures["totals"]["routing_accuracy"]})
