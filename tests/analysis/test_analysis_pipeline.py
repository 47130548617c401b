import threading

import pytest

from responder.analysis import lexicon, pipeline, review, sentiment, topics
from responder.analysis.pipeline import Analysis, analyse_text

GAS_LEAK = "我们小区3栋楼道里燃气泄漏，味道很大，物业说不归他们管，请有关部门尽快处理！"
CONSULT = "请问灵活就业人员怎么办理社保缴费？需要哪些材料？"


def test_analysis_fields_and_ranges():
    result = analyse_text(CONSULT, title="社保缴费咨询")
    assert isinstance(result, Analysis)
    assert result.topic in topics.LABELS
    assert 0.0 <= result.topic_confidence <= 1.0
    assert 0.0 <= result.sentiment <= 1.0
    assert result.sentiment_label in {"negative", "neutral", "positive"}
    assert result.request_type == "consult"
    assert 0.0 <= result.request_type_confidence <= 1.0
    assert result.urgency == "normal"
    assert result.model_version == pipeline.MODEL_VERSION


def test_as_dict_has_every_field_and_is_a_copy():
    result = analyse_text(GAS_LEAK)
    data = result.as_dict()
    assert set(data) == {
        "topic",
        "topic_confidence",
        "sentiment",
        "sentiment_label",
        "request_type",
        "request_type_confidence",
        "urgency",
        "risk_flags",
        "tags",
        "model_version",
    }
    data["risk_flags"].append("changed")
    assert "changed" not in result.risk_flags


def test_risk_raises_urgency():
    result = analyse_text(GAS_LEAK)
    assert "public_safety" in result.risk_flags
    assert result.urgency == "urgent"
    assert analyse_text(GAS_LEAK, given_urgency="normal").urgency == "urgent"


def test_given_urgency_is_never_lowered():
    result = analyse_text(CONSULT, given_urgency="urgent")
    assert result.risk_flags == [] and result.urgency == "urgent"


def test_given_request_type_wins_with_full_confidence():
    result = analyse_text(CONSULT, given_request_type="suggestion")
    assert (result.request_type, result.request_type_confidence) == ("suggestion", 1.0)


def test_wage_arrears_is_flagged_and_tagged_but_not_urgent():
    result = analyse_text("工地老板拖欠我们工资三个月了，多次讨要没有结果。")
    assert "wage_arrears" in result.risk_flags and "工资拖欠" in result.tags
    assert result.urgency == "normal"


def test_negated_hazard_is_not_flagged():
    assert analyse_text("燃气公司上门检查，没有燃气泄漏，但是收了检查费。").risk_flags == []


def test_very_short_text_still_gets_a_topic_with_low_confidence():
    result = analyse_text("测试")
    # Low enough to go to operator review (待复核); topic-linear-5 gives it about 0.25.
    assert result.topic in topics.LABELS and result.topic_confidence < 0.6 < review.DEFAULT_THRESHOLD
    # No cue at all: the model's prior leans to complaint, without confidence.
    assert result.request_type == "complaint" and result.request_type_confidence < 0.6


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"content": "路灯坏了", "given_request_type": "bogus"}, "request type"),
        ({"content": "路灯坏了", "given_urgency": "bogus"}, "urgency"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse_text(**kwargs)


def test_model_version_names_every_component():
    assert topics.TOPIC_MODEL_VERSION in pipeline.MODEL_VERSION
    assert sentiment.SENTIMENT_VERSION in pipeline.MODEL_VERSION
    assert "snownlp" not in pipeline.MODEL_VERSION
    assert lexicon.LEXICON_VERSION in pipeline.MODEL_VERSION


def test_models_are_not_loaded_per_call(monkeypatch):
    pipeline.warm_up()

    def fail(*args, **kwargs):
        raise AssertionError("model file read again")

    monkeypatch.setattr(topics, "load", fail)
    analyse_text("路灯坏了")
    analyse_text("路灯又坏了")


def test_concurrent_first_use_loads_the_model_once(monkeypatch):
    real_load, calls = topics.load, []

    def counting_load(*args, **kwargs):
        calls.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(topics._shipped, "_model", None)
    monkeypatch.setattr(topics, "load", counting_load)
    barrier = threading.Barrier(8)
    seen = []

    def worker():
        barrier.wait()
        seen.append(topics.model())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(m) for m in seen}) == 1
