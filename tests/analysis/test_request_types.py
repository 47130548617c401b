"""The request type model: cue features, the shipped model and the praise/disclosure override."""

from __future__ import annotations

import gzip
import json

import pytest

from responder.analysis import lexicon, pipeline, request_types, topics


def classify(content: str, title: str | None = None) -> tuple[str, float]:
    return request_types.classify(content, title, topics.tokenize(content), topics.tokenize(title) if title else [])


def test_cue_features_name_the_weight_of_each_type_and_the_rules_pick():
    cues = lexicon.request_type_cues("建议在小区门口增设公交站。", "关于增设公交站的建议")
    features = request_types.cue_features(cues)
    kinds = lexicon.REQUEST_TYPES
    assert len(features) == 3 * len(kinds)
    suggestion = kinds.index("suggestion")
    assert features[2 * suggestion] > 0 and features[2 * suggestion + 1] > 0  # content, title
    assert features[2 * len(kinds) + suggestion] == 1.0 and sum(features[2 * len(kinds) :]) == 1.0


def test_the_shipped_model_reads_plain_requests():
    assert classify("请问办理居住证需要哪些材料？在哪里办理？", "咨询居住证办理")[0] == "consult"
    assert (
        classify("小区旁工地每天施工到凌晨，噪音扰民严重，多次反映无人处理，请尽快处理。", "工地夜间施工扰民")[0]
        == "complaint"
    )
    assert classify("建议在学校门口增设人行天桥，方便学生过马路。", "建议增设人行天桥")[0] == "suggestion"
    kind, confidence = classify("举报某某公司在河边偷排污水，请环保部门依法查处。", "举报偷排污水")
    assert kind == "report" and 0.0 < confidence <= 1.0


def test_a_clear_praise_or_disclosure_cue_decides_because_random_messages_hold_too_few_to_learn():
    assert classify(
        "我要表扬社区的王书记，他帮我们解决了多年的难题，特此表扬！", "表扬王书记"
    ) == lexicon.request_type("我要表扬社区的王书记，他帮我们解决了多年的难题，特此表扬！", "表扬王书记")
    assert classify("根据《政府信息公开条例》，依申请公开某路段的规划许可文件。")[0] == "disclosure"


def test_the_analysis_uses_the_model_and_names_it_in_the_version():
    result = pipeline.analyse_text("建议在学校门口增设人行天桥，方便学生过马路。", "建议增设人行天桥")
    assert result.request_type == "suggestion"
    assert request_types.REQUEST_TYPE_MODEL_VERSION in result.model_version
    assert pipeline.analyse_text("随便写点", given_request_type="help").request_type_confidence == 1.0


def test_a_model_file_of_another_version_is_refused(tmp_path, monkeypatch):
    with gzip.open(request_types.MODEL_PATH, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    raw["version"] = "request-type-linear-0"
    old = tmp_path / "old.json.gz"
    with gzip.open(old, "wt", encoding="utf-8") as fh:
        json.dump(raw, fh)
    holder = request_types.ShippedModel(
        old, request_types.REQUEST_TYPE_MODEL_VERSION, "x", lambda: request_types.load(old)
    )
    with pytest.raises(RuntimeError, match="request-type-linear-0"):
        holder.get()
