"""Configuration built from the environment, inside the app factory (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


def default_database_url(instance_path: Path = DEFAULT_INSTANCE) -> str:
    """The embedded default: a SQLite file under instance/."""
    return f"sqlite:///{instance_path / 'responder.db'}"


# The longest any task may run (a sweep over the whole table, a chunk of 25 analyses take seconds). The
# broker's visibility timeout is derived from it: a task is redelivered only once it can no longer be
# running, so acks_late never runs the same delivery twice at once, and a worker that died mid-task has
# its task back within VISIBILITY_TIMEOUT (the stuck sweep re-queues analysis sooner, after 120 s).
TASK_TIME_LIMIT = 300
VISIBILITY_TIMEOUT = TASK_TIME_LIMIT + 60


def celery_settings(redis_url: str | None) -> dict:
    """One Celery configuration: a real broker with REDIS_URL, in-process execution without it."""
    common = {
        "task_ignore_result": True,
        "timezone": "Asia/Shanghai",
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
    }
    if not redis_url:
        # In-process: a failing analysis must not turn an accepted message into a 500 for the caller;
        # the row stays `received` and the sweep retries it. Tests switch propagation on.
        return common | {"task_always_eager": True, "task_eager_propagates": False}
    return common | {
        "broker_url": redis_url,
        "broker_transport": "workers.broker:Transport",  # kombu's Redis transport, one publishing client
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": TASK_TIME_LIMIT,
        "task_soft_time_limit": TASK_TIME_LIMIT - 30,
        # Enqueue must not hang a request when the broker is down: fail fast, a sweep retries.
        "broker_connection_timeout": 2,
        "broker_transport_options": {
            "visibility_timeout": VISIBILITY_TIMEOUT,
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
            "retry_on_timeout": False,
            "max_retries": 1,
        },
        "task_publish_retry": False,
    }


def engine_options(database_url: str) -> dict:
    """Connection settings per backend: SQLite waits for its lock, PostgreSQL checks pooled connections."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def from_env(environ: Mapping[str, str] | None = None) -> dict:
    """Read every setting from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, ...)."""
    env = os.environ if environ is None else environ
    database_url = env.get("DATABASE_URL") or default_database_url()
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    redis_url = env.get("REDIS_URL") or None
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "REDIS_URL": redis_url,
        "CELERY": celery_settings(redis_url),
        "JSON_AS_ASCII": False,
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", ""),
        "STUCK_AFTER_SECONDS": int(env.get("RESPONDER_STUCK_AFTER_SECONDS", "120")),
        # Below this routing score an item waits for an operator, with the engine's suggestion.
        "ROUTING_MIN_SCORE": float(env.get("RESPONDER_ROUTING_MIN_SCORE", "0.5")),
        "READ_CACHE_SECONDS": float(env.get("RESPONDER_READ_CACHE_SECONDS", "10")),
        # Intake's "receive" events are linked into the audit chain by the sealer (beat every 10 s, or the next
        # sealing commit) rather than each under the chain lock; only where beat runs, i.e. with a broker.
        "AUDIT_DEFER_INTAKE_SEAL": env.get("RESPONDER_AUDIT_SEAL",
                                           "deferred" if redis_url else "commit") == "deferred",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("RESPONDER_SECURE_COOKIES", "0") == "1",
    }
