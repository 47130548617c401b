"""Worker and beat entry point: `celery -A workers.main worker|beat`."""

from celery.signals import worker_init, worker_process_init

from responder.app import create_app
from responder.extensions import db

flask_app = create_app()
celery = flask_app.extensions["celery"]


@worker_init.connect
def _load_models(**_kwargs):
    """Load the analysis models once in the parent, before forking, so children share the pages."""
    from responder.analysis.pipeline import warm_up

    warm_up()


@worker_process_init.connect
def _after_fork(**_kwargs):
    """Each forked child opens its own database connections (SQLAlchemy's post-fork recipe)."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
