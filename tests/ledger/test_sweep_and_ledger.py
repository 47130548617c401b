"""Commitments followed by the sweep (flagged once, unit reminded) and the ledger export (JSON, CSV, XLSX)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from freezegun import freeze_time
from openpyxl import load_workbook
from sqlalchemy import event, select, update

from responder.extensions import db as _db
from responder.ledger import scorer
from responder.ledger.sweeps import mark_overdue_commitments
from responder.models import Commitment, Event, Notification
from responder.workflow.sweeps import run_all
from tests.notify.conftest import LEAD, OTHER, SQLITE_ONLY, at

REPLY = "经核查，路灯线路老化。下一步，我办将于11月25日前更换灯具。"
PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def replied(flow, ext: str, commitments: list[dict], lead: str = LEAD, approve: bool = True) -> str:
    """A message answered by `lead` with `commitments` (approved unless told otherwise): its tracking number."""
    no, aid = flow.dispatched(ext, "2026-11-20T09:30:00+08:00", lead=lead)
    with freeze_time(at("2026-11-20T15:00:00+08:00")):
        flow.call(f"/api/v1/assignments/{aid}/accept", lead)
        response = flow.call(f"/api/v1/messages/{no}/responses", lead, content=REPLY, public=True,
                             commitments=commitments)
        if approve:
            answer = flow.client.post(f"/api/v1/responses/{response['id']}/approve", headers=flow.supervisor, json={})
            assert answer.status_code == 200, answer.json
    return no


def test_an_overdue_commitment_is_flagged_once_and_its_unit_reminded(db, flow, people):
    replied(flow, "C-1", [{"content": "更换灯具", "due_date": "2026-11-25"},
                          {"content": "加强巡查", "due_date": None}])
    replied(flow, "C-2", [{"content": "未审核的答复里的承诺", "due_date": "2026-11-21"}], approve=False)
    assert mark_overdue_commitments(at("2026-11-25T23:00:00+08:00")) == 0  # the promised day itself is on time
    friday = at("2026-11-27T09:00:00+08:00")
    assert mark_overdue_commitments(friday) == 1
    assert mark_overdue_commitments(friday) == 0
    notes = db.session.scalars(select(Notification).filter_by(kind="commitment_overdue")).all()
    assert sorted(n.user_id for n in notes) == sorted([people["handler1"], people["handler2"]])
    assert "承诺逾期" in notes[0].title and "2026-11-25" in notes[0].title
    events = db.session.scalars(select(Event).filter_by(action="commitments.overdue")).all()
    assert len(events) == 1
    late = db.session.get(Commitment, events[0].subject_id)
    assert late.content == "更换灯具" and late.state == "overdue"

    db.session.execute(update(Commitment).values(overdue_at=None))  # stamps lost: nobody is told twice
    db.session.commit()
    mark_overdue_commitments(friday)
    assert db.session.scalar(select(_db.func.count()).select_from(Notification)
                             .filter_by(kind="commitment_overdue")) == 2


def test_responder_sweep_runs_the_commitment_sweep(db, flow):
    replied(flow, "C-3", [{"content": "更换灯具", "due_date": "2026-11-21"}])
    with freeze_time(at("2026-11-24T09:00:00+08:00")):
        assert run_all()["commitments_overdue"] == 1
        assert run_all()["commitments_overdue"] == 0


def test_fulfilled_then_disclosed_leaves_the_overdue_list(db, flow):
    replied(flow, "C-4", [{"content": "更换灯具", "due_date": "2026-11-25"}])
    cid = db.session.scalar(select(Commitment.id))
    unit = flow.units[LEAD]
    answer = flow.client.post(f"/api/v1/commitments/{cid}/fulfil", headers=unit, json={"evidence": "已更换 12 盏灯"})
    assert answer.status_code == 200 and answer.json["status"] == "fulfilled"
    assert mark_overdue_commitments(at("2026-11-30T09:00:00+08:00")) == 0
    answer = flow.client.post(f"/api/v1/commitments/{cid}/publish", headers=flow.supervisor,
                              json={"url": "https://www.example.gov.cn/gk/1.html"})
    assert answer.status_code == 200 and answer.json["status"] == "published"


def _ledger(flow, headers, **params):
    return flow.client.get("/api/v1/ledger", headers=headers, query_string={**PERIOD, **params})


@SQLITE_ONLY
def test_the_ledger_xlsx_has_a_sheet_per_part_real_dates_and_no_formulas(db, flow):
    replied(flow, "X-1", [{"content": "=HYPERLINK(\"http://evil\",\"点我\")", "due_date": "2026-12-31"}])
    answer = _ledger(flow, flow.supervisor, format="xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["办理台账", "承诺事项"]
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    messages, promises = book["办理台账"], book["承诺事项"]
    assert messages.freeze_panes == "A2" and promises.freeze_panes == "A2"
    header = [c.value for c in messages[1]]
    for label in ("受理编号", "渠道", "受理时间", "主题", "诉求摘要", "主办单位", "协办单位", "派单时间", "签收时间",
                  "答复时间", "办结（发布）时间", "是否按期", "满意度", "承诺事项数", "承诺落实情况", "公开情况"):
        assert label in header
    received = messages.cell(row=2, column=header.index("受理时间") + 1)
    assert isinstance(received.value, datetime) and received.value == datetime(2026, 11, 20, 9, 30)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert messages.column_dimensions["A"].width >= 15
    promise_header = [c.value for c in promises[1]]
    content = promises.cell(row=2, column=promise_header.index("承诺内容") + 1)
    assert content.value.startswith("'=HYPERLINK") and content.data_type == "s"
    due = promises.cell(row=2, column=promise_header.index("承诺完成日期") + 1)
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    ARTIFACTS.mkdir(exist_ok=True)  # kept for a look (and for LibreOffice where it is installed)
    (ARTIFACTS / "ledger.xlsx").write_bytes(answer.data)


@SQLITE_ONLY
def test_the_ledger_csv_has_a_bom_and_neutralised_cells(db, flow):
    replied(flow, "X-2", [{"content": "+1 加强巡查", "due_date": None}])
    answer = _ledger(flow, flow.supervisor, format="csv", part="commitments")
    text = answer.data.decode("utf-8")
    assert answer.status_code == 200 and text.startswith("\ufeff受理编号,承诺单位,承诺内容")
    assert "'+1 加强巡查" in text
    assert _ledger(flow, flow.supervisor, format="csv").data.decode("utf-8").startswith("\ufeff受理编号,渠道")


def test_a_unit_sees_only_its_own_rows_and_filters_work(db, flow):
    own = replied(flow, "U-1", [{"content": "本单位承诺", "due_date": "2026-12-01"}])
    other = replied(flow, "U-2", [{"content": "别的单位的承诺", "due_date": "2026-12-01"}], lead=OTHER)
    answer = _ledger(flow, flow.units[LEAD])
    assert answer.status_code == 200
    parts = {p["key"]: p for p in answer.json["parts"]}
    assert [r["tracking_no"] for r in parts["messages"]["items"]] == [own]
    assert [r["content"] for r in parts["commitments"]["items"]] == ["本单位承诺"]
    assert parts["messages"]["items"][0]["received_at"] == "2026-11-20T09:30:00+08:00"
    everything = {p["key"]: p for p in _ledger(flow, flow.supervisor).json["parts"]}
    assert {r["tracking_no"] for r in everything["messages"]["items"]} == {own, other}
    only_other = {p["key"]: p for p in _ledger(flow, flow.supervisor, unit=OTHER).json["parts"]}
    assert [r["tracking_no"] for r in only_other["messages"]["items"]] == [other]
    row = everything["messages"]["items"][0]
    assert row["lead_unit"] and row["on_time"] == "是" and row["commitments"] == 1
    assert "答复已公开" in row["disclosure"]
    assert _ledger(flow, flow.supervisor, part="commitments").json["parts"][0]["key"] == "commitments"


def test_bad_ledger_parameters_are_422_naming_them(db, flow):
    for params, field in (({"format": "pdf"}, "format"), ({"from": "yesterday"}, "from"), ({"part": "x"}, "part"),
                          ({"per_page": "0"}, "per_page")):
        answer = _ledger(flow, flow.supervisor, **params)
        assert answer.status_code == 422 and field in answer.json["fields"], (params, answer.json)
    assert flow.client.get("/api/v1/ledger", headers=flow.ingest).status_code == 403


@SQLITE_ONLY
def test_the_ledger_reads_a_constant_number_of_queries_whatever_the_rows(app, db, flow):
    from responder.auth.principal import Principal
    from responder.ledger import ledger

    def queries_for_ledger() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            query = ledger.LedgerQuery(datetime(2026, 11, 1).date(), datetime(2026, 11, 30).date(),
                                       Principal(role="supervisor", name="s", kind="user"))
            ledger.build(query)
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len(seen)

    replied(flow, "Q-1", [{"content": "甲", "due_date": None}])
    few = queries_for_ledger()
    for n in range(2, 7):
        replied(flow, f"Q-{n}", [{"content": "乙", "due_date": None}, {"content": "丙", "due_date": None}])
    assert queries_for_ledger() == few


@SQLITE_ONLY
def test_the_extract_preview_offers_commitments_ready_for_the_reply(db, flow):
    answer = flow.client.post("/api/v1/commitments/extract", headers=flow.units[LEAD], json={
        "content": "经核实情况属实。下一步，我办将在5个工作日内完成清理。感谢监督。", "replied_at": "2026-11-20"})
    assert answer.status_code == 200
    [offered] = answer.json["commitments"]
    assert offered.pop("confidence") >= scorer.load().threshold
    assert offered == {"content": "下一步，我办将在5个工作日内完成清理", "due_date": "2026-11-27"}
    no, aid = flow.dispatched("E-1", "2026-11-20T09:30:00+08:00")
    flow.accept(aid)
    flow.call(f"/api/v1/messages/{no}/responses", content="……", commitments=answer.json["commitments"])
    assert db.session.scalar(select(Commitment.due_date)).isoformat() == "2026-11-27"
    for body, field in (({}, "content"), ({"content": "x", "replied_at": "11/20"}, "replied_at")):
        refused = flow.client.post("/api/v1/commitments/extract", headers=flow.units[LEAD], json=body)
        assert refused.status_code == 422 and field in refused.json["fields"]
    assert flow.client.post("/api/v1/commitments/extract", headers=flow.ingest, json={"content": "x"}).status_code == 403
