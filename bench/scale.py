"""Scale: 1,000,000 messages (about two weeks of Beijing's 12345) with assignments, analysis and events.

The generator is set-based SQL on a fresh PostgreSQL database (INSERT … SELECT over generate_series, no
Python per row): messages received over the last 14 days in a realistic mix of statuses, one lead
assignment per dispatched message, one current analysis result per analysed message, and three audit
events per message (receive, analyse, dispatch), pre-sealed with placeholder hashes (the bench database's
audit chain does not verify). Old overdue items are already stamped, as the sweep
would have left them; 1,000 open items are then made late a minute ago for the timed sweep.

Timed through the app (in-process Flask test client, an admin token), beside raw SQL on the same rows:
- KPI summary: GET /api/v1/stats/summary over the last 30 days (totals, and by unit) read from the KPI rollup
  (reports.rollup, rebuilt first and timed; the live summary's time is noted) vs one GROUP BY status over the
  window; after the overdue sweep, the rollup's incremental refresh;
- list pages: GET /api/v1/messages with each filter (none, status, channel, overdue, unit, topic, page 50),
  5 times each, p95 vs the raw `ORDER BY received_at DESC LIMIT 20` page;
- overdue sweep: workflow.sweeps.mark_overdue() (stamp + one event each) vs a raw UPDATE of the same rows.

    python bench/scale.py [--quick] [--messages N] [--keep NAME]      (--quick: 50,000 messages)

--keep NAME generates into database NAME and keeps it; a later run with the same NAME upgrades its schema and
times the same rows again without generating (drop it afterwards: DROP DATABASE NAME).
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

DAYS = 14
OPEN = ("analyzed", "dispatched", "in_progress", "replied")
# Status mix per 100 messages (older ones are mostly finished, see the CASE below).
GENERATE = """
INSERT INTO messages (id, tracking_no, query_code_hash, channel, external_id, received_at, title, content,
    request_type, request_type_source, urgency, citizen_name, citizen_phone, address, consent_public, meta,
    status, due_at, due_provisional, analysis_queued_at, analysis_attempts, analysed_at, updated_at,
    reopen_count, published_at, closed_at, created_at)
