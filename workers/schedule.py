"""BEAT_SCHEDULE: every periodic task in one readable table."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "requeue-stuck-messages": {"task": "sweeps.requeue_stuck", "schedule": 60.0},
    "mark-overdue": {"task": "sweeps.mark_overdue", "schedule": 300.0},
    "nightly-full-sweep": {"task": "sweeps.run_all", "schedule": crontab(hour=1, minute=7)},
}
