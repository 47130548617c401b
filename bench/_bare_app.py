"""The raw baseline server: a bare Flask app that parses the JSON body and INSERTs it, nothing else.

Served by gunicorn like `responder serve` (gthread, same workers and threads):
    BARE_DB=postgresql://… gunicorn --chdir bench -k gthread -w 2 --threads 8 _bare_app:app
BARE_DB is a PostgreSQL URL (psycopg, one connection per thread) or sqlite:///path (WAL).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime, timezone

from flask import Flask, jsonify, request

COLUMNS = ("channel", "external_id", "received_at", "title", "content", "citizen_name", "citizen_phone",
           "address", "consent_public", "meta", "status", "created_at", "updated_at")
DSN = os.environ.get("BARE_DB", "")
IS_PG = DSN.startswith("postgresql")
MARK = "%s" if IS_PG else "?"
INSERT = (f"INSERT INTO bare_messages ({', '.join(COLUMNS)}) "
          f"VALUES ({', '.join([MARK] * len(COLUMNS))})")


def create_table(dsn: str) -> None:
    """A plain table with the columns intake stores (primary key only, no other index)."""
    if dsn.startswith("postgresql"):
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("""CREATE TABLE IF NOT EXISTS bare_messages (id bigserial PRIMARY KEY,
                channel varchar(20) NOT NULL, external_id varchar(128) NOT NULL,
                received_at timestamptz NOT NULL, title varchar(500), content text NOT NULL,
                citizen_name varchar(80), citizen_phone varchar(40), address varchar(500),
                consent_public boolean, meta jsonb NOT NULL, status varchar(20) NOT NULL,
                created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""")
    else:
        conn = sqlite3.connect(dsn.removeprefix("sqlite:///"))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"CREATE TABLE IF NOT EXISTS bare_messages (id INTEGER PRIMARY KEY, "
                     f"{', '.join(COLUMNS)})")
        conn.commit()
        conn.close()


def row(item: dict) -> tuple:
    """One payload as a row of COLUMNS (JSON meta adapted for the backend)."""
    citizen = item.get("citizen") or {}
    meta = item.get("meta") or {}
    now = datetime.now(timezone.utc)
    if IS_PG:
        from psycopg.types.json import Jsonb

        meta, received, now_value = Jsonb(meta), item["received_at"], now
    else:
        meta, received, now_value = json.dumps(meta, ensure_ascii=False), item["received_at"], now.isoformat()
    return (item["channel"], item["external_id"], received, item.get("title"), item["content"],
            citizen.get("name"), citizen.get("phone"), item.get("address"), item.get("consent_public"),
            meta, "received", now_value, now_value)


_local = threading.local()


def connection():
    """One database connection per gunicorn thread, opened on first use."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        if IS_PG:
            import psycopg

            conn = psycopg.connect(DSN)
        else:
            conn = sqlite3.connect(DSN.removeprefix("sqlite:///"), timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        _local.conn = conn
    return conn


app = Flask(__name__)


@app.post("/single")
def single():
    conn = connection()
    cur = conn.cursor()
    cur.execute(INSERT + " RETURNING id", row(request.get_json()))
    new_id = cur.fetchone()[0]
    conn.commit()
    return jsonify({"id": new_id}), 201


@app.post("/batch")
def batch():
    rows = [row(item) for item in request.get_json()["messages"]]
    conn = connection()
    conn.cursor().executemany(INSERT, rows)
    conn.commit()
    return jsonify({"created": len(rows)}), 200
