"""API tokens: created once and shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from responder.audit import record
from responder.auth.principal import Principal
from responder.caching import ReadCache
from responder.errors import FieldError, NotAuthenticated
from responder.extensions import db
from responder.models import TOKEN_ROLES, ApiToken, Unit, utcnow

TOKEN_PREFIX = "rsp_"  # noqa: S105  a visible prefix, not a secret
# Touching last_used_at on every request would turn reads into writes; once in a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(name: str, role: str, unit: Unit | None, actor: str) -> tuple[ApiToken, str]:
    """Make a token for a role (and unit, for unit tokens); returns the row and the plain token."""
    if role not in TOKEN_ROLES:
        raise FieldError("role", "取值应为 " + " / ".join(TOKEN_ROLES))
    if role == "unit" and unit is None:
        raise FieldError("unit", "承办单位令牌必须指定单位")
    if db.session.scalar(select(ApiToken.id).where(ApiToken.name == name)):
        raise FieldError("name", "令牌名称已存在")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=digest(plain), prefix=plain[:10], role=role,
                     unit_id=unit.id if unit else None)
    db.session.add(token)
    db.session.flush()
    record(actor, "token.create", subject_type="api_token", subject_id=token.id,
           detail={"name": name, "role": role, "unit": unit.name if unit else None})
    db.session.commit()
    return token, plain


def _lookup(token_hash: str) -> tuple[Principal, object] | None:
    """The principal of a valid token and when it was last used, or None (unknown or revoked)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
    if token is None or token.revoked_at is not None:
        return None
    principal = Principal(role=token.role, name=token.name, kind="token", unit_id=token.unit_id, ref_id=token.id)
    return principal, token.last_used_at


def authenticate(header: str | None) -> Principal:
    """Resolve an `Authorization: Bearer …` header to a principal, or raise 401.

    Lookups are cached per process for READ_CACHE_SECONDS (a revocation reaches other processes within
    that time, this one at once); last_used_at is still written at most every LAST_USED_RESOLUTION.
    """
    if not header or not header.startswith("Bearer "):
        raise NotAuthenticated("缺少访问令牌（Authorization: Bearer …）")
    token_hash = digest(header[len("Bearer "):].strip())
    cache = current_app.extensions.get("token_cache")
    if cache is None:
        ttl = current_app.config.get("READ_CACHE_SECONDS", 10)
        cache = current_app.extensions.setdefault("token_cache", ReadCache((ApiToken,), ttl))
    found = cache.get(token_hash, lambda: _lookup(token_hash))
    if found is None:
        raise NotAuthenticated("访问令牌无效或已吊销")
    principal, last_used_at = found
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == principal.ref_id).values(last_used_at=now))
        db.session.commit()
        cache.clear()  # the cached last_used_at is now stale; reload on the next request
    return principal
