import json

from click.testing import CliRunner

from responder.analysis.commands import OUTPUT_KEYS, classify_command

GOOD = [
    {"id": 1, "content": "楼下烧烤店油烟扰民，多次投诉没人管。", "title": "投诉油烟"},
    {"id": "b-2", "content": "请问新生儿怎么办理医保？"},
]


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def results(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_classifies_stdin_in_order_with_exactly_the_contract_keys():
    result = CliRunner().invoke(classify_command, [], input=jsonl(*GOOD))
    assert result.exit_code == 0, result.output
    lines = results(result.stdout)
    assert [line["id"] for line in lines] == [1, "b-2"]
    assert all(set(line) == set(OUTPUT_KEYS) for line in lines)
    assert set(OUTPUT_KEYS) == {
        "id",
        "topic",
        "topic_confidence",
        "sentiment",
        "sentiment_label",
        "request_type",
        "urgency",
        "risk_flags",
        "tags",
    }
    assert lines[0]["request_type"] == "complaint" and lines[1]["request_type"] == "consult"
    assert "油烟" not in result.stdout  # results only, content is not echoed
    assert result.stderr == ""


def test_output_keeps_chinese_readable():
    result = CliRunner().invoke(classify_command, [], input=jsonl(GOOD[0]))
    assert results(result.stdout)[0]["topic"] in result.stdout  # ensure_ascii=False: no \\u escapes
    assert "\\u" not in result.stdout


def test_reads_a_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(*GOOD), encoding="utf-8")
    result = CliRunner().invoke(classify_command, [str(path)])
    assert result.exit_code == 0
    assert len(results(result.stdout)) == 2


def test_bad_lines_are_reported_in_place_and_the_rest_continues():
    lines = jsonl(
        GOOD[0],
        "not json",
        {"id": 7},
        {"id": 8, "content": "   "},
        "[1, 2]",
        {"id": 9, "content": "路灯坏了", "urgency": "soon"},
        GOOD[1],
    )
    result = CliRunner().invoke(classify_command, [], input=lines + "\n")
    assert result.exit_code == 1
    out = results(result.stdout)
    assert [line["id"] for line in out] == [1, None, 7, 8, None, 9, "b-2"]
    assert out[1] == {"id": None, "error": out[1]["error"]} and "JSON" in out[1]["error"]
    assert out[2] == {"id": 7, "error": "no content"}
    assert out[3]["error"] == "no content"
    assert "object" in out[4]["error"]
    assert "urgency" in out[5]["error"]
    assert "error" not in out[0] and "error" not in out[6]
    errors = result.stderr.splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5", "line 6"]


def test_given_request_type_and_urgency_are_honoured():
    record = {"id": 1, "content": "请问怎么办理居住证？", "request_type": "help", "urgency": "urgent"}
    result = CliRunner().invoke(classify_command, [], input=jsonl(record))
    line = results(result.stdout)[0]
    assert (line["request_type"], line["urgency"]) == ("help", "urgent")


def test_unreadable_file_exits_2(tmp_path):
    result = CliRunner().invoke(classify_command, [str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert "missing.jsonl" in result.stderr
    assert CliRunner().invoke(classify_command, [str(tmp_path)]).exit_code == 2


def test_non_utf8_line_is_a_bad_line():
    result = CliRunner().invoke(classify_command, [], input="你好".encode("gbk") + b"\n")
    assert result.exit_code == 1
    assert results(result.stdout) == [{"id": None, "error": "not UTF-8 text"}]
