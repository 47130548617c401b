"""Admin page 研判词库 through the real forms: add and remove cue words, retire and restore a watch-list area."""

from __future__ import annotations

import pytest

from responder.analysis import lexicon, lexicon_store
from responder.models import Event, LexiconEntry
from tests.web.test_admin_pages import admin_client, post  # noqa: F401  (admin_client is a fixture)


@pytest.fixture(autouse=True)
def shipped_lexicon_afterwards():
    yield
    lexicon.apply([])
    lexicon_store._state.update(source=None, seen=None, checked=0.0)


def test_admin_adds_and_removes_risk_words(admin_client, db):  # noqa: F811
    page = admin_client.get("/admin/lexicon").get_data(as_text=True)
    assert "尚未添加任何词" in page and "小区物业管理" in page and "/admin/lexicon" in admin_client.get("/admin/").get_data(as_text=True)
    answer = post(admin_client, "/admin/lexicon", {"kind": "risk", "name": "self_harm", "words": "不想再熬下去，熬不住了",
                                                   "urgent": "", "weight": "2"})
    assert answer.status_code == 302
    assert lexicon.risk_flags("我真的不想再熬下去了") == ["self_harm"]
    page = admin_client.get("/admin/lexicon").get_data(as_text=True)
    assert "不想再熬下去" in page and "熬不住了" in page and "user:root" in page
    post(admin_client, "/admin/lexicon/remove", {"kind": "risk", "name": "self_harm", "word": "不想再熬下去"},
         "/admin/lexicon")
    assert lexicon.risk_flags("我真的不想再熬下去了") == []
    assert [e.action for e in db.session.query(Event).filter(Event.action.like("lexicon.%"))] == \
        ["lexicon.add", "lexicon.remove"]


def test_bad_form_flashes_the_field_and_writes_nothing(admin_client, db):  # noqa: F811
    post(admin_client, "/admin/lexicon", {"kind": "risk", "name": "self_harm", "words": "(", "regex": "1"})
    page = admin_client.get("/admin/lexicon").get_data(as_text=True)
    assert "正则表达式" in page and "有误" in page
    assert db.session.query(LexiconEntry).count() == 0


def test_watch_list_areas_can_be_retired_and_restored(admin_client, db):  # noqa: F811
    text = "物业不管小区电梯"
    post(admin_client, "/admin/lexicon", {"kind": "untag", "name": "小区物业管理"})
    assert "小区物业管理" not in lexicon.tags(text)
    assert "小区物业管理（已停用）" in admin_client.get("/admin/lexicon").get_data(as_text=True)
    post(admin_client, "/admin/lexicon/remove", {"kind": "untag", "name": "小区物业管理"}, "/admin/lexicon")
    assert "小区物业管理" in lexicon.tags(text)
    post(admin_client, "/admin/lexicon", {"kind": "tag", "name": "养犬管理", "words": "遛狗 养犬"})
    assert lexicon.tags("遛狗不拴绳") == ["养犬管理"]
