"""Rate limits: sign-in per address and per account, API requests per token; 429 with Retry-After."""

from __future__ import annotations

import re

import pytest
import redis

from responder import directory
from responder.app import create_app
from responder.extensions import db
from tests.conftest import base_config


def csrf(client) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)


def login(client, username, password, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def people(app):
    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    directory.create_user("op2", "operator", None, "correct-horse", actor="t")
    return app


def test_sign_in_is_limited_per_address_even_with_the_right_password(people, client):
    people.config["RATE_LIMITS"] = {"login_address": (3, 300)}
    assert [login(client, "op", "wrong").status_code for _ in range(2)] == [401, 401]
    assert login(client, "op2", "correct-horse").status_code == 302
    limited = login(client, "op2", "correct-horse")
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 300
    assert "请求过于频繁" in limited.get_data(as_text=True)
    assert login(client, "op2", "correct-horse", address="10.0.0.2").status_code == 302  # other address


def test_sign_in_is_limited_per_account_across_addresses(people, client):
    people.config["RATE_LIMITS"] = {"login_account": (3, 300)}
    codes = [login(client, "OP ", "wrong", address=f"10.0.1.{i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert login(client, "op2", "correct-horse", address="10.0.1.9").status_code == 302  # other account


def test_api_token_limit_answers_429_with_the_contract_error(app, client, make_token):
    app.config["RATE_LIMITS"] = {"api_token": (5, 60)}
    mine, other = make_token("supervisor"), make_token("supervisor")
    assert [client.get("/api/v1/messages", headers=mine).status_code for _ in range(5)] == [200] * 5
    limited = client.get("/api/v1/messages", headers=mine)
    assert limited.status_code == 429
    assert limited.json["error"] == "too_many_requests" and limited.json["message"]
    assert set(limited.json) == {"error", "message", "fields"}
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/messages", headers=other).status_code == 200


@pytest.mark.redis
def test_token_limit_is_shared_between_processes_through_redis(tmp_path, redis_url):
    """Two app instances (as two gunicorn workers would be) count against one allowance in Redis."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    apps = [create_app(base_config(url, redis_url) | {"RATE_LIMITS": {"api_token": (5, 60)}}) for _ in range(2)]
    with apps[0].app_context():
        db.create_all()
        _, plain = directory.create_token("shared", "supervisor", None, actor="t")
    headers = {"Authorization": f"Bearer {plain}"}
    codes = [apps[i % 2].test_client().get("/api/v1/messages", headers=headers).status_code for i in range(7)]
    assert codes == [200] * 5 + [429] * 2
    for a in apps:
        with a.app_context():
            db.engine.dispose()


@pytest.mark.redis
def test_large_limits_take_hits_in_blocks_and_are_never_exceeded(tmp_path, redis_url, monkeypatch):
    """A limit of 10 taken in blocks of 5 (as 30,000 is in blocks of 20): two processes share it, unused hits of
    a block still count, so the limit may bite early but never late."""
    from responder.auth import ratelimit

    monkeypatch.setattr(ratelimit, "BLOCK_PER", 2)
    apps = [create_app(base_config(f"sqlite:///{tmp_path / 'b.db'}", redis_url)
                       | {"RATE_LIMITS": {"api_token": (10, 60)}}) for _ in range(2)]
    sent = {0: 0, 1: 0}

    def hit(i: int) -> bool:
        with apps[i].test_request_context():
            try:
                ratelimit.check("api_token", "blocked")
            except ratelimit.TooManyRequests:
                return False
            sent[i] += 1
            return True

    assert all(hit(0) for _ in range(3))  # process 0 took hits 1-5, used 3
    assert all(hit(1) for _ in range(5))  # process 1 took 6-10, used all
    assert not hit(1)  # 11-15: over the limit, with 2 of process 0's still unused
    assert hit(0) and hit(0) and not hit(0)
    assert sent == {0: 5, 1: 5}
    store = redis.Redis.from_url(redis_url)
    (counter,) = store.scan_iter("responder:rl:api_token:blocked:*")
    assert int(store.get(counter)) == 20  # four blocks taken: two per process


def test_rate_limit_store_down_fails_open(tmp_path):
    """With REDIS_URL pointing at nothing, requests are still answered (counted in memory)."""
    app = create_app(base_config(f"sqlite:///{tmp_path / 'x.db'}", "redis://127.0.0.1:1/0")
                     | {"RATE_LIMITS": {"api_token": (3, 60)}})
    with app.app_context():
        db.create_all()
        _, plain = directory.create_token("t", "supervisor", None, actor="t")
        client = app.test_client()
        codes = [client.get("/api/v1/messages", headers={"Authorization": f"Bearer {plain}"}).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        db.engine.dispose()


def test_behind_a_proxy_each_client_address_has_its_own_allowance(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'p.db'}") | {
        "PROXY_HOPS": 1, "WTF_CSRF_ENABLED": False, "RATE_LIMITS": {"login_address": (2, 300)}})
    with app.app_context():
        db.create_all()
        directory.create_user("op", "operator", None, "correct-horse", actor="t")
        client = app.test_client()

        def attempt(forwarded):
            return client.post("/login", data={"username": "op", "password": "wrong"},
                               headers={"X-Forwarded-For": forwarded}).status_code

        assert [attempt("203.0.113.7") for _ in range(3)] == [401, 401, 429]
        assert attempt("198.51.100.9") == 401  # another citizen behind the same proxy is not locked out
        db.engine.dispose()
