"""The whole handling cycle through the API on a frozen clock: every path, status and deadline."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from responder import directory
from responder.models import Event

A, B = "公共服务办公室", "财政所"


@pytest.fixture
def desk(app, db, client, make_token):
    """Two units, and tokens for each role; returns a small driver."""
    for name in (A, B):
        directory.ensure_unit(name, actor="test")
    tokens = {"ing": make_token("integration"), "op": make_token("operator"), "sup": make_token("supervisor"),
              "a": make_token("unit", A), "b": make_token("unit", B)}

    class Desk:
        def post(self, path, who, body=None):
            return client.post(f"/api/v1{path}", json=body or {}, headers=tokens[who])

        def get(self, no, who="op"):
            return client.get(f"/api/v1/messages/{no}", headers=tokens[who]).json

        def new(self, ext, kind="complaint", received="2026-09-30T10:00:00+08:00", text="小区供水管道漏水一周"):
            return self.post("/messages", "ing", {"channel": "hotline", "external_id": ext, "received_at": received,
                                                  "content": text, "request_type": kind}).json["tracking_no"]

        def lead(self, no):
            return next(a for a in self.get(no)["assignments"] if a["role"] == "lead" and a["active"])

    return Desk()


@freeze_time("2026-09-30T12:00:00+08:00")
def test_dispatch_sign_extend_across_national_day_reply_review_callback(desk, db):
    no = desk.new("C-1")
    assert desk.post(f"/messages/{no}/dispatch", "op", {"lead": A, "assist": [B], "note": "请主办"}).status_code == 200
    body = desk.get(no)
    lead, assist = body["assignments"]
    assert body["status"] == "dispatched" and (lead["unit"], assist["unit"]) == (A, B)
    assert lead["due_at"] == "2026-10-27T23:59:59+08:00"          # 15 working days over the holiday
    assert lead["sign_due_at"] == "2026-10-08T23:59:59+08:00"     # 1 working day after dispatch
    assert assist["due_at"] == "2026-10-10T23:59:59+08:00"        # opinion: 3 working days; Sat Oct 10 is a workday
    assert desk.post(f"/assignments/{lead['id']}/accept", "b").status_code == 404   # not B's
    assert desk.post(f"/assignments/{lead['id']}/accept", "a").status_code == 200
    assert desk.get(no)["status"] == "in_progress"
    again = desk.post(f"/assignments/{lead['id']}/accept", "a")
    assert again.status_code == 409 and again.json["fields"]["status"] == "accepted"

    ext = desk.post(f"/assignments/{lead['id']}/extension", "a", {"days": 5, "reason": "需协调供水公司"})
    assert ext.status_code == 201 and ext.json["status"] == "pending"
    assert desk.post(f"/assignments/{lead['id']}/extension", "a", {"days": 1, "reason": "再次"}).status_code == 409
    assert desk.post(f"/extensions/{ext.json['id']}/approve", "a").status_code == 403
    assert desk.post(f"/extensions/{ext.json['id']}/approve", "sup").status_code == 200
    assert desk.lead(no)["due_at"] == "2026-11-03T23:59:59+08:00"
    assert desk.get(no)["due_at"] == "2026-11-03T23:59:59+08:00"
    assert desk.post(f"/extensions/{ext.json['id']}/approve", "sup").status_code == 409   # once

    assist_id = assist["id"]
    assert desk.post(f"/assignments/{assist_id}/accept", "b").status_code == 200
    assert desk.post(f"/assignments/{assist_id}/opinion", "b", {"content": "财政资金已到位"}).status_code == 201
    reply = {"content": "已联系物业，三日内完成维修。", "public": True,
             "commitments": [{"content": "三日内完成维修", "due_date": "2026-10-12"}]}
    assert desk.post(f"/messages/{no}/responses", "b", reply).status_code == 403        # assisting unit
    bad = desk.post(f"/messages/{no}/responses", "a", {**reply, "commitments": [{"due_date": "明天"}]})
    assert bad.status_code == 422 and set(bad.json["fields"]) == {"commitments[0].content", "commitments[0].due_date"}
    first = desk.post(f"/messages/{no}/responses", "a", reply)
    assert first.status_code == 201 and desk.get(no)["status"] == "replied"
    assert first.json["commitments"][0]["due_date"] == "2026-10-12"
    assert desk.post(f"/responses/{first.json['id']}/reject", "sup", {}).status_code == 422   # reason needed
    assert desk.post(f"/responses/{first.json['id']}/reject", "sup", {"reason": "请写明措施"}).status_code == 200
    assert desk.get(no)["status"] == "in_progress" and desk.lead(no)["status"] == "accepted"
    second = desk.post(f"/messages/{no}/responses", "a", {"content": "已更换漏水管段。", "public": True})
    assert desk.post(f"/responses/{second.json['id']}/approve", "sup").status_code == 200
    assert desk.post(f"/responses/{second.json['id']}/approve", "sup").status_code == 409
    body = desk.get(no)
    assert body["status"] == "published" and {a["status"] for a in body["assignments"]} == {"done"}
    assert [r["status"] for r in body["responses"]] == ["rejected", "approved"]

    with freeze_time("2026-10-09T10:00:00+08:00"):
        assert desk.post(f"/messages/{no}/callback", "op", {"satisfaction": "so-so"}).status_code == 422
        assert desk.post(f"/messages/{no}/callback", "op",
                         {"satisfaction": "dissatisfied", "solved": "unsolved", "comment": "还在漏"}).status_code == 200
    body = desk.get(no)
    assert body["status"] == "in_progress" and body["reopen_count"] == 1
    assert body["due_at"] == "2026-10-29T23:59:59+08:00"   # a fresh 15 working days from the callback (Oct 10 works)
    assert desk.lead(no)["status"] == "accepted"
    actions = [e["action"] for e in body["events"]]
    assert actions[:3] == ["receive", "analyse", "dispatch"] and "reopen" in actions
    assert db.session.query(Event).filter_by(action="responses.approved").count() == 1


@freeze_time("2026-09-30T12:00:00+08:00")
def test_return_refused_then_returned_and_redispatched(desk):
    no = desk.new("R-1")
    desk.post(f"/messages/{no}/dispatch", "op", {"lead": B})
    lead = desk.lead(no)
    returned = desk.post(f"/assignments/{lead['id']}/return", "b", {"reason": "网站栏目由党政办负责"})
    assert returned.status_code == 200 and desk.get(no)["status"] == "analyzed"
    assert desk.post(f"/returns/{returned.json['id']}/refuse", "op", {"reason": "属财政所职责"}).status_code == 200
    assert desk.get(no)["status"] == "dispatched" and desk.lead(no)["status"] == "dispatched"
    again = desk.post(f"/assignments/{lead['id']}/return", "b", {"reason": "确非本单位职责"})
    assert again.status_code == 200
    assert desk.post(f"/messages/{no}/dispatch", "op", {"lead": A}).status_code == 200
    body = desk.get(no)
    assert desk.lead(no)["unit"] == A and body["status"] == "dispatched"
    assert client_cannot_see(desk, no, "b")


def client_cannot_see(desk, no, who) -> bool:
    return desk.get(no, who).get("error") == "not_found"


@freeze_time("2026-09-30T12:00:00+08:00")
def test_pause_moves_the_deadline_by_the_working_days_it_lasted(desk):
    no = desk.new("P-1")
    desk.post(f"/messages/{no}/dispatch", "op", {"lead": A})
    lead = desk.lead(no)
    desk.post(f"/assignments/{lead['id']}/accept", "a")
    assert desk.post(f"/assignments/{lead['id']}/resume", "a").status_code == 409
    assert desk.post(f"/assignments/{lead['id']}/pause", "a", {"reason": "等待市民补充材料"}).status_code == 200
    with freeze_time("2026-10-09T09:00:00+08:00"):   # Oct 8 and 9 were working days
        assert desk.post(f"/assignments/{lead['id']}/resume", "a").status_code == 200
    assert desk.lead(no)["due_at"] == "2026-10-29T23:59:59+08:00"  # Oct 27 + 2 working days


@freeze_time("2026-09-30T12:00:00+08:00")
def test_extension_cap_and_after_deadline(desk):
    no = desk.new("X-1", kind="disclosure")
    desk.post(f"/messages/{no}/dispatch", "op", {"lead": A})
    lead = desk.lead(no)
    too_many = desk.post(f"/assignments/{lead['id']}/extension", "a", {"days": 21, "reason": "复杂"})
    assert too_many.status_code == 422 and "days" in too_many.json["fields"]
    with freeze_time("2026-12-01T09:00:00+08:00"):
        late = desk.post(f"/assignments/{lead['id']}/extension", "a", {"days": 3, "reason": "来不及"})
        assert late.status_code == 409


@freeze_time("2026-09-30T12:00:00+08:00")
def test_merge_invalid_and_direct_answer(desk):
    original, repeat = desk.new("M-1"), desk.new("M-2")
    assert desk.post(f"/messages/{repeat}/merge", "op", {"into": "nope"}).json["fields"] == {"into": "原件不存在"}
    assert desk.post(f"/messages/{repeat}/merge", "op", {"into": repeat}).status_code == 422
    assert desk.post(f"/messages/{repeat}/merge", "op", {"into": original}).status_code == 200
    body = desk.get(repeat)
    assert body["status"] == "merged" and body["merged_into"] == original
    spam = desk.new("I-1", kind="consult", text="测试测试")
    assert desk.post(f"/messages/{spam}/invalidate", "op", {}).status_code == 422
    assert desk.post(f"/messages/{spam}/invalidate", "op", {"reason": "测试来电"}).status_code == 200
    assert desk.post(f"/messages/{spam}/answer", "op", {"content": "x"}).status_code == 409  # already invalid
    question = desk.new("Q-1", kind="consult", text="社保卡补办要带什么？")
    complaint = desk.new("Q-2")
    assert desk.post(f"/messages/{complaint}/answer", "op", {"content": "x"}).status_code == 409
    assert desk.post(f"/messages/{question}/answer", "op", {"content": "携带身份证即可。"}).status_code == 200
    body = desk.get(question)
    assert body["status"] == "published" and body["responses"][0]["kind"] == "direct_answer"
    assert desk.post(f"/messages/{question}/callback", "op", {"satisfaction": "satisfied"}).status_code == 200
    assert desk.get(question)["status"] == "closed"
    unhappy = desk.new("Q-3", kind="consult", text="公交卡在哪里办？")
    desk.post(f"/messages/{unhappy}/answer", "op", {"content": "请到车站办理。"})
    assert desk.post(f"/messages/{unhappy}/callback", "op", {"satisfaction": "dissatisfied"}).status_code == 200
    assert desk.get(unhappy)["status"] == "analyzed"   # back in the queue: the operator dispatches it now
    assert desk.post(f"/messages/{unhappy}/dispatch", "op", {"lead": A}).status_code == 200


@freeze_time("2026-09-30T12:00:00+08:00")
def test_roles_are_enforced_on_every_call(desk):
    no = desk.new("Z-1")
    assert desk.post(f"/messages/{no}/dispatch", "a", {"lead": A}).status_code == 403
    assert desk.post(f"/messages/{no}/dispatch", "op", {"lead": "不存在的单位"}).json["fields"] == {
        "lead": "单位「不存在的单位」不存在"}
    desk.post(f"/messages/{no}/dispatch", "op", {"lead": A})
    lead = desk.lead(no)
    assert desk.post(f"/assignments/{lead['id']}/accept", "op").status_code == 403
    assert desk.post(f"/assignments/{lead['id']}/return", "b", {"reason": "x"}).status_code == 404
    assert desk.post(f"/messages/{no}/responses", "b", {"content": "x"}).status_code == 404
    assert desk.post(f"/messages/{no}/callback", "op", {"satisfaction": "satisfied"}).status_code == 409
    assert desk.post("/responses/999/approve", "sup").status_code == 404


@freeze_time("2026-09-30T12:00:00+08:00")
def test_citizen_lookup_follows_merges_and_shows_only_published_replies(desk, client):
    made = desk.post("/messages", "ing", {"channel": "hotline", "external_id": "PUB-1", "content": "路灯坏了",
                                          "received_at": "2026-09-30T10:00:00+08:00", "consent_public": False,
                                          "citizen": {"phone": "13812345678"}, "request_type": "complaint"}).json
    repeat = desk.post("/messages", "ing", {"channel": "mailbox", "external_id": "PUB-2", "content": "路灯还是坏的",
                                            "received_at": "2026-09-30T11:00:00+08:00"}).json
    no, code = made["tracking_no"], made["query_code"]
    assert client.get(f"/api/v1/public/messages/{no}?code=WRONGCOD").status_code == 404
    assert client.get(f"/api/v1/public/messages/{no}").status_code == 404
    desk.post(f"/messages/{no}/dispatch", "op", {"lead": A})
    lead = desk.lead(no)
    desk.post(f"/assignments/{lead['id']}/accept", "a")
    reply = desk.post(f"/messages/{no}/responses", "a", {"content": "已更换灯具。", "public": True}).json
    view = client.get(f"/api/v1/public/messages/{no}?code={code.lower()}").json
    assert view["status"] == "replied" and view["replies"] == []   # not before review
    desk.post(f"/responses/{reply['id']}/approve", "sup")
    view = client.get(f"/api/v1/public/messages/{no}?code={code}").json
    assert [r["content"] for r in view["replies"]] == ["已更换灯具。"] and "13812345678" not in str(view)
    assert [p["step"] for p in view["progress"]][:2] == ["已受理", "已转交承办单位办理"]
    desk.post(f"/messages/{repeat['tracking_no']}/merge", "op", {"into": no})
    other = client.get(f"/api/v1/public/messages/{repeat['tracking_no']}?code={repeat['query_code']}").json
    assert other["merged_into"] == no and other["status"] == "published"
    assert other["replies"] == []  # the original's citizen did not consent to publication
