"""Server-rendered pages (templates/ at the repository root)."""

from flask import Blueprint

web_bp = Blueprint("web", __name__)

from responder.web import messages, session  # noqa: E402,F401  register routes
