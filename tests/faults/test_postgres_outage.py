"""PostgreSQL stopped and restarted under intake load (a private cluster, never the shared server).

While it is down every POST answers 503 with Retry-After (never a 500); nothing is half-written; once it is
back the same app process answers 201 again without a restart (pool pre-ping drops the dead connections).
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.audit_chain import verify
from responder.extensions import db
from tests.conftest import base_config

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_intake_answers_503_while_postgres_is_down_and_recovers_by_itself(private_postgres, redis_url, caplog):
    app = create_app(base_config(private_postgres.url, redis_url))
    with app.app_context():
        upgrade()
        _, plain = directory.create_token("outage", "integration", None, actor="test")
        db.session.remove()
    headers = {"Authorization": f"Bearer {plain}"}
    answers: list[tuple[str, int, str | None, float]] = []
    running = threading.Event()
    running.set()

    def load(k: int) -> None:
        client, i = app.test_client(), 0
        while running.is_set():
            i += 1
            ext = f"PG-{k}-{i}"
            r = client.post("/api/v1/messages", headers=headers, json={
                "channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00",
                "content": f"数据库故障演练第{k}-{i}条：路灯不亮", "citizen": {"phone": "13812345678"}})
            answers.append((ext, r.status_code, r.headers.get("Retry-After"), time.time()))
            time.sleep(0.02)

    threads = [threading.Thread(target=load, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    private_postgres.stop()
    down_at = time.time()
    time.sleep(3)
    restarting_at = time.time()
    private_postgres.start()
    up_at = time.time()
    time.sleep(3)
    running.clear()
    for t in threads:
        t.join()

    codes = {code for _, code, _, _ in answers}
    assert codes <= {200, 201, 503}, sorted(codes)
    outage = [a for a in answers if down_at + 0.5 < a[3] < restarting_at]
    assert outage and all(code == 503 and retry for _, code, retry, _ in outage), [a for a in outage if a[1] != 503][:5]
    recovered = [a for a in answers if a[3] > up_at + 1.5]
    assert recovered and all(code == 201 for _, code, _, _ in recovered), recovered[:5]

    accepted = {ext for ext, code, _, _ in answers if code == 201}
    with app.app_context():
        conn = db.session.connection()
        stored = dict(conn.execute(sa.text("SELECT external_id, id FROM messages")).all())
        unlogged = conn.execute(sa.text(
            "SELECT count(*) FROM messages m WHERE NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.message_id = m.id AND e.action = 'receive')")).scalar()
        verdict = verify(conn)
        db.session.remove()
        db.engine.dispose()
    assert accepted <= set(stored)  # every 201 is on disk
    assert unlogged == 0  # no message without its audit event: no half-written rows
    assert verdict.intact, verdict  # the crash did not break or fork the audit chain
    assert "13812345678" not in caplog.text  # errors quoting SQL parameters still log no phone number
