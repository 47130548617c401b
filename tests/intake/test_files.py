"""Reading import files (CSV / XLSX / JSONL) into intake payloads, row numbers as the user sees them."""

import re
from datetime import date, datetime

import openpyxl
import pytest

from responder.intake import columns, files
from responder.intake.files import Row, UnusableFile, count_rows, detect_format, read_rows, unknown_headers


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def write_xlsx(tmp_path, rows, name="export.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def payloads(path):
    return [(row.number, row.payload) for row in read_rows(path)]


# --- CSV ----------------------------------------------------------------------------------------


def test_utf8_csv_with_contract_headers(tmp_path):
    path = write(tmp_path, "in.csv", (
        "external_id,received_at,content,title,citizen.name,citizen.phone,meta.platform,备注,consent_public,Channel\n"
        "A1,2026-11-20T09:30:00+08:00,路灯不亮\x07了,  ,李四,13900001111,weibo,随便,false,mailbox\n"
    ))
    assert detect_format(path) == "csv"
    assert payloads(path) == [(2, {  # a channel column is passed on; the CLI's --channel decides
        "external_id": "A1", "received_at": "2026-11-20T09:30:00+08:00", "content": "路灯不亮了",
        "citizen": {"name": "李四", "phone": "13900001111"}, "meta": {"platform": "weibo"},
        "consent_public": False, "channel": "mailbox",
    })]
    assert unknown_headers(path) == ["备注"]


def test_utf8_bom_and_padded_headers(tmp_path):
    path = write(tmp_path, "in.csv", "\ufeffcontent , 标题 ,\u3000工单号\n你好,问候,9\n")
    assert payloads(path) == [(2, {"content": "你好", "title": "问候", "external_id": "9"})]
    assert unknown_headers(path) == []


def test_gbk_csv_with_chinese_headers(tmp_path):
    text = (
        "工单编号,受理时间,诉求内容,标题,诉求类型,紧急程度,来电人,联系电话,身份证号,事发地址,是否公开\r\n"
        "2026112000123,2026/11/20 9:30:05,小区门口积水严重,积水,投诉,紧急,张三,13800138000,"
        "110105199003071234,朝阳区某路1号,是\r\n"
        "2026112000124,2026年11月20日 09:30,咨询社保转移,,咨询,一般,,,,,否\r\n"
        "2026112000125,昨天下午,其他,,意见征集,特别急,,,,,不知道\r\n"
    )
    path = write(tmp_path, "gbk.csv", text, encoding="gbk")
    assert files._encoding(path) == "gb18030"
    assert payloads(path) == [
        (2, {
            "external_id": "2026112000123", "received_at": "2026-11-20T09:30:05+08:00",
            "content": "小区门口积水严重", "title": "积水", "request_type": "complaint", "urgency": "urgent",
            "citizen": {"name": "张三", "phone": "13800138000", "id_number": "110105199003071234"},
            "address": "朝阳区某路1号", "consent_public": True,
        }),
        (3, {
            "external_id": "2026112000124", "received_at": "2026-11-20T09:30:00+08:00",
            "content": "咨询社保转移", "request_type": "consult", "urgency": "normal",
            "consent_public": False,
        }),
        # unknown labels pass through unchanged so the intake validator names the field
        (4, {
            "external_id": "2026112000125", "received_at": "昨天下午", "content": "其他",
            "request_type": "意见征集", "urgency": "特别急", "consent_public": "不知道",
        }),
    ]


@pytest.mark.parametrize("name, delimiter", [
    ("in.tsv", "\t"), ("in.txt", "\t"), ("in.csv", ";"), ("in.csv", "|"),
])
def test_delimiter_is_sniffed(tmp_path, name, delimiter):
    lines = [["编号", "内容", "类型"], ["7", "逗号, 没关系", "help"]]
    path = write(tmp_path, name, "".join(delimiter.join(cells) + "\n" for cells in lines))
    assert payloads(path) == [(2, {"external_id": "7", "content": "逗号, 没关系", "request_type": "help"})]


def test_mixed_newlines_blank_lines_and_multiline_cells(tmp_path):
    text = (
        "\r\n"                       # 1: blank, before the header
        "编号,内容\r\n"              # 2: header
        "1,第一条\n"                 # 3
        "\n"                         # 4: blank, skipped, still counted
        "2,\"两行\r\n内容\"\r\n"     # 5: one spreadsheet row
        ",,\n"                       # 6: empty cells only
        "3,第三条\r"                 # 7: old Mac line end
        "4,第四条"                   # 8: no final newline
    )
    path = write(tmp_path, "mixed.csv", text)
    assert payloads(path) == [
        (3, {"external_id": "1", "content": "第一条"}),
        (5, {"external_id": "2", "content": "两行\n内容"}),
        (7, {"external_id": "3", "content": "第三条"}),
        (8, {"external_id": "4", "content": "第四条"}),
    ]


def test_row_with_only_ignored_columns_yields_empty_payload(tmp_path):
    path = write(tmp_path, "in.csv", "序号,内容\n1,\n")
    assert list(read_rows(path)) == [Row(2, {}, None)]


def test_title_row_above_header_is_skipped(tmp_path):
    path = write(tmp_path, "in.csv", "12345热线工单明细,,\n工单号,诉求内容,备注\nX,内容甲,注\n")
    assert payloads(path) == [(3, {"external_id": "X", "content": "内容甲"})]
    assert unknown_headers(path) == ["备注"]


def test_duplicate_headers_keep_the_most_specific_column(tmp_path):
    text = "编号,工单编号,时间,受理时间,内容\n1,W-9,2026-01-01 08:00,2026-01-02 08:00,x\n"
    path = write(tmp_path, "in.csv", text)
    assert payloads(path) == [(2, {
        "external_id": "W-9", "received_at": "2026-01-02T08:00:00+08:00", "content": "x",
    })]
    assert unknown_headers(path) == ["编号", "时间"]


def test_unparseable_csv_record_is_a_row_error_and_reading_goes_on(tmp_path):
    huge = "x" * 200_000  # beyond the csv module's field size limit
    path = write(tmp_path, "in.csv", f"编号,内容\n1,{huge}\n2,正常\n")
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].payload is None and rows[0].error.startswith("第2行无法解析: ")
    assert rows[1] == Row(3, {"external_id": "2", "content": "正常"}, None)


