"""Intake under hostile JSON: only 2xx or a contract 4xx naming the field, and never a half-written row."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from responder.models import Event, Message
from tests.fuzz.strategies import DATES, hostile_text, json_values

CHANNELS = ["hotline", "mailbox", "newmedia", "HOTLINE", "", "fax"]
payloads = st.fixed_dictionaries({}, optional={
    "channel": st.sampled_from(CHANNELS) | json_values,
    "external_id": hostile_text | st.integers() | json_values,
    "received_at": st.sampled_from(DATES) | json_values,
    "content": hostile_text | json_values,
    "title": hostile_text | json_values,
    "request_type": st.sampled_from(["consult", "complaint", "x"]) | json_values,
    "urgency": st.sampled_from(["normal", "urgent", "URGENT"]) | json_values,
    "citizen": st.fixed_dictionaries({}, optional={"name": hostile_text, "phone": hostile_text | st.integers(),
                                                   "id_number": hostile_text}) | json_values,
    "address": hostile_text | json_values,
    "consent_public": st.booleans() | json_values,
    "meta": json_values,
}) | json_values


@pytest.fixture
def headers(make_token):
    """One integration token per test (Hypothesis runs all examples inside one call)."""
    return make_token("integration")


def counts(db):
    return (db.session.scalar(select(func.count(Message.id))),
            db.session.scalar(select(func.count(Event.id)).where(Event.action == "receive")))


def check_answer(response, created_before, db):
    assert response.status_code in (200, 201, 400, 413, 415, 422), (response.status_code, response.get_data())
    body = response.get_json()
    if response.status_code >= 400:
        assert set(body) == {"error", "message", "fields"} and body["message"]
    messages, received = counts(db)
    assert messages == received  # every stored message has its audit event: nothing half-written
    if response.status_code != 201:
        assert messages == created_before


@settings(settings.get_profile("fuzz"))
@given(body=payloads)
def test_single_intake_never_fails_on_any_json(db, client, headers, body):
    before, _ = counts(db)
    response = client.post("/api/v1/messages", headers=headers, json=body)
    check_answer(response, before, db)


@settings(settings.get_profile("fuzz"))
@given(raw=st.binary(max_size=200) | hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_intake_survives_bytes_that_are_not_json(db, client, headers, raw):
    before, _ = counts(db)
    response = client.post("/api/v1/messages", headers={**headers, "Content-Type": "application/json"}, data=raw)
    check_answer(response, before, db)


@settings(settings.get_profile("fuzz"), max_examples=15)
@given(items=st.lists(payloads, min_size=1, max_size=5))
def test_batch_answers_each_item_and_stores_only_the_good_ones(db, client, headers, items):
    before, _ = counts(db)
    response = client.post("/api/v1/messages/batch", headers=headers, json={"messages": items})
    assert response.status_code in (200, 422), response.get_data()
    messages, received = counts(db)
    assert messages == received
    if response.status_code == 200:
        results = response.get_json()["results"]
        assert len(results) == len(items)
        assert messages - before == sum(1 for r in results if r["status"] == 201)


def test_one_megabyte_body_is_refused_cleanly(app, db, client, make_token):
    headers = make_token("integration")
    body = {"channel": "hotline", "external_id": "BIG-1", "received_at": DATES[0], "content": "长" * (1 << 20)}
    response = client.post("/api/v1/messages", headers=headers, data=json.dumps(body, ensure_ascii=False),
                           content_type="application/json")
    assert response.status_code in (413, 422)
    assert "content" in response.get_json()["fields"] or response.status_code == 413
    assert counts(db) == (0, 0)
