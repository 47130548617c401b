"""Password sign-in with lock-out: too many consecutive failures lock the account for a while."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from responder.audit import record
from responder.auth import ratelimit
from responder.errors import DomainError
from responder.extensions import db
from responder.models import User, utcnow

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
# Checked against when the username is unknown, so a miss costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("responder-dummy-password")


class SignInRefused(DomainError):
    status = 401


def sign_in(username: str, password: str, address: str | None = None) -> User:
    """The user for these credentials; counts failures and refuses while the account is locked.

    Rate limits come first (per address and per account, every attempt counted), so a guesser cycling
    through many accounts, or resetting the lock-out with one known password, is slowed down as well.
    """
    ratelimit.check("login_address", address or "unknown")
    ratelimit.check("login_account", username.strip().lower()[:80])
    now = utcnow()
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise SignInRefused("用户名或密码不正确")
    if user.locked_until and user.locked_until > now:
        record(f"user:{user.username}", "login.locked", subject_type="user", subject_id=user.id)
        db.session.commit()
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInRefused(f"连续登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试")
    if not (user.active and user.password_hash and check_password_hash(user.password_hash, password)):
        _count_failure(user, now)
        raise SignInRefused("用户名或密码不正确")
    db.session.execute(update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None))
    record(f"user:{user.username}", "login", subject_type="user", subject_id=user.id)
    db.session.commit()
    return user


def _count_failure(user: User, now) -> None:
    """Atomic increment, so parallel guesses cannot slip past the limit."""
    failures = db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    if failures >= MAX_FAILURES:
        db.session.execute(update(User).where(User.id == user.id).values(failed_logins=0,
                                                                          locked_until=now + LOCK_FOR))
        record(f"user:{user.username}", "login.lock", subject_type="user", subject_id=user.id,
               detail={"failures": failures})
    else:
        record(f"user:{user.username}", "login.failed", subject_type="user", subject_id=user.id)
    db.session.commit()