def test_utf16_unicode_text_export(tmp_path):
    path = write(tmp_path, "export.txt", "\ufeff工单编号\t诉求内容\r\n88\t噪音扰民\r\n", encoding="utf-16-le")
    assert payloads(path) == [(2, {"external_id": "88", "content": "噪音扰民"})]


def test_other_encodings_fall_back_to_charset_normalizer(tmp_path):
    text = "content,title\nLe cafe est fermé depuis des semaines, dit le résident,Fermé\n"
    path = write(tmp_path, "in.csv", text, encoding="cp1252")
    [row] = read_rows(path)
    assert row.number == 2 and row.payload["content"].startswith("Le cafe est ferm")


# --- received_at --------------------------------------------------------------------------------


@pytest.mark.parametrize("written, expected", [
    ("2026/11/20 9:30:05", "2026-11-20T09:30:05+08:00"),
    ("2026-11-20 09:30", "2026-11-20T09:30:00+08:00"),
    ("2026年11月20日 09:30", "2026-11-20T09:30:00+08:00"),
    ("2026年11月20日9:30:59", "2026-11-20T09:30:59+08:00"),
    ("2026-11-20T09:30:00", "2026-11-20T09:30:00+08:00"),
    ("2026-11-20 09:30:05.250", "2026-11-20T09:30:05.250000+08:00"),
    ("2026-11-20T09:30:00+08:00", "2026-11-20T09:30:00+08:00"),
    ("2026-11-20T01:30:00Z", "2026-11-20T01:30:00Z"),
    ("2026/13/40 9:30", "2026/13/40 9:30"),
    ("2026-11-20", "2026-11-20"),
    ("20/11/2026 09:30", "20/11/2026 09:30"),
])
def test_received_at_normalisation(written, expected):
    assert columns.normalise_received_at(written) == expected


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_with_datetime_and_numeric_cells(tmp_path):
    path = write_xlsx(tmp_path, [
        ["12345热线工单明细"],
        [],
        [" 工单编号 ", "来电时间", "诉求内容", "手机", "是否公开", "是否紧急", "类别", "附件"],
        [2026112000123.0, datetime(2026, 11, 20, 9, 30, 5), "噪音", 13800138000, 1, True, "求助类", "a.jpg"],
        [None, None, "   ", None],
        [77, date(2026, 11, 21), "  楼道堆物  ", 13800138000.0, 0, "否", "REPORT", None],
        ["X-1", "2026/11/22 10:00", "文本时间", "010-12345678", "同意", None, None, None],
    ])
    assert detect_format(path) == "xlsx"
    assert unknown_headers(path) == ["附件"]
    assert payloads(path) == [
        (4, {
            "external_id": "2026112000123", "received_at": "2026-11-20T09:30:05+08:00", "content": "噪音",
            "citizen": {"phone": "13800138000"}, "consent_public": True, "urgency": "urgent",
            "request_type": "help",
        }),
        (6, {
            "external_id": "77", "received_at": "2026-11-21T00:00:00+08:00", "content": "楼道堆物",
            "citizen": {"phone": "13800138000"}, "consent_public": False, "urgency": "normal",
            "request_type": "report",
        }),
        (7, {
            "external_id": "X-1", "received_at": "2026-11-22T10:00:00+08:00", "content": "文本时间",
            "citizen": {"phone": "010-12345678"}, "consent_public": True,
        }),
    ]


