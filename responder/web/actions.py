"""Running a use case from a form: success flashes and redirects, a refusal flashes the reason."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request

from responder.errors import DomainError
from responder.extensions import db


def form_body() -> dict:
    """The posted form as the JSON-shaped body the services take (empty fields left out)."""
    return {key: value for key, value in request.form.items() if key != "csrf_token" and value.strip()}


def perform(action: Callable[[], object], success: str, back: str):
    """Run `action`; flash `success` or the service's reason (with the fields it names); redirect to `back`."""
    try:
        action()
    except DomainError as refused:
        db.session.rollback()
        details = "；".join(f"{field}：{why}" for field, why in refused.fields.items()
                           if field != "status" and why not in refused.message)
        flash(refused.message + (f"（{details}）" if details else ""), "error")
    else:
        flash(success, "ok")
    return redirect(back)
