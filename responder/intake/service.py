"""receive_message / receive_batch: validate, normalise, store once, commit, then queue analysis."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from psycopg.types.json import Jsonb
from sqlalchemy import String, bindparam, case, cast, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite

from responder import audit_chain, jobs, rawsql
from responder.audit import record_many
from responder.errors import ValidationFailed
from responder.extensions import db
from responder.intake import normalise, schemas
from responder.models import Event, Message, utcnow
from responder.models.base import LOCAL_TZ
from responder.workflow.clock import Clock

QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
# Keys per IN (…) lookup: well under SQLite's and PostgreSQL's bound-parameter limits.
INSERT_CHUNK = 500


@dataclass
class Received:
    """The stored message's id, whether this call created it, and the query code (only when created).

    Intake does not read back the rows it creates: `written` holds exactly the row it committed, as a
    plain object with Message's attributes, for callers to show without another query. It is dropped when
    analysis ran in this process (embedded mode), since the row has moved on; callers then load it.
    """

    message_id: int
    created: bool
    query_code: str | None = None
    written: SimpleNamespace | None = field(default=None, repr=False)
    _message: Message | None = field(default=None, repr=False)

    @property
    def message(self) -> Message:
        if self._message is None:
            self._message = db.session.get(Message, self.message_id)
        return self._message


def new_query_code(length: int = 8) -> str:
    """A random query code from QUERY_ALPHABET: one draw from the system's CSPRNG, written in base 31."""
    n, base = secrets.randbelow(len(QUERY_ALPHABET) ** length), len(QUERY_ALPHABET)
    digits = []
    for _ in range(length):
        n, d = divmod(n, base)
        digits.append(QUERY_ALPHABET[d])
    return "".join(digits)


def query_code_digest(channel: str, external_id: str, code: str) -> str:
    """Query codes are stored only as a salted digest."""
    return hashlib.sha256(f"{channel}\x1f{external_id}\x1f{code.upper()}".encode()).hexdigest()


def tracking_number(message_id: int, at: datetime) -> str:
    """受理编号: the local intake date and the row id, unique and easy to read out."""
    return f"{at.astimezone(LOCAL_TZ):%Y%m%d}{message_id:06d}"


def receive_message(payload, actor: str) -> Received:
    """Accept one channel message; a repeat of (channel, external_id) returns the stored one."""
    item = schemas.validate(payload)
    (received,) = _store_many([item], actor, Clock.load())
    if db.session().in_transaction():  # not after an autocommitted insert: a commit would check out a connection
        db.session.commit()
    if received.created:
        jobs.queue_analysis([received.message_id])
        if jobs.runs_in_process():
            received.written = None
    return received


def receive_batch(payloads: list, actor: str) -> list[Received | ValidationFailed]:
    """Accept many messages in one transaction; each item gets its own result, in order."""
    results: list[Received | ValidationFailed | schemas.IntakeMessage] = []
    for payload in payloads:
        try:
            results.append(schemas.validate(payload))
        except ValidationFailed as exc:
            results.append(exc)
    items = [r for r in results if isinstance(r, schemas.IntakeMessage)]
    stored = iter(_store_many(items, actor, Clock.load()) if items else [])
    results = [r if isinstance(r, ValidationFailed) else next(stored) for r in results]
    created = [r.message_id for r in results if isinstance(r, Received) and r.created]
    db.session.commit()
    jobs.queue_analysis(created)
    if created and jobs.runs_in_process():
        for r in results:
            if isinstance(r, Received):
                r.written = None
    return results


def _row(item: schemas.IntakeMessage, code: str, clock: Clock, now: datetime) -> dict:
    """The messages row for a validated item, with its first deadline."""
    urgency = item.urgency or "normal"
    deadline = clock.handling_deadline(item.channel, item.request_type, urgency, item.received_at)
    return {
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
        "analysis_queued_at": now,  # queued right after commit; un-stamped if the broker refuses
        "created_at": now,
        "updated_at": now,
    }


def _reserve_ids(count: int) -> list[int]:
    """PostgreSQL: take `count` ids from the messages sequence at once, so each row goes in with its id
    and tracking number in one INSERT (no UPDATE afterwards; an id unused after a conflict is a gap)."""
    seq = text("nextval(pg_get_serial_sequence('messages', 'id'))")
    return list(db.session.scalars(select(seq).select_from(func.generate_series(1, count))))


