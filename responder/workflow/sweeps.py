"""Sweeps: set-based, idempotent passes over the whole table (run by beat and `responder sweep`)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from responder import audit_chain, jobs
from responder.audit import record_many
from responder.extensions import db
from responder.hotspots import service as hotspots
from responder.ledger import sweeps as commitments
from responder.models import Message, utcnow
from responder.models.message import OPEN_UNSTAMPED
from responder.notify import sweeps as supervision
from responder.notify import webhooks
from responder.opinion import sweeps as opinion_sweeps
from responder.reports import rollup
from responder.workflow.states import Status

REQUEUE_BATCH = 1000


def requeue_stuck(limit: int = REQUEUE_BATCH) -> int:
    """Queue again what sits in `received`: never queued (broker was down) or queued long ago and lost."""
    stale = utcnow() - timedelta(seconds=current_app.config["STUCK_AFTER_SECONDS"])
    ids = list(db.session.scalars(
        select(Message.id)
        .where(Message.status == Status.RECEIVED,
               or_(Message.analysis_queued_at.is_(None), Message.analysis_queued_at < stale))
        .order_by(Message.id).limit(limit)
    ))
    db.session.rollback()  # end the read before tasks (eager mode) open their own transactions
    return jobs.queue_analysis(ids, stamp=True)


def mark_overdue() -> int:
    """Stamp messages whose deadline passed while still open, once each, with one audit event each."""
    now = utcnow()
    # OPEN_UNSTAMPED is written out as the partial index's predicate, so the index serves this query.
    open_and_late = and_(Message.due_at < now, OPEN_UNSTAMPED)
    marked = list(db.session.scalars(
        update(Message).where(open_and_late).values(overdue_at=now).returning(Message.id)
        .execution_options(synchronize_session=False)
    ))
    # One event each, through the common audit path, for exactly the rows this pass stamped.
    record_many("system", "overdue", [(message_id, {}) for message_id in marked], at=now)
    db.session.commit()
    return len(marked)


def run_all() -> dict:
    """Every sweep once; returns what each did."""
    return {
        "requeued": requeue_stuck(), "overdue": mark_overdue(),
        "reminded": supervision.remind_due_soon(), "escalated": supervision.escalate_overdue(),
        "noticed": supervision.notice_list().notified, "webhooks_sent": webhooks.deliver_pending(),
        "events_late": opinion_sweeps.flag_late(), "hotspots": hotspots.run()["new"],
        "commitments_overdue": commitments.mark_overdue_commitments(),
        # Last: the rollup then already holds what the sweeps above changed.
        "kpi_days_refreshed": rollup.refresh()["days"],
        "audit_sealed": audit_chain.seal_pending(db.session),
    }
