"""One full flow per role in a real browser: the operator dispatches, the unit signs and replies,
the supervisor approves, and the citizen sees the published reply."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def post_message(live) -> dict:
    body = json.dumps({"channel": "mailbox", "external_id": "BR-1", "received_at": "2026-11-20T09:00:00+08:00",
                       "title": "<script>alert(1)</script>疫苗接种点", "request_type": "consult",
                       "content": "请问镇上的新冠疫苗接种点在哪里？周末开放吗？<b>急</b>"}).encode()
    request = urllib.request.Request(live["url"] + "/api/v1/messages", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + live["token"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_dispatch_sign_reply_approve_and_citizen_lookup(page_for, live):
    made = post_message(live)
    no, code = made["tracking_no"], made["query_code"]

    operator = page_for("op")
    operator.goto("/operator/queue")
    assert no in operator.content() and "<script>alert(1)</script>" not in operator.content()
    shot(operator, "operator-queue")
    operator.locator(f'a[href*="{no}"]').first.click()
    operator.get_by_label("主办单位").select_option("公共服务办公室")
    operator.get_by_role("button", name="派单").click()
    assert "已派单" in operator.content()
    shot(operator, "operator-dispatched")

    unit = page_for("ua")
    unit.goto("/unit/inbox")
    shot(unit, "unit-inbox")
    unit.locator(f'a[href*="{no}"]').first.click()
    unit.get_by_role("button", name="签收").click()
    unit.get_by_label("答复内容（请写明具体举措）").fill("镇卫生院设有接种点，周六上午开放。下一步将增设周日场次。")
    unit.get_by_label("可公开答复（不含个人信息）").check()
    unit.get_by_label("承诺内容").first.fill("增设周日接种场次")
    unit.get_by_label("承诺完成日期").first.fill("2026-12-31")
    unit.get_by_role("button", name="提交答复").click()
    shot(unit, "unit-replied")

    other = page_for("ub")
    response = other.goto(f"/messages/{no}")
    assert response.status in (403, 404)

    supervisor = page_for("sup")
    supervisor.goto("/supervisor/desk")
    assert "增设周日接种场次" in supervisor.content()
    shot(supervisor, "supervisor-desk")
    supervisor.get_by_role("button", name="审核通过并发布").first.click()
    supervisor.goto(f"/messages/{no}")
    assert "已审核发布" in supervisor.content()
    supervisor.goto("/supervisor/dashboard")
    shot(supervisor, "supervisor-dashboard")

    citizen = page_for(None)
    citizen.goto("/public/lookup")
    citizen.get_by_label("受理编号").fill(no)
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    text = citizen.content()
    assert "镇卫生院设有接种点" in text
    shot(citizen, "citizen-lookup")


def test_admin_adds_a_unit_and_a_unit_handler_reads_the_inbox_on_a_phone(page_for, browser, live):
    admin = page_for("adm")
    admin.goto("/admin/units")
    admin.get_by_label("单位名称").fill("自然资源所")
    admin.get_by_label("上级单位").select_option(label="公共服务办公室")
    admin.get_by_label("别名（用逗号或顿号分隔）").fill("国土所、规划所")
    admin.get_by_role("button", name="保存").click()
    assert "自然资源所" in admin.content() and "国土所" in admin.content()
    shot(admin, "admin-units")

    phone = browser.new_context(base_url=live["url"], viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, locale="zh-CN")
    page = phone.new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill("ua")
    page.get_by_label("密码").fill("Browser-pass-2026!")
    page.get_by_role("button", name="登录").click()
    page.goto("/unit/inbox")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the inbox scrolls sideways on a phone: {width}px"
    shot(page, "unit-inbox-phone")
    phone.close()
