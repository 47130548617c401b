"""The audit trail is a hash chain: `responder audit verify` finds an edited, deleted or unsealed event."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from responder.app import create_app
from responder.audit import record, record_many
from responder.audit_chain import GENESIS, SEAL_GRACE, seal_pending, verify
from responder.auth.tokens import create_token
from responder.extensions import db
from responder.models import Event, utcnow
from tests.conftest import base_config


def write_events(n: int, actor: str = "test") -> None:
    for i in range(n):
        record(actor, "note", subject_type="unit", subject_id=i, detail={"i": i, "text": "办理<b>中</b> 😀"})
        db.session.commit()


def cli_verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_events_are_chained_in_commit_order(app):
    write_events(3)
    record_many("system", "bulk", [(None, {"k": 1}), (None, {"k": 2})])
    db.session.commit()
    rows = db.session.execute(sa.select(Event.seq, Event.prev_hash, Event.hash).order_by(Event.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(rows[i].prev_hash == rows[i - 1].hash for i in range(1, 5))
    result = cli_verify(app)
    assert result.exit_code == 0, result.output
    assert "已校验 5 条" in result.output


def test_rolled_back_events_leave_no_link(app):
    write_events(2)
    record("test", "discarded")
    db.session.rollback()
    write_events(1)
    assert verify(db.session.connection()).checked == 3


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE events SET detail = '{\"i\": 99}' WHERE seq = 3", "被修改"),
    ("UPDATE events SET actor = 'user:mallory' WHERE seq = 3", "被修改"),
    ("DELETE FROM events WHERE seq = 3", "缺失"),
])
def test_tampering_is_found_at_the_first_broken_event(app, tamper, problem):
    write_events(5)
    third = db.session.scalar(sa.select(Event.id).where(Event.seq == 3))
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(sa.text(tamper))
    result = cli_verify(app)
    assert result.exit_code == 1
    assert problem in result.output
    assert (f"id={third}" in result.output) if "缺失" not in problem else "序号 3 至 3" in result.output


def test_a_deleted_and_rechained_event_still_breaks_the_links(app):
    write_events(4)
    db.session.remove()
    with db.engine.begin() as conn:  # delete seq 2 and renumber the rest, as a careless forger would
        conn.execute(sa.text("DELETE FROM events WHERE seq = 2"))
        conn.execute(sa.text("UPDATE events SET seq = seq - 1 WHERE seq > 2"))
    result = cli_verify(app)
    assert result.exit_code == 1
    assert "前序哈希不符" in result.output


def test_an_event_inserted_around_the_chain_is_reported(app):
    write_events(2)
    db.session.remove()
    with db.engine.connect() as conn:  # raw connection commit, no session: nothing seals it
        conn.execute(sa.insert(Event.__table__).values(at=utcnow() - SEAL_GRACE - timedelta(seconds=1), actor="x",
                                                       action="forged", subject_type="message", detail={}))
        conn.commit()
    result = cli_verify(app)
    assert result.exit_code == 1
    assert "未入链" in result.output


def test_deferred_events_are_pending_until_the_sealer_links_them(app):
    write_events(2)
    record_many("api:intake", "receive", [(None, {"k": 1}), (None, {"k": 2})], defer_seal=True)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).where(Event.seq.is_(None))) == 2
    result = cli_verify(app)
    assert result.exit_code == 0 and "已校验 2 条" in result.output and "2 条新事件等待入链" in result.output
    # Past the grace period an event the sealer never linked counts as slipped in.
    assert verify(db.session.connection(), now=utcnow() + SEAL_GRACE + timedelta(minutes=1)).problem
    assert seal_pending(db.session) == 2
    verdict = verify(db.session.connection(), now=utcnow() + SEAL_GRACE + timedelta(minutes=1))
    assert verdict.intact and verdict.checked == 4 and verdict.pending == 0


def test_a_sealing_commit_also_links_what_was_deferred(app):
    record_many("api:intake", "receive", [(None, {"k": 1})], defer_seal=True)
    db.session.commit()
    write_events(1)
    verdict = verify(db.session.connection())
    assert verdict.intact and verdict.checked == 2 and verdict.pending == 0


@pytest.mark.postgres
def test_intake_on_postgres_leaves_receive_events_to_the_sealer(pg_url, redis_url):
    # With a broker (no worker here), so that no in-process analysis commit seals the events first.
    app = create_app(base_config(pg_url, redis_url) | {"AUDIT_DEFER_INTAKE_SEAL": True})
    with app.app_context():
        upgrade()
        _, token = create_token("intake", "integration", None, "test")
        db.session.remove()
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    body = {"channel": "hotline", "received_at": "2026-11-20T09:30:00+08:00", "content": "路灯坏了一个月没人修"}
    assert client.post("/api/v1/messages", json=body | {"external_id": "S-1"}, headers=headers).status_code == 201
    batch = {"messages": [body | {"external_id": f"B-{i}"} for i in range(3)]}
    assert client.post("/api/v1/messages/batch", json=batch, headers=headers).status_code == 200
    with app.app_context():
        unsealed = sa.select(sa.func.count()).where(Event.seq.is_(None), Event.action == "receive")
        assert db.session.scalar(unsealed) == 4
        assert seal_pending(db.session) == 4
        verdict = verify(db.session.connection())
        assert verdict.intact and verdict.pending == 0 and verdict.checked >= 4
        db.session.remove()
        db.engine.dispose()


def backfill(url: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            for i in range(7):
                conn.execute(sa.text("INSERT INTO events (at, actor, action, subject_type, subject_id, detail) "
                                     "VALUES (CURRENT_TIMESTAMP, 'old', 'legacy', 'unit', :i, '{\"i\": 1}')"), {"i": i})
        upgrade()
        assert cli_verify(app).exit_code == 0
        write_events(2)
        verdict = verify(db.session.connection())
        assert verdict.intact and verdict.checked == 9
        db.session.remove()
        db.engine.dispose()


def test_migration_backfills_existing_events_on_sqlite(tmp_path):
    backfill(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_migration_backfills_existing_events_on_postgres(pg_url):
    backfill(pg_url)


@pytest.mark.postgres
def test_concurrent_writers_on_postgres_do_not_fork_the_chain(pg_url):
    app = create_app(base_config(pg_url))
    with app.app_context():
        upgrade()
        db.session.remove()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for i in range(15):
                    record(f"writer:{k}", "note", subject_type="unit", subject_id=i)
                    if i % 3 == 0:
                        record_many(f"writer:{k}", "bulk", [(None, {"i": i}), (None, {"j": i})])
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001  reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with app.app_context():
        with db.engine.connect() as conn:
            verdict = verify(conn)
            assert verdict.intact, verdict
            total = conn.scalar(sa.select(sa.func.count()).select_from(Event.__table__))
            forks = conn.scalar(sa.text("SELECT count(*) FROM (SELECT prev_hash FROM events "
                                        "GROUP BY prev_hash HAVING count(*) > 1) f"))
        assert verdict.checked == total == 8 * (15 + 2 * 5)
        assert forks == 0
        db.engine.dispose()
