"""JSON API under /api/v1: channel intake (token auth) and reading."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")

from responder.api import (  # noqa: E402,F401  register routes
    admin,
    events,
    handling,
    ledger,
    messages,
    openapi,
    public,
    stats,
)
