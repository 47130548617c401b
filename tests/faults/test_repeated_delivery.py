"""The same delivery repeated many times at once, against gunicorn with several worker processes: one row."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import threading
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.extensions import db
from tests.conftest import base_config, port_open
from tests.faults.conftest import RESPONDER, free_port, stop

pytestmark = [pytest.mark.postgres]
COPIES = 40


def test_one_delivery_sent_forty_times_at_once_is_stored_once(pg_url, tmp_path):
    app = create_app(base_config(pg_url))
    with app.app_context():
        upgrade()
        _, plain = directory.create_token("storm", "integration", None, actor="test")
        db.session.remove()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": pg_url, "SECRET_KEY": "t", "RESPONDER_THREADS": "8"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([str(RESPONDER), "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=(tmp_path / "web.log").open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.time() + 60
        while not port_open("127.0.0.1", port):
            assert server.poll() is None and time.time() < deadline, (tmp_path / "web.log").read_text()[-2000:]
            time.sleep(0.2)
        body = json.dumps({"channel": "mailbox", "external_id": "STORM-1", "received_at": "2026-11-20T09:30:00+08:00",
                           "content": "同一封信被平台重复推送了四十次", "citizen": {"phone": "13812345678"}})
        barrier, answers = threading.Barrier(COPIES), []

        def deliver():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            barrier.wait()
            conn.request("POST", "/api/v1/messages", body=body.encode(), headers={
                "Authorization": f"Bearer {plain}", "Content-Type": "application/json"})
            response = conn.getresponse()
            answers.append((response.status, json.loads(response.read()).get("tracking_no")))
            conn.close()

        threads = [threading.Thread(target=deliver) for _ in range(COPIES)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(server)
    codes = sorted(code for code, _ in answers)
    assert len(answers) == COPIES and codes.count(201) == 1 and set(codes) == {200, 201}, codes
    assert len({no for _, no in answers}) == 1
    with app.app_context():
        conn = db.session.connection()
        assert conn.execute(sa.text("SELECT count(*) FROM messages")).scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM events WHERE action = 'receive'")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
