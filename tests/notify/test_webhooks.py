"""Unit webhooks: queued once per event, signed with the unit's secret, retried with backoff, then failed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from responder.directory import find_unit
from responder.models import WebhookDelivery
from responder.notify.sweeps import escalate_overdue, remind_due_soon
from responder.notify.webhooks import BACKOFF_SECONDS, MAX_ATTEMPTS, deliver_pending
from tests.notify.conftest import LEAD, OTHER, SQLITE_ONLY, at

SECRET = "unit-shared-secret"  # noqa: S105  test value
FRIDAY_NOON = at("2026-11-20T12:00:00+08:00")


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records each POST and answers with `status`."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/responder"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # the receiver is local; a proxy would never reach it
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def hooked(db, people, receiver):
    """The lead unit posts to the local receiver; the other unit has no webhook."""
    unit = find_unit(LEAD)
    unit.webhook_url, unit.webhook_secret = receiver.url, SECRET
    db.session.commit()
    return unit


def deliveries(db) -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_deliveries_are_queued_once_signed_and_sent(db, flow, hooked, receiver):
    no, aid = flow.dispatched("W-1", "2026-11-20T09:30:00+08:00")
    flow.dispatched("W-2", "2026-11-20T09:30:00+08:00", lead=OTHER)  # no webhook: nothing queued
    _, late = flow.dispatched("W-3", "2026-09-01T09:00:00+08:00", request_type="complaint")
    assert remind_due_soon(FRIDAY_NOON) == 3 and escalate_overdue(FRIDAY_NOON) == 1
    remind_due_soon(FRIDAY_NOON), escalate_overdue(FRIDAY_NOON)  # a second run queues nothing
    queued = deliveries(db)
    assert [(d.unit_id, d.dedupe_key, d.status) for d in queued] == [
        (hooked.id, f"remind:{aid}:sign:2026-11-23", "pending"),
        (hooked.id, f"remind:{late}:sign:2026-11-23", "pending"),
        (hooked.id, f"escalate:{late}:handle:2026-09-21", "pending"),
    ]
    assert queued[0].payload == {"event": "reminder", "kind": "sign", "assignment_id": aid, "role": "lead",
                                 "tracking_no": no, "due_at": "2026-11-23T23:59:59+08:00"}

    assert deliver_pending(now=FRIDAY_NOON) == 3
    assert deliver_pending(now=FRIDAY_NOON + timedelta(hours=1)) == 0
    assert len(receiver.requests) == 3
    for (headers, body), delivery in zip(receiver.requests, deliveries(db), strict=True):
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Responder-Signature"], expected)
        assert headers["X-Responder-Delivery"] == str(delivery.id)
        assert json.loads(body) == {"delivery_id": delivery.id, **delivery.payload}
        assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 1, FRIDAY_NOON)
    assert SECRET.encode() not in b"".join(body for _, body in receiver.requests)


@SQLITE_ONLY
def test_a_failing_receiver_is_retried_with_backoff_then_given_up(db, flow, hooked, receiver):
    flow.dispatched("W-4", "2026-11-20T09:30:00+08:00")
    remind_due_soon(FRIDAY_NOON)
    receiver.status = 500
    now = FRIDAY_NOON
    assert deliver_pending(now=now) == 0
    (row,) = deliveries(db)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 500")
    assert row.next_attempt_at == now + timedelta(seconds=BACKOFF_SECONDS)
    assert deliver_pending(now=now + timedelta(seconds=BACKOFF_SECONDS - 1)) == 0 and len(receiver.requests) == 1

    gaps = []
    while row.status == "pending":
        gaps.append(row.next_attempt_at - now)
        now = row.next_attempt_at
        deliver_pending(now=now)
        (row,) = deliveries(db)
    assert gaps == [timedelta(seconds=BACKOFF_SECONDS * 2 ** n) for n in range(MAX_ATTEMPTS - 1)]
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert len(receiver.requests) == MAX_ATTEMPTS
    receiver.status = 200
    assert deliver_pending(now=now + timedelta(days=1)) == 0  # failed stays failed


@SQLITE_ONLY
def test_a_receiver_that_recovers_gets_the_delivery_once(db, flow, hooked, receiver):
    flow.dispatched("W-5", "2026-11-20T09:30:00+08:00")
    remind_due_soon(FRIDAY_NOON)
    receiver.status = 503
    assert deliver_pending(now=FRIDAY_NOON) == 0
    receiver.status = 204
    assert deliver_pending(now=FRIDAY_NOON + timedelta(minutes=1)) == 1
    (row,) = deliveries(db)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert [h["X-Responder-Delivery"] for h, _ in receiver.requests] == [str(row.id)] * 2


@SQLITE_ONLY
def test_a_unit_without_a_secret_is_never_posted_unsigned(db, flow, hooked, receiver):
    hooked.webhook_secret = None
    db.session.commit()
    flow.dispatched("W-6", "2026-11-20T09:30:00+08:00")
    remind_due_soon(FRIDAY_NOON)
    assert deliver_pending(now=FRIDAY_NOON) == 0
    (row,) = deliveries(db)
    assert (row.status, row.last_error) == ("failed", "unit has no webhook_secret") and receiver.requests == []
