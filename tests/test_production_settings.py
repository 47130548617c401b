"""The production settings issue 8 asks for are in force (config and docker-compose.yml)."""

from __future__ import annotations

from pathlib import Path

from responder.config import celery_settings, engine_options

ROOT = Path(__file__).resolve().parent.parent


def test_celery_with_a_broker_is_at_least_once_and_one_at_a_time():
    conf = celery_settings("redis://127.0.0.1:6379/0")
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1
    # One visibility timeout, longer than any task may run: never redelivered while still running.
    assert conf["broker_transport_options"]["visibility_timeout"] > conf["task_time_limit"]
    assert conf["task_soft_time_limit"] < conf["task_time_limit"]


def test_database_connections_are_checked_and_sqlite_waits_for_its_lock():
    assert engine_options("postgresql+psycopg://u@h/db")["pool_pre_ping"] is True
    assert engine_options("sqlite:///x.db")["connect_args"]["timeout"] >= 5


def _services() -> dict[str, str]:
    """docker-compose.yml's service blocks as text, by name (no YAML library in the project)."""
    text = (ROOT / "docker-compose.yml").read_text().split("\nservices:\n", 1)[1].split("\nvolumes:", 1)[0]
    blocks, name = {}, None
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.strip().endswith(":"):
            name = line.strip()[:-1]
            blocks[name] = ""
        elif name:
            blocks[name] += line + "\n"
    return blocks


def test_compose_keeps_the_broker_durable_and_migrates_once():
    services = _services()
    assert '"--appendonly", "yes"' in services["redis"] and '"--maxmemory-policy", "noeviction"' in services["redis"]
    assert '["responder", "db", "upgrade"]' in services["migrate"]
    for name in ("web", "worker", "beat"):
        block = services[name]
        assert "migrate:\n        condition: service_completed_successfully" in block
        assert "upgrade" not in block
