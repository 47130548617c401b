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
# Bulk intake queues ids in chunks (one task per chunk): publishing costs ~0.5 ms of CPU per task, far
# more than a message's share of a chunk. Small enough that two worker processes still share a batch.
TASK_CHUNK = 25
# Celery re-declares (re-binds) the task's queue on every publish unless told what to declare; on Redis a
# direct queue is a list the anonymous exchange pushes to, and the worker declares it when it starts consuming.
# Skipping it saves about 0.1 ms of CPU per single POST.
NO_DECLARE: list = []


def queue_analysis(message_ids: list[int], *, stamp: bool = False) -> int:
    """Hand messages to the analysis workers; returns how many were queued (0 if the broker is down).

    Intake stamps `analysis_queued_at` in the row it inserts, so the common path costs no extra write;
    the sweep passes stamp=True to restamp what it re-queues. What could not be queued is un-stamped,
    so the next sweep takes it at once.
    """
    backoff = current_app.extensions.setdefault("broker_backoff", {"until": 0.0})
    queued: list[int] = []
    if message_ids and time.monotonic() >= backoff["until"]:
        from workers.analysis import analyse_message, analyse_messages

        try:
            if analyse_message.app.conf.task_always_eager:  # in-process: nothing to connect to
                for message_id in message_ids:
                    analyse_message.apply_async((message_id,))
                    queued.append(message_id)
            elif len(message_ids) == 1:
                analyse_message.apply_async((message_ids[0],), declare=NO_DECLARE)
                queued.append(message_ids[0])
            else:  # one pooled connection for the whole batch instead of a checkout per task
                with analyse_message.app.producer_or_acquire() as producer:
                    for start in range(0, len(message_ids), TASK_CHUNK):
                        chunk = message_ids[start:start + TASK_CHUNK]
                        analyse_messages.apply_async((chunk,), producer=producer, declare=NO_DECLARE)
                        queued.extend(chunk)
        except BrokerError as exc:  # broker down: leave the rest to the sweep, answer the caller now
            backoff["until"] = time.monotonic() + BROKER_BACKOFF_SECONDS
            log.warning("broker unavailable, %d message(s) left for the sweep: %s",
                        len(message_ids) - len(queued), exc)
    missed = message_ids[len(queued):]
    if missed:
        _set_queued_at(missed, None)
    if stamp and queued:
        _set_queued_at(queued, utcnow())
    return len(queued)


def runs_in_process() -> bool:
    """Whether queued work runs inline (embedded mode, no broker): then it has already run on return."""
    return bool(current_app.config["CELERY"].get("task_always_eager"))


def _set_queued_at(message_ids: list[int], value) -> None:
    db.session.execute(
        update(Message).where(Message.id.in_(message_ids)).values(analysis_queued_at=value)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
