"""Who may open a page: the signed-in user as a Principal, and a decorator per role set."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from responder.auth.principal import Principal


def principal() -> Principal:
    """The signed-in user as the service layer sees them."""
    return Principal(role=current_user.role, name=current_user.username, kind="user",
                     unit_id=current_user.unit_id, ref_id=current_user.id)


def role_required(*roles: str):
    """Pages for some roles only: others get 403 (the services check again on every action)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
