"""HTML typed into any field comes back escaped on every page, for every role.

Every free-text field a citizen, a channel, a unit or an admin can fill carries a script tag naming the
field; then every page (from app.url_map, ids filled in) is fetched as every role. No page may contain a
live tag, and the escaped form must be visible somewhere (else the test proved nothing).
"""

from __future__ import annotations

import re

from flask import g
from sqlalchemy import select

from responder import directory
from responder.extensions import db
from responder.models import ApiToken, RoutingRule, Unit, User


def xss(field: str) -> str:
    return f"<script>alert('{field}')</script><img src=x onerror=alert('{field}')>"


LIVE = re.compile(r"<script>alert\(|<img src=x onerror")


def test_every_field_is_escaped_on_every_page(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    unit_a = "综合行政执法办公室" + xss("unit")
    directory.ensure_unit(unit_a, aliases=["执法办" + xss("alias")], actor="t")
    directory.ensure_unit("财政所", actor="t")
    unit = db.session.scalar(select(Unit).where(Unit.name == unit_a))
    db.session.add(RoutingRule(name="规则" + xss("rule"), priority=50, keywords=["垃圾"], lead_unit_id=unit.id))
    db.session.commit()
    users = {"operator": ("op", None), "unit": ("ua", unit_a), "supervisor": ("sup", None), "admin": ("adm", None)}
    for role, (name, unit_name) in users.items():
        directory.create_user(name, role, unit_name, "correct-horse", display_name=xss("display_name"), actor="t")
    tokens = {role: {"Authorization": "Bearer " + directory.create_token(f"{role}{xss('token')}", role,
                                                                         unit_a if role == "unit" else None,
                                                                         actor="t")[1]}
              for role in ("integration", "operator", "unit", "supervisor")}

    def api(who, path, body=None, method="POST"):
        return client.open(f"/api/v1{path}", method=method, json=body or {}, headers=tokens[who])

    created = api("integration", "/messages", {
        "channel": "newmedia", "external_id": "X-1", "received_at": "2026-11-20T09:30:00+08:00",
        "title": xss("title"), "content": "楼下垃圾没人清运" + xss("content"), "address": xss("address"),
        "citizen": {"name": xss("name"), "phone": "13812345678"},
        "meta": {"platform": "weibo", "nickname": xss("nickname"), "account": xss("account"),
                 "post_url": "javascript:alert(1)", "post_id": xss("post_id")}})
    assert created.status_code == 201, created.json
    no = created.json["tracking_no"]
    second = api("integration", "/messages", {"channel": "hotline", "external_id": "X-2", "content": "垃圾堆" + xss("c2"),
                                              "received_at": "2026-11-20T09:30:00+08:00"}).json["tracking_no"]
    lead = next(a for a in api("operator", f"/messages/{no}", method="GET").json["assignments"] if a["role"] == "lead")
    assert api("unit", f"/assignments/{lead['id']}/accept").status_code == 200
    api("unit", f"/assignments/{lead['id']}/extension", {"days": 3, "reason": xss("extension_reason")})
    api("unit", f"/messages/{no}/responses", {"content": "已处理" + xss("reply"), "public": True,
                                              "commitments": [{"content": xss("commitment"), "due_date": "2026-12-31"}]})
    lead2 = next(a for a in api("operator", f"/messages/{second}", method="GET").json["assignments"]
                 if a["role"] == "lead")
    api("unit", f"/assignments/{lead2['id']}/return", {"reason": xss("return_reason")})

    ids = {"tracking_no": no, "unit_id": unit.id, "rule_id": db.session.scalar(select(RoutingRule.id)),
           "user_id": db.session.scalar(select(User.id)), "token_id": db.session.scalar(select(ApiToken.id)),
           "policy_id": 1, "assignment_id": lead["id"]}
    db.session.remove()
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)
        if all(n in ids for n in names):
            pages.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(ids[m.group(1)]), rule.rule))
    pages += [f"/messages/{second}", "/unit/inbox?tab=returned", "/supervisor/desk?tab=extensions", "/public/replies"]

    seen_escaped, live = set(), []
    for role, (name, _) in users.items():
        browser = app.test_client()
        g.pop("_login_user", None)
        assert browser.post("/login", data={"username": name, "password": "correct-horse"}).status_code == 302
        for path in pages:
            g.pop("_login_user", None)  # the fixture's app context is shared by requests: forget the last user
            html = browser.get(path).get_data(as_text=True)
            if LIVE.search(html):
                live.append(f"{path} as {role}: {LIVE.search(html).group()}")
            seen_escaped.update(re.findall(r"&lt;script&gt;alert\(&#39;(\w+)&#39;\)", html))
    assert not live, "\n".join(live)
    assert {"title", "content", "address", "name", "unit", "alias", "reply", "commitment", "rule", "token", "display_name",
            "extension_reason", "return_reason"} <= seen_escaped, seen_escaped
