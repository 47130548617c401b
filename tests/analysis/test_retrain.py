"""`responder train topics`: retraining from a labelled file, with operators' corrections, served by the app."""

from __future__ import annotations

import csv
import re

import pytest

from responder.analysis import pipeline, retrain, topics
from responder.app import create_app
from tests.conftest import base_config

# Three small invented topics, eight messages each, so a 2-fold run is quick and the labels are learnable.
TOPICS = {
    "养犬管理": ["小区里有人遛狗不拴绳，大狗吓到孩子", "邻居家的狗整夜狂叫，养犬扰民", "流浪狗成群在小区咬人，请管理养犬"],
    "路灯照明": ["路灯坏了一个月没人修，晚上漆黑", "小区路灯不亮，夜里走路很危险", "街道路灯线路老化，照明不足"],
    "公厕卫生": ["公园公厕很脏很臭，没人打扫", "公共厕所没有水，卫生条件差", "车站公厕堵塞，粪便外溢"],
}


def write_file(path, header=("标题", "留言详情", "一级分类")):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for label, texts in TOPICS.items():
            for i in range(8):
                out.writerow([f"{label}问题{i}", f"{texts[i % 3]}（第{i}次反映，编号{i * 7}）", label])
    return path


@pytest.fixture(autouse=True)
def shipped_model_afterwards():
    yield
    topics.use_model_file(None)


def test_train_prints_cross_validation_and_writes_a_versioned_model(app, tmp_path):
    source = write_file(tmp_path / "history.csv")
    out = tmp_path / "models"
    result = app.test_cli_runner().invoke(args=["train", "topics", str(source), "--out", str(out), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert re.search(r"2 折交叉验证：accuracy [01]\.\d{4}  macro-F1 [01]\.\d{4}", result.output)
    for label in TOPICS:
        assert re.search(rf"^{label}\t8\t", result.output, re.M)
    version = re.search(r"模型版本 (topic-custom-\d{8}-[0-9a-f]{8})", result.output).group(1)
    assert (out / f"{version}.json.gz").is_file() and (out / "topic_model.json.gz").is_file()

    # An app configured with the file serves it: the version goes with every result.
    served = create_app(base_config(f"sqlite:///{tmp_path / 'other.db'}") | {"TOPIC_MODEL": str(out / "topic_model.json.gz")})
    with served.app_context():
        assert topics.model().version == version and set(topics.labels()) == set(TOPICS)
        found = pipeline.analyse_text("晚上小区路灯全坏了，一片漆黑")
        assert found.topic == "路灯照明" and found.model_version.startswith(version + "+")


def test_the_same_rows_give_the_same_version_and_other_rows_another():
    rows = [("t", "路灯坏了", "路灯照明"), ("t", "厕所很脏", "公厕卫生")]
    assert retrain.version_for(rows) == retrain.version_for(list(reversed(rows)))
    assert retrain.version_for(rows) != retrain.version_for(rows[:1])


@pytest.mark.parametrize(("header", "missing"), [(("title", "body", "category"), "label"),
                                                  (("title", "summary", "label"), "content")])
def test_a_missing_column_exits_2_naming_it(app, tmp_path, header, missing):
    source = write_file(tmp_path / "bad.csv", header)
    result = app.test_cli_runner().invoke(args=["train", "topics", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 2 and f"缺少 {missing} 列" in result.output
    assert not list(tmp_path.glob("*.json.gz"))


def test_too_few_rows_per_label_exits_2(app, tmp_path):
    source = write_file(tmp_path / "history.csv")
    result = app.test_cli_runner().invoke(args=["train", "topics", str(source), "--folds", "9", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "少于 9 条" in result.output


def test_feedback_adds_operators_corrections_as_labelled_rows(app, db, tmp_path, make_token, client):
    from responder import directory
    from responder.analysis import corrections
    from responder.auth.principal import Principal
    from responder.models import Message

    directory.create_user("op", "operator", None, "correct-horse", actor="t")
    headers = make_token("integration")
    for ext, text in (("F-1", "楼道灯不亮很多天了"), ("F-2", "小区有人养烈性犬")):
        response = client.post("/api/v1/messages", headers=headers, json={
            "channel": "hotline", "external_id": ext, "received_at": "2026-11-20T09:30:00+08:00", "content": text})
        assert response.status_code == 201
    op = Principal(role="operator", name="op")
    first, second = db.session.query(Message).order_by(Message.id).all()
    corrections.correct(first, {"topic": "公厕卫生"}, op)
    corrections.correct(first, {"topic": "路灯照明"}, op)  # the latest correction wins
    corrections.correct(second, {"topic": "没有的类别"}, op)  # a label the file lacks cannot be learnt

    assert sorted(r[2] for r in retrain.feedback_rows()) == ["没有的类别", "路灯照明"]
    source = write_file(tmp_path / "history.csv")
    result = app.test_cli_runner().invoke(args=["train", "topics", str(source), "--feedback", "--folds", "2",
                                                "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "训练样本 25 条（其中受理员纠正 1 条）" in result.output
