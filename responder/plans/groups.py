"""Collective references (各科室, 相关各部门 …): stored by plan import, mapped to units by an admin."""

from __future__ import annotations

from sqlalchemy import select

from responder.audit import record
from responder.directory import find_unit
from responder.errors import FieldError, NotFound
from responder.extensions import db
from responder.models import Unit, UnitGroup


def ensure_groups(names: list[str], *, actor: str) -> dict[str, UnitGroup]:
    """The named groups, creating the missing ones unmapped (audited); the caller commits."""
    found = {g.name: g for g in db.session.scalars(select(UnitGroup).where(UnitGroup.name.in_(names)))} \
        if names else {}
    for name in names:
        if name not in found:
            group = UnitGroup(name=name, unit_ids=[])
            db.session.add(group)
            db.session.flush()
            record(actor, "group.create", subject_type="unit_group", subject_id=group.id, detail={"name": name})
            found[name] = group
    return found


def group_units() -> dict[str, list[int]]:
    """Every mapped group's unit ids, by group name."""
    return {g.name: list(g.unit_ids or []) for g in db.session.scalars(select(UnitGroup)) if g.unit_ids}


def list_groups() -> list[dict]:
    """Groups with their units' names, for the admin page and API."""
    names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    return [{"id": g.id, "name": g.name, "units": [names[i] for i in g.unit_ids or [] if i in names],
             "mapped": bool(g.unit_ids), "note": g.note}
            for g in db.session.scalars(select(UnitGroup).order_by(UnitGroup.name))]


def map_group(name: str, unit_names: list[str], *, actor: str, note: str | None = None) -> UnitGroup:
    """Say which units a group means; plan tasks and plan rules naming it gain them as assisting units."""
    from responder.plans.ledger import reapply_groups

    name = (name or "").strip()
    if not name:
        raise FieldError("name", "集体表述不能为空")
    if not isinstance(unit_names, list) or not all(isinstance(n, str) for n in unit_names):
        raise FieldError("units", "应为单位名称数组")
    units = [find_unit(n.strip(), "units") for n in dict.fromkeys(unit_names) if n.strip()]
    group = db.session.scalar(select(UnitGroup).where(UnitGroup.name == name))
    if group is None:
        group = UnitGroup(name=name, unit_ids=[])
        db.session.add(group)
    before = list(group.unit_ids or [])
    group.unit_ids = [u.id for u in units]
    if note is not None:
        group.note = note.strip()[:300]
    db.session.flush()
    record(actor, "group.map", subject_type="unit_group", subject_id=group.id,
           detail={"name": name, "before": before, "units": [u.name for u in units]})
    reapply_groups([name], actor=actor)
    db.session.commit()
    return group


def get_group(group_id: int) -> UnitGroup:
    group = db.session.get(UnitGroup, group_id)
    if group is None:
        raise NotFound("集体表述不存在")
    return group
