"""`responder rule list|add`, `responder unit alias|group` from the shell."""

from __future__ import annotations

import pytest

from responder.models import Event, RoutingRule, Unit, UnitGroup


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_rule_add_and_list(run, db):
    assert run("unit", "create", "综合行政执法办公室", "--alias", "执法办").exit_code == 0
    assert run("unit", "create", "百合圩社区居委会").exit_code == 0
    added = run("rule", "add", "--name", "油烟噪音", "--lead", "执法办", "--keyword", "油烟", "--keyword", "噪音",
                "--assist", "百合圩社区居委会", "--priority", "60")
    assert added.exit_code == 0 and "已创建规则：油烟噪音" in added.output
    rule = db.session.query(RoutingRule).one()
    assert (rule.lead_unit.name, rule.keywords, [u.name for u in rule.assist_units]) == (
        "综合行政执法办公室", ["油烟", "噪音"], ["百合圩社区居委会"])
    listed = run("rule", "list")
    assert listed.exit_code == 0 and "油烟、噪音" in listed.output and "协办：百合圩社区居委会" in listed.output
    assert run("rule", "list", "--source", "plan").output == ""
    bad = run("rule", "add", "--name", "x", "--lead", "不存在", "--keyword", "y")
    assert bad.exit_code == 2 and "lead" in bad.output
    empty = run("rule", "add", "--name", "x", "--lead", "执法办")
    assert empty.exit_code == 2 and "关键词" in empty.output


def test_unit_alias_and_group(run, db):
    run("unit", "create", "局办公室")
    result = run("unit", "alias", "局办公室", "办公室", "局办")
    assert result.exit_code == 0 and "办公室、局办" in result.output
    assert db.session.query(Unit).one().aliases == ["办公室", "局办"]
    assert run("unit", "alias", "不存在", "x").exit_code == 2
    mapped = run("unit", "group", "各科室", "--unit", "办公室")
    assert mapped.exit_code == 0
    group = db.session.query(UnitGroup).one()
    assert group.name == "各科室" and group.unit_ids == [db.session.query(Unit).one().id]
    assert {"unit.alias", "group.map"} <= {e.action for e in db.session.query(Event)}
