"""Sign-in in a real browser: a wrong password is refused, repeated failures lock the account."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused_then_lock_out(page_for):
    page = page_for("ub", "wrong-password")
    assert "用户名或密码不正确" in page.content()
    assert page.url.endswith("/login")
    shot(page, "sign-in-refused")
    for _ in range(4):
        page = page_for("ub", "wrong-password")
    page = page_for("ub")  # the right password, but the account is locked now
    assert "锁定" in page.content() and page.url.endswith("/login")
    shot(page, "sign-in-locked")


def test_operator_signs_in_and_lands_on_a_chinese_home_page(page_for):
    page = page_for("op")
    assert "/login" not in page.url
    assert page.get_by_role("button", name="退出").is_visible()
    shot(page, "operator-home")
