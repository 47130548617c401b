"""Every page (GET, from app.url_map) with hostile query strings, for every role: never a 5xx, and what was
typed in comes back escaped."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responder import directory
from tests.fuzz.strategies import DATES, hostile_text

PARAMS = ["page", "per_page", "q", "status", "unit", "topic", "channel", "overdue", "tab", "from", "to", "format",
          "kind", "days", "window", "sort", "code", "tracking_no"]
VALUES = st.one_of(hostile_text, st.sampled_from(DATES), st.integers().map(str),
                   st.sampled_from(["99999999999999999999999", "-1", "0", "1e9", "NaN", "<b>x</b>"]))
ROLES = {"operator": None, "unit": "综合行政执法办公室", "supervisor": None, "admin": None}


@pytest.fixture
def signed_in(app, client):
    directory.ensure_unit("综合行政执法办公室", actor="t")
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {}
    for role, unit in ROLES.items():
        directory.create_user(f"u-{role}", role, unit, "correct-horse", actor="t")
        clients[role] = app.test_client()
        assert clients[role].post("/login", data={"username": f"u-{role}", "password": "correct-horse"}).status_code == 302
    pages = sorted(r.rule for r in app.url_map.iter_rules()
                   if "GET" in r.methods and "<" not in r.rule and not r.rule.startswith("/api/"))
    return clients, pages


@settings(settings.get_profile("fuzz"))
@given(query=st.dictionaries(st.sampled_from(PARAMS), VALUES, min_size=1, max_size=4), data=st.data())
def test_pages_answer_hostile_query_strings_without_server_errors(signed_in, query, data):
    clients, pages = signed_in
    role = data.draw(st.sampled_from(sorted(clients)))
    path = data.draw(st.sampled_from(pages))
    response = clients[role].get(path, query_string=query)
    assert response.status_code < 500, (role, path, query)
    html = response.get_data(as_text=True)
    for value in query.values():
        if "<" in value and re.search(r"<[a-z]", value):  # anything tag-like must never come back raw
            assert value not in html, (path, value)
