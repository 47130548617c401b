"""Spreadsheet formulas are neutralised in every export: each GET route (API and pages) is asked for
?format=csv and ?format=xlsx by every reading role; whatever comes back as a spreadsheet is checked cell by cell."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from flask import g

from responder import directory
from responder.extensions import db
from responder.models import RoutingRule, Unit

FORMULAS = ["=HYPERLINK(\"http://evil\",\"点击\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
            "\t=1+1", "\r=1+1"]
NUMBER = re.compile(r"-?\d+(\.\d+)?(%|e-?\d+)?")
SPREADSHEETS = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def cells(response):
    if response.mimetype == "text/csv":
        for row in csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))):
            yield from row
        return
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"live formula in {sheet.title}!{cell.coordinate}: {cell.value}"
                yield "" if cell.value is None else str(cell.value)


def test_no_export_carries_a_live_formula(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    for i, formula in enumerate(FORMULAS):
        unit, _ = directory.ensure_unit(formula + f"单位{i}", actor="t")
        db.session.add(RoutingRule(name=formula, priority=50 + i, keywords=[f"关键{i}"], lead_unit_id=unit.id))
    db.session.commit()
    ingest = {"Authorization": "Bearer " + directory.create_token("ing", "integration", None, actor="t")[1]}
    for i, formula in enumerate(FORMULAS):
        assert client.post("/api/v1/messages", headers=ingest, json={
            "channel": "hotline", "external_id": f"E-{i}", "received_at": "2026-11-20T09:30:00+08:00",
            "title": formula, "content": f"关键{i} {formula}", "address": formula}).status_code == 201
    readers = {}
    for role in ("operator", "supervisor", "admin"):
        directory.create_user(role, role, None, "correct-horse", actor="t")
        readers[role] = app.test_client()
        g.pop("_login_user", None)
        readers[role].post("/login", data={"username": role, "password": "correct-horse"})
    tokens = {role: {"Authorization": "Bearer " + directory.create_token(role, role, None, actor="t")[1]}
              for role in ("operator", "supervisor", "admin")}
    db.session.remove()
    routes = sorted(r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and "<" not in r.rule)
    exports, dangerous = [], []
    for rule in routes:
        for fmt in ("csv", "xlsx"):
            for role in readers:
                g.pop("_login_user", None)  # the fixture's app context is shared by requests: forget the last user
                query = {"format": fmt, "from": "2026-11-01", "to": "2026-11-30", "by": "unit"}
                response = (client.get(rule, query_string=query, headers=tokens[role]) if rule.startswith("/api/")
                            else readers[role].get(rule, query_string=query))
                if response.status_code != 200 or response.mimetype not in SPREADSHEETS:
                    continue
                exports.append(f"{rule}?format={fmt} as {role}")
                dangerous += [f"{rule} ({fmt}): {v!r}" for v in cells(response)
                              if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(v)]
    assert exports, "no export found: the test would prove nothing"
    assert not dangerous, "\n".join(dangerous[:20])
    assert any(rule.startswith("/supervisor/kpis") for rule in exports)
    units = {name for (name,) in db.session.query(Unit.name)}
    assert any(name.startswith("=") for name in units)  # stored as typed; only the export neutralises
