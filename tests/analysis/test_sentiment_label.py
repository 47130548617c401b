import numpy as np
import pytest

from responder.analysis import chargrams, sentiment, topics


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "negative"),
        (0.29, "negative"),
        (0.30, "neutral"),
        (0.5, "neutral"),
        (0.70, "neutral"),
        (0.71, "positive"),
        (1.0, "positive"),
    ],
)
def test_label_thresholds(value, expected):
    assert sentiment.label(value) == expected


def test_score_is_in_unit_interval_and_reuses_tokens():
    for text in ("服务态度非常好，问题很快解决了，非常满意！", "投诉了三次都没人管，太失望了。"):
        value = sentiment.score(text)
        assert 0.0 <= value <= 1.0
        assert value == sentiment.score_tokens(topics.tokenize(text), text)


def test_clear_cases_get_the_expected_side():
    assert sentiment.score("非常满意，服务很好，谢谢！") > sentiment.score("太差了，非常失望，愤怒！")
    assert sentiment.label(sentiment.score("太差了，非常失望，愤怒！")) == "negative"


def test_blank_text_is_neutral():
    assert sentiment.score("   ") == 0.5
    assert sentiment.label(sentiment.score("")) == "neutral"


def test_shipped_model_is_small_and_matches_the_code():
    assert sentiment.MODEL_PATH.stat().st_size < 8 * 1024 * 1024
    model = sentiment.model()
    assert model.version == sentiment.SENTIMENT_VERSION
    assert model is sentiment.model()
    assert "sentiment" in (sentiment.MODEL_PATH.parent / "MODEL_CARD.md").read_text(encoding="utf-8").lower()


def test_char_ngrams_fold_digits_and_case():
    assert chargrams.ngrams("A1") == ["a", "0", "a0"]


def test_probability_is_calibrated_sigmoid_of_margin():
    model = sentiment.model()
    text = "味道不错，送餐很快"
    tokens = topics.tokenize(text)
    p = model.probability(tokens, text)
    assert 0.5 < p < 1.0
    assert np.isclose(p, 1 / (1 + np.exp(-(model.platt_a * model.margin(tokens, text) + model.platt_b))))


# Government register: the review corpora do not teach these; the rule layer does.
OFFICIAL_REPLIES = [
    "您好！您反映的问题已收悉。经核实，该路段路灯因线路老化损坏，我局已安排维修人员于3月5日完成修复。感谢您的监督！",
    "网民朋友，您好！经调查，该公司存在拖欠工资的违法行为，劳动监察大队已责令其限期支付。感谢您对我们工作的支持。",
    "您好，来信收悉，现答复如下：该小区噪音扰民问题，区城管局已联合街道进行现场整治，今后将加强巡查。",
]
CALM_QUESTIONS = [
    "请问灵活就业人员怎么办理社保缴费？需要哪些材料？",
    "孩子明年上小学，想了解一下我们小区划分到哪个学校？",
    "请问公积金提取需要本人到场吗？",
]
CALM_COMPLAINTS = [
    "我家楼下的烧烤店每天营业到凌晨两点，油烟和噪音影响休息，希望有关部门处理。",
    "本人于去年在某公司工作，公司至今未支付三个月工资，希望相关部门帮忙解决。",
    "小区门口的路灯坏了一个多月，多次反映给物业，一直没有人来修。",
]
THANKS = [
    "非常感谢社区工作人员的耐心帮助，我的问题很快就解决了，给你们点赞！",
    "感谢区城管局及时处理了小区门口的占道经营问题，现在出行方便多了。",
]


@pytest.mark.parametrize("text", OFFICIAL_REPLIES)
def test_official_reply_is_not_negative(text):
    assert sentiment.label(sentiment.score(text)) == "neutral"


@pytest.mark.parametrize("text", CALM_QUESTIONS)
def test_calm_question_is_neutral(text):
    assert sentiment.label(sentiment.score(text)) == "neutral"


@pytest.mark.parametrize("text", CALM_COMPLAINTS)
def test_calm_complaint_is_negative(text):
    assert sentiment.label(sentiment.score(text)) == "negative"


@pytest.mark.parametrize("text", THANKS)
def test_thanks_is_positive(text):
    assert sentiment.label(sentiment.score(text)) == "positive"


def test_a_question_with_a_complaint_cue_is_not_neutral():
    assert sentiment.label(sentiment.score("拖欠工资三个月了，到底有没有人管？")) == "negative"


def test_a_review_without_civic_words_gets_its_lean_not_neutral():
    assert sentiment.label(sentiment.combine(0.6, "味道还可以，分量一般", lambda: 0.0)) == "positive"
    assert sentiment.label(sentiment.combine(0.4, "味道还可以，分量一般", lambda: 0.0)) == "negative"
    assert sentiment.label(sentiment.combine(0.51, "味道还可以，分量一般", lambda: 0.0)) == "neutral"


def test_an_unsure_citizen_message_with_a_civic_word_stays_neutral():
    # One civic word (小区): not government text, but not a review either; the doubt stays visible.
    assert sentiment.label(sentiment.combine(0.6, "小区门口新开了一家超市", lambda: 0.0)) == "neutral"


def test_a_rhetorical_question_in_a_review_keeps_the_model_lean():
    assert sentiment.label(sentiment.combine(0.2, "等了两个小时才到，这也叫快？", lambda: 0.0)) == "negative"
    assert sentiment.label(sentiment.combine(0.5, "这家店明天开门吗？", lambda: 0.0)) == "neutral"


def test_thanks_to_the_courier_do_not_make_a_bad_review_positive():
    text = "菜很难吃，有土腥味，不过送餐小哥辛苦了"
    assert sentiment.combine(0.35, text, lambda: 0.0) < 0.3
    assert sentiment.combine(0.8, text, lambda: 0.0) >= 0.8


@pytest.mark.parametrize("text", ["不满意，菜都凉了", "一点也不满意", "不太满意"])
def test_a_negated_satisfied_is_no_praise(text):
    assert sentiment._PRAISE.search(text) is None
