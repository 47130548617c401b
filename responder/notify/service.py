"""A user's in-app notifications: unread count, the paginated list, marking read (own rows only).

These take a user id, not a principal: notifications belong to people (User rows), and API tokens
are not people, so the pages that call these are the signed-in web UI's (current_user.id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update

from responder.extensions import db
from responder.models import Notification, utcnow

PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass
class Page:
    """One page of a user's notifications, newest first."""

    items: list[Notification]
    total: int
    page: int
    per_page: int


def unread_count(user_id: int) -> int:
    """How many of the user's notifications are unread (the badge)."""
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def list_for(user_id: int, unread_only: bool = False, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The user's notifications, newest first, optionally only the unread ones."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = list(db.session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))
    return Page(items=items, total=total, page=page, per_page=per_page)


def mark_read(user_id: int, ids: Iterable[int] | None = None) -> int:
    """Mark the given notifications (all unread ones when `ids` is None) read; others' ids are ignored."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        ids = [int(i) for i in ids]
        if not ids:
            return 0
        query = query.where(Notification.id.in_(ids))
    marked = db.session.execute(
        query.values(read_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return marked
