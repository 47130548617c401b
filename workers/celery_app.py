"""celery_init_app: one Celery app configured from the Flask app, with a task base owning the app context."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask, has_app_context

from workers.schedule import BEAT_SCHEDULE


def celery_init_app(flask_app: Flask) -> Celery:
    """Create the Celery app for `flask_app` and register the tasks."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            if has_app_context():  # eager mode inside a request or test: reuse the caller's session
                return self.run(*args, **kwargs)
            with flask_app.app_context():  # worker: one session per task, removed when the context pops
                return self.run(*args, **kwargs)

    celery = Celery(flask_app.import_name, task_cls=FlaskTask)
    celery.config_from_object(flask_app.config["CELERY"])
    celery.conf.beat_schedule = BEAT_SCHEDULE
    celery.set_default()
    flask_app.extensions["celery"] = celery
    from workers import analysis, hotspots, sweeps  # noqa: F401  register the @shared_task tasks
    return celery
