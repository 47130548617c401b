"""`responder import`: good rows stored, bad rows reported by number, exit codes, never half a row."""

from __future__ import annotations

import json

from responder.models import Event, Message


def run(app, *args):
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def test_gbk_csv_with_chinese_headers(app, db, tmp_path):
    path = tmp_path / "工单.csv"
    path.write_bytes("工单编号,受理时间,诉求内容,诉求类型,联系电话\n"
                     "GD-1,2026/11/20 9:30,路灯坏了一个月,投诉,13812345678\n"
                     "GD-2,2026/11/20 10:00,,咨询,\n"
                     "GD-3,昨天,垃圾没人清运,投诉,\n"
                     "GD-1,2026/11/20 9:30,路灯坏了一个月,投诉,13812345678\n".encode("gbk"))
    result = run(app, path, "--channel", "hotline")
    assert result.exit_code == 1, result.output
    assert "接收 1 条，重复 1 条，拒绝 2 条" in result.output
    assert "第 3 行：content" in result.output and "第 4 行：received_at" in result.output
    message = db.session.query(Message).one()
    assert (message.external_id, message.request_type, message.citizen_phone) == ("GD-1", "complaint", "13812345678")
    assert message.status != "received"  # analysed in-process
    assert db.session.query(Event).filter_by(action="receive").count() == 1


def test_jsonl_all_good_exits_0(app, db, tmp_path):
    path = tmp_path / "m.jsonl"
    rows = [{"external_id": f"J-{i}", "received_at": "2026-11-20T09:30:00+08:00", "content": f"第{i}条"}
            for i in range(3)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = run(app, path, "--channel", "mailbox")
    assert result.exit_code == 0 and "接收 3 条" in result.output
    assert {m.channel for m in db.session.query(Message)} == {"mailbox"}


def test_xlsx(app, db, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["信件编号", "来信时间", "标题", "来信内容"])
    sheet.append([2026112000123, datetime(2026, 11, 20, 9, 30), "咨询医保", "新生儿医保怎么办理？"])
    book.save(tmp_path / "letters.xlsx")
    result = run(app, tmp_path / "letters.xlsx", "--channel", "mailbox")
    assert result.exit_code == 0, result.output
    message = db.session.query(Message).one()
    assert message.external_id == "2026112000123" and message.title == "咨询医保"


def test_unusable_file_and_bad_channel_exit_2(app, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02binary")
    assert run(app, junk, "--channel", "hotline").exit_code == 2
    assert run(app, tmp_path / "missing.csv", "--channel", "hotline").exit_code == 2
    (tmp_path / "ok.csv").write_text("content\n内容\n", encoding="utf-8")
    assert run(app, tmp_path / "ok.csv", "--channel", "fax").exit_code == 2
