"""The citizen's lookup, without a token (CONTRACT: GET /api/v1/public/messages/{tracking_no}?code=)."""

from flask import jsonify, request

from responder.api import api_bp
from responder.auth import ratelimit
from responder.lookup import citizen_view


@api_bp.get("/public/messages/<tracking_no>")
def public_message(tracking_no: str):
    """Status, progress and published replies of one's own message; 404 unless the query code matches."""
    ratelimit.check("public_lookup", request.remote_addr or "unknown")
    return jsonify(citizen_view(tracking_no, request.args.get("code")))
