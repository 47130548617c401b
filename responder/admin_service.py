"""Admin use cases beyond the directory: unit settings, user access, token revocation, routing rules,
time-limit policies and calendar days. One function = one use case = one audited transaction."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from responder.audit import record
from responder.directory import find_unit
from responder.errors import FieldError, NotFound
from responder.extensions import db
from responder.models import AnalysisResult, ApiToken, CalendarDay, RoutingRule, TimeLimitPolicy, Unit, User, utcnow

_SPLIT = re.compile(r"[,，、;；\s]+")


def split_words(raw: str | None) -> list[str]:
    """'a，b、c' → ['a', 'b', 'c'] (duplicates and blanks dropped, order kept)."""
    return list(dict.fromkeys(w for w in _SPLIT.split(raw or "") if w))


def _get(model, key, what: str):
    row = db.session.get(model, key)
    if row is None:
        raise NotFound(f"{what}不存在")
    return row


def _int(raw, field: str, *, low: int = 0, high: int = 10_000, optional: bool = False) -> int | None:
    if raw in (None, "") and optional:
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise FieldError(field, "应为整数") from None
    if not low <= value <= high:
        raise FieldError(field, f"应在 {low} 到 {high} 之间")
    return value


def update_unit(unit_id: int, *, aliases: str | None, webhook_url: str | None, webhook_secret: str | None,
                clear_secret: bool = False, actor: str) -> Unit:
    """Replace a unit's aliases and set its webhook; a blank secret keeps the old one."""
    unit = _get(Unit, unit_id, "单位")
    names = [a for a in split_words(aliases) if a != unit.name]
    for alias in names:
        owner = db.session.scalar(select(Unit).where(Unit.name == alias, Unit.id != unit.id))
        if owner is not None:
            raise FieldError("aliases", f"「{alias}」已是另一个单位的名称")
    url = (webhook_url or "").strip() or None
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise FieldError("webhook_url", "应为 http:// 或 https:// 开头的完整地址")
    secret = (webhook_secret or "").strip()
    if secret and len(secret) < 16:
        raise FieldError("webhook_secret", "密钥至少 16 位")
    unit.aliases, unit.webhook_url = names, url
    if secret or clear_secret:
        unit.webhook_secret = secret or None
    record(actor, "unit.update", subject_type="unit", subject_id=unit.id,
           detail={"aliases": names, "webhook_url": url, "secret_changed": bool(secret or clear_secret)})
    db.session.commit()
    return unit


def set_user_active(user_id: int, active: bool, *, actor: str, actor_id: int | None = None) -> User:
    """Deactivate (no sign-in) or reactivate a user; an admin cannot lock themselves out."""
    user = _get(User, user_id, "用户")
    if not active and user.id == actor_id:
        raise FieldError("user", "不能停用自己的账号")
    user.active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    record(actor, "user.activate" if active else "user.deactivate", subject_type="user", subject_id=user.id,
           detail={"username": user.username})
    db.session.commit()
    return user


def reset_password(user_id: int, password: str | None, *, actor: str) -> User:
    """Set a new password chosen by the admin (the user should change it after signing in)."""
    user = _get(User, user_id, "用户")
    if len(password or "") < 8:
        raise FieldError("password", "密码至少 8 位")
    user.password_hash = generate_password_hash(password)
    user.failed_logins, user.locked_until = 0, None
    record(actor, "user.password_reset", subject_type="user", subject_id=user.id, detail={"username": user.username})
    db.session.commit()
    return user


def revoke_token(token_id: int, *, actor: str) -> ApiToken:
    """Revoke an API token; it answers 401 from now on."""
    token = _get(ApiToken, token_id, "令牌")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(actor, "token.revoke", subject_type="api_token", subject_id=token.id, detail={"name": token.name})
        db.session.commit()
    return token


def save_rule(rule_id: int | None, form: dict, *, actor: str) -> RoutingRule:
    """Create (rule_id None) or edit a routing rule from the form's fields."""
    name = (form.get("name") or "").strip()
    if not name:
        raise FieldError("name", "规则名称不能为空")
    priority = _int(form.get("priority", 0), "priority", low=-1000, high=1000)
    topic = (form.get("topic") or "").strip() or None
    keywords = split_words(form.get("keywords"))
    if not topic and not keywords:
        raise FieldError("keywords", "主题和关键词至少填写一项")
    if not form.get("lead"):
        raise FieldError("lead", "请选择主办单位")
    lead = find_unit(form["lead"], "lead")
    assists = [find_unit(n, "assists") for n in split_words(form.get("assists"))]
    assists = [u for u in dict.fromkeys(assists) if u.id != lead.id]
    rule = _get(RoutingRule, rule_id, "规则") if rule_id else RoutingRule(source="admin")
    rule.name, rule.priority, rule.topic, rule.keywords = name, priority, topic, keywords
    rule.lead_unit_id, rule.assist_units = lead.id, assists
    rule.note = (form.get("note") or "").strip()
    rule.active = form.get("active") == "1" if rule_id else True  # an unticked box is not posted
    if not rule_id:
        db.session.add(rule)
    db.session.flush()
    record(actor, "rule.update" if rule_id else "rule.create", subject_type="routing_rule", subject_id=rule.id,
           detail={"name": name, "priority": priority, "topic": topic, "keywords": keywords, "lead": lead.name,
                   "assists": [u.name for u in assists], "active": rule.active})
    db.session.commit()
    return rule


