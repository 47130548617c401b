"""`responder unit|user|token create` from the shell."""

from __future__ import annotations

import pytest

from responder.models import ApiToken, Event, Unit, User


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def test_unit_create_is_idempotent_and_keeps_aliases(run, db):
    assert run("unit", "create", "百合镇人民政府").exit_code == 0
    result = run("unit", "create", "党政综合办公室", "--parent", "百合镇人民政府", "--alias", "党政办")
    assert result.exit_code == 0 and "已创建" in result.output
    again = run("unit", "create", "党政综合办公室", "--alias", "党政综合办")
    assert again.exit_code == 0 and "已存在" in again.output
    unit = db.session.query(Unit).filter_by(name="党政综合办公室").one()
    assert unit.aliases == ["党政办", "党政综合办"] and unit.parent.name == "百合镇人民政府"
    assert run("unit", "create", "x", "--parent", "不存在").exit_code == 2


def test_user_create_hashes_password_from_stdin(run, db):
    run("unit", "create", "财政所")
    result = run("user", "create", "--username", "li", "--role", "unit", "--unit", "财政所", "--password-stdin",
                 input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(username="li").one()
    assert user.unit.name == "财政所" and "s3cret-pass" not in user.password_hash
    assert run("user", "create", "--username", "wang", "--role", "unit").exit_code == 2  # unit users need a unit
    assert run("user", "create", "--username", "x", "--role", "boss").exit_code == 2


def test_token_create_prints_token_last_and_stores_only_its_digest(run, db, client):
    result = run("token", "create", "--name", "12345平台", "--role", "integration")
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("rsp_") and " " not in token
    row = db.session.query(ApiToken).one()
    assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert db.session.query(Event).filter_by(action="token.create").count() == 1
    assert client.get("/api/v1/messages", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert run("token", "create", "--name", "u", "--role", "unit").exit_code == 2