def test_xlsx_excel_serial_date_in_a_general_cell(tmp_path):
    path = write_xlsx(tmp_path, [["content", "received_at"], ["x", 46346.396597222]])
    assert payloads(path) == [(2, {"content": "x", "received_at": "2026-11-20T09:31:06+08:00"})]


def test_xlsx_is_read_in_read_only_mode(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path, [["content"], ["x"]])
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(files.openpyxl, "load_workbook", spy)
    assert payloads(path) == [(2, {"content": "x"})]
    assert calls and all(call.get("read_only") for call in calls)


def test_renamed_xlsx_is_recognised_by_content(tmp_path):
    path = write_xlsx(tmp_path, [["content"], ["x"]], name="export.csv")
    assert detect_format(path) == "xlsx"
    assert payloads(path) == [(2, {"content": "x"})]


# --- JSONL --------------------------------------------------------------------------------------


def test_jsonl_with_bad_lines(tmp_path):
    path = write(tmp_path, "in.jsonl", (
        '\ufeff{"external_id": "c1", "content": "好", "received_at": "2026-11-20 09:30", "title": " "}\r\n'
        "\n"
        '{"external_id": "c2", "content": oops}\n'
        "[1, 2]\n"
        '{"external_id": 3, "content": "x\\u0000y", "citizen": {"name": "王五", "phone": ""},'
        ' "meta": {"platform": "douyin"}, "consent_public": true}\n'
    ))
    assert detect_format(path) == "jsonl"
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 3, 4, 5]
    assert rows[0] == Row(1, {
        "external_id": "c1", "content": "好", "received_at": "2026-11-20T09:30:00+08:00",
    })
    assert rows[1].payload is None and rows[1].error.startswith("第3行不是有效的 JSON: ")
    assert rows[2].payload is None and rows[2].error.startswith("第4行不是 JSON 对象")
    assert rows[3] == Row(5, {
        "external_id": 3, "content": "xy", "citizen": {"name": "王五"}, "meta": {"platform": "douyin"},
        "consent_public": True,
    })
    assert unknown_headers(path) == []
    assert count_rows(path) == 4


@pytest.mark.parametrize("name", ["in.ndjson", "in.json-lines", "in.log"])
def test_jsonl_extensions_and_sniffing(tmp_path, name):
    path = write(tmp_path, name, '{"content": "x"}\n')
    assert detect_format(path) == "jsonl"
    assert payloads(path) == [(1, {"content": "x"})]


# --- unusable files -----------------------------------------------------------------------------


JUNK = bytes(range(256)) * 8


@pytest.mark.parametrize("name, data, message", [
    ("empty.csv", b"", "文件是空的"),
    ("blank.csv", b"\r\n \n\t\n", "没有表头行"),
    ("junk.csv", JUNK, "二进制"),
    ("junk.bin", JUNK, "无法识别的文件格式"),
    ("notes.pdf", "just some words\n".encode(), "无法识别的文件格式（扩展名 .pdf）"),
    ("nocontent.csv", "编号,标题\n1,x\n".encode(), "没有找到内容列（content/诉求内容）"),
    ("nocontent.tsv", "\ufeff工单编号\t来电时间\n".encode("gbk", "ignore"), "没有找到内容列"),
    ("undecodable.csv", bytes(range(0x80, 0x100)) * 50, "无法识别文件编码"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "不支持旧版 .xls"),
    ("fake.xlsx", "content\nx\n".encode(), "内容不是 XLSX"),
    ("broken.xlsx", b"PK\x03\x04" + bytes(100), "无法打开 XLSX 文件"),
])
def test_unusable_files(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(UnusableFile, match=re.escape(message)):
        read_rows(path)  # raised on the call, before any iteration


def test_xlsx_without_content_column(tmp_path):
    path = write_xlsx(tmp_path, [["工单编号", "标题"], [1, "x"]])
    with pytest.raises(UnusableFile, match="没有找到内容列"):
        read_rows(path)
    with pytest.raises(UnusableFile, match="没有找到内容列"):
        unknown_headers(path)


def test_empty_xlsx(tmp_path):
    with pytest.raises(UnusableFile, match="没有表头行"):
        read_rows(write_xlsx(tmp_path, []))


def test_missing_file(tmp_path):
    with pytest.raises(UnusableFile, match="找不到文件"):
        detect_format(tmp_path / "nope.csv")
    with pytest.raises(UnusableFile, match="无法读取文件"):
        detect_format(tmp_path)


# --- progress estimate --------------------------------------------------------------------------


def test_count_rows(tmp_path):
    assert count_rows(write(tmp_path, "a.csv", "编号,内容\n1,x\n\n2,y\n")) == 2
    assert count_rows(write_xlsx(tmp_path, [["content"], ["x"], ["y"], ["z"]])) == 3
