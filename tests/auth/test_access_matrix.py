"""Every endpoint × every role × own/other unit, from app.url_map: a new route without a row here fails.

Roles: anonymous, an integration token, operator, supervisor, admin, and a unit principal twice — of the unit
the item belongs to (own) and of another unit (other). For each route the matrix says who passes the gate
and how the route is scoped to a unit:
- "object": the other unit gets 404 for the own unit's item (its existence is not revealed);
- "list": the other unit gets an answer, but without the own unit's item in it.
A refused request must change nothing (the audit trail is the witness). Allowed requests run on a restored
copy of the database each time, so one route's success cannot change what the next one sees.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from responder import directory
from responder.app import create_app
from responder.extensions import db
from responder.models import Event, Hotspot, Message, PlanTask, RoutingRule, Unit, UnitGroup
from tests.conftest import base_config

PUBLIC = "public"
A, B = "综合行政执法办公室", "财政所"
U, OP, SUP, ADM, ING = "unit", "operator", "supervisor", "admin", "integration"

# (method, rule): (roles that pass the gate, unit scoping)
MATRIX: dict[tuple[str, str], tuple[frozenset | str, str | None]] = {
    # JSON API (bearer tokens)
    ("GET", "/api/v1/openapi.json"): (PUBLIC, None),
    ("GET", "/api/v1/public/messages/<tracking_no>"): (PUBLIC, None),
    ("POST", "/api/v1/messages"): (frozenset({ING, OP, ADM}), None),
    ("POST", "/api/v1/messages/batch"): (frozenset({ING, OP, ADM}), None),
    ("GET", "/api/v1/messages"): (frozenset({OP, U, SUP, ADM}), "list"),
    ("GET", "/api/v1/messages/<tracking_no>"): (frozenset({OP, U, SUP, ADM}), "object"),
    ("GET", "/api/v1/stats/summary"): (frozenset({OP, U, SUP, ADM}), None),
    ("POST", "/api/v1/messages/<tracking_no>/dispatch"): (frozenset({OP}), None),
    ("POST", "/api/v1/messages/<tracking_no>/answer"): (frozenset({OP}), None),
    ("POST", "/api/v1/messages/<tracking_no>/callback"): (frozenset({OP}), None),
    ("POST", "/api/v1/messages/<tracking_no>/invalidate"): (frozenset({OP}), None),
    ("POST", "/api/v1/messages/<tracking_no>/merge"): (frozenset({OP}), None),
    ("POST", "/api/v1/returns/<int:return_id>/refuse"): (frozenset({OP}), None),
    ("POST", "/api/v1/messages/<tracking_no>/responses"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/accept"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/extension"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/opinion"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/pause"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/resume"): (frozenset({U}), "object"),
    ("POST", "/api/v1/assignments/<int:assignment_id>/return"): (frozenset({U}), "object"),
    ("POST", "/api/v1/commitments/<int:commitment_id>/fulfil"): (frozenset({U}), "object"),
    ("POST", "/api/v1/commitments/<int:commitment_id>/publish"): (frozenset({SUP}), None),
    ("POST", "/api/v1/extensions/<int:extension_id>/approve"): (frozenset({SUP}), None),
    ("POST", "/api/v1/extensions/<int:extension_id>/reject"): (frozenset({SUP}), None),
    ("POST", "/api/v1/responses/<int:response_id>/approve"): (frozenset({SUP}), None),
    ("POST", "/api/v1/responses/<int:response_id>/reject"): (frozenset({SUP}), None),
    # Opinion events: supervisors run them; operators and admins read all; a unit reads (and responds to) only
    # the events it is responsible for. Hotspots are a supervisor's tool; admins may read them (detection tuning).
    ("GET", "/api/v1/events"): (frozenset({OP, U, SUP, ADM}), "list"),
    ("GET", "/api/v1/ledger"): (frozenset({OP, U, SUP, ADM}), "list"),
    ("POST", "/api/v1/commitments/extract"): (frozenset({OP, U, SUP, ADM}), None),
    ("POST", "/api/v1/events"): (frozenset({SUP}), None),
    ("GET", "/api/v1/events/<int:event_id>"): (frozenset({OP, U, SUP, ADM}), "object"),
    ("POST", "/api/v1/events/<int:event_id>/advance"): (frozenset({SUP}), None),
    ("POST", "/api/v1/events/<int:event_id>/messages"): (frozenset({SUP}), None),
    ("POST", "/api/v1/events/<int:event_id>/responses"): (frozenset({SUP, U}), "object"),
    ("POST", "/api/v1/events/<int:event_id>/evaluation"): (frozenset({SUP}), None),
    ("GET", "/api/v1/hotspots"): (frozenset({SUP, ADM}), None),
    ("POST", "/api/v1/hotspots/<int:hotspot_id>/convert"): (frozenset({SUP}), None),
    ("POST", "/api/v1/hotspots/<int:hotspot_id>/dismiss"): (frozenset({SUP}), None),
    # Admin API: admin tokens only (units, groups, rules, policies, the plan task ledger).
    ("GET", "/api/v1/admin/units"): (frozenset({ADM}), None),
    ("POST", "/api/v1/admin/units"): (frozenset({ADM}), None),
    ("PATCH", "/api/v1/admin/units/<int:unit_id>"): (frozenset({ADM}), None),
    ("PUT", "/api/v1/admin/groups/<path:name>"): (frozenset({ADM}), None),
    ("GET", "/api/v1/admin/rules"): (frozenset({ADM}), None),
    ("POST", "/api/v1/admin/rules"): (frozenset({ADM}), None),
    ("PATCH", "/api/v1/admin/rules/<int:rule_id>"): (frozenset({ADM}), None),
    ("GET", "/api/v1/admin/policies"): (frozenset({ADM}), None),
    ("PATCH", "/api/v1/admin/policies/<int:policy_id>"): (frozenset({ADM}), None),
    ("GET", "/api/v1/admin/plan-tasks"): (frozenset({ADM}), None),
    ("PATCH", "/api/v1/admin/plan-tasks/<int:task_id>"): (frozenset({ADM}), None),
    # Pages (signed-in session)
    ("GET", "/"): (PUBLIC, None),
    ("GET", "/login"): (PUBLIC, None),
    ("POST", "/login"): (PUBLIC, None),
    ("GET", "/public/lookup"): (PUBLIC, None),
    ("POST", "/public/lookup"): (PUBLIC, None),
    ("GET", "/public/replies"): (PUBLIC, None),
    ("GET", "/static/<path:filename>"): (PUBLIC, None),
    ("POST", "/logout"): (frozenset({OP, U, SUP, ADM}), None),
    ("GET", "/messages"): (frozenset({OP, U, SUP, ADM}), "list"),
    ("GET", "/messages/<tracking_no>"): (frozenset({OP, U, SUP, ADM}), "object"),
    ("GET", "/notifications/"): (frozenset({OP, U, SUP, ADM}), None),
    ("POST", "/notifications/read"): (frozenset({OP, U, SUP, ADM}), None),
    ("GET", "/operator/queue"): (frozenset({OP}), None),
    ("GET", "/operator/callbacks"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/answer"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/callback"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/correct"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/dispatch"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/invalidate"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/merge"): (frozenset({OP}), None),
    ("POST", "/operator/messages/<tracking_no>/returns/<int:return_id>/refuse"): (frozenset({OP}), None),
    ("GET", "/unit/inbox"): (frozenset({U}), "list"),
    ("POST", "/unit/assignments/<int:assignment_id>/accept"): (frozenset({U}), "object"),
    ("POST", "/unit/assignments/<int:assignment_id>/extension"): (frozenset({U}), "object"),
    ("POST", "/unit/assignments/<int:assignment_id>/opinion"): (frozenset({U}), "object"),
    ("POST", "/unit/assignments/<int:assignment_id>/pause"): (frozenset({U}), "object"),
    ("POST", "/unit/assignments/<int:assignment_id>/resume"): (frozenset({U}), "object"),
    ("POST", "/unit/assignments/<int:assignment_id>/return"): (frozenset({U}), "object"),
    ("POST", "/unit/messages/<tracking_no>/reply"): (frozenset({U}), "object"),
    ("GET", "/supervisor/desk"): (frozenset({SUP}), None),
    ("GET", "/supervisor/dashboard"): (frozenset({SUP}), None),
    ("GET", "/supervisor/kpis"): (frozenset({SUP}), None),
    ("GET", "/supervisor/overdue"): (frozenset({SUP}), None),
    ("POST", "/supervisor/extensions/<int:extension_id>/<any(approve, reject):decision>"): (frozenset({SUP}), None),
    ("POST", "/supervisor/responses/<int:response_id>/<any(approve, reject):decision>"): (frozenset({SUP}), None),
    ("GET", "/admin/"): (frozenset({ADM}), None),
    ("GET", "/admin/units"): (frozenset({ADM}), None),
    ("POST", "/admin/units"): (frozenset({ADM}), None),
    ("GET", "/admin/units/<int:unit_id>"): (frozenset({ADM}), None),
    ("POST", "/admin/units/<int:unit_id>"): (frozenset({ADM}), None),
    ("GET", "/admin/users"): (frozenset({ADM}), None),
    ("POST", "/admin/users"): (frozenset({ADM}), None),
    ("POST", "/admin/users/<int:user_id>/active"): (frozenset({ADM}), None),
    ("POST", "/admin/users/<int:user_id>/password"): (frozenset({ADM}), None),
    ("GET", "/admin/tokens"): (frozenset({ADM}), None),
    ("POST", "/admin/tokens"): (frozenset({ADM}), None),
    ("POST", "/admin/tokens/<int:token_id>/revoke"): (frozenset({ADM}), None),
    ("GET", "/admin/rules"): (frozenset({ADM}), None),
    ("GET", "/admin/rules/new"): (frozenset({ADM}), None),
    ("POST", "/admin/rules/new"): (frozenset({ADM}), None),
    ("GET", "/admin/rules/<int:rule_id>"): (frozenset({ADM}), None),
    ("POST", "/admin/rules/<int:rule_id>"): (frozenset({ADM}), None),
    ("POST", "/admin/rules/<int:rule_id>/active"): (frozenset({ADM}), None),
    ("GET", "/admin/policies"): (frozenset({ADM}), None),
    ("POST", "/admin/policies/<int:policy_id>"): (frozenset({ADM}), None),
    ("POST", "/admin/policies/seed"): (frozenset({ADM}), None),
    ("GET", "/admin/calendar"): (frozenset({ADM}), None),
    ("POST", "/admin/calendar"): (frozenset({ADM}), None),
    ("POST", "/admin/calendar/<day>/delete"): (frozenset({ADM}), None),
    ("GET", "/events/"): (frozenset({OP, U, SUP, ADM}), "list"),
    ("GET", "/supervisor/ledger"): (frozenset({SUP}), None),
    ("GET", "/supervisor/commitments"): (frozenset({SUP}), None),
    ("GET", "/supervisor/annual"): (frozenset({SUP}), None),
    ("POST", "/ledger/commitments/<int:commitment_id>/fulfil"): (frozenset({U}), "object"),
    ("POST", "/ledger/commitments/<int:commitment_id>/publish"): (frozenset({SUP}), None),
    ("POST", "/unit/messages/<tracking_no>/reply/candidates"): (frozenset({U}), "object"),
    ("GET", "/admin/lexicon"): (frozenset({ADM}), None),
    ("POST", "/admin/lexicon"): (frozenset({ADM}), None),
    ("POST", "/admin/lexicon/remove"): (frozenset({ADM}), None),
    ("GET", "/events/new"): (frozenset({SUP}), None),
    ("POST", "/events/new"): (frozenset({SUP}), None),
    ("GET", "/events/<int:event_id>"): (frozenset({OP, U, SUP, ADM}), "object"),
    ("POST", "/events/<int:event_id>/advance"): (frozenset({SUP}), None),
    ("POST", "/events/<int:event_id>/messages"): (frozenset({SUP}), None),
    ("POST", "/events/<int:event_id>/responses"): (frozenset({SUP, U}), "object"),
    ("POST", "/events/<int:event_id>/evaluation"): (frozenset({SUP}), None),
    ("GET", "/events/hotspots"): (frozenset({SUP}), None),
    ("POST", "/events/hotspots/<int:hotspot_id>/convert"): (frozenset({SUP}), None),
    ("POST", "/events/hotspots/<int:hotspot_id>/dismiss"): (frozenset({SUP}), None),
    # The task ledger: supervisors and admins read every task, a unit the tasks it leads or assists; progress is
    # recorded by the task's lead unit or an admin. Group mappings are admin work.
    ("GET", "/plans/tasks"): (frozenset({SUP, ADM, U}), "list"),
    ("POST", "/plans/tasks/<int:task_id>/status"): (frozenset({ADM, U}), "object"),
    ("GET", "/plans/groups"): (frozenset({ADM}), None),
    ("POST", "/plans/groups/<int:group_id>"): (frozenset({ADM}), None),
}
API_WHO = ("anonymous", ING, OP, "unit_own", "unit_other", SUP, ADM)
PAGE_WHO = ("anonymous", OP, "unit_own", "unit_other", SUP, ADM)


def routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture
def world(tmp_path):
    """Unit A owns a dispatched, accepted message with an extension, a reply and a commitment; another of its
    messages waits on a return. Every role has a token and a signed-in page client."""
    dbfile = tmp_path / "matrix.db"
    app = create_app(base_config(f"sqlite:///{dbfile}") | {"WTF_CSRF_ENABLED": False})
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    for name in (A, B):
        directory.ensure_unit(name, actor="t")
    unit_a = db.session.scalar(select(Unit).where(Unit.name == A))
    db.session.add(RoutingRule(name="垃圾", priority=50, keywords=["垃圾"], lead_unit_id=unit_a.id))
    db.session.commit()
    tokens = {role: directory.create_token(f"t-{role}", role, None, actor="t")[1] for role in (ING, OP, SUP, ADM)}
    tokens["unit_own"] = directory.create_token("t-a", U, A, actor="t")[1]
    tokens["unit_other"] = directory.create_token("t-b", U, B, actor="t")[1]
    users = {OP: ("op", OP, None), SUP: ("sup", SUP, None), ADM: ("adm", ADM, None),
             "unit_own": ("ua", U, A), "unit_other": ("ub", U, B)}
    for username, role, unit in users.values():
        directory.create_user(username, role, unit, "correct-horse", actor="t")

    client = app.test_client()

    def api(who, method, path, body=None):
        return client.open(path, method=method, json=body if body is not None else {},
                           headers={"Authorization": f"Bearer {tokens[who]}"})

    def new(ext):
        return api(ING, "POST", "/api/v1/messages", {"channel": "hotline", "external_id": ext, "content": "楼下垃圾三天没人清运",
                                                      "received_at": "2026-11-20T09:30:00+08:00"}).json["tracking_no"]

    m, m2, m3 = new("M-1"), new("M-2"), new("M-3")  # m3 stays unsigned: the unit inbox's default tab lists it
    lead = next(a for a in api(OP, "GET", f"/api/v1/messages/{m}").json["assignments"] if a["role"] == "lead")
    lead2 = next(a for a in api(OP, "GET", f"/api/v1/messages/{m2}").json["assignments"] if a["role"] == "lead")
    assert api("unit_own", "POST", f"/api/v1/assignments/{lead['id']}/accept").status_code == 200
    reply = api("unit_own", "POST", f"/api/v1/messages/{m}/responses", {
        "content": "已安排清运并将每日巡查", "public": True,
        "commitments": [{"content": "每日巡查一次", "due_date": "2026-12-31"}]})
    assert reply.status_code in (200, 201), reply.json
    ext = api("unit_own", "POST", f"/api/v1/assignments/{lead['id']}/extension", {"days": 3, "reason": "协调"})
    returned = api("unit_own", "POST", f"/api/v1/assignments/{lead2['id']}/return", {"reason": "不属本单位职责"})
    assert returned.status_code in (200, 201), returned.json
    body = api(OP, "GET", f"/api/v1/messages/{m}").json
    response = body["responses"][0]
    ids = {
        "tracking_no": m, "assignment_id": lead["id"], "response_id": response["id"],
        "commitment_id": response["commitments"][0]["id"], "extension_id": ext.json.get("id", 1),
        "return_id": returned.json.get("id", 1), "unit_id": unit_a.id, "user_id": 1, "token_id": 1, "rule_id": 1,
        "policy_id": 1, "day": "2026-10-01", "decision": "approve", "filename": "vendor/echarts.LICENSE.txt",
    }
    # Unit A is responsible for an opinion event linked to its message, leads a plan task; a hotspot holds the
    # message and a collective reference waits to be mapped. Markers let "list" rows look for A's item by text.
    event_title, task_text = "舆情甲-EVT-A-7Q", "TASK-A-7Q 垃圾清运专项整治"
    event = api(SUP, "POST", "/api/v1/events", {"title": event_title, "level": "general", "units": [A],
                                                "messages": [m], "discovered_at": "2026-11-20T10:00:00+08:00"})
    assert event.status_code == 201, event.json
    message_id = db.session.scalar(select(Message.id).where(Message.tracking_no == m))
    start = datetime(2026, 11, 19, 2, tzinfo=timezone.utc)
    spot = Hotspot(kind="cluster", key=f"c{message_id}", label="2 件相似诉求：垃圾", window="24h", window_start=start,
                   window_end=start + timedelta(hours=24), count=1, message_ids=[message_id], created_at=start)
    task = PlanTask(plan="2026年城市管理工作要点", item_key="1||" + task_text, number="1", text=task_text,
                    requirement=task_text + "，年底前完成", responsibility=A, lead_unit_ids=[unit_a.id])
    group = UnitGroup(name="各科室", unit_ids=[])
    db.session.add_all([spot, task, group])
    db.session.commit()
    ids |= {"event_id": event.json["id"], "hotspot_id": spot.id, "task_id": task.id, "group_id": group.id,
            "name": group.name}
    own = {"/unit/inbox": m3, "/api/v1/events": "EVT-A-7Q", "/events/": "EVT-A-7Q", "/plans/tasks": "TASK-A-7Q"}  # ASCII: JSON escapes
    ids_for = {"/operator/messages/<tracking_no>/returns/<int:return_id>/refuse": {"tracking_no": m2}}
    pages = {}

    def login(who):
        pages[who] = app.test_client()
        assert pages[who].post("/login", data={"username": users[who][0], "password": "correct-horse"}).status_code == 302

    for who in users:
        login(who)
    pages["anonymous"] = app.test_client()
    db.session.remove()
    snapshot = tmp_path / "snapshot.db"
    copy_db(dbfile, snapshot)
    ctx.pop()  # requests must get an app context (and `g`) of their own, as in production
    yield {"app": app, "tokens": tokens, "pages": pages, "ids": ids, "ids_for": ids_for, "m": m, "own": own,
           "restore": lambda: restore(app, snapshot, dbfile), "events": lambda: events(app), "dirty": False,
           "login": login}
    with app.app_context():
        db.engine.dispose()


def copy_db(src, dst) -> None:
    db.session.remove()
    db.engine.dispose()
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    source.backup(target)
    source.close()
    target.close()


def restore(app, snapshot, dbfile) -> None:
    with app.app_context():
        copy_db(snapshot, dbfile)


def fill(rule: str, ids: dict) -> str:
    import re

    def value(match):
        name = match.group(1).split(":")[-1]
        if name.startswith("any("):
            return ids["decision"]
        return str(ids[name])

    return re.sub(r"<([^>]+)>", value, rule)


def events(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(Event.id)))
        db.session.remove()
    return count


def test_every_route_has_a_row_in_the_matrix(world):
    missing = routes(world["app"]) - set(MATRIX)
    stale = set(MATRIX) - routes(world["app"])
    assert not missing, f"routes without an access rule in the matrix: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


def call(world, who: str, method: str, rule: str):
    ids = world["ids"] | world["ids_for"].get(rule, {})
    path = fill(rule, ids)
    if rule.startswith("/api/"):
        headers = {} if who == "anonymous" else {"Authorization": f"Bearer {world['tokens'][who]}"}
        return world["app"].test_client().open(path, method=method, json={}, headers=headers)
    return world["pages"][who].open(path, method=method, data={})


def role_of(who: str) -> str:
    return U if who.startswith("unit_") else who


def judge(response, who, area, passes, hidden, scope, own_item) -> str | None:
    """What is wrong with this answer, or None."""
    status, location = response.status_code, response.headers.get("Location", "")
    if status >= 500:
        return "server error"
    if hidden:
        return None if status == 404 else f"other unit's item must be 404, got {status}"
    if not passes:
        if who == "anonymous":
            ok = status == 401 if area == "api" else (status == 302 and "/login" in location)
        else:
            ok = status == 403
        return None if ok else f"should be refused, got {status}"
    if who == "unit_other" and scope == "list" and own_item in response.get_data(as_text=True):
        return "other unit's item appears in the list"
    if who == "unit_own" and scope == "list" and status == 200 and own_item not in response.get_data(as_text=True):
        return "own unit's item is missing from its list (the list check would prove nothing)"
    if status in (401, 403) or (scope == "object" and status == 404):
        return f"should be let through, got {status}"
    return None


@pytest.mark.parametrize("area", ["api", "pages"])
def test_every_route_admits_exactly_its_roles_and_scopes_units(world, area):
    failures = []
    for (method, rule), (allowed, scope) in sorted(MATRIX.items(), key=lambda kv: kv[0][::-1]):
        if rule.startswith("/api/") != (area == "api"):
            continue
        for who in (API_WHO if area == "api" else PAGE_WHO):
            passes = allowed == PUBLIC or role_of(who) in allowed
            hidden = passes and who == "unit_other" and scope == "object"  # the gate opens, the item does not
            if world["dirty"]:
                world["restore"]()
                world["dirty"] = False
            before = world["events"]() if not passes or hidden else None
            response = call(world, who, method, rule)
            world["dirty"] = method == "POST" and passes and not hidden
            if rule == "/logout" and passes:
                world["login"](who)
            verdict = judge(response, who, area, passes, hidden, scope, world["own"].get(rule, world["m"]))
            if verdict is None and before is not None and world["events"]() != before:
                verdict = "refused but the audit trail changed"
            if verdict:
                failures.append(f"{method} {rule} as {who}: {verdict}")
    assert not failures, "\n".join(failures)