def _insert_ignoring_duplicates(rows: list[dict], now: datetime,
                                actor: str) -> tuple[dict[tuple[str, str], int], bool]:
    """INSERT … ON CONFLICT DO NOTHING for all rows, with their tracking numbers; returns the ids of the
    rows it created, by (channel, external_id), and whether their "receive" events are written already."""
    dialect = db.session.get_bind().dialect.name
    table = Message.__table__
    if dialect == "postgresql":
        if len(rows) == 1:
            return _insert_one_pg(rows[0], now, actor), True
        return _insert_pg(rows, now), False
    stmt = (
        sqlite.insert(table)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(table.c.id, table.c.channel, table.c.external_id)
    )
    result = db.session.execute(stmt, rows) if len(rows) > 1 else db.session.execute(stmt.values(rows[0]))
    created = {(channel, ext): id_ for id_, channel, ext in result}
    if created:  # number the rows once their ids are known
        numbers = {i: tracking_number(i, now) for i in created.values()}
        db.session.execute(
            table.update().where(table.c.id == bindparam("row_id")).values(tracking_no=bindparam("number")),
            [{"row_id": i, "number": number} for i, number in numbers.items()],
        )
        for row in rows:
            key = (row["channel"], row["external_id"])
            if key in created:
                row["tracking_no"] = numbers[created[key]]
    return created, False


def _insert_pg(rows: list[dict], now: datetime) -> dict[tuple[str, str], int]:
    """PostgreSQL: rows go in with their ids and tracking numbers, no UPDATE afterwards. One row takes its
    id from the sequence inside the INSERT; many rows reserve ids first and are sent as one pipelined
    executemany (a multi-row VALUES with RETURNING makes psycopg parse a 12,000-parameter statement each
    time), then the ids that made it in are read back in one query."""
    table = Message.__table__
    for row, id_ in zip(rows, _reserve_ids(len(rows)), strict=True):
        row["id"], row["tracking_no"] = id_, tracking_number(id_, now)
    db.session.execute(postgresql.insert(table).on_conflict_do_nothing(index_elements=["channel", "external_id"]),
                       rows)
    mine = {row["id"] for row in rows}
    inserted = {i for i in db.session.scalars(select(table.c.id).where(table.c.id.between(min(mine), max(mine))))
                if i in mine}
    return {(row["channel"], row["external_id"]): row["id"] for row in rows if row["id"] in inserted}


def _insert_one_pg(row: dict, now: datetime, actor: str) -> dict[tuple[str, str], int]:
    """One row, its id and tracking number, and its "receive" audit event in one statement (see
    `_insert_one_statement`); nothing is written when the row was already there.

    When the sealer links the event later, that statement is the whole transaction: it runs in autocommit,
    as atomic as any single statement, and a single POST costs one round trip to PostgreSQL instead of
    BEGIN, INSERT and COMMIT. Otherwise it joins the session's transaction, which seals the event at commit.
    """
    params = {**{c: row[c] for c in _ONE_ROW_COLUMNS}, "tracking_prefix": tracking_number(0, now)[:8],
              "event_at": now, "event_actor": actor, "event_detail": {"channel": row["channel"]}}
    if _defer_seal() and db.engine.dialect.driver == "psycopg":
        statement, literals = rawsql.compiled(_insert_one_statement(), db.engine.dialect)
        # psycopg takes the JSON columns as Jsonb; every other value binds as it is.
        bound = {**literals, **params, "meta": Jsonb(params["meta"]), "event_detail": Jsonb(params["event_detail"])}
        inserted = rawsql.autocommit_fetchone(db.engine, statement, bound)
        created = inserted[0] if inserted else None
    else:
        created = db.session.scalar(_insert_one_statement(), params)
        if created is not None:  # the event went in inside a SELECT, unseen by the insert hook: seal at commit
            audit_chain.mark_unsealed(db.session.connection())
    if created is None:
        return {}
    row["tracking_no"] = tracking_number(created, now)
    return {(row["channel"], row["external_id"]): created}


# The columns `_row` fills, in the order the single-row statement binds them.
_ONE_ROW_COLUMNS = ("channel", "external_id", "query_code_hash", "received_at", "title", "content", "request_type",
                    "request_type_source", "urgency", "citizen_name", "citizen_phone", "citizen_id_number", "address",
                    "consent_public", "meta", "status", "due_at", "due_provisional", "analysis_attempts",
                    "analysis_queued_at", "created_at", "updated_at")


