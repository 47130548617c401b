"""The operator's pages through the real sign-in form: queue order, the action panel, every action."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time

from responder import directory
from responder.models import Event, Message
from tests.web.test_pages import csrf, login

A, B = "综合行政执法办公室", "财政所"
NOW = "2026-11-20T12:00:00+08:00"


@pytest.fixture
def desk(app, db, client, make_token):
    """Two units, an operator and a unit handler, a routing rule, and a way to post messages."""
    for name in (A, B):
        directory.ensure_unit(name, actor="t")
    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    directory.create_user("zf", "unit", A, "correct-horse", actor="t")
    from responder.models import RoutingRule, Unit

    unit = db.session.query(Unit).filter_by(name=A).one()
    db.session.add(RoutingRule(name="油烟", priority=50, keywords=["油烟"], lead_unit_id=unit.id))
    db.session.commit()
    ingest = make_token("integration")

    def post(ext, content, received="2026-11-20T09:30:00+08:00", **extra):
        body = {"channel": "hotline", "external_id": ext, "received_at": received, "content": content, **extra}
        response = client.post("/api/v1/messages", headers=ingest, json=body)
        assert response.status_code in (200, 201), response.json
        return response.json["tracking_no"]

    return post


def submit(client, path, data, page):
    """Post a form with the CSRF token from `page`, following the redirect."""
    return client.post(path, data={**data, "csrf_token": csrf(client, page)}, follow_redirects=True)


def status_of(db, no):
    db.session.expire_all()
    return db.session.query(Message).filter_by(tracking_no=no).one()


@freeze_time(NOW)
def test_queue_is_urgent_first_then_oldest_and_escapes_content(client, desk):
    old = desk("Q-1", "路灯坏了很久了", received="2026-11-19T08:00:00+08:00")
    new = desk("Q-2", "<b>路面</b>破损<script>alert(1)</script>", received="2026-11-20T08:00:00+08:00")
    urgent = desk("Q-3", "小区楼道堆放杂物", received="2026-11-20T09:00:00+08:00", urgency="urgent")
    login(client, "op")
    page = client.get("/operator/queue").get_data(as_text=True)
    positions = [page.index(no) for no in (urgent, old, new)]
    assert positions == sorted(positions)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert "<kbd>j</kbd>" in page and "快捷键" in page
    assert client.get("/").headers["Location"].endswith("/operator/queue")


@freeze_time(NOW)
def test_queue_shows_the_routing_suggestion_for_unrouted_items_only(client, desk, db):
    routed = desk("S-1", "楼下饭店油烟太大")     # the rule dispatches it at once: not in the queue
    manual = desk("S-2", "请问社保卡怎么补办", request_type="consult")
    login(client, "op")
    page = client.get("/operator/queue").get_data(as_text=True)
    assert routed not in page and manual in page and "无匹配规则" in page
    assert status_of(db, routed).status == "dispatched"


@freeze_time(NOW)
def test_dispatch_from_the_message_page(client, desk, db):
    no = desk("D-1", "小区供水管道漏水一周")
    login(client, "op")
    detail = client.get(f"/messages/{no}").get_data(as_text=True)
    assert 'id="form-dispatch"' in detail and '<label for="op-lead">' in detail
    response = client.post(f"/operator/messages/{no}/dispatch", data={
        "lead": B, "assist": [A], "note": "请主办", "csrf_token": csrf(client, f"/messages/{no}")})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    message = status_of(db, no)
    assert message.status == "dispatched"
    roles = {(a.unit.name, a.role) for a in message.assignments}
    assert roles == {(B, "lead"), (A, "assist")}
    assert 'id="form-dispatch"' not in client.get(f"/messages/{no}").get_data(as_text=True)
    unknown = desk("D-3", "公园长椅坏了")
    page = submit(client, f"/operator/messages/{unknown}/dispatch", {"lead": "不存在的单位"}, f"/messages/{unknown}")
    assert "不存在的单位" in page.get_data(as_text=True) and status_of(db, unknown).status == "analyzed"


@freeze_time(NOW)
def test_the_suggestion_and_its_reason_show_and_preselect_the_lead(client, desk, db):
    no = desk("D-2", "河道垃圾漂浮无人清理")  # no rule yet: left for the operator
    from responder.models import RoutingRule, Unit

    units = {u.name: u for u in db.session.query(Unit)}
    rule = RoutingRule(name="河道", priority=60, keywords=["河道"], lead_unit_id=units[B].id)
    rule.assist_units = [units[A]]
    db.session.add(rule)
    db.session.commit()
    login(client, "op")
    queue = client.get("/operator/queue").get_data(as_text=True)
    row = queue[queue.index(no):]
    assert "主办：<strong>财政所</strong>" in row and "协办：综合行政执法办公室" in row and "命中词：河道" in row
    detail = client.get(f"/messages/{no}").get_data(as_text=True)
    lead_select = detail[detail.index('id="op-lead"'):detail.index("</select>", detail.index('id="op-lead"'))]
    assert f'<option value="{B}" selected>' in lead_select
    assert "规则「河道」" in detail


@freeze_time(NOW)
def test_direct_answer_only_on_a_consult(client, desk, db):
    question = desk("A-1", "请问社保卡怎么补办？", request_type="consult")
    complaint = desk("A-2", "小区供水管道漏水一周", request_type="complaint")
    login(client, "op")
    assert 'id="form-answer"' in client.get(f"/messages/{question}").get_data(as_text=True)
    assert 'id="form-answer"' not in client.get(f"/messages/{complaint}").get_data(as_text=True)
    page = submit(client, f"/operator/messages/{question}/answer", {"content": "携带身份证到社保大厅办理。"},
                  f"/messages/{question}").get_data(as_text=True)
    assert "已直接答复" in page and status_of(db, question).status == "published"
    refused = submit(client, f"/operator/messages/{complaint}/answer", {"content": "x"}, f"/messages/{complaint}")
    assert "只有咨询类诉求可以直接答复" in refused.get_data(as_text=True)
    assert status_of(db, complaint).status == "analyzed"


@freeze_time(NOW)
def test_invalid_needs_a_reason(client, desk, db):
    no = desk("I-1", "测试测试")
    login(client, "op")
    page = submit(client, f"/operator/messages/{no}/invalidate", {}, f"/messages/{no}").get_data(as_text=True)
    assert "reason" in page and status_of(db, no).status != "invalid"
    submit(client, f"/operator/messages/{no}/invalidate", {"reason": "测试来电"}, f"/messages/{no}")
    assert status_of(db, no).status == "invalid"


LIFT = "幸福小区三号楼的电梯从上周开始故障停运，物业一直说在等配件，楼里老人上下楼非常困难，请尽快督促维修"


@freeze_time(NOW)
def test_merge_into_a_listed_candidate(client, desk, db):
    original = desk("M-1", LIFT.replace("上周", "上周一"), received="2026-11-18T09:00:00+08:00",
                    citizen={"phone": "13900001111"})
    same_caller = desk("M-4", LIFT.replace("请尽快督促维修", "到现在还没修好"), received="2026-11-18T10:00:00+08:00",
                       citizen={"phone": "13700002222"})
    other_matter = desk("M-6", "公园路灯不亮", received="2026-11-18T10:30:00+08:00", citizen={"phone": "13700002222"})
    unrelated = desk("M-3", "公园长椅坏了", received="2026-11-18T11:00:00+08:00")
    stale = desk("M-5", LIFT, received="2026-10-01T09:00:00+08:00")
    repeat = desk("M-2", LIFT + "。", citizen={"phone": "13700002222"})
    login(client, "op")
    detail = client.get(f"/messages/{repeat}").get_data(as_text=True)
    start = detail.index('id="form-merge"')
    panel = detail[start:detail.index("</form>", start)]
    listed = re.findall(r'name="into" value="([^"]+)"', panel)
    # The caller's similar message first (重复诉求), then another citizen's near-duplicate (相似诉求), within 30 days.
    assert listed == [same_caller, original]
    kinds = re.findall(r'<span class="tag">(重复诉求|相似诉求)</span>', panel)
    assert kinds == ["重复诉求", "相似诉求"]
    assert all(no not in listed for no in (other_matter, unrelated, stale, repeat))
    page = submit(client, f"/operator/messages/{repeat}/merge", {"into": original}, f"/messages/{repeat}")
    assert "已合并" in page.get_data(as_text=True)
    message = status_of(db, repeat)
    assert message.status == "merged" and message.merged_into.tracking_no == original


@freeze_time(NOW)
def test_correct_the_request_type_moves_the_deadline_and_records_feedback(client, desk, db):
    no = desk("C-1", "小区供水管道漏水一周", request_type="complaint")
    before = status_of(db, no)
    due_before, model_topic = before.due_at, before.analysis.topic if before.analysis else None
    login(client, "op")
    page = submit(client, f"/operator/messages/{no}/correct",
                  {"request_type": "consult", "urgency": "urgent", "topic": "供水管网"}, f"/messages/{no}")
    assert "已纠正研判结果" in page.get_data(as_text=True)
    message = status_of(db, no)
    assert (message.request_type, message.request_type_source, message.urgency) == ("consult", "operator", "urgent")
    assert message.due_at != due_before
    assert (message.analysis.topic if message.analysis else None) == model_topic  # the model's result stays
    event = db.session.query(Event).filter_by(action="analysis.correct", message_id=message.id).one()
    assert event.detail["to"]["request_type"] == "consult" and event.detail["from"]["request_type"] == "complaint"
    assert event.actor == "user:op"
    assert event.detail["to"]["topic"] == "供水管网" and event.detail["topic_is_label"] is False  # free text
    assert event.detail["from"]["topic"] == model_topic
    queue = client.get("/operator/queue").get_data(as_text=True)
    assert "主题：供水管网" in queue[queue.index(no):] and "已纠正" in queue
    bad = submit(client, f"/operator/messages/{no}/correct", {"request_type": "gossip"}, f"/messages/{no}")
    assert "request_type" in bad.get_data(as_text=True)
    long = submit(client, f"/operator/messages/{no}/correct", {"topic": "长" * 61}, f"/messages/{no}")
    assert "topic" in long.get_data(as_text=True)
    assert db.session.query(Event).filter_by(action="analysis.correct").count() == 1
    submit(client, f"/operator/messages/{no}/dispatch", {"lead": A}, f"/messages/{no}")
    late = submit(client, f"/operator/messages/{no}/correct", {"urgency": "normal"}, f"/messages/{no}")
    assert "派单后不能再纠正" in late.get_data(as_text=True) and status_of(db, no).urgency == "urgent"


@freeze_time(NOW)
def test_callback_queue_and_form(client, desk, db):
    question = desk("B-1", "请问社保卡怎么补办？", request_type="consult")
    login(client, "op")
    submit(client, f"/operator/messages/{question}/answer", {"content": "携带身份证办理。"}, f"/messages/{question}")
    page = client.get("/operator/callbacks").get_data(as_text=True)
    assert question in page and 'name="satisfaction"' in page
    response = client.post(f"/operator/messages/{question}/callback?from=callbacks",
                           data={"satisfaction": "satisfied", "solved": "solved",
                                 "csrf_token": csrf(client, "/operator/callbacks")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/operator/callbacks")
    assert status_of(db, question).status == "closed"
    assert question not in client.get("/operator/callbacks").get_data(as_text=True)


@freeze_time(NOW)
def test_other_roles_and_missing_csrf_are_refused(client, desk, db):
    no = desk("R-1", "小区供水管道漏水一周")
    login(client, "zf")
    assert client.get("/operator/queue").status_code == 403
    assert client.get("/operator/callbacks").status_code == 403
    token = csrf(client, "/messages")
    assert client.post(f"/operator/messages/{no}/dispatch", data={"lead": A, "csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/operator/queue").status_code == 302  # not signed in: to /login
    login(client, "op")
    assert client.post(f"/operator/messages/{no}/dispatch", data={"lead": A}).status_code == 400
    assert status_of(db, no).status == "analyzed"
    assert re.search(r"/operator/messages/[^/]+/dispatch", client.get(f"/messages/{no}").get_data(as_text=True))


@freeze_time(NOW)
def test_a_returned_item_shows_the_reason_and_can_be_refused(client, desk, db, make_token):
    no = desk("T-1", "小区供水管道漏水一周")
    login(client, "op")
    submit(client, f"/operator/messages/{no}/dispatch", {"lead": A}, f"/messages/{no}")
    lead = status_of(db, no).assignments[0]
    returned = client.post(f"/api/v1/assignments/{lead.id}/return", headers=make_token("unit", A),
                           json={"reason": "<i>供水</i>属自来水公司"})
    assert returned.status_code == 200 and status_of(db, no).status == "analyzed"
    detail = client.get(f"/messages/{no}").get_data(as_text=True)
    assert "&lt;i&gt;供水&lt;/i&gt;属自来水公司" in detail and "不予退单" in detail
    assert no in client.get("/operator/queue").get_data(as_text=True)
    path = f"/operator/messages/{no}/returns/{returned.json['id']}/refuse"
    page = submit(client, path, {"reason": "管道在小区红线内，属物业，请协调"}, f"/messages/{no}")
    assert "已退回原单位" in page.get_data(as_text=True)
    assert status_of(db, no).status == "dispatched"
    assert submit(client, f"/operator/messages/{no}/returns/999/refuse", {"reason": "x"}, f"/messages/{no}"
                  ).status_code == 404


@freeze_time(NOW)
def test_the_queue_is_paginated_by_twenty(client, desk):
    numbers = [desk(f"P-{i:02d}", f"第{i}件：公园长椅坏了", received=f"2026-11-19T{8 + i // 4:02d}:{i % 4 * 10:02d}:00+08:00")
               for i in range(21)]
    login(client, "op")
    first = client.get("/operator/queue").get_data(as_text=True)
    second = client.get("/operator/queue?page=2").get_data(as_text=True)
    assert "第 1 / 2 页" in first and "下一页" in first
    assert all(no in first for no in numbers[:20]) and numbers[20] not in first
    assert numbers[20] in second and numbers[0] not in second
    assert client.get("/operator/queue?page=abc").status_code == 200
