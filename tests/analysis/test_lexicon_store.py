"""Admin lexicon entries in the database: CLI, audit, pick-up by other processes, watch-list areas."""

from __future__ import annotations

import time

import pytest

from responder.analysis import lexicon, lexicon_store
from responder.models import Event, LexiconEntry


@pytest.fixture(autouse=True)
def shipped_lexicon_afterwards():
    yield
    lexicon.apply([])
    lexicon_store._state.update(source=None, seen=None, checked=0.0)


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["lexicon", *args])


def test_cli_adds_lists_and_removes_words_with_audit(app, db):
    assert lexicon.risk_flags("我真的不想再熬下去了") == []
    result = cli(app, "add", "risk:self_harm", "不想再熬下去", "熬不下去")
    assert result.exit_code == 0 and "已添加 2 条" in result.output
    assert lexicon.risk_flags("我真的不想再熬下去了") == ["self_harm"]
    assert lexicon.current_version().startswith(lexicon.LEXICON_VERSION + "+")
    assert "risk:self_harm\t不想再熬下去" in cli(app, "list").output
    assert "均已存在" in cli(app, "add", "risk:self_harm", "熬不下去").output

    assert cli(app, "remove", "risk:self_harm", "不想再熬下去").exit_code == 0
    assert lexicon.risk_flags("我真的不想再熬下去了") == []
    assert [e.action for e in db.session.query(Event).filter(Event.action.like("lexicon.%"))] == \
        ["lexicon.add", "lexicon.remove"]


@pytest.mark.parametrize(("args", "field"), [
    (("add", "color:red", "x"), "kind"), (("add", "request:gossip", "x"), "kind"),
    (("add", "risk:self_harm"), "words"), (("add", "risk:self_harm", "(", "--regex"), "words"),
    (("remove", "risk:self_harm", "从未添加"), "words"), (("add", "untag:没有这个领域"), "kind"),
])
def test_bad_input_exits_2_and_writes_nothing(app, db, args, field):
    result = cli(app, *args)
    assert result.exit_code == 2, result.output
    assert db.session.query(LexiconEntry).count() == 0 and db.session.query(Event).count() == 0


def test_watch_list_areas_are_editable(app, db):
    text = "小区物业不管电梯，养犬扰民"
    assert "小区物业管理" in lexicon.tags(text)
    assert cli(app, "add", "tag:养犬管理", "养犬", "遛狗").exit_code == 0
    assert cli(app, "add", "untag:小区物业管理").exit_code == 0
    assert lexicon.tags(text) == ["养犬管理"]
    assert cli(app, "remove", "untag:小区物业管理").exit_code == 0
    assert lexicon.tags(text) == ["小区物业管理", "养犬管理"]


def test_another_process_picks_changes_up_within_the_refresh_interval(app, db):
    with app.app_context():
        lexicon_store.add("request:praise", ["好样的"], "t", weight=6)
        lexicon.apply([])  # as a worker that has not seen the change yet
        lexicon_store._state.update(seen=None, checked=time.monotonic())
        assert lexicon_store.refresh() is False  # looked a moment ago: no query, no change
        assert lexicon.request_type("好样的")[0] != "praise"
        lexicon_store._state.update(checked=0.0)
        assert lexicon_store.refresh() is True
        assert lexicon.request_type("好样的")[0] == "praise"
        assert lexicon_store.refresh(force=False) is False  # nothing new since