@functools.cache
def _insert_one_statement():
    """INSERT … SELECT FROM (SELECT nextval(…)): the id and the tracking number (tracking_number() in SQL) in
    the same statement as the row, and the "receive" event in a data-modifying CTE of that statement. Built
    once with bind parameters, so SQLAlchemy compiles it once per process, not per request."""
    table, events = Message.__table__, Event.__table__
    seq = select(func.nextval(func.pg_get_serial_sequence("messages", "id")).label("id")).subquery("n")
    digits = case((seq.c.id < 1_000_000, func.lpad(cast(seq.c.id, String), 6, "0")), else_=cast(seq.c.id, String))
    prefix = bindparam("tracking_prefix", type_=String)
    source = select(seq.c.id, prefix + digits, *(bindparam(c, type_=table.c[c].type) for c in _ONE_ROW_COLUMNS))
    inserted = (postgresql.insert(table).from_select(["id", "tracking_no", *_ONE_ROW_COLUMNS], source)
                .on_conflict_do_nothing(index_elements=["channel", "external_id"]).returning(table.c.id)
                .cte("inserted"))
    audit = insert(events).from_select(
        ["at", "actor", "action", "subject_type", "subject_id", "message_id", "detail"],
        select(bindparam("event_at", type_=events.c.at.type), bindparam("event_actor", type_=events.c.actor.type),
               literal("receive", events.c.action.type), literal("message", events.c.subject_type.type),
               inserted.c.id, inserted.c.id, bindparam("event_detail", type_=events.c.detail.type)),
    ).cte("audited")
    return select(inserted.c.id).add_cte(audit)


def _store_many(items: list[schemas.IntakeMessage], actor: str, clock: Clock) -> list[Received]:
    """Store items set-wise: insert first (so SQLite takes its write lock at once), audit the new rows,
    and look up the ids of the ones that were already there."""
    now = utcnow()
    codes, rows_by_key = {}, {}
    for item in items:
        key = (item.channel, item.external_id)
        if key not in codes:  # the same delivery twice in one batch: stored once
            codes[key] = new_query_code()
            rows_by_key[key] = _row(item, codes[key], clock, now)
    created, audited = _insert_ignoring_duplicates(list(rows_by_key.values()), now, actor)
    if created and not audited:
        record_many(actor, "receive", [(i, {"channel": channel}) for (channel, _), i in created.items()], at=now,
                    defer_seal=_defer_seal())
    existing = _ids_by_key([key for key in codes if key not in created])
    answered: set[tuple[str, str]] = set()
    results = []
    for item in items:
        key = (item.channel, item.external_id)
        fresh = key in created and key not in answered
        answered.add(key)
        results.append(Received(created.get(key) or existing[key], created=fresh,
                                query_code=codes[key] if fresh else None,
                                written=_unattached(rows_by_key[key], created[key]) if fresh else None))
    return results


def _defer_seal() -> bool:
    """Whether "receive" events are left to the audit sealer (see audit_chain.DEFER)."""
    return current_app.config.get("AUDIT_DEFER_INTAKE_SEAL", False)


def _unattached(row: dict, message_id: int) -> SimpleNamespace:
    """The committed row as a plain read-only stand-in for a Message (what serialisers read), with the
    empty relations a new message has; building 500 mapped instances would cost more than the INSERT."""
    return SimpleNamespace(**{**row, "id": message_id, "tracking_no": row.get("tracking_no"), "reopen_count": 0,
                              "merged_into_id": None, "merged_into": None, "analysis": None, "assignments": [],
                              "responses": [], "overdue_at": None, "analysed_at": None, "published_at": None,
                              "closed_at": None})


def _ids_by_key(keys) -> dict[tuple[str, str], int]:
    """Ids of stored messages by (channel, external_id)."""
    by_channel: dict[str, list[str]] = {}
    for channel, external_id in keys:
        by_channel.setdefault(channel, []).append(external_id)
    found = {}
    for channel, external_ids in by_channel.items():
        for start in range(0, len(external_ids), INSERT_CHUNK):
            query = select(Message.id, Message.external_id).where(
                Message.channel == channel, Message.external_id.in_(external_ids[start:start + INSERT_CHUNK]))
            found.update({(channel, ext): id_ for id_, ext in db.session.execute(query)})
    return found
