"""Hotspot detection and late opinion-event responses; the same functions run from `responder sweep`."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from responder.hotspots import service as hotspots
from responder.opinion import sweeps as opinion_sweeps


@shared_task(name="hotspots.detect", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def detect() -> dict:
    """Index new messages, find surges and near-duplicate clusters, alert supervisors to new hotspots."""
    return hotspots.run()


@shared_task(name="sweeps.flag_late_events")
def flag_late_events() -> int:
    """Flag event deadlines that passed unmet (or were met late), once each."""
    return opinion_sweeps.flag_late()
