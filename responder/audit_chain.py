"""The audit trail as a hash chain: each event stores the previous event's hash and a hash over its own content.

Events are inserted unsealed (seq NULL) by `audit.record`, `record_many` and the set-based sweeps; just before
the transaction commits, `seal` numbers them after the current chain head and hashes them. On PostgreSQL the
sealing transaction holds an advisory lock until it commits, so two writers can never both extend the same
head (a fork); SQLite has one writer at a time already. `verify` walks the chain and names the first event
that was edited, deleted or slipped in unsealed.

Intake may leave its "receive" events to the sealer instead (`DEFER`, on when a broker and beat run): taking
the chain lock on every accepted message would serialise all intake on one lock and cost two round trips per
request. The event is still written in the message's own transaction; the next transaction that seals, or
`seal_pending` from beat at the latest, links it. `verify` counts such events as pending while they are
younger than SEAL_GRACE, and as slipped in once older.
"""

from __future__ import annotations

import hashlib
import json
from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, bindparam, event, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from responder import rawsql
from responder.models import Event, utcnow

CHAIN_LOCK = 0x72737061  # pg_advisory_xact_lock key: "rspa"
GENESIS = "0" * 64
UNSEALED = "audit_unsealed"  # Connection.info flag: this transaction inserted events
BATCH = 5000
DEFER = "audit_defer_seal"  # execution option on an INSERT of events: leave them to the sealer
# How long an unsealed event may wait for the sealer before `verify` calls it slipped in (beat seals every 10 s).
SEAL_GRACE = timedelta(minutes=10)

_t = Event.__table__
# Explicit columns: exactly what the hash covers, whatever columns the table gains later.
CONTENT = (_t.c.id, _t.c.at, _t.c.actor, _t.c.action, _t.c.subject_type, _t.c.subject_id, _t.c.message_id,
           _t.c.detail)


