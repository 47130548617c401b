"""Admin API under /api/v1/admin: units (tree, aliases, groups), routing rules, time-limit policies and the
plan task ledger. Admin tokens only; every change goes through a use case that writes its audit event."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from responder import admin_service, directory
from responder.api import api_bp
from responder.auth.permissions import require_role
from responder.errors import FieldError, NotFound, ValidationFailed
from responder.extensions import db
from responder.models import RoutingRule, TimeLimitPolicy, Unit
from responder.plans import export, groups, ledger


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("请求体应为 JSON 对象", {"body": "应为 JSON 对象"})
    return body


def unit_tree() -> list[dict]:
    """Units as a tree (children under their parent), with aliases."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.id)))
    nodes = {u.id: {"id": u.id, "name": u.name, "aliases": list(u.aliases or []), "active": u.active,
                    "children": []} for u in units}
    roots = []
    for unit in units:
        (nodes[unit.parent_id]["children"] if unit.parent_id in nodes else roots).append(nodes[unit.id])
    return roots


@api_bp.get("/admin/units")
@require_role("admin")
def admin_units():
    """The unit tree with aliases, and the plans' collective references with the units they map to."""
    return jsonify({"units": unit_tree(), "groups": groups.list_groups()})


@api_bp.post("/admin/units")
@require_role("admin")
def admin_unit_create():
    """Add a unit (idempotent by name), optionally under a parent and with aliases."""
    body = _body()
    aliases = body.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise FieldError("aliases", "应为字符串数组")
    parent = body.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise FieldError("parent", "应为单位名称")
    name = body.get("name")
    if not isinstance(name, str):
        raise FieldError("name", "单位名称不能为空")
    unit, created = directory.ensure_unit(name, parent=parent, aliases=aliases, actor=g.principal.actor)
    return jsonify({"id": unit.id, "name": unit.name, "aliases": unit.aliases, "created": created}), \
        201 if created else 200


@api_bp.patch("/admin/units/<int:unit_id>")
@require_role("admin")
def admin_unit_update(unit_id: int):
    """Replace a unit's aliases."""
    unit = admin_service.set_aliases(unit_id, _body().get("aliases"), actor=g.principal.actor)
    return jsonify({"id": unit.id, "name": unit.name, "aliases": unit.aliases})


@api_bp.put("/admin/groups/<path:name>")
@require_role("admin")
def admin_group_map(name: str):
    """Map a collective reference (各科室 …) to units; plan tasks and rules naming it gain them as assists."""
    body = _body()
    note = body.get("note")
    group = groups.map_group(name, body.get("units"), actor=g.principal.actor,
                             note=note if isinstance(note, str) else None)
    return jsonify(next(x for x in groups.list_groups() if x["id"] == group.id))


def rule_dict(rule: RoutingRule) -> dict:
    return {"id": rule.id, "name": rule.name, "priority": rule.priority, "topic": rule.topic,
            "keywords": list(rule.keywords or []), "lead": rule.lead_unit.name,
            "assists": [u.name for u in rule.assist_units], "source": rule.source, "active": rule.active,
            "note": rule.note}


@api_bp.get("/admin/rules")
@require_role("admin")
def admin_rules():
    """Routing rules, highest priority first; ?source=admin|demo|plan filters."""
    query = select(RoutingRule).options(selectinload(RoutingRule.lead_unit), selectinload(RoutingRule.assist_units))
    if request.args.get("source"):
        query = query.where(RoutingRule.source == request.args["source"])
    rules = db.session.scalars(query.order_by(RoutingRule.priority.desc(), RoutingRule.id))
    return jsonify({"items": [rule_dict(r) for r in rules]})


