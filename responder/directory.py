"""The directory's use cases: units, users and tokens (admin actions, each audited)."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from responder.audit import record
from responder.auth import tokens
from responder.errors import FieldError
from responder.extensions import db
from responder.models import ROLES, ApiToken, Unit, User


def find_unit(name: str, field: str = "unit") -> Unit:
    """A unit by name or alias, or a field error naming `field`."""
    unit = db.session.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        unit = next((u for u in db.session.scalars(select(Unit)) if name in (u.aliases or [])), None)
    if unit is None:
        raise FieldError(field, f"单位「{name}」不存在")
    return unit


def ensure_unit(name: str, *, parent: str | None = None, aliases: list[str] | None = None,
                actor: str) -> tuple[Unit, bool]:
    """Create a unit, or return the existing one of that name (adding any new aliases)."""
    name = (name or "").strip()
    if not name:
        raise FieldError("name", "单位名称不能为空")
    parent_unit = find_unit(parent, "parent") if parent else None
    unit = db.session.scalar(select(Unit).where(Unit.name == name))
    created = unit is None
    if created:
        unit = Unit(name=name, parent_id=parent_unit.id if parent_unit else None, aliases=[])
        db.session.add(unit)
    new_aliases = [a for a in (aliases or []) if a and a != name and a not in (unit.aliases or [])]
    if new_aliases:
        unit.aliases = [*(unit.aliases or []), *new_aliases]
    if created or new_aliases:
        db.session.flush()
        record(actor, "unit.create" if created else "unit.alias", subject_type="unit", subject_id=unit.id,
               detail={"name": name, "parent": parent, "aliases": new_aliases})
    db.session.commit()
    return unit, created


def create_user(username: str, role: str, unit_name: str | None, password: str, *, display_name: str = "",
                actor: str) -> User:
    """Add a user; unit handlers belong to exactly one unit."""
    username = (username or "").strip()
    if not username:
        raise FieldError("username", "用户名不能为空")
    if role not in ROLES:
        raise FieldError("role", "取值应为 " + " / ".join(ROLES))
    if role == "unit" and not unit_name:
        raise FieldError("unit", "承办人必须指定所属单位")
    if len(password) < 8:
        raise FieldError("password", "密码至少 8 位")
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise FieldError("username", "用户名已存在")
    unit = find_unit(unit_name) if unit_name else None
    user = User(username=username, role=role, unit_id=unit.id if unit else None,
                display_name=display_name or username, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", subject_type="user", subject_id=user.id,
           detail={"username": username, "role": role, "unit": unit.name if unit else None})
    db.session.commit()
    return user


def create_token(name: str, role: str, unit_name: str | None, *, actor: str) -> tuple[ApiToken, str]:
    """Issue an API token (shown once)."""
    name = (name or "").strip()
    if not name:
        raise FieldError("name", "令牌名称不能为空")
    unit = find_unit(unit_name) if unit_name else None
    return tokens.create_token(name, role, unit, actor)
