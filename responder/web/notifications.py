"""Every signed-in user's in-app notifications (催办, 督办, 通报, review queues): unread first, mark read."""

from __future__ import annotations

import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from responder.extensions import db
from responder.models import Message, Notification
from responder.notify.service import PER_PAGE, mark_read, unread_count
from responder.validation import page_number

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    page = request.args.get("page", "1")
    page = page_number(page)
    mine = Notification.user_id == current_user.id
    total = db.session.scalar(select(func.count()).select_from(Notification).where(mine))
    items = list(db.session.scalars(
        select(Notification).where(mine)
        .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    message_ids = {n.message_id for n in items if n.message_id}
    tracking = dict(db.session.execute(
        select(Message.id, Message.tracking_no).where(Message.id.in_(message_ids))).all()) if message_ids else {}
    return render_template("notifications/index.html", items=items, tracking=tracking, page=page,
                           pages=max(math.ceil(total / PER_PAGE), 1), total=total,
                           unread=unread_count(current_user.id))


@bp.post("/read")
@login_required
def read():
    """All unread (no `id`), or the one posted `id`; only the user's own rows are touched."""
    one = request.form.get("id", "")
    marked = mark_read(current_user.id, [int(one)] if one.isdigit() else None)
    flash(f"已将 {marked} 条通知标为已读", "ok")
    return redirect(url_for("notifications.index"))