def _rule_form(body: dict, rule: RoutingRule | None) -> dict:
    """The admin form's fields from JSON, unchanged fields taken from the rule being edited."""
    def words(key, current):
        value = body.get(key, current)
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise FieldError(key, "应为字符串数组")
        return "，".join(value)

    active = body.get("active", rule.active if rule else True)
    if not isinstance(active, bool):
        raise FieldError("active", "应为 true 或 false")
    return {"name": body.get("name", rule.name if rule else ""), "priority": body.get("priority",
            rule.priority if rule else 50), "topic": body.get("topic", rule.topic if rule else None),
            "keywords": words("keywords", list(rule.keywords or []) if rule else []),
            "lead": body.get("lead", rule.lead_unit.name if rule else None),
            "assists": words("assists", [u.name for u in rule.assist_units] if rule else []),
            "note": body.get("note", rule.note if rule else ""), "active": "1" if active else "0"}


@api_bp.post("/admin/rules")
@require_role("admin")
def admin_rule_create():
    """Add a routing rule (source admin)."""
    rule = admin_service.save_rule(None, _rule_form(_body(), None), actor=g.principal.actor)
    return jsonify(rule_dict(rule)), 201


@api_bp.patch("/admin/rules/<int:rule_id>")
@require_role("admin")
def admin_rule_update(rule_id: int):
    """Change a routing rule's fields (those not given stay as they are)."""
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound("规则不存在")
    rule = admin_service.save_rule(rule_id, _rule_form(_body(), rule), actor=g.principal.actor)
    return jsonify(rule_dict(rule))


def policy_dict(policy: TimeLimitPolicy) -> dict:
    return {"id": policy.id, "kind": policy.kind, "channel": policy.channel, "request_type": policy.request_type,
            "urgency": policy.urgency, "working_days": policy.working_days, "hours": policy.hours,
            "note": policy.note, "active": policy.active}


@api_bp.get("/admin/policies")
@require_role("admin")
def admin_policies():
    """Time-limit policies (办理时限)."""
    rows = db.session.scalars(select(TimeLimitPolicy).order_by(TimeLimitPolicy.kind, TimeLimitPolicy.id))
    return jsonify({"items": [policy_dict(p) for p in rows]})


@api_bp.patch("/admin/policies/<int:policy_id>")
@require_role("admin")
def admin_policy_update(policy_id: int):
    """Change a time limit: working_days or hours (exactly one), active, note."""
    body = _body()
    policy = db.session.get(TimeLimitPolicy, policy_id)
    if policy is None:
        raise NotFound("时限规则不存在")
    active = body.get("active", policy.active)
    if not isinstance(active, bool):
        raise FieldError("active", "应为 true 或 false")
    form = {"working_days": body.get("working_days", policy.working_days if "hours" not in body else None),
            "hours": body.get("hours", policy.hours if "working_days" not in body else None),
            "active": "1" if active else "0"}
    if isinstance(body.get("note"), str):
        form["note"] = body["note"]
    return jsonify(policy_dict(admin_service.update_policy(policy_id, form, actor=g.principal.actor)))


@api_bp.get("/admin/plan-tasks")
@require_role("admin")
def admin_plan_tasks():
    """The task ledger, filtered by plan/unit/status/flagged; ?format=csv|xlsx exports every matching row."""
    filters = ledger.TaskFilter.from_args(request.args)
    fmt = request.args.get("format", "json")
    if fmt in ("csv", "xlsx"):
        return export.download_tasks(filters, fmt)
    if fmt != "json":
        raise FieldError("format", "取值应为 json / csv / xlsx")
    rows, total = ledger.list_tasks(filters)
    names = ledger.unit_names()
    return jsonify({"items": [ledger.task_dict(t, names) for t in rows], "total": total, "page": filters.page})


@api_bp.patch("/admin/plan-tasks/<int:task_id>")
@require_role("admin")
def admin_plan_task_update(task_id: int):
    """Set a task's status (not_started / in_progress / done) and progress note."""
    task = ledger.update_status(ledger.get_task_for(g.principal, task_id), _body(), g.principal)
    return jsonify(ledger.task_dict(task, ledger.unit_names()))