def set_rule_active(rule_id: int, active: bool, *, actor: str) -> RoutingRule:
    """Switch a routing rule off (kept for the record) or back on."""
    rule = _get(RoutingRule, rule_id, "规则")
    rule.active = active
    record(actor, "rule.activate" if active else "rule.deactivate", subject_type="routing_rule",
           subject_id=rule.id, detail={"name": rule.name})
    db.session.commit()
    return rule


def update_policy(policy_id: int, form: dict, *, actor: str) -> TimeLimitPolicy:
    """Change a time limit: working days or hours (exactly one), and whether it is active."""
    policy = _get(TimeLimitPolicy, policy_id, "时限规则")
    days = _int(form.get("working_days"), "working_days", high=365, optional=True)
    hours = _int(form.get("hours"), "hours", high=24 * 60, optional=True)
    if (days is None) == (hours is None):
        raise FieldError("working_days", "工作日与小时须填写且只填写一项")
    before = {"working_days": policy.working_days, "hours": policy.hours, "active": policy.active}
    policy.working_days, policy.hours = days, hours
    policy.active = form.get("active") == "1"
    if "note" in form:
        policy.note = form["note"].strip()[:200]
    record(actor, "policy.update", subject_type="time_limit_policy", subject_id=policy.id,
           detail={"before": before, "after": {"working_days": days, "hours": hours, "active": policy.active}})
    db.session.commit()
    return policy


def seed_default_policies(*, actor: str) -> int:
    """Copy the documented defaults into the table so they can be edited (only when it is empty)."""
    from responder.workflow.sla import DEFAULT_POLICIES

    if db.session.scalar(select(func.count(TimeLimitPolicy.id))):
        return 0
    for row in DEFAULT_POLICIES:
        db.session.add(TimeLimitPolicy(**row))
    record(actor, "policy.seed", subject_type="time_limit_policy", detail={"rows": len(DEFAULT_POLICIES)})
    db.session.commit()
    return len(DEFAULT_POLICIES)


def add_calendar_day(raw_day: str | None, kind: str | None, note: str | None, *, actor: str) -> CalendarDay:
    """Enter a holiday (放假) or make-up working day (调休上班); re-entering a day replaces it."""
    try:
        day = date.fromisoformat((raw_day or "").strip())
    except ValueError:
        raise FieldError("day", "日期格式应为 YYYY-MM-DD") from None
    if kind not in ("holiday", "workday"):
        raise FieldError("kind", "取值应为 holiday（放假）或 workday（调休上班）")
    row = db.session.get(CalendarDay, day)
    created = row is None
    if created:
        row = CalendarDay(day=day, is_workday=False)
        db.session.add(row)
    row.is_workday, row.note = kind == "workday", (note or "").strip()[:200]
    record(actor, "calendar.add" if created else "calendar.update", subject_type="calendar_day",
           detail={"day": day.isoformat(), "kind": kind, "note": row.note})
    db.session.commit()
    return row


def delete_calendar_day(raw_day: str, *, actor: str) -> None:
    """Remove an entered day: the library calendar (or Monday-to-Friday) applies again."""
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        raise FieldError("day", "日期格式应为 YYYY-MM-DD") from None
    row = _get(CalendarDay, day, "该日期")
    record(actor, "calendar.delete", subject_type="calendar_day",
           detail={"day": day.isoformat(), "was_workday": row.is_workday, "note": row.note})
    db.session.delete(row)
    db.session.commit()


def analysis_stats(days: int = 7) -> dict:
    """How many messages the current models analysed in the last `days` days, and their mean topic confidence."""
    since = utcnow() - timedelta(days=days)
    count, mean = db.session.execute(
        select(func.count(AnalysisResult.id), func.avg(AnalysisResult.topic_confidence))
        .where(AnalysisResult.current.is_(True), AnalysisResult.created_at >= since)
    ).one()
    return {"days": days, "count": count or 0, "mean_confidence": float(mean) if mean is not None else None}


def set_aliases(unit_id: int, aliases, *, actor: str) -> Unit:
    """Replace a unit's aliases only (the API's PATCH); an alias may not be another unit's name or alias."""
    unit = _get(Unit, unit_id, "单位")
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise FieldError("aliases", "应为字符串数组")
    names = [a for a in dict.fromkeys(a.strip() for a in aliases) if a and a != unit.name]
    for other in db.session.scalars(select(Unit).where(Unit.id != unit.id)):
        clash = next((a for a in names if a == other.name or a in (other.aliases or [])), None)
        if clash:
            raise FieldError("aliases", f"「{clash}」已是单位「{other.name}」的名称或别名")
    before = list(unit.aliases or [])
    unit.aliases = names
    record(actor, "unit.alias", subject_type="unit", subject_id=unit.id, detail={"before": before, "aliases": names})
    db.session.commit()
    return unit
