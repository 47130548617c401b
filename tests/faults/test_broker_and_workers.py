"""Broker and worker faults on real Redis, PostgreSQL and Celery workers: nothing accepted is lost or doubled.

- Redis stopped in the middle of intake: every POST still answers 201, and the stuck-message sweep queues
  what the broker never took once Redis is back.
- A worker child killed mid-task: acks_late + reject_on_worker_lost hand the task to a new child; the result
  equals an undisturbed run and nothing is written twice.
- The whole worker hard-killed: what it had taken from the broker is stranded (unacked until the visibility
  timeout); the sweep re-queues it and a new worker finishes it.

The worker is held "mid-task" by locking analysis_results from the test, so the kill lands inside the task's
transaction every time, not by luck of timing.
"""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import AnalysisResult, Assignment, Event, Message, RoutingRule
from responder.workflow import sweeps
from tests.conftest import base_config, need
from tests.faults.conftest import PrivateRedis, children, start_worker, stop

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]
CONTENT = "小区门口垃圾清运不及时，已经堆了三天，臭味很大"


@pytest.fixture(scope="module")
def stack(module_pg_url, tmp_path_factory):
    import shutil

    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    app = create_app(base_config(module_pg_url, redis.url))
    with app.app_context():
        upgrade()
        unit, _ = directory.ensure_unit("综合行政执法办公室", actor="test")
        db.session.add(RoutingRule(name="垃圾", priority=50, keywords=["垃圾"], lead_unit_id=unit.id))
        db.session.commit()
        _, plain = directory.create_token("fault-test", "integration", None, actor="test")
        db.session.remove()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DATABASE_URL": module_pg_url, "REDIS_URL": redis.url, "SECRET_KEY": "t"}
    state = {"app": app, "client": app.test_client(), "headers": {"Authorization": f"Bearer {plain}"},
             "redis": redis, "env": env, "log": log, "worker": start_worker(env, log), "n": 0}
    wait_for_log(state, "ready", 60)
    yield state
    stop(state["worker"])
    redis.stop()
    with app.app_context():
        db.engine.dispose()