SELECT g, to_char(r.at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(g::text, 7, '0'), md5(g::text),
    (ARRAY['hotline','hotline','hotline','mailbox','newmedia'])[1 + g %% 5], 'S' || g, r.at,
    left(t.body, 18), t.body,
    (ARRAY['complaint','help','consult','suggestion','report'])[1 + g %% 5], 'analysis',
    CASE WHEN g %% 50 = 0 THEN 'urgent' ELSE 'normal' END, '张三', '138' || lpad((g %% 100000000)::text, 8, '0'),
    '百合镇幸福里小区', g %% 2 = 0, '{}'::jsonb,
    s.status, r.at + interval '10 days', false, r.at, 1, r.at + interval '2 seconds', now(), 0,
    CASE WHEN s.status IN ('published','closed') THEN r.at + interval '6 days' END,
    CASE WHEN s.status = 'closed' THEN r.at + interval '8 days' END, r.at
FROM generate_series(1, %(n)s) AS g
CROSS JOIN LATERAL (SELECT now() - (%(days)s * interval '1 day') * (1 - g::float / %(n)s) AS at) AS r
CROSS JOIN LATERAL (SELECT CASE
        WHEN g %% 100 < 1 THEN 'received'
        WHEN g %% 100 < 4 THEN 'analyzed'
        WHEN g %% 100 < 8 THEN 'dispatched'
        WHEN g %% 100 < 30 THEN 'in_progress'
        WHEN g %% 100 < 35 THEN 'replied'
        WHEN g %% 100 < 60 THEN 'published'
        WHEN g %% 100 < 95 THEN 'closed'
        WHEN g %% 100 < 98 THEN 'merged'
        ELSE 'invalid' END AS status) AS s
CROSS JOIN LATERAL (SELECT (%(texts)s::text[])[1 + g %% %(k)s] AS body) AS t
"""


def generate(conn, n: int, texts: list[str]) -> dict:
    """Fill the database; returns seconds per step."""
    took = {}
    units = [row[0] for row in conn.execute("SELECT id FROM units ORDER BY id")]
    steps = [
        ("messages", GENERATE, {"n": n, "days": DAYS, "texts": texts, "k": len(texts)}),
        ("sequence", "SELECT setval(pg_get_serial_sequence('messages', 'id'), %(n)s)", {"n": n}),
        ("overdue stamps", "UPDATE messages SET overdue_at = due_at WHERE due_at < now() "
                           "AND status IN ('analyzed','dispatched','in_progress','replied','received')", {}),
        ("analysis", """INSERT INTO analysis_results (message_id, model_version, current, topic, topic_confidence,
             sentiment, sentiment_label, request_type, request_type_confidence, urgency, risk_flags, tags,
             created_at)
             SELECT id, 'bench', true,
                 (ARRAY['城乡建设','劳动和社会保障','教育','卫生','环境保护','交通运输'])[1 + id %% 6], 0.8, 0.3,
                 'negative', request_type, 0.7, urgency, '[]'::jsonb, '[]'::jsonb, analysed_at
             FROM messages WHERE status <> 'received'""", {}),
        ("assignments", """INSERT INTO assignments (message_id, unit_id, role, status, sign_due_at, due_at,
             due_provisional, accepted_at, active, reason, dispatched_by, created_at)
             SELECT m.id, (%(units)s::int[])[1 + m.id %% %(u)s], 'lead',
                 CASE WHEN m.status = 'dispatched' THEN 'dispatched' WHEN m.status IN ('in_progress','replied')
                      THEN 'accepted' ELSE 'finished' END,
                 m.received_at + interval '1 day', m.due_at, false,
                 CASE WHEN m.status <> 'dispatched' THEN m.received_at + interval '3 hours' END, true, 'bench',
                 'system', m.received_at + interval '3 seconds'
             FROM messages m WHERE m.status NOT IN ('received','analyzed','merged','invalid')""",
         {"units": units, "u": len(units)}),
        # Sealed as audit_chain would (seq after the head, here seq = id) but with placeholder hashes: otherwise the
        # first commit that seals (the timed sweep) would hash three million events in Python first.
        ("events", """INSERT INTO events (id, at, actor, action, subject_type, subject_id, message_id, detail,
                 seq, prev_hash, hash)
             SELECT e.i, e.at, e.actor, e.action, 'message', e.mid, e.mid, '{}'::jsonb,
                 e.i, md5((e.i - 1)::text) || md5((e.i - 1)::text), md5(e.i::text) || md5(e.i::text)
             FROM (SELECT nextval(pg_get_serial_sequence('events', 'id')) AS i, m.id AS mid, k.actor, k.action,
                       m.received_at + k.s * interval '1 second' AS at
                   FROM messages m CROSS JOIN (VALUES (0, 'token:bench', 'receive'), (2, 'system:system', 'analyse'),
                       (3, 'system:system', 'dispatch')) AS k(s, actor, action)) AS e""", {}),
        ("analyse", "ANALYZE", {}),
    ]
    for name, sql, params in steps:
        start = time.perf_counter()
        conn.execute(sql, params)
        took[name] = time.perf_counter() - start
    return took


def make_late(conn, count: int = 1000) -> list[int]:
    """`count` open, unstamped messages whose deadline passed a minute ago: what one sweep finds."""
    rows = conn.execute("""UPDATE messages SET due_at = now() - interval '1 minute', overdue_at = NULL
        WHERE id IN (SELECT id FROM messages WHERE status = 'in_progress' AND overdue_at IS NULL
                     ORDER BY id DESC LIMIT %s) RETURNING id""", (count,)).fetchall()
    return [r[0] for r in rows]


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure(url: str, conn, token: str, notes: list[str]) -> None:
    """The app's KPI summary, list pages and overdue sweep, and the raw baselines."""
    from sqlalchemy import delete

    from responder.app import create_app
    from responder.extensions import db
    from responder.models import KpiRollupState
    from responder.reports import rollup
    from responder.workflow.sweeps import mark_overdue

    os.environ.update(c.app_env(url, None))
    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        resp = client.get(path, headers=headers)
        assert resp.status_code == 200, (path, resp.status_code, resp.data[:300])
        return resp

    get("/api/v1/messages")  # connections, caches
    raw_kpi = timed(lambda: conn.execute("SELECT status, count(*) FROM messages WHERE received_at >= "
                                         "now() - interval '30 days' GROUP BY status").fetchall(), 3)
    with app.app_context():  # no rollup yet: every day live, as before the rollup existed
        db.session.execute(delete(KpiRollupState))
        db.session.commit()
    live_kpi = timed(lambda: get("/api/v1/stats/summary"), 2)
    live_totals = json.loads(get("/api/v1/stats/summary").data)["totals"]
    with app.app_context():  # what the minutely sweep keeps up to date; rebuilt here (the generator wrote no rollup)
        rebuild = timed(lambda: rollup.refresh(full=True))[0]
    c.emit("scale.kpi_rollup_rebuild", rebuild * 1000, "ms", min(live_kpi) * 1000,
           "rollup.refresh(full=True) over all days vs one live summary of the same rows")
    kpi = timed(lambda: get("/api/v1/stats/summary"), 3)
    totals = json.loads(get("/api/v1/stats/summary").data)["totals"]
    # Deadlines keep passing between the two reads (~1 message/s here), so only counts that do not move with
    # the clock must be equal; tests/reports compare everything on a frozen clock.
    moving = {"completion_total", "sign_total", "on_time_completion_rate", "on_time_sign_rate"}
    differ = {k for k in totals if totals[k] != live_totals[k]} - moving
    assert not differ, f"the rolled-up summary differs from the live one: {differ}"
    notes.append(f"KPI summary totals: messages {totals.get('messages')}, assignments {totals.get('assignments')}; "
                 f"equal to the live summary; live (no rollup) best of 2: {min(live_kpi) * 1000:.0f} ms")
    c.emit("scale.kpi_summary", min(kpi) * 1000, "ms", min(raw_kpi) * 1000,
           "GET /stats/summary, 30 days, rolled up (best of 3) vs raw GROUP BY status over the window")
    by_unit = timed(lambda: get("/api/v1/stats/summary?by=unit"), 3)
    c.emit("scale.kpi_summary_by_unit", min(by_unit) * 1000, "ms", min(raw_kpi) * 1000,
           "GET /stats/summary?by=unit, rolled up (best of 3) vs raw GROUP BY status over the window")
    unit = conn.execute("SELECT name FROM units ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    pages = ["", "status=in_progress", "channel=mailbox", "overdue=true", f"unit={unit}", "topic=教育",
             "page=50", "status=replied&channel=hotline"]
    page_times, per_filter = [], {}
    for query in pages:
        times = timed(lambda q=query: get(f"/api/v1/messages?{q}"), 5)
        page_times += times
        per_filter[query or "(none)"] = round(max(times) * 1000)
    raw_page = timed(lambda: conn.execute("SELECT * FROM messages ORDER BY received_at DESC, id DESC LIMIT 20")
                     .fetchall(), 5)
    page_times.sort()
    p95 = page_times[min(len(page_times) - 1, int(0.95 * len(page_times)))]
    c.emit("scale.list_page_p95", p95 * 1000, "ms", sorted(raw_page)[-1] * 1000,
           f"GET /messages, {len(pages)} filters x 5, p95 vs raw newest-20 page")
    notes.append("list page, slowest of 5 per filter (ms): " + json.dumps(per_filter, ensure_ascii=False))
    late = make_late(conn)
    with app.app_context():
        start = time.perf_counter()
        marked = mark_overdue()
        sweep = time.perf_counter() - start
    make_late(conn)
    start = time.perf_counter()
    raw = conn.execute("UPDATE messages SET overdue_at = now() WHERE due_at < now() AND overdue_at IS NULL "
                       "AND status IN ('received','analyzed','dispatched','in_progress','replied')").rowcount
    raw_sweep = time.perf_counter() - start
    c.emit("scale.overdue_sweep", sweep * 1000, "ms", raw_sweep * 1000,
           "mark_overdue() (stamp + event each) vs raw UPDATE of the same rows")
    notes.append(f"overdue sweep: {len(late)} made late, {marked} stamped by the app, {raw} by the raw UPDATE")
    with app.app_context():  # the sweep's events made those messages' days dirty: read live until refreshed
        dirty = timed(lambda: get("/api/v1/stats/summary"))[0]
        start = time.perf_counter()
        refreshed = rollup.refresh()
        incremental = time.perf_counter() - start
    c.emit("scale.kpi_rollup_refresh", incremental * 1000, "ms", rebuild * 1000,
           f"rollup.refresh() after the sweep ({refreshed['days']} dirty days) vs the full rebuild")
    notes.append(f"KPI summary with those days dirty (read live until the refresh): {dirty * 1000:.0f} ms")


def main() -> int:
    parser = c.parse_args(__doc__)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--keep", metavar="NAME", help="reuse (or create and keep) this database")
    args = parser.parse_args()
    n = args.messages or (50_000 if args.quick else 1_000_000)
    c.check_services()
    print(f"load average {os.getloadavg()[0]:.2f}; {n} messages", flush=True)
    import psycopg
    from e2e import seed_routing

    texts, _ = c.load_texts(200, max_len=120)
    notes: list[str] = []
    with (c.kept_database(args.keep) if args.keep else c.fresh_database("scale")) as (url, fresh):
        env = c.app_env(url, None)
        if fresh:
            seed_routing(url)
        else:
            c.responder(["db", "upgrade"], env)
        out = c.responder(["token", "create", "--name", f"scale-{os.getpid()}", "--role", "admin"], env)
        token = out.stdout.strip().splitlines()[-1].strip()
        with psycopg.connect(url, autocommit=True) as conn:
            start = time.perf_counter()
            took = generate(conn, n, texts) if fresh else {}
            total = time.perf_counter() - start
            size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
            counts = dict(conn.execute("SELECT 'messages', count(*) FROM messages UNION ALL "
                                       "SELECT 'assignments', count(*) FROM assignments UNION ALL "
                                       "SELECT 'events', count(*) FROM events").fetchall())
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in took.items())
            notes.append(f"generated {counts} in {total:.0f} s ({steps}); database {size}" if fresh else
                         f"reused database {args.keep}: {counts}; database {size}")
            if fresh:
                c.emit("scale.generate", n / total, "messages/s", None,
                       "set-based generator incl. assignments and events")
            else:  # undo the previous run's make_late: the generator sets due_at = received_at + 10 days
                conn.execute("UPDATE messages SET due_at = received_at + interval '10 days', overdue_at = NULL "
                             "WHERE due_at <> received_at + interval '10 days'")
                conn.execute("ANALYZE")
            measure(url, conn, token, notes)
    c.print_table(f"scale: {n} messages (ours vs raw SQL on the same rows)")
    for note in notes:
        print("  " + note)
    c.append_results("scale.py", args.quick, [f"- {n}" for n in notes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
