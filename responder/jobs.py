"""The only bridge from services to background tasks (imports task objects late).

The database row, not the broker, holds the truth: a message is committed before it is queued,
and a broker outage only leaves `analysis_queued_at` empty for the sweep to retry.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import update

from responder.extensions import db
from responder.models import Message, utcnow

log = logging.getLogger(__name__)

# After the broker refuses once, stop trying for a while: each attempt costs a connect timeout on the
# caller's request, and the sweep queues whatever was skipped as soon as the broker is back.
BROKER_BACKOFF_SECONDS = 15.0


def queue_analysis(message_ids: list[int]) -> int:
    """Hand messages to the analysis workers; returns how many were queued (0 if the broker is down)."""
    backoff = current_app.extensions.setdefault("broker_backoff", {"until": 0.0})
    if not message_ids or time.monotonic() < backoff["until"]:
        return 0
    from workers.analysis import analyse_message

    queued: list[int] = []
    try:
        # One pooled connection for the whole batch instead of a checkout per message.
        with analyse_message.app.producer_or_acquire() as producer:
            for message_id in message_ids:
                analyse_message.apply_async((message_id,), producer=producer)
                queued.append(message_id)
    except BrokerError as exc:  # broker down: leave the rest to the sweep, answer the caller now
        backoff["until"] = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("broker unavailable, %d message(s) left for the sweep: %s", len(message_ids) - len(queued), exc)
    if queued:
        db.session.execute(
            update(Message)
            .where(Message.id.in_(queued))
            .values(analysis_queued_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return len(queued)
