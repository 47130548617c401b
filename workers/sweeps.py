"""Periodic sweeps; the same functions run from `responder sweep`."""

from celery import shared_task

from responder.workflow import sweeps


@shared_task(name="sweeps.requeue_stuck")
def requeue_stuck() -> int:
    return sweeps.requeue_stuck()


@shared_task(name="sweeps.mark_overdue")
def mark_overdue() -> int:
    return sweeps.mark_overdue()


@shared_task(name="sweeps.run_all")
def run_all() -> dict:
    return sweeps.run_all()
