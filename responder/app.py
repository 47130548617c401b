"""The application factory."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping

from flask import Flask

from responder import config as config_module
from responder.extensions import csrf, db, login_manager, migrate

log = logging.getLogger(__name__)


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app from the environment, then apply `config` overrides (tests)."""
    app = Flask(
        "responder",
        template_folder=str(config_module.PROJECT_ROOT / "templates"),
        instance_path=str(config_module.DEFAULT_INSTANCE),
    )
    app.config.update(config_module.from_env())
    app.config.from_prefixed_env("RESPONDER")
    if config:
        app.config.update(config)
        if "REDIS_URL" in config and "CELERY" not in config:
            app.config["CELERY"] = config_module.celery_settings(config["REDIS_URL"])
    _ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        # Sessions then only survive this process; production sets SECRET_KEY (README).
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.json.ensure_ascii = False
    register_extensions(app)
    from responder.validation import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    register_blueprints(app)
    register_cli(app)
    from responder.errors import register_error_handlers

    register_error_handlers(app)
    register_template_helpers(app)
    if app.config.get("PROXY_HOPS"):
        # Behind N reverse proxies the client's address is in X-Forwarded-For; per-address limits need it.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from responder.analysis.setup import select_topic_model

    select_topic_model(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations and the Celery app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    from responder import audit_chain
    from responder.auth import logmask

    audit_chain.install()
    logmask.install()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from responder.storage import enable_sqlite_pragmas

        with app.app_context():
            enable_sqlite_pragmas(db.engine)
    from workers.celery_app import celery_init_app

    celery_init_app(app)


def register_blueprints(app: Flask) -> None:
    from responder.api import api_bp
    from responder.extensions import csrf as csrf_ext
    from responder.web import web_bp

    csrf_ext.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    # One blueprint per audience.
    from responder.web import admin, events, ledger, notifications, operator, plans, public, supervisor, unit

    for area in (operator, unit, supervisor, admin, public, notifications, plans, events, ledger):
        app.register_blueprint(area.bp)


def register_cli(app: Flask) -> None:
    from responder.cli import register_commands

    register_commands(app.cli)


def register_template_helpers(app: Flask) -> None:
    from responder.web.filters import register_filters

    register_filters(app)


def _ensure_sqlite_folder(url: str) -> None:
    """SQLite cannot create the folder its file lives in; the embedded default must just work."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        from pathlib import Path

        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
