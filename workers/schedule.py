"""BEAT_SCHEDULE: every periodic task in one readable table."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "requeue-stuck-messages": {"task": "sweeps.requeue_stuck", "schedule": 60.0},
    "mark-overdue": {"task": "sweeps.mark_overdue", "schedule": 300.0},
    "remind-due-soon": {"task": "sweeps.remind", "schedule": 600.0},  # 催办
    "escalate-overdue": {"task": "sweeps.escalate", "schedule": 600.0},  # 督办
    "deliver-webhooks": {"task": "notify.deliver_webhooks", "schedule": 60.0},
    # 通报 every morning at 08:30; Celery's timezone is Asia/Shanghai (responder/config.py).
    "notice-list": {"task": "sweeps.notice", "schedule": crontab(hour=8, minute=30)},
    "detect-hotspots": {"task": "hotspots.detect", "schedule": 900.0},  # 热点监测
    "flag-late-event-responses": {"task": "sweeps.flag_late_events", "schedule": 300.0},  # 舆情回应超时
    "flag-overdue-commitments": {"task": "sweeps.commitments_overdue", "schedule": 3600.0},  # 承诺逾期
    "seal-audit-events": {"task": "audit.seal", "schedule": 10.0},  # intake's events into the hash chain
    "kpi-rollup": {"task": "sweeps.kpi_rollup", "schedule": 60.0},  # 考核指标日汇总
    "nightly-full-sweep": {"task": "sweeps.run_all", "schedule": crontab(hour=1, minute=7)},
}
