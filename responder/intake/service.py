"""receive_message / receive_batch: validate, normalise, store once, commit, then queue analysis."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from responder import jobs
from responder.audit import record
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.intake import normalise, schemas
from responder.models import Message, utcnow
from responder.workflow.clock import Clock

LOCAL = ZoneInfo("Asia/Shanghai")
QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone


@dataclass
class Received:
    """The stored message, whether this call created it, and the query code (only when created)."""

    message: Message
    created: bool
    query_code: str | None = None


def query_code_digest(channel: str, external_id: str, code: str) -> str:
    """Query codes are stored only as a salted digest."""
    return hashlib.sha256(f"{channel}\x1f{external_id}\x1f{code.upper()}".encode()).hexdigest()


def tracking_number(message_id: int, at: datetime) -> str:
    """受理编号: the local intake date and the row id, unique and easy to read out."""
    return f"{at.astimezone(LOCAL):%Y%m%d}{message_id:06d}"


def receive_message(payload, actor: str) -> Received:
    """Accept one channel message; a repeat of (channel, external_id) returns the stored one."""
    item = schemas.validate(payload)
    received = _store(item, actor, Clock.load())
    db.session.commit()
    if received.created:
        jobs.queue_analysis([received.message.id])
    return received


def receive_batch(payloads: list, actor: str) -> list[Received | ValidationFailed]:
    """Accept many messages in one transaction; each item gets its own result, in order."""
    clock = Clock.load()
    results: list[Received | ValidationFailed] = []
    for payload in payloads:
        try:
            item = schemas.validate(payload)
        except ValidationFailed as exc:
            results.append(exc)
            continue
        results.append(_store(item, actor, clock))
    db.session.commit()
    jobs.queue_analysis([r.message.id for r in results if isinstance(r, Received) and r.created])
    return results


def _insert_ignoring_duplicates(values: dict):
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Message)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(Message.id)
    )
    return db.session.execute(stmt).scalar()


def _store(item: schemas.IntakeMessage, actor: str, clock: Clock) -> Received:
    """Insert first (so SQLite takes its write lock at once), then fill in what needs the id."""
    code = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(8))
    urgency = item.urgency or "normal"
    deadline = clock.handling_deadline(item.channel, item.request_type, urgency, item.received_at)
    now = utcnow()
    new_id = _insert_ignoring_duplicates({
        "channel": item.channel,
        "external_id": item.external_id,
        "query_code_hash": query_code_digest(item.channel, item.external_id, code),
        "received_at": item.received_at,
        "title": normalise.clean_text(item.title),
        "content": normalise.clean_text(item.content),
        "request_type": item.request_type,
        "request_type_source": "channel" if item.request_type else None,
        "urgency": urgency,
        "citizen_name": normalise.clean_text(item.citizen.get("name")),
        "citizen_phone": normalise.normalise_phone(item.citizen.get("phone")),
        "citizen_id_number": normalise.normalise_id_number(item.citizen.get("id_number")),
        "address": normalise.clean_text(item.address),
        "consent_public": item.consent_public,
        "meta": item.meta,
        "status": "received",
        "due_at": deadline.due_at if deadline else None,
        "due_provisional": bool(deadline and deadline.provisional),
        "analysis_attempts": 0,
        "created_at": now,
        "updated_at": now,
    })
    if new_id is None:
        existing = db.session.scalars(
            select(Message).where(Message.channel == item.channel, Message.external_id == item.external_id)
        ).one()
        return Received(existing, created=False)
    db.session.execute(
        update(Message).where(Message.id == new_id).values(tracking_no=tracking_number(new_id, now))
    )
    record(actor, "receive", message_id=new_id, detail={"channel": item.channel})
    return Received(db.session.get(Message, new_id), created=True, query_code=code)
