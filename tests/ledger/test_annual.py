"""Annual report tables on both databases: counts by channel, type, result and month; satisfaction; commitments."""

from __future__ import annotations

from freezegun import freeze_time

from responder.reports import annual
from responder.reports.export import xlsx_bytes
from tests.ledger.test_sweep_and_ledger import replied
from tests.notify.conftest import at


def table(found: dict, key: str) -> dict:
    return {row["item"]: row["count"] for row in found["tables"][key][1]}


def test_a_years_messages_counted_every_way(db, flow):
    done, aid = flow.dispatched("A-1", "2026-11-20T09:30:00+08:00", request_type="complaint")
    flow.finish(done, aid)
    flow.dispatched("A-2", "2026-11-20T09:30:00+08:00")
    waiting = flow.client.post("/api/v1/messages", headers=flow.ingest, json={
        "channel": "mailbox", "external_id": "A-3", "received_at": "2026-03-01T01:00:00+08:00",
        "content": "测试来信", "request_type": "consult"}).json["tracking_no"]
    assert flow.client.post(f"/api/v1/messages/{waiting}/invalidate", headers=flow.operator,
                            json={"reason": "测试件"}).status_code == 200
    assert flow.client.post(f"/api/v1/messages/{done}/callback", headers=flow.operator,
                            json={"satisfaction": "basically_satisfied"}).status_code == 200
    replied(flow, "A-4", [{"content": "十二月底前完成", "due_date": "2026-12-31"},
                          {"content": "已过期未落实", "due_date": "2026-11-21"}])
    flow.dispatched("A-5", "2025-12-31T23:30:00+08:00")  # Beijing date: last year's

    with freeze_time(at("2026-11-30T12:00:00+08:00")):
        found = annual.report(2026)
    assert found["total"] == 4
    assert table(found, "channel") == {"12345热线": 3, "领导信箱": 1, "政务新媒体": 0}
    types = table(found, "request_type")
    assert (types["投诉"], types["咨询"], types["求助"]) == (1, 3, 0)
    results = table(found, "result")
    assert (results["已办结（已回访归档）"] + results["已办结"], results["无效件（不予受理）"]) == (2, 1)
    assert table(found, "month")["3月"] == 1 and table(found, "month")["11月"] == 3
    assert table(found, "satisfaction")["基本满意"] == 1
    promises = table(found, "commitments")
    assert (promises["未到期"], promises["逾期未落实"], promises["按期落实"]) == (1, 1, 0)
    assert found["kpis"]["messages"] == 4
    assert annual.report(2025)["total"] == 1
    assert xlsx_bytes(annual.sheets(found))[:2] == b"PK"