def wait_for_log(stack, text: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while text not in stack["log"].read_text(errors="replace"):
        assert time.time() < deadline, f"worker log never showed {text!r}:\n" + stack["log"].read_text()[-3000:]
        time.sleep(0.2)


def post(stack, content=CONTENT):
    stack["n"] += 1
    return stack["client"].post("/api/v1/messages", headers=stack["headers"], json={
        "channel": "hotline", "external_id": f"F-{stack['n']}", "received_at": "2026-11-20T09:30:00+08:00",
        "content": content})


def statuses(stack, numbers):
    with stack["app"].app_context():
        rows = dict(db.session.execute(sa.select(Message.tracking_no, Message.status)
                                       .where(Message.tracking_no.in_(numbers))).all())
        db.session.remove()
    return [rows.get(n) for n in numbers]


def wait_until(stack, numbers, wanted=("dispatched",), seconds=40.0, sweeping=False):
    """Poll the rows; with sweeping=True also run the stuck-message sweep every 2 s, as beat would."""
    deadline, next_sweep = time.time() + seconds, 0.0
    stack["requeued"] = 0
    while True:
        found = statuses(stack, numbers)
        if all(s in wanted for s in found) or time.time() > deadline:
            return found
        if sweeping and time.time() >= next_sweep:
            stack["requeued"] += sweep(stack)
            next_sweep = time.time() + 2
        time.sleep(0.3)


def sweep(stack) -> int:
    """The stuck-message sweep as beat runs it, from a process-like app of its own (fresh broker state)."""
    sweeper = create_app(base_config(stack["app"].config["SQLALCHEMY_DATABASE_URI"], stack["redis"].url)
                         | {"STUCK_AFTER_SECONDS": 1})
    with sweeper.app_context():
        queued = sweeps.requeue_stuck()
        db.session.remove()
        db.engine.dispose()
    return queued


@contextmanager
def worker_stuck_in_task(stack):
    """Hold analysis_results locked so the worker blocks inside its task; yields once it is waiting."""
    engine = sa.create_engine(stack["app"].config["SQLALCHEMY_DATABASE_URI"])
    conn = engine.connect()
    try:
        conn.execute(sa.text("LOCK TABLE analysis_results IN EXCLUSIVE MODE"))
        yield lambda seconds=30: _wait_for_waiter(conn, seconds)
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


def _wait_for_waiter(conn, seconds):
    deadline = time.time() + seconds
    query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
    while not conn.execute(query).scalar():
        assert time.time() < deadline, "the worker never reached the locked table"
        time.sleep(0.1)


def doubles(stack, numbers) -> dict:
    """Per message: analysis results, 'analyse' events and active assignments (each must be exactly 1)."""
    with stack["app"].app_context():
        ids = list(db.session.scalars(sa.select(Message.id).where(Message.tracking_no.in_(numbers))))

        def per(model, *where):
            rows = db.session.execute(sa.select(model.message_id, sa.func.count()).where(
                model.message_id.in_(ids), *where).group_by(model.message_id)).all()
            return sorted(c for _, c in rows) if len(rows) == len(ids) else ["missing"]

        found = {"results": per(AnalysisResult), "analysed": per(Event, Event.action == "analyse"),
                 "assignments": per(Assignment, Assignment.active.is_(True))}
        db.session.remove()
    return found


def analysis_of(stack, number):
    with stack["app"].app_context():
        row = db.session.execute(sa.select(
            AnalysisResult.topic, AnalysisResult.topic_confidence, AnalysisResult.sentiment,
            AnalysisResult.request_type, AnalysisResult.urgency, AnalysisResult.risk_flags, AnalysisResult.tags,
            Message.request_type, Message.urgency, Message.due_at, Message.analysis_attempts,
        ).join(Message, Message.id == AnalysisResult.message_id).where(Message.tracking_no == number)).one()
        units = sorted(db.session.scalars(sa.select(Assignment.unit_id).join(Message).where(
            Message.tracking_no == number, Assignment.active.is_(True))))
        db.session.remove()
    return tuple(row), units


def test_worker_child_killed_mid_task_is_redelivered_with_the_same_result(stack):
    control = post(stack).json["tracking_no"]
    assert wait_until(stack, [control]) == ["dispatched"]
    with worker_stuck_in_task(stack) as wait_for_worker:
        victim = post(stack).json["tracking_no"]
        wait_for_worker()
        (child,) = children(stack["worker"].pid)
        os.kill(child, signal.SIGKILL)
        time.sleep(0.5)
    assert wait_until(stack, [victim]) == ["dispatched"], stack["log"].read_text()[-3000:]
    log = stack["log"].read_text(errors="replace")
    assert "WorkerLostError" in log or "signal 9" in log, log[-3000:]  # the kill really hit a running task
    assert stack["worker"].poll() is None  # the worker itself lives on with a new child
    (control_row, control_units), (victim_row, victim_units) = analysis_of(stack, control), analysis_of(stack, victim)
    assert victim_row == control_row[:-2] + (victim_row[-2], control_row[-1]) and victim_units == control_units
    assert victim_row[-1] == 1  # the killed attempt left nothing behind: one counted analysis
    assert doubles(stack, [control, victim]) == {"results": [1, 1], "analysed": [1, 1], "assignments": [1, 1]}


def test_whole_worker_hard_killed_then_the_sweep_requeues_what_it_stranded(stack):
    with worker_stuck_in_task(stack) as wait_for_worker:
        numbers = [post(stack, f"{CONTENT}（硬杀{i}）").json["tracking_no"] for i in range(4)]
        wait_for_worker()
        stop(stack["worker"], signal.SIGKILL)  # main process and child at once, no warm shutdown
    stack["worker"] = start_worker(stack["env"], stack["log"])
    time.sleep(8)  # what was still in the queue is done by now; what the dead worker held is not
    stranded = statuses(stack, numbers).count("received")
    assert stranded >= 1, "nothing was stranded: the test did not kill the worker mid-task"
    assert wait_until(stack, numbers, sweeping=True) == ["dispatched"] * 4, stack["log"].read_text()[-3000:]
    assert stack["requeued"] >= stranded
    assert doubles(stack, numbers) == {k: [1] * 4 for k in ("results", "analysed", "assignments")}


def test_redis_stopped_during_intake_loses_nothing(stack):
    """Last in the module: the app's broker backoff after the outage would delay the other tests' queueing."""
    numbers, codes, started = [], [], time.time()
    for i in range(24):
        if i == 8:
            stack["redis"].stop()
        if i == 16:
            stack["redis"].start()
        answer = post(stack, f"{CONTENT}（第{i}次反映）")
        codes.append(answer.status_code)
        numbers.append(answer.json["tracking_no"])
    assert codes == [201] * 24
    assert time.time() - started < 20  # a dead broker costs a short timeout once, then the backoff
    assert wait_until(stack, numbers, sweeping=True) == ["dispatched"] * 24, stack["log"].read_text()[-3000:]
    assert stack["requeued"] >= 16  # everything from the outage on, plus whatever the restarted Redis forgot
    assert doubles(stack, numbers) == {k: [1] * 24 for k in ("results", "analysed", "assignments")}
