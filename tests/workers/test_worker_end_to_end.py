"""A real Celery worker on real Redis and PostgreSQL: what arrives is analysed and routed; nothing is
lost while the broker is down."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import Message, RoutingRule
from tests.conftest import base_config, need

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]
RESPONDER = Path(sys.executable).with_name("responder")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(RESPONDER), "worker", "--concurrency", "1", "--without-gossip", "--without-mingle"],
                            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen | None) -> None:
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_until_analysed(app, numbers: list[str], seconds: float) -> list[str]:
    deadline = time.time() + seconds
    while True:
        with app.app_context():
            statuses = [db.session.query(Message.status).filter_by(tracking_no=n).scalar() for n in numbers]
            db.session.remove()
        if all(s not in (None, "received") for s in statuses) or time.time() > deadline:
            return statuses
        time.sleep(0.5)


def post(client, headers, ext, content):
    return client.post("/api/v1/messages", headers=headers, json={
        "channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00", "content": content})


@pytest.fixture
def stack(pg_url, tmp_path):
    """A migrated PostgreSQL database, a private Redis we may stop, a worker, and an app client."""
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    port = free_port()
    redis_cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    redis = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL, start_new_session=True)
    redis_url = f"redis://127.0.0.1:{port}/0"
    app = create_app(base_config(pg_url, redis_url))
    with app.app_context():
        upgrade()
        unit, _ = directory.ensure_unit("综合行政执法办公室", actor="test")
        db.session.add(RoutingRule(name="垃圾", priority=50, keywords=["垃圾"], lead_unit_id=unit.id))
        db.session.commit()
        _, plain = directory.create_token("worker-test", "integration", None, actor="test")
        db.session.remove()
    env = {**os.environ, "DATABASE_URL": pg_url, "REDIS_URL": redis_url, "SECRET_KEY": "t"}
    worker = start_worker(env, tmp_path / "worker.log")
    state = {"app": app, "client": app.test_client(), "headers": {"Authorization": f"Bearer {plain}"},
             "redis": redis, "redis_cmd": redis_cmd, "worker": worker, "log": tmp_path / "worker.log"}
    yield state
    stop(state["worker"])
    stop(state["redis"])
    with app.app_context():
        db.engine.dispose()


def test_worker_analyses_and_routes_what_arrives(stack):
    client, headers = stack["client"], stack["headers"]
    numbers = [post(client, headers, f"W-{i}", f"第{i}号：垃圾清运不及时，小区门口堆满了").json["tracking_no"]
               for i in range(5)]
    statuses = wait_until_analysed(stack["app"], numbers, 90)
    assert statuses == ["dispatched"] * 5, stack["log"].read_text()[-2000:]


def test_broker_down_intake_still_answers_and_a_sweep_recovers(stack):
    client, headers, app = stack["client"], stack["headers"], stack["app"]
    stop(stack["redis"])
    started = time.time()
    answers = [post(client, headers, f"D-{i}", f"第{i}号：停水三天了没人通知") for i in range(5)]
    assert [a.status_code for a in answers] == [201] * 5
    assert time.time() - started < 15
    numbers = [a.json["tracking_no"] for a in answers]
    with app.app_context():
        assert db.session.query(Message).filter(Message.analysis_queued_at.is_(None)).count() == 5
        db.session.remove()
    stack["redis"] = subprocess.Popen(stack["redis_cmd"], stdout=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1)
    swept = subprocess.run([str(RESPONDER), "sweep"], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                                "REDIS_URL": app.config["REDIS_URL"]})
    assert swept.returncode == 0, swept.stderr
    assert '"requeued": 5' in swept.stdout
    statuses = wait_until_analysed(app, numbers, 90)
    assert all(s == "analyzed" for s in statuses), stack["log"].read_text()[-2000:]
