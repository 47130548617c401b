"""Public pages, no sign-in: a citizen's own lookup (查询) and the published replies (答复公开).

Nothing here shows a citizen's name, phone, ID number or address: the lookup shows only what
responder.lookup.citizen_view returns, and the reply list shows the title (or a masked excerpt),
topic, reply and date of approved, public replies to citizens who consented to publication.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request
from sqlalchemy import and_, func, or_, select

from responder.auth import ratelimit
from responder.errors import NotFound
from responder.extensions import db
from responder.lookup import citizen_view
from responder.models import AnalysisResult, Message, Response
from responder.validation import page_number

bp = Blueprint("public", __name__, url_prefix="/public")
PER_PAGE = 20
GENERIC_MISS = "受理编号或查询码不正确"
# Phone numbers, ID numbers, bank cards …: any run of 7+ digits (an ID may end in X), or a
# mobile number written in groups (138-1234-5678).
_DIGIT_RUN = re.compile(r"\d{7,}[Xx]?|1\d{2}[- ]\d{4}[- ]\d{4}")

def mask_digits(text: str | None) -> str:
    """Replace every phone/ID-like digit run with asterisks of the same length."""
    return _DIGIT_RUN.sub(lambda m: "*" * len(m.group()), text or "")


def _allow_lookup(address: str) -> bool:
    """Count one lookup for `address` (shared with the API's lookup, in Redis when there is one)."""
    try:
        ratelimit.check("public_lookup", address)
    except ratelimit.TooManyRequests:
        return False
    return True


@bp.route("/lookup", methods=["GET", "POST"])
def lookup():
    """The form, and (POST, so the code stays out of URLs and logs) the citizen's own item."""
    if request.method == "GET":
        return render_template("public/lookup.html", result=None, error=None, tracking_no="")
    tracking_no = (request.form.get("tracking_no") or "").strip()[:32]
    code = (request.form.get("code") or "").strip()[:64]
    if not _allow_lookup(request.remote_addr or "unknown"):
        return render_template("public/lookup.html", result=None, tracking_no=tracking_no,
                               error="查询过于频繁，请 10 分钟后再试"), 429
    try:
        result = citizen_view(tracking_no, code) if tracking_no else None
    except NotFound:
        result = None
    if result is None:
        return render_template("public/lookup.html", result=None, error=GENERIC_MISS, tracking_no=tracking_no), 404
    return render_template("public/lookup.html", result=result, error=None, tracking_no=tracking_no)


def _published_replies(q: str | None):
    """Approved, public replies to consenting citizens, newest first, with the message's current topic."""
    query = (
        select(Response, Message.title, Message.content, AnalysisResult.topic)
        .join(Message, Message.id == Response.message_id)
        .outerjoin(AnalysisResult, and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True)))
        .where(Response.status == "approved", Response.public.is_(True), Message.consent_public.is_(True))
    )
    if q:
        # Only what the page shows may be searched: never the citizen's own (unmasked) words or data.
        query = query.where(or_(Response.content.contains(q), Message.title.contains(q),
                                AnalysisResult.topic.contains(q)))
    return query


@bp.get("/replies")
def replies():
    """The searchable list of published replies."""
    q = (request.args.get("q") or "").strip()[:100] or None
    page = page_number(request.args.get("page"))
    query = _published_replies(q)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Response.published_at.desc(), Response.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    items = [{
        "title": mask_digits(title) if title else mask_digits(content)[:40] + ("…" if len(content) > 40 else ""),
        "topic": topic,
        "reply": mask_digits(response.content),
        "published_at": response.published_at or response.reviewed_at,
    } for response, title, content, topic in rows]
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("public/replies.html", items=items, q=q or "", page=page, pages=pages, total=total)
