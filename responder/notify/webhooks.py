"""Per-unit webhooks: deliveries queued set-based by the sweeps, POSTed signed with the unit's secret.

The row is the truth (FixMyStreet's send state): `deliver_pending` claims due rows, posts each once,
and records the outcome; a failure is retried with exponential backoff, MAX_ATTEMPTS in all.
Delivery is at least once — receivers should dedupe on the X-Responder-Delivery header.

Receivers verify: hmac.compare_digest(header, "sha256=" + HMAC-SHA256(secret, raw body).hexdigest()).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Integer, and_, literal, or_, select, update

from responder.extensions import db
from responder.models import Assignment, Message, Unit, WebhookDelivery, utcnow
from responder.notify.sql import const, insert_new, instant, json_object, local_time

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 60  # 1, 2, 4 … 64 minutes between attempts (about 4 hours in all)
CLAIM_SECONDS = 600  # a claimed row is left alone this long, so overlapping runs never post it twice
SIGNATURE_HEADER = "X-Responder-Signature"
DELIVERY_HEADER = "X-Responder-Delivery"
DELIVERY_COLUMNS = ["unit_id", "dedupe_key", "payload", "status", "attempts", "created_at"]


def enqueue(event: str, kind: str, deadline, key, where: list, now: datetime) -> None:
    """Queue one delivery per matching assignment whose unit has a webhook; the caller commits."""
    payload = json_object(
        event=event, kind=kind, assignment_id=Assignment.id, role=Assignment.role,
        tracking_no=Message.tracking_no, due_at=local_time(deadline, "iso"),
    )
    rows = (
        select(Unit.id, key, payload, const("pending"), literal(0, Integer()), instant(now))
        .select_from(Assignment)
        .join(Message, Message.id == Assignment.message_id)
        .join(Unit, and_(Unit.id == Assignment.unit_id, Unit.webhook_url.is_not(None), Unit.webhook_url != ""))
        .where(*where)
    )
    db.session.execute(insert_new(WebhookDelivery, DELIVERY_COLUMNS, rows, ["unit_id", "dedupe_key"]))


def sign(secret: str, body: bytes) -> str:
    """The signature header value for `body`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _claim(limit: int, now: datetime) -> list[int]:
    """Take up to `limit` due rows: count the attempt and hide them for CLAIM_SECONDS (one UPDATE)."""
    due = and_(WebhookDelivery.status == "pending",
               or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
    ids = select(WebhookDelivery.id).where(due).order_by(WebhookDelivery.id).limit(limit)
    claimed = db.session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id.in_(ids), due)
        .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    db.session.commit()
    return sorted(claimed)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would turn the POST into a GET."""

    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, body: bytes, headers: dict) -> str | None:
    """POST once; None on a 2xx answer, else a short reason (never the URL, which may hold a token)."""
    if urlsplit(url).scheme not in ("http", "https"):
        return "unsupported URL scheme"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  scheme checked
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=TIMEOUT_SECONDS) as answer:
            return None if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    except urllib.error.HTTPError as exc:
        exc.close()
        return f"HTTP {exc.code}"
    except urllib.error.URLError as exc:
        return f"connection failed: {type(exc.reason).__name__}"
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        return f"connection failed: {type(exc).__name__}"


def _attempt(delivery_id: int, payload: dict, url: str | None, secret: str | None) -> str | None:
    if not url:
        return "unit has no webhook_url"
    if not secret:
        return "unit has no webhook_secret"  # unsigned posts are never sent
    body = json.dumps({"delivery_id": delivery_id, **payload}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")
    return _post(url, body, {
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "responder-webhook/1",
        SIGNATURE_HEADER: sign(secret, body), DELIVERY_HEADER: str(delivery_id),
    })


def _record(delivery_id: int, attempts: int, error: str | None, now: datetime) -> None:
    if error is None:
        values = {"status": "sent", "sent_at": now, "next_attempt_at": None, "last_error": None}
    elif attempts >= MAX_ATTEMPTS or error.startswith("unit has no") or error == "unsupported URL scheme":
        values = {"status": "failed", "next_attempt_at": None, "last_error": error[:500]}
    else:
        values = {"next_attempt_at": now + timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempts - 1)),
                  "last_error": error[:500]}
    db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def deliver_pending(limit: int = 100, now: datetime | None = None) -> int:
    """Post the due deliveries (at most `limit`); returns how many the receivers accepted."""
    claimed = _claim(limit, now or utcnow())
    if not claimed:
        return 0
    rows = db.session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.payload, Unit.webhook_url,
               Unit.webhook_secret)
        .join(Unit, Unit.id == WebhookDelivery.unit_id).where(WebhookDelivery.id.in_(claimed))
        .order_by(WebhookDelivery.id)
    ).all()
    db.session.rollback()  # no transaction stays open while we wait on the network
    sent = 0
    for delivery_id, attempts, payload, url, secret in rows:
        error = _attempt(delivery_id, payload, url, secret)
        _record(delivery_id, attempts, error, now or utcnow())
        if error is None:
            sent += 1
            log.info("webhook delivery %s sent", delivery_id)
        else:
            log.warning("webhook delivery %s failed (attempt %s of %s): %s", delivery_id, attempts, MAX_ATTEMPTS,
                        error)
    return sent