def canonical(row, seq: int, prev_hash: str) -> bytes:
    """The bytes an event's hash is taken over: its content, its place in the chain and the previous hash."""
    doc = {
        "id": row.id, "seq": seq, "prev": prev_hash,
        "at": row.at.astimezone(UTC).isoformat(timespec="microseconds") if row.at else None,
        "actor": row.actor, "action": row.action, "subject_type": row.subject_type,
        "subject_id": row.subject_id, "message_id": row.message_id, "detail": row.detail,
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def event_hash(row, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical(row, seq, prev_hash)).hexdigest()


def seal(conn: Connection) -> int:
    """Chain every unsealed event visible to this transaction after the current head; returns how many.

    The lock is held from here to the commit, so this costs as few round trips as it can: the unsealed
    events come back with the head beside them (one query), and one UPDATE links them.
    """
    query = _UNSEALED_WITH_HEAD
    seq = prev = None
    sealed = 0
    first = True
    while True:
        if first and conn.dialect.name == "postgresql":
            rows = _lock_and_read_pg(conn, query)
        else:
            rows = conn.execute(query).all()
        first = False
        if not rows:
            return sealed
        if seq is None:
            seq, prev = (rows[0].head_seq, rows[0].head_hash) if rows[0].head_seq is not None else (0, GENESIS)
        values = []
        for row in rows:
            seq += 1
            digest = event_hash(row, seq, prev)
            values.append({"b_id": row.id, "b_seq": seq, "b_prev": prev, "b_hash": digest})
            prev = digest
        _write_links(conn, values)
        sealed += len(rows)
        if len(rows) < BATCH:  # all of them: no need to ask again
            return sealed


_head = select(_t.c.seq, _t.c.hash).where(_t.c.seq.is_not(None)).order_by(_t.c.seq.desc()).limit(1).subquery()
# The unsealed events with the chain head beside them. An uncorrelated scalar subquery: evaluated once per
# statement, after the lock was granted.
_UNSEALED_WITH_HEAD = (select(*CONTENT, select(_head.c.seq).scalar_subquery().label("head_seq"),
                              select(_head.c.hash).scalar_subquery().label("head_hash"))
                       .where(_t.c.seq.is_(None)).order_by(_t.c.id).limit(BATCH))
_Row = namedtuple("_Row", [c.name for c in CONTENT] + ["head_seq", "head_hash"])


def _lock_and_read_pg(conn: Connection, query) -> list:
    """Take the chain lock and read the first batch in one round trip (psycopg pipeline mode). The server
    runs the SELECT, and takes its snapshot, only once the lock statement before it has been granted, so it
    sees the head as the last holder committed it."""
    statement, params = rawsql.compiled(query, conn.dialect)
    raw = conn.connection.driver_connection
    with rawsql.translated_errors(conn.dialect, raw, statement, params, conn.invalidate):
        with raw.pipeline():
            raw.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
            cursor = raw.execute(statement, params)
        rows = cursor.fetchall()
    return [_Row(*row) for row in rows]


# One statement for any number of links: arrays unnested server-side, so its text never changes and the
# server and SQLAlchemy both reuse it (a VALUES list would be a new statement for every batch size).
_LINKS_PG = text("UPDATE events SET seq = links.seq, prev_hash = links.prev, hash = links.hash "
                 "FROM unnest(CAST(:ids AS bigint[]), CAST(:seqs AS bigint[]), CAST(:prevs AS text[]), "
                 "CAST(:hashes AS text[])) AS links(id, seq, prev, hash) WHERE events.id = links.id")


def _write_links(conn: Connection, values: list[dict]) -> None:
    """Store seq/prev_hash/hash. Core UPDATE on purpose: the ORM guard refuses changes to events, and
    sealing is the one exception. PostgreSQL gets one UPDATE … FROM unnest(…) per batch instead of a
    statement per row (a 1,000-message batch would otherwise pay 1,000 round trips)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_LINKS_PG, {"ids": [v["b_id"] for v in values], "seqs": [v["b_seq"] for v in values],
                                 "prevs": [v["b_prev"] for v in values], "hashes": [v["b_hash"] for v in values]})
        return
    conn.execute(update(_t).where(_t.c.id == bindparam("b_id"))
                 .values(seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"), hash=bindparam("b_hash")), values)


@dataclass
class Verdict:
    """What `verify` found: how many events it checked and the first problem, if any."""

    checked: int
    problem: str | None = None
    event_id: int | None = None
    seq: int | None = None
    pending: int = 0  # recent events still waiting for the sealer (within SEAL_GRACE)

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(conn: Connection, now: datetime | None = None) -> Verdict:
    """Walk the chain in order; the first edited, deleted, re-ordered or long-unsealed event breaks it."""
    grace_start = (now or utcnow()) - SEAL_GRACE
    unsealed = _t.c.seq.is_(None)
    stray = conn.execute(select(_t.c.id).where(unsealed, _t.c.at < grace_start).order_by(_t.c.id).limit(1)).scalar()
    pending = conn.execute(select(func.count()).where(unsealed, _t.c.at >= grace_start)).scalar()
    expected_seq, prev, checked = 1, GENESIS, 0
    rows = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(*CONTENT, _t.c.seq, _t.c.prev_hash, _t.c.hash).where(_t.c.seq.is_not(None)).order_by(_t.c.seq))
    for row in rows:
        if row.seq != expected_seq:
            return Verdict(checked, f"序号 {expected_seq} 至 {row.seq - 1} 的事件缺失（已被删除）", row.id, row.seq)
        if row.prev_hash != prev:
            return Verdict(checked, "前序哈希不符（之前的事件被删除或替换）", row.id, row.seq)
        if row.hash != event_hash(row, row.seq, prev):
            return Verdict(checked, "内容与哈希不符（事件被修改）", row.id, row.seq)
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    if stray is not None:
        return Verdict(checked, "事件未入链（绕过审计写入）", stray, None, pending=pending)
    return Verdict(checked, pending=pending)


def mark_unsealed(conn: Connection) -> None:
    """For events inserted where `_mark_insert` cannot see them (a data-modifying CTE inside a SELECT)."""
    conn.info[UNSEALED] = True


def seal_pending(session: Session) -> int:
    """Seal what was left to the sealer (beat, `responder sweep`); returns how many events it linked."""
    sealed = seal(session.connection())
    session.commit()
    return sealed


def _mark_insert(conn, clauseelement, multiparams, params, execution_options, result):
    if (isinstance(clauseelement, Insert) and getattr(clauseelement.table, "name", None) == _t.name
            and not execution_options.get(DEFER)):
        conn.info[UNSEALED] = True


def _seal_before_commit(session: Session) -> None:
    if not session.in_transaction():
        return
    session.flush()  # before_commit runs ahead of the final flush; the events must be in the table first
    conn = session.connection()  # the transaction's own connection (one database)
    if conn.info.pop(UNSEALED, False):
        seal(conn)


def _forget(conn) -> None:
    if not conn.invalidated:  # an invalidated connection (database gone) is discarded with its info
        conn.info.pop(UNSEALED, None)


def install() -> None:
    """Seal events in every session's commit (idempotent: called by each create_app)."""
    if not event.contains(Engine, "after_execute", _mark_insert):
        event.listen(Engine, "after_execute", _mark_insert)
        event.listen(Engine, "rollback", _forget)
        event.listen(Session, "before_commit", _seal_before_commit)
